from datetime import date
from decimal import Decimal

from proposals import rules
from proposals.models import ProposalStatus as S


def test_window_state_includes_both_ends():
    assert rules.window_state(date(2026, 11, 1), date(2026, 11, 30), date(2026, 10, 31)) == "upcoming"
    assert rules.window_state(date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 1)) == "open"
    assert rules.window_state(date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30)) == "open"
    assert rules.window_state(date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 1)) == "closed"


def test_collection_opens_thirty_days_before_the_session():
    assert rules.suggested_opening(date(2026, 12, 31)) == date(2026, 12, 1)


def test_collection_lead_days_is_a_setting(settings):
    settings.GONGHUI_PROPOSALS = {"collection_lead_days": 45}
    assert rules.suggested_opening(date(2026, 12, 31)) == date(2026, 11, 16)


def test_state_machine():
    assert rules.can_move(S.COSIGNING, S.PENDING_REVIEW)
    assert rules.can_move(S.PENDING_REVIEW, S.ACCEPTED)
    assert rules.can_move(S.PENDING_REVIEW, S.RETURNED)
    assert rules.can_move(S.ACCEPTED, S.ASSIGNED)
    assert rules.can_move(S.EVALUATED, S.ARCHIVED)
    assert not rules.can_move(S.COSIGNING, S.ACCEPTED)
    assert not rules.can_move(S.ASSIGNED, S.EVALUATED)
    assert not rules.can_move(S.ARCHIVED, S.ASSIGNED)
    assert not rules.can_move(S.ACCEPTED, S.WITHDRAWN)


def test_overdue_only_while_waiting_for_the_reply():
    assert rules.is_overdue(S.ASSIGNED, date(2026, 11, 24), date(2026, 11, 25))
    assert not rules.is_overdue(S.ASSIGNED, date(2026, 11, 25), date(2026, 11, 25))
    assert not rules.is_overdue(S.REPLIED, date(2026, 11, 1), date(2026, 11, 25))
    assert not rules.is_overdue(S.ASSIGNED, None, date(2026, 11, 25))


def test_reopen_once_and_only_when_unsatisfied():
    assert rules.may_reopen(S.EVALUATED, "unsatisfied", 0)
    assert not rules.may_reopen(S.EVALUATED, "unsatisfied", 1)
    assert not rules.may_reopen(S.EVALUATED, "basically", 0)
    assert not rules.may_reopen(S.REPLIED, "", 0)


def test_percent_rounds_half_up():
    assert rules.percent(1, 8) == Decimal("12.5")
    assert rules.percent(1, 3) == Decimal("33.3")
    assert rules.percent(2, 3) == Decimal("66.7")
    assert rules.percent(1, 0) is None
