"""Reversals (红字冲正) of dues payments, payroll batches and union-funds payments: exact totals,
arrears and ledger afterwards; refusals change nothing; one reversal per payment in the database."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from dues import selectors, services
from dues.models import (
    DuesLine,
    DuesPayment,
    DuesReversal,
    DuesRun,
    FundsAssessment,
    FundsPaymentReversal,
    PayrollBatchReversal,
)

from .factories import make_member

D = Decimal
OCT = date(2026, 10, 1)


@pytest.fixture
def october(world):
    """Union A, October: 张三 owes 22.80 and 李四 25.00 (total 47.80)."""
    ua = world.union_a
    zhang = make_member(ua, "张三", member_no="A001")
    li = make_member(world.branch_a, "李四", member_no="A002")
    services.wage_set(member=zhang, month=OCT, wage="4567.89", actor=world.finance_a)
    services.wage_set(member=li, month=OCT, wage="5001", actor=world.finance_a)
    run = services.dues_run(org=ua, month=OCT, actor=world.finance_a)
    c = type("October", (), {})()
    c.run, c.zhang, c.li = run, zhang, li
    c.line_zhang = DuesLine.objects.get(run=run, member=zhang)
    c.line_li = DuesLine.objects.get(run=run, member=li)
    return c


def state(c):
    """Everything a reversal may change, to compare before and after a refusal."""
    c.run.refresh_from_db()
    return (
        c.run.paid_amount,
        tuple(DuesLine.objects.filter(run=c.run).order_by("pk").values_list("paid", flat=True)),
        DuesReversal.objects.count(),
        PayrollBatchReversal.objects.count(),
        AuditEvent.objects.count(),
    )


def arrears(org):
    return {r.member.name: r.amount for r in selectors.member_arrears(org)}


def test_reversing_a_payment_makes_the_line_owed_again(world, october):
    c = october
    pay = services.dues_payment_record(line=c.line_zhang, amount="10", actor=world.finance_a)
    assert arrears(world.union_a) == {"张三": D("12.80"), "李四": D("25.00")}
    assert selectors.last_paid_month(c.zhang) == OCT

    rev = services.dues_payment_reverse(payment=pay, reason="  收款时看错了人  ", actor=world.finance_a)

    rev.refresh_from_db()
    assert (rev.amount, rev.reason, rev.reversed_by, rev.org_id, rev.batch_reversal_id) == (
        D("10.00"),
        "收款时看错了人",
        world.finance_a,
        world.union_a.pk,
        None,
    )
    assert rev.reversed_on == timezone.localdate()
    # the original stays as it was
    pay.refresh_from_db()
    assert (pay.amount, pay.is_reversed) == (D("10.00"), True)
    c.line_zhang.refresh_from_db()
    c.run.refresh_from_db()
    assert (c.line_zhang.paid, c.run.paid_amount, c.run.arrears) == (D("0.00"), D("0.00"), D("47.80"))
    assert arrears(world.union_a) == {"张三": D("22.80"), "李四": D("25.00")}
    assert selectors.member_arrears_total(c.zhang) == D("22.80")
    assert selectors.last_paid_month(c.zhang) is None
    row = selectors.union_ledger(world.union_a).rows[0]
    assert (row.dues_due, row.dues_paid, row.dues_arrears) == (D("47.80"), D("0.00"), D("47.80"))
    assert selectors.union_summaries([world.union_a])[world.union_a.pk]["arrears"] == D("47.80")

    ev = AuditEvent.objects.get(action="dues.payment_reverse")
    assert (ev.target_id, ev.actor, ev.org_id) == (str(pay.pk), world.finance_a, world.union_a.pk)
    assert ev.details["amount"] == "10.00"
    assert ev.details["reason"] == "收款时看错了人"
    assert ev.details["receipt_no"] == pay.receipt_no

    # the line can be paid again, in full
    again = services.dues_payment_record(line=c.line_zhang, actor=world.finance_a)
    assert again.amount == D("22.80")
    c.run.refresh_from_db()
    assert c.run.paid_amount == D("22.80")


def test_a_payment_is_reversed_once(world, october):
    c = october
    pay = services.dues_payment_record(line=c.line_li, actor=world.finance_a)
    services.dues_payment_reverse(payment=pay, reason="重复收款", actor=world.finance_a)
    before = state(c)
    with pytest.raises(services.AlreadyReversed, match=f"收据{pay.receipt_no}的缴费已于.*冲销，不能重复冲销"):
        services.dues_payment_reverse(payment=pay, reason="再冲一次", actor=world.chair_a)
    assert state(c) == before


def test_the_database_refuses_a_second_reversal(world, october):
    c = october
    pay = services.dues_payment_record(line=c.line_li, actor=world.finance_a)
    rev = services.dues_payment_reverse(payment=pay, reason="错收", actor=world.finance_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesReversal.objects.create(
            org=world.union_a, payment=pay, amount=rev.amount, reversed_on=rev.reversed_on, reason="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        # and a reversal without a reason
        DuesReversal.objects.filter(pk=rev.pk).update(reason="")


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"reason": ""}, "reason", "请填写冲销原因。"),
        ({"reason": "   "}, "reason", "请填写冲销原因。"),
        ({"reason": "长" * 201}, "reason", "冲销原因不能超过200个字。"),
        ({"reason": "错收", "reversed_on": date(2099, 1, 1)}, "reversed_on", "冲销日期不能晚于今天。"),
        (
            {"reason": "错收", "reversed_on": date(2026, 10, 19)},
            "reversed_on",
            "冲销日期不能早于原缴费日期2026-10-20。",
        ),
    ],
)
def test_bad_input_changes_nothing(world, october, kwargs, field, message):
    c = october
    pay = services.dues_payment_record(line=c.line_li, paid_on=date(2026, 10, 20), actor=world.finance_a)
    before = state(c)
    with pytest.raises(ValidationError) as e:
        services.dues_payment_reverse(payment=pay, actor=world.finance_a, **kwargs)
    assert e.value.message_dict == {field: [message]}
    assert state(c) == before


def test_reversing_a_payroll_batch(world, october):
    """张三 paid 10 in cash, the payroll batch paid the rest (12.80 + 25.00); 李四's deduction is
    reversed alone, then the whole batch: only 张三's 12.80 is left to reverse, his cash stays."""
    c = october
    services.dues_payment_record(line=c.line_zhang, amount="10", actor=world.finance_a)
    batch = services.dues_batch_record(run=c.run, actor=world.finance_a)
    assert (batch.line_count, batch.total) == (2, D("37.80"))
    li_pay = DuesPayment.objects.get(batch=batch, member=c.li)
    services.dues_payment_reverse(payment=li_pay, reason="李四上月已离职，未代扣", actor=world.finance_a)
    assert arrears(world.union_a) == {"李四": D("25.00")}

    br = services.dues_batch_reverse(batch=batch, reason="工资表用错了月份", actor=world.chair_a)

    br.refresh_from_db()
    assert (br.line_count, br.total, br.reason, br.reversed_by) == (
        1,
        D("12.80"),
        "工资表用错了月份",
        world.chair_a,
    )
    assert set(br.reversals.values_list("payment__member__name", "amount", "reason")) == {
        ("张三", D("12.80"), "工资表用错了月份")
    }
    assert DuesReversal.objects.get(payment=li_pay).batch_reversal is None
    c.line_zhang.refresh_from_db()
    c.line_li.refresh_from_db()
    c.run.refresh_from_db()
    assert (c.line_zhang.paid, c.line_li.paid) == (D("10.00"), D("0.00"))
    assert (c.run.paid_amount, c.run.arrears) == (D("10.00"), D("37.80"))
    assert arrears(world.union_a) == {"张三": D("12.80"), "李四": D("25.00")}
    assert DuesPayment.objects.filter(batch=batch).count() == 2  # nothing deleted
    ev = AuditEvent.objects.get(action="dues.batch_reverse")
    assert (ev.target_id, ev.details["lines"], ev.details["total"]) == (str(batch.pk), 1, "12.80")

    before = state(c)
    with pytest.raises(services.AlreadyReversed, match="该工资代扣批次已于.*冲销，不能重复冲销"):
        services.dues_batch_reverse(batch=batch, reason="再冲一次", actor=world.finance_a)
    assert state(c) == before
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollBatchReversal.objects.create(
            org=world.union_a, batch=batch, line_count=0, total=0, reversed_on=br.reversed_on, reason="x"
        )

    # the correct deduction can then be recorded
    again = services.dues_batch_record(run=c.run, actor=world.finance_a)
    assert (again.line_count, again.total) == (2, D("37.80"))
    c.run.refresh_from_db()
    assert (c.run.paid_amount, c.run.arrears) == (D("47.80"), D("0.00"))


