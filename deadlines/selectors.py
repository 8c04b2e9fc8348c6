import datetime as dt
from functools import cache

from django.db.models import Count, Q, QuerySet
from django.utils.module_loading import autodiscover_modules

from orgs import access

from . import calendar
from .models import CalendarDay, Deadline, Notification
from .permissions import DEADLINES_VIEW, SOURCE_PERMISSIONS


@cache
def _source_permissions() -> dict:
    autodiscover_modules("permissions")  # each module registers who sees its deadlines
    return dict(SOURCE_PERMISSIONS)


def visible_q(user) -> Q:
    """Deadlines the user may see: in the subtrees where they hold the permission of the deadline's
    module (DEADLINES_VIEW for the rest), and the ones they are personally responsible for."""
    q = Q(responsible=user)
    rest = access.subtree_q(access.scope_paths(user, DEADLINES_VIEW), "org__")
    for label, perm in _source_permissions().items():
        module = Q(source_type__startswith=f"{label}.")
        q |= module & access.subtree_q(access.scope_paths(user, perm), "org__")
        rest &= ~module
    return q | rest


def deadlines_for_user(user, *, state: str = "open") -> QuerySet[Deadline]:
    """Deadlines of the organizations the user is staff on (whole subtrees, as far as their roles
    reach into each module) and the ones the user is personally responsible for.
    state: open | overdue | soon | done | all."""
    q = Q() if getattr(user, "is_superuser", False) else visible_q(user)
    qs = Deadline.objects.filter(q).select_related("org", "responsible")
    today = calendar.today()
    if state == "open":
        qs = qs.filter(done_at__isnull=True)
    elif state == "overdue":
        qs = qs.filter(done_at__isnull=True, due_on__lt=today)
    elif state == "soon":
        window = calendar.rule("deadlines.reminder_window").days
        qs = qs.filter(done_at__isnull=True, due_on__gte=today, due_on__lte=today + dt.timedelta(days=window))
    elif state == "done":
        qs = qs.filter(done_at__isnull=False).order_by("-done_at")
    return qs.order_by("due_on", "id") if state != "done" else qs


def deadline_counts(user) -> dict[str, int]:
    """Open, overdue and due-within-the-reminder-window counts, in one aggregate query."""
    today = calendar.today()
    window = calendar.rule("deadlines.reminder_window").days
    return (
        deadlines_for_user(user, state="open")
        .order_by()
        .aggregate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_on__lt=today)),
            soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=window))),
        )
    )


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("org", "deadline")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def calendar_days(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year).order_by("date")
