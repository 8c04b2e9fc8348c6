import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from core.testing.world import make_user
from deadlines import calendar as cal
from deadlines.models import CalendarDay, Deadline, Notification
from deadlines.services import (
    calendar_day_delete,
    calendar_day_save,
    deadline_done,
    deadline_upsert,
    notification_read,
    notify_run,
)

D = dt.date.fromisoformat


def _upsert(world, due="2026-03-10", **kw):
    return deadline_upsert(
        org=world.union_a, source=("test.case", 7), title="测试事项", due_on=D(due), url="/x/", **kw
    )


def test_upsert_creates_then_updates_one_row(world):
    d1 = _upsert(world)
    d2 = _upsert(world, due="2026-03-12")
    assert d1.pk == d2.pk
    assert Deadline.objects.get().due_on == D("2026-03-12")
    assert AuditEvent.objects.filter(action="deadlines.deadline_upsert").count() == 2
    _upsert(world, due="2026-03-12")  # unchanged: no new audit event
    assert AuditEvent.objects.filter(action="deadlines.deadline_upsert").count() == 2


def test_slots_are_separate_and_done_closes(world):
    _upsert(world, slot="a")
    _upsert(world, slot="b")
    assert deadline_done(source=("test.case", 7), slot="a") == 1
    assert Deadline.objects.filter(done_at__isnull=True).count() == 1
    assert deadline_done(source=("test.case", 7)) == 1
    assert deadline_done(source=("test.case", 7)) == 0


def test_upsert_rejects_non_date(world):
    with pytest.raises(ValidationError):
        deadline_upsert(org=world.union_a, source=("t", 1), title="x", due_on="2026-01-01", url="")
    assert Deadline.objects.count() == 0


def test_notify_due_soon_then_overdue_once_each_with_mail(world, django_capture_on_commit_callbacks):
    world.staff_a.email = "staff@example.com"
    world.staff_a.save()
    _upsert(world, due="2026-03-10")
    with cal.frozen_today(D("2026-03-01")):
        assert notify_run()["notifications"] == 0  # 9 days left: outside the 3-day window
    with cal.frozen_today(D("2026-03-07")), django_capture_on_commit_callbacks(execute=True):
        r = notify_run()
    # chair_a and staff_a are staff directly on union A; fed_admin sits on the federation.
    assert r == {"deadlines": 1, "notifications": 2}
    assert set(Notification.objects.values_list("user__username", "kind")) == {
        ("chair_a", "due_soon"),
        ("staff_a", "due_soon"),
    }
    assert Notification.objects.get(user=world.staff_a).text == "即将到期：测试事项（到期日 2026-03-10）"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff@example.com"]
    assert mail.outbox[0].subject == "【工会期限提醒】即将到期：测试事项（到期日 2026-03-10）"
    with cal.frozen_today(D("2026-03-08")):
        assert notify_run()["notifications"] == 0  # already told
    with cal.frozen_today(D("2026-03-11")):
        assert notify_run()["notifications"] == 2
    assert Notification.objects.get(user=world.staff_a, kind="overdue").text == (
        "已逾期：测试事项（到期日 2026-03-10）"
    )


def test_responsible_user_only_is_notified(world):
    _upsert(world, responsible=world.mediator_a)
    with cal.frozen_today(D("2026-03-10")):
        notify_run()
    assert list(Notification.objects.values_list("user__username", "text")) == [
        ("mediator_a", "即将到期：测试事项（到期日 2026-03-10）")
    ]


def test_done_deadline_not_notified(world):
    _upsert(world)
    deadline_done(source=("test.case", 7))
    with cal.frozen_today(D("2026-03-20")):
        assert notify_run()["notifications"] == 0


def test_notification_read(world):
    _upsert(world)
    with cal.frozen_today(D("2026-03-10")):
        notify_run()
    assert notification_read(user=world.staff_a) == 1
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # chair_a's


def test_calendar_day_save_rules(world):
    with pytest.raises(ValidationError) as e:
        calendar_day_save(actor=world.fed_admin, date=D("2030-01-07"), kind="workday", name="x")  # a Monday
    assert e.value.message_dict["date"] == ["调休上班日应为周六或周日；工作日本来就要上班。"]
    day = calendar_day_save(actor=world.fed_admin, date=D("2030-01-01"), kind="holiday", name="元旦")
    with pytest.raises(ValidationError) as e:
        calendar_day_save(actor=world.fed_admin, date=D("2030-01-01"), kind="holiday", name="重复")
    assert e.value.message_dict["date"] == ["该日期已登记，请直接修改原记录。"]
    calendar_day_save(actor=world.fed_admin, day=day, date=D("2030-01-02"), kind="holiday", name="元旦")
    assert CalendarDay.objects.get(pk=day.pk).date == D("2030-01-02")
    calendar_day_delete(actor=world.fed_admin, day=day)
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert AuditEvent.objects.filter(action__startswith="deadlines.calendar_day").count() == 3