def test_a_batch_whose_payments_were_all_reversed_alone_has_nothing_left(world, october):
    c = october
    batch = services.dues_batch_record(run=c.run, actor=world.finance_a)
    for p in DuesPayment.objects.filter(batch=batch):
        services.dues_payment_reverse(payment=p, reason="逐笔冲销", actor=world.finance_a)
    before = state(c)
    with pytest.raises(ValidationError, match="每笔缴费都已单独冲销"):
        services.dues_batch_reverse(batch=batch, reason="整批", actor=world.finance_a)
    assert state(c) == before
    # and a payment of a reversed batch cannot be reversed again on its own
    batch2 = services.dues_batch_record(run=c.run, actor=world.finance_a)
    services.dues_batch_reverse(batch=batch2, reason="整批", actor=world.finance_a)
    before = state(c)
    with pytest.raises(services.AlreadyReversed):
        services.dues_payment_reverse(
            payment=DuesPayment.objects.filter(batch=batch2).first(), reason="再冲", actor=world.finance_a
        )
    assert state(c) == before
    assert DuesRun.objects.get(pk=c.run.pk).paid_amount == D("0.00")


def test_reversing_a_funds_payment(world):
    ua = world.union_a
    fa = services.funds_assess(org=ua, month=OCT, payroll_total="123456.78", actor=world.finance_a)
    assert fa.levy == D("2469.14")
    first = services.funds_payment_record(assessment=fa, amount="1000.01", actor=world.finance_a)
    services.funds_payment_record(assessment=fa, amount="469.13", actor=world.finance_a)
    fa.refresh_from_db()
    # The month splits as a whole: 1469.14 × 60% = 881.484 → 881.48 (rules.split_next).
    assert (fa.paid, fa.kept, fa.remitted) == (D("1469.14"), D("881.48"), D("587.66"))

    rev = services.funds_payment_reverse(payment=first, reason="银行退回", actor=world.finance_a)

    assert (rev.amount, rev.kept, rev.remitted) == (first.amount, first.kept, first.remitted)
    assert (first.kept, first.remitted) == (D("600.01"), D("400.00"))
    fa.refresh_from_db()
    # The reversal takes back exactly what the payment added; the second payment had kept 281.47.
    assert (fa.paid, fa.kept, fa.remitted, fa.arrears) == (
        D("469.13"),
        D("281.47"),
        D("187.66"),
        D("2000.01"),
    )
    row = selectors.union_ledger(ua).rows[0]
    assert (row.levy, row.levy_paid, row.levy_arrears, row.kept, row.remitted) == (
        D("2469.14"),
        D("469.13"),
        D("2000.01"),
        D("281.47"),
        D("187.66"),
    )
    assert row.kept + row.remitted == row.levy_paid
    assert selectors.union_summaries([ua])[ua.pk]["levy_arrears"] == D("2000.01")
    ev = AuditEvent.objects.get(action="dues.funds_payment_reverse")
    assert (ev.target_id, ev.details["amount"], ev.details["reason"]) == (
        str(first.pk),
        "1000.01",
        "银行退回",
    )

    n = AuditEvent.objects.count()
    with pytest.raises(services.AlreadyReversed, match=f"凭证{first.receipt_no}的经费到账已于"):
        services.funds_payment_reverse(payment=first, reason="再冲", actor=world.finance_a)
    with pytest.raises(ValidationError, match="请填写冲销原因"):
        services.funds_payment_reverse(payment=first, reason="", actor=world.finance_a)
    assert (AuditEvent.objects.count(), FundsPaymentReversal.objects.count()) == (n, 1)
    assert FundsAssessment.objects.get(pk=fa.pk).paid == D("469.13")
    with pytest.raises(IntegrityError), transaction.atomic():
        FundsPaymentReversal.objects.create(
            org=ua, payment=first, amount=1, kept=1, remitted=0, reversed_on=rev.reversed_on, reason="x"
        )
    # the money can be entered again once it really arrives
    services.funds_payment_record(assessment=fa, amount="2000.01", actor=world.finance_a)
    fa.refresh_from_db()
    assert (fa.paid, fa.arrears, fa.kept + fa.remitted) == (D("2469.14"), D("0.00"), D("2469.14"))


