import datetime as dt

from django.db.models import Count, Q, QuerySet

from orgs import access

from . import calendar
from .models import CalendarDay, Deadline, Notification
from .permissions import DEADLINES_VIEW


def deadlines_for_user(user, *, state: str = "open") -> QuerySet[Deadline]:
    """Deadlines of the organizations the user is staff on (whole subtrees) and the ones the user
    is personally responsible for. state: open | overdue | soon | done | all."""
    if getattr(user, "is_superuser", False):
        q = Q()
    else:
        q = access.subtree_q(access.scope_paths(user, DEADLINES_VIEW), "org__") | Q(responsible=user)
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
    return Notification.objects.filter(user=user).select_related("org")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def calendar_days(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year).order_by("date")
