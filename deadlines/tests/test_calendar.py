import datetime as dt

import pytest
from django.test import override_settings

from deadlines import calendar as cal
from deadlines.models import CalendarDay

D = dt.date.fromisoformat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def holidays(db):
    from deadlines.holidays import install

    install()


def test_weekday_weekend_holiday_makeup():
    assert cal.is_working_day(D("2026-03-02")) is True  # Monday
    assert cal.is_working_day(D("2026-03-07")) is False  # Saturday
    assert cal.is_working_day(D("2026-10-01")) is False  # National Day, Thursday
    assert cal.is_working_day(D("2026-02-28")) is True  # make-up Saturday
    assert cal.is_working_day(D("2026-01-04")) is True  # make-up Sunday


def test_calendar_days_plain_and_roll_forward():
    assert cal.add_days(D("2026-03-02"), 15, working=False) == D("2026-03-17")
    # Friday before Qingming: day 15 is a Saturday -> next working day Monday 2026-04-20.
    assert cal.add_days(D("2026-04-03"), 15, working=False) == D("2026-04-18")
    assert cal.add_days(D("2026-04-03"), 15, working=False, roll_forward=True) == D("2026-04-20")
    # Day 15 in the National Day week rolls over the whole holiday.
    assert cal.add_days(D("2026-09-18"), 15, working=False, roll_forward=True) == D("2026-10-08")


def test_working_days_skip_holidays_and_count_makeup_days():
    # Friday 2026-02-13: 14 (Sat, make-up)=1, 15-23 holiday, 24=2, 25=3, 26=4, 27=5
    assert cal.add_days(D("2026-02-13"), 5, working=True) == D("2026-02-27")
    assert cal.add_days(D("2026-02-13"), 1, working=True) == D("2026-02-14")
    assert cal.add_days(D("2026-03-06"), 7, working=True) == D("2026-03-17")


def test_due_date_rules_and_settings_override():
    # Friday before Spring Festival: day 15 is the make-up Saturday 2026-02-28, a working day.
    assert cal.due_date("mediation.case", D("2026-02-13")) == D("2026-02-28")
    assert cal.due_date("appeals.response", D("2026-09-30")) == D("2026-10-15")
    with override_settings(GONGHUI_DEADLINES={"appeals.response": (3, "calendar", False)}):
        assert cal.due_date("appeals.response", D("2026-09-30")) == D("2026-10-03")
    no_roll = {"mediation.case": {"days": 15, "unit": "calendar", "roll_forward": False}}
    with override_settings(GONGHUI_DEADLINES=no_roll):
        assert cal.due_date("mediation.case", D("2026-09-18")) == D("2026-10-03")
    with pytest.raises(KeyError):
        cal.due_date("nope", D("2026-01-01"))


def test_editing_the_table_changes_the_result():
    CalendarDay.objects.create(date=D("2026-03-17"), kind="holiday", name="测试假日")
    assert cal.due_date("mediation.case", D("2026-03-02")) == D("2026-03-18")


def test_frozen_today_nests():
    with cal.frozen_today(D("2026-02-13")):
        assert cal.today() == D("2026-02-13")
        with cal.frozen_today(D("2026-03-01")):
            assert cal.today() == D("2026-03-01")
            assert cal.is_overdue(D("2026-02-28")) is True
            assert cal.days_left(D("2026-02-28")) == -1
        assert cal.days_left(D("2026-02-28")) == 15


def test_negative_days_rejected():
    with pytest.raises(ValueError, match="days"):
        cal.add_days(D("2026-01-01"), -1, working=False)


def test_month_rule_arbitration_limit():
    # 2025-03-02 + 1 year = 2026-03-02 (Monday)
    assert cal.due_date("mediation.arbitration_limit", D("2025-03-02")) == D("2026-03-02")
    # 2025-10-01 + 1 year = 2026-10-01, National Day: rolled to Thursday 2026-10-08
    assert cal.due_date("mediation.arbitration_limit", D("2025-10-01")) == D("2026-10-08")
    # Leap day has no corresponding day: Feb 28 of the next year (a Sunday in 2027 -> Monday Mar 1)
    assert cal.add_months(D("2024-02-29"), 12) == D("2025-02-28")
    assert cal.due_date("mediation.arbitration_limit", D("2026-02-28")) == D("2027-03-01")
