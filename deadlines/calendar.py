"""The one deadline calendar: every clock in gonghui asks this module what "today" is and when a
period ends.

Rules (documented here and in DOMAIN.md §11):

* ``today()`` is the one controllable clock: ``timezone.localdate()`` (Asia/Shanghai) unless a test
  froze it with ``frozen_today(d)`` (or monkeypatched ``deadlines.calendar.today``).
* A working day is Monday–Friday unless it is a public holiday in the ``CalendarDay`` table, or a
  Saturday/Sunday that the table marks as a make-up working day (调休上班).
* Calendar-day periods: the period starts the day after ``start`` (the day of receipt is not
  counted), so the due date is ``start + days``.  Chinese procedure law (民事诉讼法 §85, 劳动争议调解
  仲裁法 and the labour-administration practice built on it) says that when the last day of a period
  falls on a public holiday the period ends on the first working day after the holiday; rules with
  ``roll_forward=True`` (the default for calendar-day legal periods) apply that.  Rolling is only
  done over *holidays and weekends*, i.e. to the next working day.
* Month/year periods (unit ``months``, 民法典 §202): the period ends on the corresponding day of
  the last month, or that month's last day when there is no corresponding day; rolled like
  calendar-day periods.
* Working-day periods: the due date is the ``days``-th working day after ``start``; such a date is a
  working day by construction, so rolling never applies.
* Rules live in ``RULES`` and can be overridden or added with ``settings.GONGHUI_DEADLINES``::

      GONGHUI_DEADLINES = {"appeals.response": (5, "working"),
                           "mediation.case": {"days": 15, "unit": "calendar", "roll_forward": False}}
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

CALENDAR = "calendar"
WORKING = "working"
MONTHS = "months"  # 民法典 §202: the corresponding day of the last month (month end if none)


@dataclass(frozen=True)
class Rule:
    days: int
    unit: str  # CALENDAR or WORKING
    roll_forward: bool = True
    label: str = ""


# The registry of legal and local periods. (days, unit) tuples or dicts; roll_forward defaults to
# True for calendar-day periods and is meaningless for working-day ones.
RULES: dict[str, tuple | dict] = {
    # 劳动争议调解仲裁法 §14: 调解自收到申请之日起十五日内未达成协议的，当事人可以依法申请仲裁。
    "mediation.case": (15, CALENDAR),
    # 劳动争议调解仲裁法 §27: 仲裁时效期间为一年（从知道或者应当知道其权利被侵害之日起计算）。
    "mediation.arbitration_limit": {"days": 12, "unit": MONTHS, "roll_forward": True, "label": "一年"},
    # 职工诉求答复期限（本地规则，默认 7 个工作日）。
    "appeals.response": (7, WORKING),
    # 集体协商：书面要求之日起 20 日内书面答复（集体合同规定 §32）。
    "bargaining.request_answer": (20, CALENDAR),
    # 集体合同签订后 10 日内报送劳动行政部门（集体合同规定 §42）。
    "bargaining.filing": (10, CALENDAR),
    # 劳动行政部门收到文本之日起 15 日内未提出异议的，集体合同即行生效（集体合同规定 §47）。
    "bargaining.review": (15, CALENDAR),
    # 协商代表出现空缺的，应自空缺之日起 15 日内补充（集体合同规定 §25）。
    "bargaining.vacancy": (15, CALENDAR),
    # 通知提醒窗口：到期前 3 日内提醒。
    "deadlines.reminder_window": (3, CALENDAR),
}


def _normalize(value: tuple | dict | Rule) -> Rule:
    if isinstance(value, Rule):
        return value
    if isinstance(value, dict):
        unit = value.get("unit", CALENDAR)
        return Rule(
            days=int(value["days"]),
            unit=unit,
            roll_forward=bool(value.get("roll_forward", unit in (CALENDAR, MONTHS))),
            label=str(value.get("label", "")),
        )
    days, unit, *rest = value
    roll = bool(rest[0]) if rest else unit in (CALENDAR, MONTHS)
    return Rule(days=int(days), unit=unit, roll_forward=roll)


def get_rule(name: str) -> Rule:
    """The effective rule ``name`` (settings override the registry)."""
    override = getattr(settings, "GONGHUI_DEADLINES", {}) or {}
    if name in override:
        return _normalize(override[name])
    if name not in RULES:
        raise KeyError(f"unknown deadline rule {name!r}")
    return _normalize(RULES[name])


rule = get_rule


# ---------------------------------------------------------------- the clock

_frozen: list[dt.date] = []


def today() -> dt.date:
    """Today's date in Asia/Shanghai, or the date frozen by ``frozen_today``."""
    if _frozen:
        return _frozen[-1]
    return timezone.localdate()


