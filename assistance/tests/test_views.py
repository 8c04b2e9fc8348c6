from datetime import date

from django.test import Client
from django.urls import reverse

from assistance.models import Household
from audit.models import AuditEvent
from deadlines.calendar import frozen_today

from .factories import id_number, make_household


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_detail_masks_sensitive_fields(world):
    h = make_household(world, "visited")
    body = client_for(world.staff_a).get(reverse("assistance:detail", args=[h.pk])).content.decode()
    assert h.id_masked in body
    assert id_number() not in body
    assert "6222020200112233445" not in body and "**** 3445" in body
    assert "慢性肾病" not in body
    assert "深度困难" in body
    assert reverse("assistance:reveal", args=[h.pk, "bank_account"]) in body
    # finance sees the masked file but no reveal buttons
    body = client_for(world.finance_a).get(reverse("assistance:detail", args=[h.pk])).content.decode()
    assert reverse("assistance:reveal", args=[h.pk, "bank_account"]) not in body
    assert "6222020200112233445" not in body


def test_reveal_is_audited(world):
    h = make_household(world)
    r = client_for(world.chair_a).post(
        reverse("assistance:reveal", args=[h.pk, "bank_account"]), HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200
    assert "6222020200112233445" in r.content.decode()
    ev = AuditEvent.objects.get(action="sensitive.reveal")
    assert ev.actor == world.chair_a and ev.details == {
        "field": "assistance.household.bank_account",
        "label": "银行账号",
    }
    assert (
        client_for(world.chair_a).post(reverse("assistance:reveal", args=[h.pk, "nope"])).status_code == 404
    )
    m = h.members.get(name="李秀英")
    r = client_for(world.staff_a).post(reverse("assistance:member_reveal", args=[m.pk]))
    assert "6000.00" in r.content.decode()
    assert AuditEvent.objects.filter(action="sensitive.reveal").count() == 2


def test_apply_through_the_form(world):
    from .factories import standard

    standard(world)
    c = client_for(world.staff_a)
    with frozen_today(date(2026, 3, 2)):
        r = c.post(
            reverse("assistance:create"),
            {
                "org": world.union_a.pk,
                "head_name": "刘芳",
                "id_number": id_number("11010519800101005"),
                "employer": "甲公司",
                "applied_on": "2026-03-02",
                "annual_income": "6000",
                "main_cause": "illness",
            },
        )
    h = Household.objects.get(head_name="刘芳")
    assert r.status_code == 302 and r["Location"] == reverse("assistance:detail", args=[h.pk])
    assert h.category == "deep"
    r = c.post(
        reverse("assistance:create"),
        {
            "org": world.union_a.pk,
            "head_name": "刘芳",
            "id_number": id_number("11010519800101005"),
            "employer": "甲公司",
            "applied_on": "2026-03-02",
            "annual_income": "-1",
            "main_cause": "illness",
        },
    )
    assert r.status_code == 200
    assert "金额不能为负数。" in r.content.decode()
    assert Household.objects.count() == 1


def test_list_query_count(world, django_assert_max_num_queries):
    for i in range(5):
        make_household(world, body17=f"1101051980010102{i}")
    c = client_for(world.staff_a)
    c.get(reverse("assistance:home"))
    with django_assert_max_num_queries(10):
        r = c.get(reverse("assistance:home"))
    assert r.content.decode().count("王建国") == 5


def test_notice_page_shows_only_consented_fields(world):
    make_household(world, "noticed")
    with frozen_today(date(2026, 3, 12)):
        body = client_for(world.member_a).get(reverse("assistance:notice")).content.decode()
    assert "王**" in body and "王建国" not in body
    assert "深度困难" in body and "3000.00" in body
    assert "甲公司</td>" not in body
    assert id_number() not in body and "110105" not in body and "3445" not in body and "慢性" not in body


def test_funds_page_totals(world, django_assert_max_num_queries):
    make_household(world, "archived")
    c = client_for(world.finance_a)
    c.get(reverse("assistance:funds"))
    with django_assert_max_num_queries(10):
        r = c.get(reverse("assistance:funds"))
    assert r.status_code == 200


def test_detail_query_count(world, django_assert_max_num_queries):
    h = make_household(world, "archived")
    c = client_for(world.staff_a)
    c.get(reverse("assistance:detail", args=[h.pk]))
    with django_assert_max_num_queries(20):
        assert c.get(reverse("assistance:detail", args=[h.pk])).status_code == 200


def test_member_add_reports_the_new_category(world):
    h = make_household(world)  # deep hardship: 500.00 per person per month against 1 000
    c = client_for(world.staff_a)
    with frozen_today(date(2026, 3, 3)):
        r = c.post(
            reverse("assistance:member_add", args=[h.pk]),
            {"name": "王大伯", "relation": "parent", "annual_income": "60000"},
            follow=True,
        )
    assert [str(m) for m in r.context["messages"]] == ["已保存。当前认定为：相对困难。"]
    h.refresh_from_db()
    assert (h.category, h.members.count()) == ("relative", 4)
