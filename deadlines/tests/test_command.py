import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from appeals.tests.helpers import submit
from deadlines import calendar
from deadlines.models import Notification


def test_daily_command_escalates_then_notifies(world):
    a = submit(world, anonymous=True)
    out = StringIO()
    with calendar.frozen_today(dt.date(2026, 3, 12)):
        call_command("deadlines_daily", stdout=out)
    a.refresh_from_db()
    assert a.org == world.fed
    assert "appeals.services:appeal_escalate_overdue: {'escalated': 1, 'at_top': 0}" in out.getvalue()
    # The escalated request is due 2026-03-23 at the federation: not yet within 3 days.
    assert Notification.objects.count() == 0
    with calendar.frozen_today(dt.date(2026, 3, 20)):
        call_command("deadlines_daily", stdout=out)
    assert list(Notification.objects.values_list("user__username", "kind")) == [("fed_admin", "due_soon")]


def test_daily_command_skips_modules_not_installed_but_not_broken_ones(world, monkeypatch):
    from deadlines.management.commands import deadlines_daily

    monkeypatch.setattr(deadlines_daily, "DAILY_JOBS", ["nosuchapp.services:job"])
    out = StringIO()
    call_command("deadlines_daily", stdout=out)
    assert out.getvalue() == "notify: {'deadlines': 0, 'notifications': 0}\n"
    monkeypatch.setattr(deadlines_daily, "DAILY_JOBS", ["appeals.services:no_such_job"])
    with pytest.raises(AttributeError):
        call_command("deadlines_daily", stdout=StringIO())
