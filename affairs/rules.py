"""Pure rules of open affairs (DOMAIN.md §4; Zhejiang art. 20–23)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

DEFAULTS = {
    "answer_days": 30,  # answers to workers' questions are due within 30 (calendar) days
}


def setting(key: str):
    return getattr(settings, "GONGHUI_AFFAIRS", {}).get(key, DEFAULTS[key])


def answer_due(asked_on: date) -> date:
    """Due date of an answer: the day asked plus the answer period in calendar days."""
    return asked_on + timedelta(days=setting("answer_days"))


def is_overdue(status: str, due_on: date, today: date) -> bool:
    return status == "open" and today > due_on


def days_left(due_on: date, today: date) -> int:
    return (due_on - today).days


def publication_state(publish_from: date, publish_until: date, today: date) -> str:
    """'scheduled', 'current' or 'ended' (both ends of the period included)."""
    if today < publish_from:
        return "scheduled"
    if today > publish_until:
        return "ended"
    return "current"


def percent(part: int, whole: int) -> Decimal | None:
    """A share in percent with one decimal, rounded half up; None when nothing to divide by."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