@contextlib.contextmanager
def frozen_today(day: dt.date) -> Iterator[dt.date]:
    """Freeze ``today()`` at ``day`` inside the block (nests)."""
    _frozen.append(day)
    try:
        yield day
    finally:
        _frozen.pop()


def freeze(day: dt.date | None) -> None:
    """Freeze (or with ``None`` unfreeze) ``today()`` outside a block, e.g. for a live-server test
    whose server thread must see the same date as the test."""
    _frozen.clear()
    if day is not None:
        _frozen.append(day)


# ---------------------------------------------------------------- days


def _exceptions(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    from deadlines.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind"))


def _working(d: dt.date, exceptions: dict[dt.date, str]) -> bool:
    kind = exceptions.get(d)
    if kind == "holiday":
        return False
    if kind == "workday":
        return True
    return d.weekday() < 5


def is_working_day(d: dt.date) -> bool:
    """Mon–Fri unless a public holiday; Sat/Sun only if a make-up working day."""
    return _working(d, _exceptions(d, d))


def is_holiday(d: dt.date) -> bool:
    """A listed public holiday (not merely a weekend)."""
    return _exceptions(d, d).get(d) == "holiday"


def next_working_day(d: dt.date) -> dt.date:
    """``d`` itself if it is a working day, else the first working day after it."""
    exc = _exceptions(d, d + dt.timedelta(days=60))
    while not _working(d, exc):
        d += dt.timedelta(days=1)
    return d


def add_days(start: dt.date, days: int, *, working: bool, roll_forward: bool = False) -> dt.date:
    """Calendar days: ``start + days`` (rolled to the next working day if ``roll_forward`` and the
    last day is not a working day). Working days: the ``days``-th working day after ``start``."""
    if days < 0:
        raise ValueError("days must be >= 0")
    if not working:
        end = start + dt.timedelta(days=days)
        return next_working_day(end) if roll_forward else end
    # Bound the look-up window: a working day every 7 days at worst plus the long holidays.
    horizon = start + dt.timedelta(days=days * 2 + 40)
    exc = _exceptions(start, horizon)
    d, left = start, days
    while left > 0:
        d += dt.timedelta(days=1)
        if d > horizon:
            horizon = d + dt.timedelta(days=days * 2 + 40)
            exc = _exceptions(d, horizon)
        if _working(d, exc):
            left -= 1
    return d


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later; the month's last day when there is none (民法典 §202)."""
    import calendar as _pycal

    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return dt.date(year, month, min(start.day, _pycal.monthrange(year, month)[1]))


def due_date(rule: str, start: dt.date) -> dt.date:
    """The due date of the period ``rule`` that starts counting after ``start``.
    For a ``months`` rule, ``days`` holds the number of months."""
    r = get_rule(rule)
    if r.unit == MONTHS:
        end = add_months(start, r.days)
        return next_working_day(end) if r.roll_forward else end
    if r.unit == WORKING:
        return add_days(start, r.days, working=True)
    return add_days(start, r.days, working=False, roll_forward=r.roll_forward)


def days_left(due: dt.date, on: dt.date | None = None) -> int:
    """Calendar days from ``on`` (default today) to ``due``: 0 on the due day, negative when overdue."""
    return (due - (on or today())).days


def is_overdue(due: dt.date, on: dt.date | None = None) -> bool:
    return (on or today()) > due
