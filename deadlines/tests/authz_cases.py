import datetime as dt

from django.urls import reverse

from core.testing.authz import AuthzCase


def _deadline(w):
    from deadlines.models import Deadline, Notification

    w.deadline = Deadline.objects.create(
        org=w.union_a,
        title="甲公司调解案件 15 日期限",
        due_on=dt.date(2026, 3, 1),
        source_type="test.x",
        source_id="1",
    )
    w.notification = Notification.objects.create(
        org=w.union_a,
        user=w.staff_a,
        deadline=w.deadline,
        kind="overdue",
        text="甲公司调解案件已逾期",
        url="",
    )


def _day(w):
    from deadlines.models import CalendarDay

    w.day = CalendarDay.objects.create(date=dt.date(2030, 1, 1), kind="holiday", name="元旦")


def _no_a_deadline(w, r):
    assert "甲公司调解案件" not in r.content.decode()


def _no_a_api(w, r):
    assert all(row["title"] != "甲公司调解案件 15 日期限" for row in r.json()["items"])


def _ok(w, r):
    pass


CASES = [
    # Personal pages: every logged-in user may open them; they only ever show the caller's own rows.
    AuthzCase(
        "deadlines:mine",
        lambda w: reverse("deadlines:mine"),
        setup=_deadline,
        other_org_check=_no_a_deadline,
        no_perm_status=200,
    ),
    AuthzCase(
        "deadlines:notifications",
        lambda w: reverse("deadlines:notifications"),
        setup=_deadline,
        other_org_check=_no_a_deadline,
        no_perm_status=200,
    ),
    AuthzCase("deadlines:bell", lambda w: reverse("deadlines:bell"), other_org_check=_ok, no_perm_status=200),
    AuthzCase(
        "deadlines:notifications_read_all",
        lambda w: reverse("deadlines:notifications_read_all"),
        method="post",
        ok_status=302,
        setup=_deadline,
        other_org_status=302,
        no_perm_status=302,
    ),
    AuthzCase(
        "deadlines:notification_read",
        lambda w: reverse("deadlines:notification_read", args=[w.notification.pk]),
        method="post",
        ok_status=302,
        setup=_deadline,
    ),
    # The national holiday table: all staff read it, only a federation admin changes it.
    AuthzCase(
        "deadlines:calendar", lambda w: reverse("deadlines:calendar"), other_org_check=_ok, no_perm_status=403
    ),
    AuthzCase(
        "deadlines:calendar_day_new",
        lambda w: reverse("deadlines:calendar_day_new"),
        method="post",
        data={"date": "2030-02-02", "kind": "workday", "name": "调休上班"},
        allowed="fed_admin",
        other_org_status=403,
        no_perm_status=403,
        ok_status=302,
    ),
    AuthzCase(
        "deadlines:calendar_day_edit",
        lambda w: reverse("deadlines:calendar_day_edit", args=[w.day.pk]),
        setup=_day,
        allowed="fed_admin",
        other_org_status=403,
        no_perm_status=403,
    ),
    AuthzCase(
        "deadlines:calendar_day_delete",
        lambda w: reverse("deadlines:calendar_day_delete", args=[w.day.pk]),
        method="post",
        setup=_day,
        allowed="fed_admin",
        other_org_status=403,
        no_perm_status=403,
        ok_status=302,
    ),
    AuthzCase(
        "deadlines_mine",
        lambda w: "/api/v1/deadlines/mine",
        api=True,
        setup=_deadline,
        other_org_check=_no_a_api,
        no_perm_status=200,
    ),
    AuthzCase(
        "deadlines_notifications",
        lambda w: "/api/v1/deadlines/notifications",
        api=True,
        setup=_deadline,
        other_org_check=lambda w, r: _assert_empty(r),
        no_perm_status=200,
    ),
    AuthzCase(
        "deadlines_notification_read",
        lambda w: f"/api/v1/deadlines/notifications/{w.notification.pk}/read",
        api=True,
        method="post",
        setup=_deadline,
    ),
    AuthzCase(
        "deadlines_calendar",
        lambda w: "/api/v1/deadlines/calendar?year=2026",
        api=True,
        other_org_check=_ok,
        no_perm_status=403,
    ),
    AuthzCase(
        "deadlines_due",
        lambda w: "/api/v1/deadlines/due?rule=mediation.case&start=2026-02-13",
        api=True,
        other_org_check=_ok,
        no_perm_status=403,
    ),
]


def _assert_empty(r):
    assert r.json()["items"] == []