def test_mine_page_scopes_and_counts_queries(world, client, django_assert_max_num_queries):
    for i in range(30):
        deadline_upsert(
            org=world.union_a, source=("t", i), title=f"甲事项{i}", due_on=D("2026-03-10"), url=""
        )
    deadline_upsert(org=world.union_b, source=("t", "b"), title="乙事项", due_on=D("2026-03-10"), url="")
    other = make_user("other_resp", Role.MEMBER, world.union_b)
    deadline_upsert(
        org=world.union_b,
        source=("t", "c"),
        title="乙个人事项",
        due_on=D("2026-03-10"),
        url="",
        responsible=world.member_a,
    )
    client.force_login(world.staff_a)
    with cal.frozen_today(D("2026-03-09")), django_assert_max_num_queries(12):
        body = client.get(reverse("deadlines:mine")).content.decode()
    assert "甲事项29" in body
    assert "乙事项" not in body
    assert "还剩 1 天" in body
    client.force_login(world.member_a)
    body = client.get(reverse("deadlines:mine")).content.decode()
    assert "乙个人事项" in body
    assert "甲事项1" not in body
    client.force_login(world.fed_admin)
    with cal.frozen_today(D("2026-03-12")):
        body = client.get(reverse("deadlines:mine") + "?state=overdue").content.decode()
    assert "乙事项" in body
    assert "甲事项0" in body
    assert "逾期 2 天" in body
    assert other.pk


def test_mine_counts_and_labels_follow_the_reminder_window(world, client, settings):
    settings.GONGHUI_DEADLINES = {"deadlines.reminder_window": (5, "calendar")}
    for i, due in enumerate(["2026-03-05", "2026-03-09", "2026-03-14", "2026-03-15", "2026-03-30"]):
        deadline_upsert(org=world.union_a, source=("t", i), title=f"事项{i}", due_on=D(due), url="")
    deadline_done(source=("t", 4))
    client.force_login(world.staff_a)
    with cal.frozen_today(D("2026-03-09")):
        response = client.get(reverse("deadlines:mine"))
        soon = client.get(reverse("deadlines:mine") + "?state=soon").content.decode()
    assert response.context["counts"] == {"open": 4, "overdue": 1, "soon": 2}
    body = response.content.decode()
    assert "5 日内到期" in body
    assert "到期前 5 日内和逾期时会收到通知" in body
    assert "3 日内到期" not in body
    assert ("事项1" in soon, "事项2" in soon, "事项3" in soon) == (True, True, False)


def test_calendar_day_entered_twice_at_once_is_refused_cleanly(world, monkeypatch):
    calendar_day_save(actor=world.fed_admin, date=D("2030-01-01"), kind="holiday", name="元旦")
    events = AuditEvent.objects.count()
    # The second admin's check ran before the first one's row was committed.
    monkeypatch.setattr(CalendarDay.objects, "filter", lambda **kw: CalendarDay.objects.none())
    with pytest.raises(ValidationError) as e:
        calendar_day_save(actor=world.fed_admin, date=D("2030-01-01"), kind="holiday", name="重复")
    monkeypatch.undo()
    assert e.value.message_dict == {"date": ["该日期已登记，请直接修改原记录。"]}
    assert list(CalendarDay.objects.filter(date=D("2030-01-01")).values_list("name", flat=True)) == ["元旦"]
    assert AuditEvent.objects.count() == events


def test_api_mine_reads_only_the_requested_page(world, client, django_assert_max_num_queries):
    for i in range(30):
        deadline_upsert(org=world.union_a, source=("t", i), title=f"事项{i}", due_on=D("2026-03-10"), url="")
    client.force_login(world.staff_a)
    with cal.frozen_today(D("2026-03-07")), django_assert_max_num_queries(8) as queries:
        data = client.get("/api/v1/deadlines/mine?limit=5&offset=25").json()
    assert data["count"] == 30
    assert [d["title"] for d in data["items"]] == [f"事项{i}" for i in range(25, 30)]
    assert {d["days_left"] for d in data["items"]} == {3}
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "deadlines_deadline"' in q["sql"]]
    assert len(reads) == 2  # COUNT(*) and the one page
    assert "LIMIT 5 OFFSET 25" in reads[1]


def test_calendar_link_only_for_those_who_may_open_it(client, world):
    link = reverse("deadlines:calendar")
    client.force_login(world.member_a)
    assert link not in client.get(reverse("deadlines:mine")).content.decode()
    client.force_login(world.staff_a)
    assert link in client.get(reverse("deadlines:mine")).content.decode()


def test_a_modules_deadlines_only_for_those_who_handle_it(world, client):
    # A request's title is the worker's own words: finance, mediators and the secretariat may not
    # open requests, so they do not see their deadlines either; mediation's are the mediators'.
    for source, title in (
        (("appeals.appeal", 1), "劳动合同到期是否续签"),
        (("mediation.case", 2), "加班费争议"),
        (("test.case", 3), "其他期限"),
    ):
        deadline_upsert(org=world.union_a, source=source, title=title, due_on=D("2026-03-10"))
    for user, titles in (
        (world.staff_a, ["劳动合同到期是否续签", "加班费争议", "其他期限"]),
        (world.fed_admin, ["劳动合同到期是否续签", "加班费争议", "其他期限"]),
        (world.finance_a, ["其他期限"]),
        (world.secretariat_a, ["其他期限"]),
        (world.mediator_a, ["加班费争议", "其他期限"]),
        (world.staff_b, []),
    ):
        client.force_login(user)
        got = [d["title"] for d in client.get("/api/v1/deadlines/mine?limit=50").json()["items"]]
        assert sorted(got) == sorted(titles), user.username


def test_a_notice_that_is_no_deadline_is_mailed_as_a_notice(world, django_capture_on_commit_callbacks):
    from deadlines.services import notify_user

    world.member_a.email = "member@example.com"
    world.member_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            notify_user(user=world.member_a, org=world.union_a, text="您申请更正的“岗位”已按申请更正。") == 1
        )
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["member@example.com"], "【工会通知】您申请更正的“岗位”已按申请更正。")
    ]
