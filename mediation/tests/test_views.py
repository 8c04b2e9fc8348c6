import datetime as dt

from django.urls import reverse

from deadlines import calendar
from mediation import services
from mediation.tests.helpers import make_case

D = dt.date.fromisoformat


def test_countdown_and_overdue_on_day_16(world, client):
    case = make_case(world, received_on=D("2026-02-13"))
    client.force_login(world.mediator_a)
    url = reverse("mediation:case_detail", args=[case.pk])
    with calendar.frozen_today(D("2026-02-28")):
        body = client.get(url).content.decode()
    assert "还剩 <strong>0</strong> 天（今天是收到申请后第 15 天）" in body
    with calendar.frozen_today(D("2026-03-01")):
        body = client.get(url).content.decode()
        listing = client.get(reverse("mediation:home")).content.decode()
    assert "15 日调解期限已于 <strong>2026-02-28</strong> 届满，已超过 1 天" in body
    assert "已超过 15 日调解期限 1 天" in listing


def test_list_query_count(world, client, django_assert_max_num_queries):
    for _ in range(25):
        make_case(world)
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(10):
        r = client.get(reverse("mediation:home"))
    assert r.content.decode().count("张三") == 25


def test_new_case_form_shows_service_errors(world, client):
    client.force_login(world.staff_a)
    r = client.post(
        reverse("mediation:case_new"),
        {
            "org": world.union_a.pk,
            "cause": "wages",
            "application_form": "written",
            "received_on": "2026-02-13",
            "dispute_arose_on": "2026-02-01",
            "worker_name": "张三",
            "employer_name": "张三",
            "summary": "欠薪",
            "claim_item": "工资",
            "claim_amount": "-100",
        },
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "当事人重复：张三" in body
    assert "请求金额不能为负数。" in body


def test_agreement_print_and_stats(world, client):
    case = make_case(world)
    make_case(world, cause="injury")
    with calendar.frozen_today(D("2026-02-20")):
        services.case_agree(
            actor=world.staff_a,
            case=case,
            closed_on=D("2026-02-20"),
            agreement_terms="甲公司支付工资 6800 元",
            performance_due_on=D("2026-02-27"),
            performance_method="银行转账",
        )
    client.force_login(world.staff_a)
    body = client.get(reverse("mediation:agreement_print", args=[case.pk])).content.decode()
    for text in [
        "调解协议书",
        "申请人（职工）",
        "张三",
        "被申请人（用人单位）",
        "甲公司支付工资 6800 元",
        "2026年2月27日",
        "银行转账",
        "调解员（签名）",
        "盖章",
    ]:
        assert text in body
    stats = client.get(reverse("mediation:stats")).context["stats"]
    assert stats["total"] == 2
    assert stats["success_rate"] == 100
    wages = next(r for r in stats["rows"] if r["cause"] == "wages")
    assert wages["cells"] == [0, 1, 0, 0]
    client.force_login(world.fed_admin)
    assert client.get(reverse("mediation:stats")).context["stats"]["total"] == 2


def test_search_and_htmx_partial(world, client):
    make_case(world)
    make_case(world, parties=[{"side": "worker", "name": "李四"}, {"side": "employer", "name": "甲公司"}])
    client.force_login(world.staff_a)
    body = client.get(reverse("mediation:home") + "?q=李四").content.decode()
    assert "李四" in body
    assert "张三" not in body
    r = client.get(
        reverse("mediation:home") + "?q=2026-001", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-list"
    )
    body = r.content.decode()
    assert "<html" not in body
    assert "张三" in body
    assert "李四" not in body


def test_api_case_list_reads_only_the_requested_page(world, client, django_assert_max_num_queries):
    cases = [make_case(world) for _ in range(25)]
    make_case(world, org=world.union_b, actor=world.staff_b)
    client.force_login(world.mediator_a)
    with calendar.frozen_today(D("2026-02-20")), django_assert_max_num_queries(8) as queries:
        data = client.get("/api/v1/mediation/cases?limit=10&offset=20").json()
    case_reads = [q["sql"] for q in queries.captured_queries if 'FROM "mediation_case"' in q["sql"]]
    assert len(case_reads) == 2  # COUNT(*) and the one page
    assert "LIMIT 10 OFFSET 20" in case_reads[1]
    assert not [q for q in queries.captured_queries if "mediation_party" in q["sql"]]
    assert data["count"] == 25
    assert [c["id"] for c in data["items"]] == [c.pk for c in reversed(cases)][20:]
    assert {c["days_left"] for c in data["items"]} == {8}
    assert data["items"][0]["due_on"] == "2026-02-28"


def test_committee_page_lists_chair_then_vice_chairs_then_members(
    world, client, django_assert_max_num_queries
):
    c = services.committee_create(actor=world.chair_a, org=world.union_a, name="甲公司劳动争议调解委员会")
    for name, side, position in [
        ("委员甲", "employer", "member"),
        ("副主任乙", "employer", "vice_chair"),
        ("委员丙", "worker", "member"),
        ("主任丁", "worker", "chair"),
    ]:
        services.committee_member_add(
            actor=world.chair_a,
            committee=c,
            name=name,
            side=side,
            position=position,
            is_union_member=side == "worker",
        )
    client.force_login(world.mediator_a)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("mediation:committee")).content.decode()
    order = [body.index(n) for n in ("主任丁", "副主任乙", "委员丙", "委员甲")]
    assert order == sorted(order)


def test_a_form_error_names_its_field(world, client):
    case = make_case(world)
    client.force_login(world.staff_a)
    r = client.post(
        reverse("mediation:session_add", args=[case.pk]),
        {"held_on": "2026-02-14", "mediators": "   ", "notes": "   "},
        follow=True,
    )
    body = r.content.decode()
    assert "调解员：此项必填。" in body and "调解记录：此项必填。" in body
    assert not case.sessions.exists()


def test_a_dispute_older_than_the_arbitration_limit_is_flagged(world, client):
    old = make_case(world, dispute_arose_on=dt.date(2020, 1, 1))
    fresh = make_case(world)
    client.force_login(world.staff_a)
    body = client.get(reverse("mediation:case_detail", args=[old.pk])).content.decode()
    assert "争议发生已超过一年：按争议发生之日计算，仲裁时效已于 2021-01-01 届满。" in body
    body = client.get(reverse("mediation:case_detail", args=[fresh.pk])).content.decode()
    assert "争议发生已超过一年" not in body
