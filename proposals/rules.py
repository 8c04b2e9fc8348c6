"""Pure rules of the proposal workflow (DOMAIN.md §4, enterprise practice, unconfirmed: settings)."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from .models import ProposalStatus as S

DEFAULTS = {
    "min_cosigners": 2,  # ≥ 2 co-signers (附议人)
    "collection_lead_days": 30,  # collection opens about 30 days before the session
    "reply_days": 30,  # default time a department gets to reply
}


def setting(key: str):
    return getattr(settings, "GONGHUI_PROPOSALS", {}).get(key, DEFAULTS[key])


# The state machine: target -> the states it may be reached from.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING_REVIEW: frozenset({S.COSIGNING}),
    S.ACCEPTED: frozenset({S.PENDING_REVIEW}),
    S.OPINION: frozenset({S.PENDING_REVIEW}),
    S.RETURNED: frozenset({S.PENDING_REVIEW}),
    S.ASSIGNED: frozenset({S.ACCEPTED}),
    S.REPLIED: frozenset({S.ASSIGNED}),
    S.EVALUATED: frozenset({S.REPLIED}),
    S.ARCHIVED: frozenset({S.EVALUATED, S.OPINION, S.RETURNED}),
    S.WITHDRAWN: frozenset({S.COSIGNING, S.PENDING_REVIEW}),
}
# Follow-up (督办) notes do not move the proposal; they are allowed while it is being handled.
FOLLOW_UP_STATES = frozenset({S.ASSIGNED, S.REPLIED})
OPEN_STATES = frozenset({S.COSIGNING, S.PENDING_REVIEW, S.ACCEPTED, S.ASSIGNED, S.REPLIED})


def can_move(current: str, target: str) -> bool:
    return current in TRANSITIONS.get(target, frozenset())


def window_state(opens_on: date, closes_on: date, today: date) -> str:
    """'upcoming', 'open' or 'closed' for a collection window (both ends included)."""
    if today < opens_on:
        return "upcoming"
    if today > closes_on:
        return "closed"
    return "open"


def suggested_opening(session_on: date) -> date:
    return session_on - timedelta(days=setting("collection_lead_days"))


def default_due(today: date) -> date:
    return today + timedelta(days=setting("reply_days"))


def is_overdue(status: str, due_on: date | None, today: date) -> bool:
    """A reply is overdue when the department has not replied and the due date has passed."""
    return status == S.ASSIGNED and due_on is not None and today > due_on


def may_reopen(status: str, satisfaction: str, reopen_count: int) -> bool:
    """An unsatisfied proposer's proposal may go back to the department once."""
    return status == S.EVALUATED and satisfaction == "unsatisfied" and reopen_count == 0


def percent(part: int, whole: int) -> Decimal | None:
    """A share as a percentage with one decimal, rounded half up; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
