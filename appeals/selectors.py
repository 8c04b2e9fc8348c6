from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deadlines import calendar
from orgs import access

from .models import OPEN_STATUSES, Appeal, AppealEvent
from .permissions import APPEALS_HANDLE

# What staff see instead of an anonymous submitter (pages, API, export, timeline).
ANONYMOUS = gettext_lazy("匿名职工")


def appeals_for_staff(user, *, status: str = "", category: str = "") -> QuerySet[Appeal]:
    """Requests handled by the organizations the user is staff on. Never joins the submitter:
    staff templates and the API read `submitter_label()` only."""
    qs = access.scope(Appeal.objects.all(), user, APPEALS_HANDLE).select_related("org", "origin_org")
    if status == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=calendar.today())
    elif status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    return (
        qs.order_by("due_on", "-id") if status in ("open", "overdue") else qs.order_by("-submitted_on", "-id")
    )


def submitter_label(appeal: Appeal) -> str:
    """What staff may know about who sent the request."""
    if appeal.anonymous:
        return str(ANONYMOUS)
    user = appeal.submitter
    return user.get_full_name()


def attach_submitters(appeals) -> list[Appeal]:
    """Set `.submitter_label` on each request, loading only the non-anonymous submitters."""
    from accounts.models import User

    appeals = list(appeals)
    ids = {a.submitter_id for a in appeals if not a.anonymous}
    names = {
        u.pk: u.get_full_name() for u in User.objects.filter(pk__in=ids).only("pk", "full_name", "username")
    }
    for a in appeals:
        a.submitter_label = str(ANONYMOUS) if a.anonymous else names.get(a.submitter_id, "")
    return appeals


def appeals_of_submitter(user) -> QuerySet[Appeal]:
    return Appeal.objects.filter(submitter=user).select_related("org").order_by("-submitted_on", "-id")


def events_for_staff(appeal: Appeal) -> list[AppealEvent]:
    events = list(appeal.events.select_related("actor", "from_org", "to_org"))
    for e in events:
        if e.by_submitter:
            e.actor_label = str(ANONYMOUS) if appeal.anonymous else appeal.submitter.get_full_name()
        else:
            e.actor_label = e.actor.get_full_name() if e.actor else _("系统")
    return events
