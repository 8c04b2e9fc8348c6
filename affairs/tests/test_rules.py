from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from affairs import rules


def test_answer_due_thirty_calendar_days_after_asking():
    assert rules.answer_due(date(2026, 11, 25)) == date(2026, 12, 25)
    assert rules.answer_due(date(2026, 1, 31)) == date(2026, 3, 2)


def test_answer_days_is_a_setting(settings):
    settings.GONGHUI_AFFAIRS = {"answer_days": 15}
    assert rules.answer_due(date(2026, 11, 25)) == date(2026, 12, 10)


def test_overdue_the_day_after_the_due_date():
    due = date(2026, 12, 25)
    assert not rules.is_overdue("open", due, date(2026, 12, 25))
    assert rules.is_overdue("open", due, date(2026, 12, 26))
    assert not rules.is_overdue("answered", due, date(2027, 1, 30))


def test_publication_state():
    a, b = date(2026, 11, 1), date(2026, 11, 30)
    assert rules.publication_state(a, b, date(2026, 10, 31)) == "scheduled"
    assert rules.publication_state(a, b, a) == "current"
    assert rules.publication_state(a, b, b) == "current"
    assert rules.publication_state(a, b, date(2026, 12, 1)) == "ended"


def test_percent():
    assert rules.percent(2, 3) == Decimal("66.7")
    assert rules.percent(1, 8) == Decimal("12.5")
    assert rules.percent(0, 0) is None


@given(asked=st.dates(), later=st.integers(min_value=0, max_value=400))
def test_overdue_exactly_after_the_answer_period(asked, later):
    try:
        today = asked + timedelta(days=later)
        due = rules.answer_due(asked)
    except OverflowError:
        return
    assert (due - asked).days == 30
    assert rules.is_overdue("open", due, today) == (later > 30)
    assert not rules.is_overdue("answered", due, today)