# ---- pages and API -------------------------------------------------------------------------------------


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_reverse_a_payment_from_the_statement_page(client, world, october):
    c = october
    pay = services.dues_payment_record(line=c.line_zhang, amount="10", actor=world.finance_a)
    client.force_login(world.finance_a)
    url = reverse("dues:payment_reverse", args=[pay.pk])
    run_url = reverse("dues:run", args=[c.run.pk])
    body = client.get(run_url).content.decode()
    assert f'action="{url}"' in body
    assert "确认冲销张三的这笔会费（10.00元）？" in body

    before = state(c)
    r = client.post(url, {"reason": "  "}, follow=True)
    assert r.redirect_chain[-1][0] == run_url
    assert "请填写冲销原因。" in messages_of(r)
    assert state(c) == before

    r = client.post(url, {"reason": "收款时看错了人"}, follow=True)
    assert (
        f"已冲销张三2026年10月会费10.00元（收据号{pay.receipt_no}），该月已缴金额相应减少。" in messages_of(r)
    )
    body = r.content.decode()
    assert "已冲销" in body
    assert f'action="{url}"' not in body  # no second 冲销 button
    c.run.refresh_from_db()
    assert c.run.paid_amount == D("0.00")

    before = state(c)
    r = client.post(url, {"reason": "再冲一次", "next": "receipt"}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("dues:receipt", args=[pay.pk])
    assert any("不能重复冲销" in m for m in messages_of(r))
    assert state(c) == before
    receipt = r.content.decode()
    assert "本收据已冲销作废" in receipt
    assert "原因：收款时看错了人" in receipt


def test_staff_sees_reversals_but_gets_no_button(client, world, october):
    c = october
    pay = services.dues_payment_record(line=c.line_zhang, actor=world.finance_a)
    services.dues_batch_record(run=c.run, actor=world.finance_a)
    client.force_login(world.staff_a)
    body = client.get(reverse("dues:run", args=[c.run.pk])).content.decode()
    assert "工资代扣批次" in body
    assert "/reverse/" not in body
    assert "/reverse/" not in client.get(reverse("dues:receipt", args=[pay.pk])).content.decode()


def test_reverse_a_batch_and_a_funds_payment_from_their_pages(client, world, october):
    c = october
    batch = services.dues_batch_record(run=c.run, actor=world.finance_a)
    fa = services.funds_assess(org=world.union_a, month=OCT, payroll_total="100000", actor=world.finance_a)
    fp = services.funds_payment_record(assessment=fa, amount="500", actor=world.finance_a)
    client.force_login(world.chair_a)

    body = client.get(reverse("dues:run", args=[c.run.pk])).content.decode()
    assert "确认冲销整批工资代扣（2人，47.80元）？" in body
    # One deduction reversed alone: the batch row says what of it is still in effect.
    services.dues_payment_reverse(
        payment=DuesPayment.objects.get(batch=batch, member=c.li), reason="未代扣", actor=world.finance_a
    )
    r = client.get(reverse("dues:run", args=[c.run.pk]))
    [b] = r.context["batches"]
    assert (b.line_count, b.total, b.effective_count, b.effective_total) == (2, D("47.80"), 1, D("22.80"))
    body = r.content.decode()
    assert "（其中1人25.00元已单独冲销，有效1人22.80元）" in body
    assert "确认冲销整批工资代扣（1人，22.80元）？" in body
    r = client.post(
        reverse("dues:batch_reverse", args=[batch.pk]), {"reason": "工资表用错了月份"}, follow=True
    )
    assert "已冲销" in r.content.decode()
    assert any("工资代扣：1人，合计22.80元，这些会员的会费恢复为未缴。" in m for m in messages_of(r))
    assert arrears(world.union_a) == {"张三": D("22.80"), "李四": D("25.00")}

    ledger_url = reverse("dues:ledger", args=[world.union_a.pk])
    assert reverse("dues:funds_payment_reverse", args=[fp.pk]) in client.get(ledger_url).content.decode()
    r = client.post(reverse("dues:funds_payment_reverse", args=[fp.pk]), {"reason": ""}, follow=True)
    assert "请填写冲销原因。" in messages_of(r)
    assert FundsAssessment.objects.get(pk=fa.pk).paid == D("500.00")
    r = client.post(reverse("dues:funds_payment_reverse", args=[fp.pk]), {"reason": "银行退回"}, follow=True)
    assert r.redirect_chain[-1][0] == ledger_url + "#payments"
    assert (
        f"已冲销经费到账500.00元（凭证号{fp.receipt_no}）：基层留成冲减300.00元，上解冲减200.00元。"
        in messages_of(r)
    )
    body = r.content.decode()
    assert "红字冲销" in body
    assert "-300.00" in body
    assert FundsAssessment.objects.get(pk=fa.pk).paid == D("0.00")
    receipt = client.get(reverse("dues:funds_receipt", args=[fp.pk])).content.decode()
    assert "本凭证已冲销作废" in receipt


def test_statement_page_queries_stay_bounded_with_reversals(
    client, world, october, django_assert_max_num_queries
):
    c = october
    for line in (c.line_zhang, c.line_li):
        p = services.dues_payment_record(line=line, amount="1", actor=world.finance_a)
        services.dues_payment_reverse(payment=p, reason="错收", actor=world.finance_a)
    services.dues_batch_record(run=c.run, actor=world.finance_a)
    client.force_login(world.finance_a)
    with django_assert_max_num_queries(14):  # 12, and what changed since the statement (two)
        assert client.get(reverse("dues:run", args=[c.run.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("dues:ledger", args=[world.union_a.pk])).status_code == 200


def test_api_reversals(client, world, october):
    c = october
    pay = services.dues_payment_record(line=c.line_zhang, amount="10", actor=world.finance_a)
    batch = services.dues_batch_record(run=c.run, actor=world.finance_a)
    fa = services.funds_assess(org=world.union_a, month=OCT, payroll_total="100000", actor=world.finance_a)
    fp = services.funds_payment_record(assessment=fa, amount="500", actor=world.finance_a)
    client.force_login(world.finance_a)

    def post(url, data):
        return client.post(url, data, content_type="application/json")

    before = state(c)
    r = post(f"/api/v1/dues/payments/{pay.pk}/reversal", {"reason": " "})
    assert (r.status_code, r.json()) == (422, {"detail": {"reason": ["请填写冲销原因。"]}})
    assert state(c) == before

    r = post(f"/api/v1/dues/payments/{pay.pk}/reversal", {"reason": "收错了人"})
    assert r.status_code == 201
    out = r.json()
    assert (out["payment_id"], out["receipt_no"], out["amount"], out["reason"]) == (
        pay.pk,
        pay.receipt_no,
        "10.00",
        "收错了人",
    )
    assert (out["run"]["paid_amount"], out["run"]["arrears"]) == ("37.80", "10.00")
    r = post(f"/api/v1/dues/payments/{pay.pk}/reversal", {"reason": "再冲"})
    assert r.status_code == 409
    assert r.json()["code"] == "already_reversed"

    r = post(f"/api/v1/dues/batches/{batch.pk}/reversal", {"reason": "整批错了"})
    assert r.status_code == 201
    assert (r.json()["line_count"], r.json()["total"], r.json()["run"]["paid_amount"]) == (2, "37.80", "0.00")
    assert post(f"/api/v1/dues/batches/{batch.pk}/reversal", {"reason": "再冲"}).status_code == 409

    r = post(
        f"/api/v1/dues/funds/payments/{fp.pk}/reversal", {"reason": "银行退回", "reversed_on": "2099-01-01"}
    )
    assert r.status_code == 422
    assert r.json()["detail"] == {"reversed_on": ["冲销日期不能晚于今天。"]}
    r = post(f"/api/v1/dues/funds/payments/{fp.pk}/reversal", {"reason": "银行退回"})
    assert r.status_code == 201
    assert (r.json()["kept"], r.json()["remitted"], r.json()["assessment"]["paid"]) == (
        "300.00",
        "200.00",
        "0.00",
    )


def test_the_arrears_list_names_the_months_owed_when_one_between_was_paid(client, world, october):
    nov, dec = date(2026, 11, 1), date(2026, 12, 1)
    for month in (nov, dec):
        services.wage_set(member=october.zhang, month=month, wage="4567.89", actor=world.finance_a)
        services.dues_run(org=world.union_a, month=month, actor=world.finance_a)
    services.dues_payment_record(
        line=DuesLine.objects.get(member=october.zhang, month=nov),
        amount=D("22.80"),
        method="cash",
        actor=world.finance_a,
    )
    client.force_login(world.finance_a)
    r = client.get(reverse("dues:arrears", args=[world.union_a.pk]))
    rows = {x.member.name: x for x in r.context["items"]}
    assert (rows["张三"].months, rows["张三"].unbroken, rows["张三"].month_list) == (2, False, [OCT, dec])
    assert (rows["李四"].months, rows["李四"].unbroken, rows["李四"].month_list) == (3, True, None)
    body = r.content.decode()
    assert "<td>2026年10月、2026年12月</td>" in body  # 张三: November paid
    assert body.count("<td>2026年10月 — 2026年12月</td>") == 1  # 李四: all three
