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


# Columns of one audit row, in the order of `audit_insert_sql()`'s SELECT list.
AUDIT_COLUMNS = (
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "org_id",
    "created_at",
    "ip",
    "details",
)


def audit_insert_sql() -> str:
    """`INSERT INTO <audit table> (<AUDIT_COLUMNS>)`, for a hot path that writes its audit event in
    the same SQL statement as its change (one round trip, still one transaction). The caller
    appends a SELECT of the AUDIT_COLUMNS values; the event is then as if audit_record() wrote it."""
    from django.db import connection

    qn = connection.ops.quote_name
    return f"INSERT INTO {qn(AuditEvent._meta.db_table)} ({', '.join(qn(c) for c in AUDIT_COLUMNS)})"
