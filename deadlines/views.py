from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_errors, year_param
from orgs import access

from . import calendar, selectors, services
from .forms import CalendarDayForm
from .models import CalendarDay, Notification
from .permissions import CALENDAR_CHANGE, CALENDAR_VIEW


def states(window: int) -> list[tuple[str, str]]:
    return [
        ("open", _("未办结")),
        ("overdue", _("已逾期")),
        ("soon", _("%(n)s 日内到期") % {"n": window}),
        ("done", _("已办结")),
    ]


def decorate(deadlines, *, window: int, today=None):
    """Attach days_left / overdue / badge to each row for the templates."""
    today = today or calendar.today()
    for d in deadlines:
        d.days_left = calendar.days_left(d.due_on, today)
        d.is_overdue = d.done_at is None and d.days_left < 0
        if d.done_at is not None:
            d.badge = "ok"
        elif d.days_left < 0:
            d.badge = "danger"
        elif d.days_left <= window:
            d.badge = "warning"
        else:
            d.badge = ""
    return deadlines


@access.login_required
def mine_view(request):
    window = calendar.rule("deadlines.reminder_window").days
    state = request.GET.get("state", "open")
    if state not in dict(states(window)):
        state = "open"
    page = Paginator(selectors.deadlines_for_user(request.user, state=state), 50).get_page(
        request.GET.get("page")
    )
    decorate(page.object_list, window=window)
    ctx = {
        "page": page,
        "state": state,
        "states": states(window),
        "window": window,
        "counts": selectors.deadline_counts(request.user),
        "today": calendar.today(),
        "unread": selectors.unread_count(request.user),
        "may_view_calendar": access.has_any(request.user, CALENDAR_VIEW),
    }
    return render(request, "deadlines/mine.html", ctx)


@access.login_required
def notifications_view(request):
    page = Paginator(selectors.notifications_for(request.user), 50).get_page(request.GET.get("page"))
    # A deadline's notice says what was due when it was sent; beside it, where the deadline stands
    # today, counted as on "my deadlines".
    decorate(
        [n.deadline for n in page.object_list if n.deadline is not None],
        window=calendar.rule("deadlines.reminder_window").days,
    )
    return render(request, "deadlines/notifications.html", {"page": page})


@require_POST
@access.login_required
def notification_read_view(request, pk: int):
    n = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notification_read(user=request.user, notification=n)
    return redirect(n.url or "deadlines:notifications")


@require_POST
@access.login_required
def notifications_read_all_view(request):
    services.notification_read(user=request.user)
    messages.success(request, _("已全部标为已读。"))
    return redirect("deadlines:notifications")


@access.login_required
def bell_view(request):
    """The unread count for a bell in the top bar (htmx fragment)."""
    return render(
        request, "deadlines/notifications.html#bell", {"unread": selectors.unread_count(request.user)}
    )


@access.permission_required(CALENDAR_VIEW)
def calendar_view(request):
    year = year_param(request.GET.get("year"), calendar.today().year)
    may_change = access.has_any(request.user, CALENDAR_CHANGE)
    ctx = {
        "year": year,
        "years": [year - 1, year, year + 1],
        "days": selectors.calendar_days(year),
        "form": CalendarDayForm(),
        "may_change": may_change,
    }
    return render(request, "deadlines/calendar.html", ctx)


@access.permission_required(CALENDAR_CHANGE)
def calendar_day_edit_view(request, pk: int | None = None):
    day = get_object_or_404(CalendarDay, pk=pk) if pk else None
    initial = (
        {"date": day.date, "kind": day.kind, "name": day.name, "confirmed": day.confirmed} if day else None
    )
    form = CalendarDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.calendar_day_save(actor=request.user, day=day, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存 %(date)s。") % {"date": saved.date.isoformat()})
            return redirect(f"{_calendar_url()}?year={saved.date.year}")
    return render(request, "deadlines/calendar_form.html", {"form": form, "day": day})


@require_POST
@access.permission_required(CALENDAR_CHANGE)
def calendar_day_delete_view(request, pk: int):
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    services.calendar_day_delete(actor=request.user, day=day)
    messages.success(request, _("已删除。"))
    return redirect(f"{_calendar_url()}?year={year}")


def _calendar_url() -> str:
    from django.urls import reverse

    return reverse("deadlines:calendar")
