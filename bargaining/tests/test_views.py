from django.test import Client
from django.urls import reverse

from .factories import make_consultation


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_detail_shows_dates_and_next_step(world):
    c = make_consultation(world, "filed")
    body = client_for(world.staff_a).get(reverse("bargaining:detail", args=[c.pk])).content.decode()
    assert "2026-04-07" in body and "2026-04-20" in body and "2026-04-18" not in body
    assert "（第15日遇节假日，顺延至节后第一个工作日）" in body
    assert reverse("bargaining:take_effect", args=[c.pk]) in body
    # the secretariat may read but not act
    body = client_for(world.secretariat_a).get(reverse("bargaining:detail", args=[c.pk])).content.decode()
    assert reverse("bargaining:take_effect", args=[c.pk]) not in body


def test_diff_page_marks_insertions_and_deletions(world):
    c = make_consultation(world, "draft")
    r = client_for(world.staff_a).get(reverse("bargaining:diff", args=[c.pk]) + "?a=1&b=2")
    body = r.content.decode()
    assert "<del>2</del>" in body and "<ins>3</ins>" in body
    assert "<ins>第四条 女职工享受特殊劳动保护。</ins>" in body
    body = (
        client_for(world.staff_a)
        .get(reverse("bargaining:diff", args=[c.pk]) + "?a=1&b=2&mode=inline")
        .content.decode()
    )
    assert "diff-inline" in body and "<ins>3</ins>" in body
    assert (
        client_for(world.staff_a).get(reverse("bargaining:diff", args=[c.pk]) + "?a=1&b=9").status_code == 404
    )


def test_print_shows_contract_text_and_signatories(world):
    c = make_consultation(world, "in_effect")
    body = client_for(world.staff_a).get(reverse("bargaining:print", args=[c.pk])).content.decode()
    assert "第四条 女职工享受特殊劳动保护。" in body
    assert "赵总" in body and "张主席" in body and "2026年4月20日" in body


def test_term_out_of_range_through_the_form_saves_nothing(world):
    c = make_consultation(world, "approved")
    r = client_for(world.staff_a).post(
        reverse("bargaining:sign", args=[c.pk]),
        {"signed_on": "2026-03-27", "term_start": "2026-04-01", "term_years": 5},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "approved" and c.term_years is None


def test_list_query_count(world, django_assert_max_num_queries):
    for _ in range(5):
        make_consultation(world, "negotiating")
    c = client_for(world.staff_a)
    c.get(reverse("bargaining:home"))
    with django_assert_max_num_queries(10):
        r = c.get(reverse("bargaining:home"))
    assert r.content.decode().count("2026年甲公司工资专项集体合同") == 5


def test_covered_union_reads_regional_contract_but_cannot_act(world):
    from datetime import date

    from bargaining import services
    from deadlines.calendar import frozen_today

    with frozen_today(date(2026, 3, 2)):
        c = services.consultation_request(
            actor=world.fed_admin,
            org=world.fed,
            title="街道区域性工资集体合同",
            employer_name="街道企业联合会",
            requested_on=date(2026, 3, 2),
            level="regional",
            covered_orgs=[world.union_a, world.union_b],
        )
    staff_b = client_for(world.staff_b)
    r = staff_b.get(reverse("bargaining:detail", args=[c.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert reverse("bargaining:answer", args=[c.pk]) not in body
    assert "本协商由测试街道总工会办理" in body
    assert "协商代表不少于" not in body  # team warnings are for the organization that can act on them
    assert (
        staff_b.post(reverse("bargaining:answer", args=[c.pk]), {"answered_on": "2026-03-10"}).status_code
        == 404
    )
    c.refresh_from_db()
    assert c.status == "requested"
    assert (
        client_for(world.fed_admin)
        .post(reverse("bargaining:answer", args=[c.pk]), {"answered_on": "2026-03-10"})
        .status_code
        == 302
    )
    c.refresh_from_db()
    assert c.status == "negotiating"


def test_detail_offers_congress_polls_when_present(world):
    from .factories import make_poll

    c = make_consultation(world, "draft")
    body = client_for(world.staff_a).get(reverse("bargaining:detail", args=[c.pk])).content.decode()
    assert "采用该表决结果" not in body
    make_poll(world)
    body = client_for(world.staff_a).get(reverse("bargaining:detail", args=[c.pk])).content.decode()
    assert "采用该表决结果" in body and "审议《工资专项集体合同（草案）》" in body


def test_detail_query_count(world, django_assert_max_num_queries):
    c = make_consultation(world, "in_effect")
    client = client_for(world.staff_a)
    client.get(reverse("bargaining:detail", args=[c.pk]))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("bargaining:detail", args=[c.pk])).status_code == 200
