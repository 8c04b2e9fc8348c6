from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from orgs import access
from orgs.models import Organization, subtree_upper
from orgs.permissions import AUDIT_VIEW

from .models import AuditEvent


def audit_events_for(
    user,
    *,
    org: Organization | None = None,
    action: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events about organizations inside the viewer's audit subtrees, newest first."""
    qs = access.scope(AuditEvent.objects.all(), user, AUDIT_VIEW)
    if org is not None:
        qs = qs.filter(org__path__gte=org.path, org__path__lt=subtree_upper(org.path))
    if action:
        qs = qs.filter(action__startswith=action)
    if actor:
        qs = qs.filter(Q(actor_label__icontains=actor) | Q(actor__username__iexact=actor))
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(created_at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz))
    return qs.select_related("org").order_by("-created_at", "-id")


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("action", flat=True).distinct()[:200])


# Sign-ins are kept in the audit log but are not work: the home page's recent activity leaves them out.
SIGN_IN_ACTIONS = ("user.login",)


def recent_work_for(user, n: int = 8) -> list[AuditEvent]:
    """The latest things done in the viewer's audit subtrees, for the home page."""
    return list(audit_events_for(user).exclude(action__in=SIGN_IN_ACTIONS)[:n])
