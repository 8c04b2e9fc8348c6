import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from assistance.models import Fund, Household, Payment, PaymentReversal, Status
from audit.models import AuditEvent
from deadlines.calendar import frozen_today

from .factories import id_number, make_household, make_payment


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


# ---------------------------------------------------------------- reversals (冲销)


@pytest.fixture
def two_payments(world):
    h = make_household(world, Status.ARCHIVED)
    fund = Fund.objects.create(org=world.fed, name="街道帮扶资金")
    first = make_payment(world, h, fund, "1500")
    second = make_payment(world, h, fund, "800", kind="medical", paid_on=date(2026, 4, 8))
    return h, first, second


def _reverse(client, payment, **data):
    with frozen_today(date(2026, 4, 10)):
        return client.post(reverse("assistance:payment_reverse", args=[payment.pk]), data, follow=True)


def test_finance_reverses_a_payment_on_the_household_page(world, two_payments):
    h, first, second = two_payments
    c = client_for(world.finance_a)
    with frozen_today(date(2026, 4, 10)):
        body = c.get(reverse("assistance:detail", args=[h.pk])).content.decode()
    assert '<strong id="paid-total" class="mono">2300.00</strong>' in body
    for p in (first, second):
        assert reverse("assistance:payment_reverse", args=[p.pk]) in body
    assert 'name="reversed_on" value="2026-04-10" min="2026-04-01" max="2026-04-10"' in body

    r = _reverse(c, first, reason="重复登记，银行未实际发放", reversed_on="2026-04-09")
    assert r.redirect_chain == [(reverse("assistance:detail", args=[h.pk]) + "#payments", 302)]
    assert [str(m) for m in r.context["messages"]] == [
        "已冲销2026-04-01发放的1500.00元。该户发放合计现为800.00元。"
    ]
    rev = PaymentReversal.objects.get()
    assert (rev.payment, rev.reversed_on, rev.reason, rev.reversed_by) == (
        first,
        date(2026, 4, 9),
        "重复登记，银行未实际发放",
        world.finance_a,
    )
    body = r.content.decode()
    assert '<strong id="paid-total" class="mono">800.00</strong>' in body
    assert "（1笔，不含已冲销）" in body
    # Newest first: the reversed payment of 04-01 is the last row, followed by its reversal line.
    start = body.index(f'<tr id="payment-{first.pk}">')
    row = body[start : body.index("</tbody>", start)]
    assert '<td class="num mono void">1500.00</td>' in row
    assert '<span class="badge badge-danger">已冲销</span>' in row
    assert "冲销 −1500.00 元 · 经办人：finance_a · 原因：重复登记，银行未实际发放" in row
    # The reversed payment has no 冲销 form any more; the other one keeps its own.
    assert reverse("assistance:payment_reverse", args=[first.pk]) not in body
    assert reverse("assistance:payment_reverse", args=[second.pk]) in body


def test_reversal_page_refusals_change_nothing(world, two_payments):
    h, first, _second = two_payments
    c = client_for(world.finance_a)
    page = reverse("assistance:detail", args=[h.pk])
    r = _reverse(c, first, reason="  ", reversed_on="2026-04-09")
    assert [str(m) for m in r.context["messages"]] == ["请填写冲销原因。"]
    assert r.redirect_chain == [(f"{page}#reverse-{first.pk}", 302)]  # back to the open form
    r = _reverse(c, first, reason="录错", reversed_on="2026-03-31")
    assert [str(m) for m in r.context["messages"]] == ["冲销日期不能早于发放日期2026-04-01。"]
    r = _reverse(c, first, reason="录错", reversed_on="2026-04-11")
    assert [str(m) for m in r.context["messages"]] == ["冲销日期不能晚于今天。"]
    r = _reverse(c, first, reason="录错", reversed_on="")
    assert [str(m) for m in r.context["messages"]] == ["冲销日期：此项必填。"]
    assert r.redirect_chain == [(f"{page}#reverse-{first.pk}", 302)]
    assert PaymentReversal.objects.count() == 0
    assert '<strong id="paid-total" class="mono">2300.00</strong>' in r.content.decode()
    _reverse(c, first, reason="录错", reversed_on="2026-04-09")
    r = _reverse(client_for(world.chair_a), first, reason="再冲一次", reversed_on="2026-04-10")
    assert [str(m) for m in r.context["messages"]] == ["这笔发放已于2026-04-09冲销，不能重复冲销。"]
    assert r.redirect_chain == [(f"{page}#payments", 302)]  # its form is gone: the history shows why
    assert PaymentReversal.objects.get().reason == "录错"


