from typing import Any

from django.db import models

from .context import current_ip
from .models import AuditEvent


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    org=None,
    details: dict[str, Any] | None = None,
    target_label: str | None = None,
) -> AuditEvent:
    """Append one audit event. Call it inside the service's transaction."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=(actor_obj.get_full_name() or actor_obj.username) if actor_obj else "系统",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(
            target_label if target_label is not None else (str(target)[:200] if target is not None else "")
        ),
        org=org,
        ip=current_ip.get(),
        details=details or {},
    )
