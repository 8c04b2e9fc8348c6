from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from core.api import Pagination
from core.forms import MAX_YEAR, MIN_YEAR
from orgs import access

from . import calendar, selectors, services
from .models import Notification
from .permissions import CALENDAR_VIEW

router = Router(tags=["deadlines"])


class DeadlineOut(Schema):
    id: int
    org_id: int
    title: str
    due_on: date
    days_left: int
    url: str
    done_at: datetime | None

    @staticmethod
    def resolve_days_left(obj) -> int:
        return calendar.days_left(obj.due_on)


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.shown_text  # in the reader's language


class CalendarDayOut(Schema):
    date: date
    kind: str
    name: str
    confirmed: bool


class DueOut(Schema):
    rule: str
    start: date
    due_on: date


@router.get("/mine", response=list[DeadlineOut], operation_id="deadlines_mine", summary="My deadlines")
@paginate(Pagination)
def deadlines_mine(request, state: Literal["open", "overdue", "soon", "done", "all"] = "open"):
    """The queryset goes to the paginator as is: only the requested page is read."""
    return selectors.deadlines_for_user(request.user, state=state)


@router.get(
    "/notifications",
    response=list[NotificationOut],
    operation_id="deadlines_notifications",
    summary="My notices",
)
@paginate(Pagination)
def deadlines_notifications(request):
    return selectors.notifications_for(request.user)


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    operation_id="deadlines_notification_read",
)
def deadlines_notification_read(request, notification_id: int):
    n = get_object_or_404(Notification, pk=notification_id, user=request.user)
    services.notification_read(user=request.user, notification=n)
    n.refresh_from_db()
    return n


@router.get(
    "/calendar", response=list[CalendarDayOut], operation_id="deadlines_calendar", summary="Holiday table"
)
def deadlines_calendar(request, year: int = Query(..., ge=MIN_YEAR, le=MAX_YEAR)):
    access.require(request.user, CALENDAR_VIEW)
    return list(selectors.calendar_days(year))


@router.get(
    "/due",
    response=DueOut,
    operation_id="deadlines_due",
    summary="Compute a due date",
    description=(
        "`rule` is one of: "
        + ", ".join(f"`{name}`" for name in sorted(calendar.RULES))
        + f". `start` is a date in the years {MIN_YEAR}–{MAX_YEAR}."
    ),
)
def deadlines_due(request, rule: str, start: date):
    access.require(request.user, CALENDAR_VIEW)
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise ValidationError(
            {"start": [_("日期应在%(a)d年到%(b)d年之间。") % {"a": MIN_YEAR, "b": MAX_YEAR}]}
        )
    try:
        due = calendar.due_date(rule, start)
    except KeyError:
        from django.http import Http404

        raise Http404 from None
    return DueOut(rule=rule, start=start, due_on=due)