def test_funds_page_leaves_reversed_payments_out_of_the_totals(
    world, two_payments, django_assert_max_num_queries
):
    _h, first, _second = two_payments
    with frozen_today(date(2026, 4, 9)):
        from assistance import services

        services.payment_reverse(actor=world.finance_a, payment=first, reason="重复登记")
    c = client_for(world.finance_a)
    c.get(reverse("assistance:funds"))
    with django_assert_max_num_queries(10):
        body = c.get(reverse("assistance:funds")).content.decode()
    totals = body[body.index('id="fund-totals"') : body.index("</table>", body.index('id="fund-totals"'))]
    assert "<td>1</td><td>800.00</td>" in totals and "1500.00" not in totals and "2300.00" not in totals
    assert '<td class="num mono void">1500.00</td>' in body
    assert "2026-04-09：重复登记" in body


def test_detail_query_count_with_reversed_payments(world, two_payments, django_assert_max_num_queries):
    h, first, second = two_payments
    from assistance import services

    with frozen_today(date(2026, 4, 9)):
        services.payment_reverse(actor=world.finance_a, payment=first, reason="录错")
        services.payment_reverse(actor=world.finance_a, payment=second, reason="录错")
    fund = Fund.objects.get()
    for i in range(4):
        make_payment(world, h, fund, str(100 + i))
    c = client_for(world.finance_a)
    c.get(reverse("assistance:detail", args=[h.pk]))
    with django_assert_max_num_queries(20):
        body = c.get(reverse("assistance:detail", args=[h.pk])).content.decode()
    assert body.count('<span class="badge badge-danger">已冲销</span>') == 2
    assert '<strong id="paid-total" class="mono">406.00</strong>' in body


def _api(user):
    c = client_for(user)

    def post(url, data):
        with frozen_today(date(2026, 4, 10)):
            return c.post(url, json.dumps(data), content_type="application/json")

    return c, post


def test_api_reverses_and_shows_reversals(world, two_payments):
    h, first, second = two_payments
    c, post = _api(world.finance_a)
    url = f"/api/v1/assistance/payments/{first.pk}/reversal"
    r = post(url, {"reason": " "})
    assert (r.status_code, r.json()) == (422, {"detail": {"reason": ["请填写冲销原因。"]}})
    r = post(url, {"reason": "录错", "reversed_on": "2026-04-11"})
    assert (r.status_code, r.json()) == (422, {"detail": {"reversed_on": ["冲销日期不能晚于今天。"]}})
    assert PaymentReversal.objects.count() == 0

    r = post(url, {"reason": "重复登记"})
    assert r.status_code == 201
    assert r.json() == {
        "reversed_on": "2026-04-10",
        "reason": "重复登记",
        "reversed_by_id": world.finance_a.pk,
        "payment_id": first.pk,
        "household_id": h.pk,
        "amount": "1500.00",
        "paid_total": "800.00",
    }
    r = post(url, {"reason": "再冲"})
    assert (r.status_code, r.json()) == (
        409,
        {"detail": "这笔发放已于2026-04-10冲销，不能重复冲销。", "code": "already_reversed"},
    )
    assert PaymentReversal.objects.count() == 1

    detail = c.get(f"/api/v1/assistance/households/{h.pk}").json()
    assert detail["paid_total"] == "800.00"
    assert [(p["id"], p["amount"], p["reversal"]) for p in detail["payments"]] == [
        (second.pk, "800.00", None),
        (
            first.pk,
            "1500.00",
            {"reversed_on": "2026-04-10", "reason": "重复登记", "reversed_by_id": world.finance_a.pk},
        ),
    ]
    totals = c.get("/api/v1/assistance/fund-totals").json()
    assert totals == [
        {
            "fund": "街道帮扶资金",
            "fund_org": "测试街道总工会",
            "budget_year": 2026,
            "payments": 1,
            "total": "800.00",
        }
    ]
    assert Payment.objects.get(pk=first.pk).amount == first.amount
