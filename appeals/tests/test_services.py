import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from appeals import services
from appeals.models import Appeal, AppealEvent
from appeals.tests.helpers import SUBMIT_DAY, submit
from audit.models import AuditEvent
from core.testing.world import make_user
from deadlines import calendar
from deadlines.models import Deadline
from deadlines.services import notify_run

D = dt.date.fromisoformat


def test_submit_routes_to_the_members_union_with_7_working_days(world):
    a = submit(world)
    assert a.org == world.union_a
    assert a.origin_org == world.union_a
    assert a.submitted_on == SUBMIT_DAY
    assert a.due_on == D("2026-03-11")  # 7 working days after Monday 2026-03-02
    assert a.status == "submitted"
    dl = Deadline.objects.get(source_type="appeals.appeal")
    assert (dl.org, dl.due_on, dl.responsible) == (world.union_a, D("2026-03-11"), None)


def test_submit_over_holidays(world):
    a = submit(world, on=D("2026-09-30"))
    assert a.due_on == D("2026-10-15")


def test_branch_member_goes_to_the_union(world):
    from accounts.models import Role

    u = make_user("branch_member", Role.MEMBER, world.branch_a)
    assert submit(world, user=u).org == world.union_a


def test_submit_errors_save_nothing(world):
    nobody = make_user("nobody")
    with pytest.raises(ValidationError) as e:
        submit(world, user=nobody)
    assert e.value.message_dict["__all__"] == ["您尚未登记在任何工会，暂时无法提交诉求。请联系所在单位工会。"]
    with pytest.raises(ValidationError) as e:
        submit(world, category="nope", title=" ", content="短")
    assert set(e.value.message_dict) == {"category", "title", "content"}
    assert Appeal.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="appeals.").count() == 0


def test_anonymous_submission_leaves_no_trace_of_the_submitter(world):
    from audit.context import current_ip

    token = current_ip.set("10.1.2.3")
    try:
        a = submit(world, anonymous=True)
    finally:
        current_ip.reset(token)
    ev = AuditEvent.objects.get(action="appeals.appeal_submit")
    assert ev.actor is None
    assert ev.ip is None
    assert "甲会员" not in repr(ev.details) + ev.target_label + ev.actor_label
    assert AppealEvent.objects.get(appeal=a).actor is None
    assert AuditEvent.objects.get(action="deadlines.deadline_upsert").actor is None


def test_named_submission_is_attributed(world):
    submit(world, anonymous=False)
    assert AuditEvent.objects.get(action="appeals.appeal_submit").actor == world.member_a


def test_accept_reply_by_rules(world):
    a = submit(world)
    with calendar.frozen_today(D("2026-03-03")):
        with pytest.raises(ValidationError) as e:
            services.appeal_accept(actor=world.staff_a, appeal=a, reply_by=D("2026-03-07"))  # Saturday
        assert e.value.message_dict["reply_by"] == [
            "2026-03-07 是法定节假日或休息日，请选择工作日（如 2026-03-09）。"
        ]
        with pytest.raises(ValidationError) as e:
            services.appeal_accept(actor=world.staff_a, appeal=a, reply_by=D("2026-03-20"))
        assert e.value.message_dict["reply_by"] == ["承诺答复日期不能晚于答复期限 2026-03-11。"]
        with pytest.raises(ValidationError) as e:
            services.appeal_accept(actor=world.staff_a, appeal=a, reply_by=D("2026-03-02"))
        assert e.value.message_dict["reply_by"] == ["承诺答复日期不能早于今天。"]
        assert Appeal.objects.get(pk=a.pk).status == "submitted"
        services.appeal_accept(actor=world.staff_a, appeal=a, reply_by=D("2026-03-09"))
    a.refresh_from_db()
    assert (a.status, a.due_on) == ("accepted", D("2026-03-09"))
    assert Deadline.objects.get().due_on == D("2026-03-09")
    with pytest.raises(ValidationError) as e:
        services.appeal_accept(actor=world.staff_a, appeal=a)
    assert e.value.messages == ["该诉求当前状态为“处理中”，不能受理。"]


def test_answer_and_rate_close_the_request(world):
    a = submit(world)
    with pytest.raises(ValidationError):
        services.appeal_rate(actor=world.member_a, appeal=a, satisfaction="satisfied")
    services.appeal_answer(actor=world.staff_a, appeal=a, answer="已协调补发")
    assert Deadline.objects.get().done_at is not None
    with pytest.raises(PermissionDenied):
        services.appeal_rate(actor=world.staff_a, appeal=a, satisfaction="satisfied")
    with pytest.raises(ValidationError):
        services.appeal_rate(actor=world.member_a, appeal=a, satisfaction="great")
    services.appeal_rate(actor=world.member_a, appeal=a, satisfaction="basic", comment="希望尽快")
    a.refresh_from_db()
    assert (a.status, a.satisfaction) == ("closed", "basic")
    assert AuditEvent.objects.get(action="appeals.appeal_rate").actor is None


def test_escalation_moves_overdue_request_to_the_federation(world):
    a = submit(world)
    with calendar.frozen_today(D("2026-03-11")):
        assert services.appeal_escalate_overdue() == {"escalated": 0, "at_top": 0}
    with calendar.frozen_today(D("2026-03-12")):
        assert services.appeal_escalate_overdue() == {"escalated": 1, "at_top": 0}
        assert services.appeal_escalate_overdue() == {"escalated": 0, "at_top": 0}  # fresh period
    a.refresh_from_db()
    assert a.org == world.fed
    assert a.origin_org == world.union_a
    assert a.escalation_level == 1
    assert a.due_on == D("2026-03-23")  # 7 working days after 2026-03-12
    ev = AppealEvent.objects.get(appeal=a, kind="escalated")
    assert (ev.from_org, ev.to_org) == (world.union_a, world.fed)
    assert ev.note == "甲公司工会 逾期 1 天未答复，自动转交上级工会。"
    dl = Deadline.objects.get()
    assert (dl.org, dl.due_on) == (world.fed, D("2026-03-23"))
    with calendar.frozen_today(D("2026-03-24")):
        assert services.appeal_escalate_overdue() == {"escalated": 0, "at_top": 1}
    # The federation's staff are told about it.
    with calendar.frozen_today(D("2026-03-24")):
        notify_run()
    assert world.fed_admin.notifications.get().kind == "overdue"


def test_staff_pages_api_export_and_audit_never_show_anonymous_submitter(world, client):
    a = submit(world, anonymous=True)
    with calendar.frozen_today(D("2026-03-12")):
        services.appeal_escalate_overdue()
    secrets = ["甲会员", "member_a"]
    client.force_login(world.fed_admin)
    responses = [
        client.get(reverse("appeals:home") + "?status="),
        client.get(reverse("appeals:detail", args=[a.pk])),
        client.get(reverse("appeals:export")),
        client.get("/api/v1/appeals/"),
        client.get(f"/api/v1/appeals/{a.pk}"),
        client.get(reverse("audit:list")),
        client.get(reverse("deadlines:mine")),
    ]
    for r in responses:
        assert r.status_code == 200, r.request["PATH_INFO"]
        body = r.content.decode("utf-8-sig")
        if r["Content-Type"].startswith("application/json"):
            body = json.dumps(r.json(), ensure_ascii=False)
        assert "三月份加班费未发放" in body or r.request["PATH_INFO"] == reverse("audit:list")
        for s in secrets:
            assert not re.search(rf"(?<![\w.]){s}(?!\w)", body), (r.request["PATH_INFO"], s)
    assert client.get(f"/api/v1/appeals/{a.pk}").json()["submitter"] == "匿名职工"
    assert "submitter_id" not in client.get("/api/v1/appeals/").json()["items"][0]
    # The submitter still sees their own request.
    client.force_login(world.member_a)
    body = client.get(reverse("appeals:my_detail", args=[a.pk])).content.decode()
    assert "三月份加班费未发放" in body
    assert "测试街道总工会" in body


def test_named_submitter_shown_to_staff(world, client):
    submit(world, anonymous=False)
    client.force_login(world.staff_a)
    assert "甲会员" in client.get(reverse("appeals:home")).content.decode()


def test_staff_list_query_count(world, client, django_assert_max_num_queries):
    for i in range(20):
        submit(world, anonymous=i % 2 == 0)
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(10):
        r = client.get(reverse("appeals:home"))
    assert r.content.decode().count("匿名职工") == 10


def test_export_neutralizes_formulas(world, client):
    submit(world, anonymous=False, title='=HYPERLINK("http://x")')
    client.force_login(world.staff_a)
    body = client.get(reverse("appeals:export")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "甲会员" in body  # a named request shows its sender to the union


def test_detail_and_own_pages_query_count(world, client, django_assert_max_num_queries):
    appeals = [submit(world, anonymous=i % 2 == 0) for i in range(12)]
    with calendar.frozen_today(D("2026-03-03")):
        for a in appeals[:2]:
            services.appeal_accept(actor=world.staff_a, appeal=a)
            services.appeal_answer(actor=world.staff_a, appeal=a, answer="已与公司沟通，本月补发。")
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("appeals:detail", args=[appeals[1].pk])).content.decode()
    assert "<strong>受理</strong> · 甲干事" in body
    assert "<strong>答复</strong> · 甲干事" in body
    client.force_login(world.member_a)
    with django_assert_max_num_queries(8):
        body = client.get(reverse("appeals:mine")).content.decode()
    assert body.count("三月份加班费未发放") == 12
    with django_assert_max_num_queries(8):
        body = client.get(reverse("appeals:my_detail", args=[appeals[0].pk])).content.decode()
    assert "已与公司沟通，本月补发。" in body


def test_api_list_reads_and_labels_only_the_requested_page(world, client, django_assert_max_num_queries):
    appeals = [submit(world, anonymous=i % 2 == 0) for i in range(30)]
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(9) as queries:
        data = client.get("/api/v1/appeals/?status=&limit=4&offset=26").json()
    assert data["count"] == 30
    expected = [a.pk for a in sorted(appeals, key=lambda a: -a.pk)][26:]
    assert [a["id"] for a in data["items"]] == expected
    assert [a["submitter"] for a in data["items"]] == [
        "匿名职工" if a.anonymous else "甲会员" for a in sorted(appeals, key=lambda a: -a.pk)[26:]
    ]
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "appeals_appeal"' in q["sql"]]
    assert len(reads) == 2  # the one page and COUNT(*)
    assert sum("LIMIT 4 OFFSET 26" in sql for sql in reads) == 1


def test_export_follows_the_list_filters(world, client):
    submit(world, category="wages", title="加班费未发")
    submit(world, category="safety", title="防护罩损坏")
    client.force_login(world.staff_a)
    page = client.get(reverse("appeals:home") + "?status=open&category=safety").content.decode()
    assert reverse("appeals:export") + "?status=open&amp;category=safety" in page
    body = client.get(reverse("appeals:export") + "?status=open&category=safety").content.decode("utf-8-sig")
    assert ("防护罩损坏" in body, "加班费未发" in body) == (True, False)


def test_the_same_form_posted_twice_makes_one_request(world, client):
    from django.urls import reverse

    from appeals.models import Appeal

    client.force_login(world.member_a)
    page = client.get(reverse("appeals:submit")).content.decode()
    once = page.split('name="once" value="')[1].split('"')[0]
    data = {
        "category": "wages",
        "title": "加班费未发放",
        "content": "车间三月份加班费至今未发放。",
        "once": once,
    }
    first = client.post(reverse("appeals:submit"), data)
    again = client.post(reverse("appeals:submit"), data, follow=True)
    assert Appeal.objects.count() == 1
    assert again.redirect_chain[0][0] == first["Location"]
    assert "这份诉求已经提交过，没有重复提交。" in again.content.decode()
    # a new page gives a new form: a second, deliberate request goes through
    page = client.get(reverse("appeals:submit")).content.decode()
    data["once"] = page.split('name="once" value="')[1].split('"')[0]
    client.post(reverse("appeals:submit"), data)
    assert Appeal.objects.count() == 2
