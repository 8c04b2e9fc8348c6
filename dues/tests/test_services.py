import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from core import crypto
from dues import rules, selectors, services
from dues.models import DuesLine, DuesPayment, DuesRun, FundsPayment, LineKind, PayrollBatch, WageBase
from members.models import MemberStatus

from .factories import make_member

D = Decimal
SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def crew(world):
    """Union A: two paying members (one in the branch), one retained, one without a wage base,
    plus people who must not appear on the statement."""
    ua = world.union_a
    c = type("Crew", (), {})()
    c.zhang = make_member(ua, "张三", member_no="A001")
    c.li = make_member(world.branch_a, "李四", member_no="A002")
    c.wang = make_member(ua, "王五", member_no="A003", status=MemberStatus.RETAINED)
    c.zhao = make_member(ua, "赵六", member_no="A004")
    c.gone = make_member(ua, "钱七", member_no="A005", status=MemberStatus.WITHDRAWN)
    c.new = make_member(ua, "孙八", member_no="A006", joined_on=date(2026, 11, 3))
    c.other = make_member(world.union_b, "周九", member_no="B001")
    for m, wage in (
        (c.zhang, "4567.89"),
        (c.li, "5001"),
        (c.wang, "3000"),
        (c.new, "6000"),
        (c.other, "7000"),
    ):
        services.wage_set(member=m, month=SEP, wage=wage, actor=world.finance_a)
    return c


def set_dues_rate(world, rate: D, *, base_step: int = 10) -> None:
    """The federation changes its dues rate (and rounding), the funds rules as by default."""
    services.policy_update(
        org=world.fed,
        rate=rate,
        base_step=base_step,
        levy_rate=D("0.02"),
        grassroots_share=D("0.6"),
        actor=world.fed_admin,
    )


def lines_of(run):
    return {
        (line.member.name, line.kind, line.base, line.amount)
        for line in DuesLine.objects.filter(run=run).select_related("member")
    }


def test_run_produces_the_statement(world, crew):
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert lines_of(run) == {
        ("张三", "charged", D("4560.00"), D("22.80")),
        ("李四", "charged", D("5000.00"), D("25.00")),
        ("王五", "exempt", None, D("0.00")),
        ("赵六", "missing", None, D("0.00")),
    }
    run.refresh_from_db()
    assert (run.charged_count, run.exempt_count, run.missing_count) == (2, 1, 1)
    assert (run.total_base, run.total_amount, run.paid_amount) == (D("9560.00"), D("47.80"), D("0.00"))
    assert (run.rate, run.base_step) == (D("0.0050"), 10)
    assert AuditEvent.objects.filter(action="dues.run", target_id=str(run.pk)).count() == 1


def test_wage_is_encrypted_and_base_effective_from_its_month(world, crew):
    services.wage_set(member=crew.zhang, month=date(2026, 11, 1), wage="8000", actor=world.finance_a)
    wb = WageBase.objects.get(member=crew.zhang, month=SEP)
    assert crypto.decrypt(wb.wage_enc) == "4567.89"
    assert "4567" not in wb.wage_enc
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert DuesLine.objects.get(run=run, member=crew.zhang).amount == D("22.80")
    run11 = services.dues_run(org=world.union_a, month=date(2026, 11, 1), actor=world.finance_a)
    assert DuesLine.objects.get(run=run11, member=crew.zhang).amount == D("40.00")
    # joined on 3 November: on November's statement, not October's
    assert DuesLine.objects.filter(run=run11, member=crew.new).count() == 1
    assert DuesLine.objects.filter(run=run, member=crew.new).count() == 0


def test_rerun_is_idempotent_until_paid(world, crew):
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    first = lines_of(run)
    services.wage_set(member=crew.zhao, month=SEP, wage="3999.99", actor=world.finance_a)
    again = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert again.pk == run.pk
    assert DuesRun.objects.filter(org=world.union_a).count() == 1
    assert lines_of(again) == (first - {("赵六", "missing", None, D("0.00"))}) | {
        ("赵六", "charged", D("3990.00"), D("19.95"))
    }
    assert services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a).total_amount == D("67.75")
    assert DuesLine.objects.filter(run=run).count() == 4
    line = DuesLine.objects.get(run=run, member=crew.zhang)
    services.dues_payment_record(line=line, amount="1", actor=world.finance_a)
    with pytest.raises(ValidationError) as e:  # nothing to add: said so, nothing changed
        services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert e.value.messages == [
        "2026年10月的会费已有缴费记录，已计费的明细不变；目前也没有可以补计的会员（缺工资基数的请先补录该月起的工资基数）。"
    ]
    assert DuesLine.objects.get(pk=line.pk).paid == D("1.00")


def test_a_rerun_keeps_the_lines_of_members_who_left_since(world, crew):
    """October's statement charged 李四; he withdraws in December. Re-running October (no payment
    yet) recomputes everyone still in the union and keeps his October line: he was a member then."""
    from members import services as members

    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    members.member_withdraw(member=crew.li, actor=world.staff_a, reason="本人申请", on=date(2026, 12, 1))
    services.wage_set(member=crew.zhang, month=OCT, wage="6000", actor=world.finance_a)
    again = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert (again.pk, again.outcome, again.kept) == (run.pk, "replaced", 1)
    assert lines_of(again) == {
        ("张三", "charged", D("6000.00"), D("30.00")),  # recomputed
        ("李四", "charged", D("5000.00"), D("25.00")),  # kept
        ("王五", "exempt", None, D("0.00")),
        ("赵六", "missing", None, D("0.00")),
    }
    assert (again.charged_count, again.total_amount) == (2, D("55.00"))


def test_a_rerun_follows_what_the_members_were_in_that_month(world, crew):
    """Changes recorded since, dated back into the month or before it, count; those after it do not."""
    from members import services as members

    services.wage_set(member=crew.zhao, month=SEP, wage="4000", actor=world.finance_a)
    services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    # 李四's withdrawal is recorded late, dated 20 September: he was not a member in October
    members.member_withdraw(member=crew.li, actor=world.staff_a, reason="本人申请", on=date(2026, 9, 20))
    # 张三 retires in December: October stays charged
    members.member_retain(member=crew.zhang, actor=world.staff_a, reason="退休", on=date(2026, 12, 1))
    # 王五 (retained since before October) comes back in November: October stays exempt
    members.member_restore(member=crew.wang, actor=world.staff_a, reason="返岗", on=date(2026, 11, 2))
    again = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert lines_of(again) == {
        ("张三", "charged", D("4560.00"), D("22.80")),
        ("王五", "exempt", None, D("0.00")),
        ("赵六", "charged", D("4000.00"), D("20.00")),
    }
    assert again.kept == 2


def test_a_rerun_keeps_the_statements_rate_for_the_lines_it_keeps(world, crew):
    from members import services as members

    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    members.member_withdraw(member=crew.li, actor=world.staff_a, reason="本人申请", on=date(2026, 12, 1))
    set_dues_rate(world, D("0.01"), base_step=10)
    again = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert again.rate == run.rate == D("0.0050")
    assert ("张三", "charged", D("4560.00"), D("22.80")) in lines_of(again)


def test_a_statement_with_payments_takes_in_members_it_could_not_charge(world, crew):
    from audit.models import AuditEvent

    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert (run.charged_count, run.missing_count) == (2, 1)  # 赵六 has no wage base
    line = DuesLine.objects.get(run=run, member=crew.zhang)
    services.dues_payment_record(line=line, actor=world.finance_a)
    # the rate changes meanwhile: the statement keeps its own
    set_dues_rate(world, D("0.01"), base_step=10)
    services.wage_set(member=crew.zhao, month=OCT, wage="3999.99", actor=world.finance_a)
    again = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert again.pk == run.pk
    assert ("赵六", "charged", D("3990.00"), D("19.95")) in lines_of(again)  # at the statement's 0.5%
    paid_line = DuesLine.objects.get(pk=line.pk)
    assert (paid_line.amount, paid_line.paid) == (line.amount, line.amount)  # untouched
    again.refresh_from_db()
    assert (again.charged_count, again.missing_count) == (3, 0)
    assert again.paid_amount == line.amount and again.total_amount == D("67.75")
    event = AuditEvent.objects.get(action="dues.supplement")
    assert event.details["charged"] == [2, 3] and event.details["missing"] == [1, 0]


def test_a_member_who_moved_unions_in_the_month_is_charged_once(world, crew):
    from members.models import Member

    run_a = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert ("张三", "charged", D("4560.00"), D("22.80")) in lines_of(run_a)
    Member.objects.filter(pk=crew.zhang.pk).update(org=world.union_b)  # transferred in October
    run_b = services.dues_run(org=world.union_b, month=OCT, actor=world.fed_admin)
    assert lines_of(run_b) == {("周九", "charged", D("7000.00"), D("35.00"))}  # 张三 paid A this month
    # A re-runs October: he was A's member that month, and A's line stays (whichever charged first)
    again = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert ("张三", "charged", D("4560.00"), D("22.80")) in lines_of(again) and again.kept == 1
    run_b = services.dues_run(org=world.union_b, month=OCT, actor=world.fed_admin)
    assert lines_of(run_b) == {("周九", "charged", D("7000.00"), D("35.00"))}  # still charged once


def test_a_rerun_keeps_the_line_of_a_member_transferred_away_within_the_month(world, crew):
    """The receiving union left him off its statement because the sending union charged him first:
    the sending union's re-run must not drop him, or the month is charged nowhere."""
    from members import services as members
    from members.models import EventKind, MemberEvent

    services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    members.transfer_accept(
        transfer=members.transfer_request(member=crew.zhang, to_org=world.union_b, actor=world.staff_a),
        actor=world.staff_b,
    )
    moved = MemberEvent.objects.filter(member=crew.zhang, kind=EventKind.TRANSFERRED)
    moved.update(on=date(2026, 10, 20))  # recorded as of 20 October
    run_b = services.dues_run(org=world.union_b, month=OCT, actor=world.fed_admin)
    assert lines_of(run_b) == {("周九", "charged", D("7000.00"), D("35.00"))}
    again = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert ("张三", "charged", D("4560.00"), D("22.80")) in lines_of(again) and again.kept == 1
    # dated back before the month: B still left him off because A charged him, so A keeps him
    moved.update(on=date(2026, 9, 30))
    again = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert ("张三", "charged", D("4560.00"), D("22.80")) in lines_of(again)
    # once another statement charges him for the month, A's re-run drops its line: charged once
    line = DuesLine.objects.get(run=again, member=crew.zhang)
    DuesLine.objects.create(
        run=run_b,
        org=world.union_b,
        member=crew.zhang,
        month=OCT,
        kind="charged",
        base=line.base,
        amount=line.amount,
    )
    again = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert "张三" not in {name for name, *_rest in lines_of(again)} and again.kept == 0


def test_run_uses_the_federation_policy(world, crew):
    set_dues_rate(world, D("0.01"), base_step=100)
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert DuesLine.objects.get(run=run, member=crew.zhang).amount == D("45.00")  # 4500 × 1%
    assert (run.rate, run.base_step) == (D("0.0100"), 100)


def test_run_refuses_future_months_and_branches(world, crew):
    with pytest.raises(ValidationError, match="不能选择未来的月份"):
        services.dues_run(org=world.union_a, month=date(2099, 1, 1), actor=world.finance_a)
    with pytest.raises(ValidationError, match="请在所属基层工会办理"):
        services.dues_run(org=world.branch_a, month=OCT, actor=world.finance_a)
    assert DuesRun.objects.count() == 0


def test_individual_payments_and_receipt(world, crew):
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    line = DuesLine.objects.get(run=run, member=crew.zhang)
    p1 = services.dues_payment_record(
        line=line, amount="10", actor=world.finance_a, paid_on=date(2026, 10, 20)
    )
    assert p1.receipt_no == "HF2026-000001"
    with pytest.raises(ValidationError, match="超过未缴的12.80元"):
        services.dues_payment_record(line=line, amount="12.81", actor=world.finance_a)
    with pytest.raises(ValidationError, match="金额必须大于0"):
        services.dues_payment_record(line=line, amount="0", actor=world.finance_a)
    services.dues_payment_record(line=line, actor=world.finance_a)  # the rest
    line.refresh_from_db()
    assert line.paid == D("22.80")
    with pytest.raises(ValidationError, match="已缴清"):
        services.dues_payment_record(line=line, actor=world.finance_a)
    exempt = DuesLine.objects.get(run=run, member=crew.wang)
    with pytest.raises(ValidationError, match="无需缴费"):
        services.dues_payment_record(line=exempt, actor=world.finance_a)
    run.refresh_from_db()
    assert run.paid_amount == D("22.80")
    assert DuesPayment.objects.filter(line=line).count() == 2
    assert AuditEvent.objects.filter(action="dues.payment_record").count() == 2


def test_receipts_are_numbered_per_union_and_year_without_gaps(world, crew):
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    run_b = services.dues_run(org=world.union_b, month=OCT, actor=world.chair_b)
    zhang = DuesLine.objects.get(run=run, member=crew.zhang)
    first = services.dues_payment_record(
        line=zhang, amount="2.80", actor=world.finance_a, paid_on=date(2026, 10, 20)
    )
    other = services.dues_payment_record(
        line=DuesLine.objects.get(run=run_b, member=crew.other),
        actor=world.chair_b,
        paid_on=date(2026, 10, 21),
    )
    services.dues_payment_reverse(payment=first, reason="金额有误", actor=world.finance_a)
    with pytest.raises(ValidationError, match="超过未缴"):  # refused: takes no number
        services.dues_payment_record(line=zhang, amount="999", actor=world.finance_a)
    batch = services.dues_batch_record(run=run, actor=world.finance_a, paid_on=date(2026, 11, 5))
    # Union A's receipts run 1, 2, 3 (the reversed one keeps its number); union B starts its own.
    assert list(
        DuesPayment.objects.filter(org=world.union_a).order_by("pk").values_list("receipt_no", "batch")
    ) == [("HF2026-000001", None), ("HF2026-000002", batch.pk), ("HF2026-000003", batch.pk)]
    assert (first.receipt_no, other.receipt_no) == ("HF2026-000001", "HF2026-000001")
    fa = services.funds_assess(org=world.union_a, month=SEP, payroll_total="100000", actor=world.finance_a)
    funds = [
        services.funds_payment_record(assessment=fa, amount="500", actor=world.finance_a).receipt_no
        for _ in range(2)
    ]
    assert funds == ["JF2026-000001", "JF2026-000002"]  # a series of its own
    with transaction.atomic():  # a new year starts again at 1
        assert services._take_receipt_numbers(world.union_a.pk, "HF", 2027, 3) == 1
        assert services._take_receipt_numbers(world.union_a.pk, "HF", 2027) == 4

    # A payment that fails after taking its number gives it back: no gap.
    def fails_after_taking_a_number():
        with transaction.atomic():
            assert services._take_receipt_numbers(world.union_a.pk, "HF", 2026) == 4
            raise RuntimeError("the payment failed")

    with pytest.raises(RuntimeError):
        fails_after_taking_a_number()
    third = DuesLine.objects.get(
        run=services.dues_run(org=world.union_a, month=NOV, actor=world.finance_a), member=crew.li
    )
    assert services.dues_payment_record(line=third, actor=world.finance_a).receipt_no == "HF2026-000004"
    with pytest.raises(IntegrityError), transaction.atomic():  # one number, one receipt
        DuesPayment.objects.create(
            org=world.union_a,
            receipt_no="HF2026-000002",
            member=crew.zhang,
            line=zhang,
            month=OCT,
            amount=D("1"),
            paid_on=date(2026, 11, 5),
            method="cash",
        )


def test_payroll_batch_pays_everything_outstanding(world, crew):
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    zhang = DuesLine.objects.get(run=run, member=crew.zhang)
    services.dues_payment_record(line=zhang, amount="2.80", actor=world.finance_a)
    batch = services.dues_batch_record(run=run, actor=world.finance_a, paid_on=date(2026, 11, 5))
    assert (batch.line_count, batch.total) == (2, D("45.00"))
    assert sorted(DuesPayment.objects.filter(batch=batch).values_list("amount", flat=True)) == [
        D("20.00"),
        D("25.00"),
    ]
    run.refresh_from_db()
    assert run.paid_amount == run.total_amount == D("47.80")
    assert selectors.member_arrears(world.union_a) == []
    with pytest.raises(ValidationError, match="已全部缴清"):
        services.dues_batch_record(run=run, actor=world.finance_a)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.dues_batch_record(run=run, actor=world.finance_a, paid_on=date(2099, 1, 1))


def test_payroll_batch_leaves_out_the_members_not_deducted(world, crew):
    twin = make_member(world.union_a, "张三", member_no="A007")
    services.wage_set(member=twin, month=SEP, wage="3000", actor=world.finance_a)
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    before = DuesPayment.objects.count()

    def refused(skip: str) -> list[str]:
        with pytest.raises(ValidationError) as e:
            services.dues_batch_record(run=run, actor=world.finance_a, skip=skip)
        assert DuesPayment.objects.count() == before and not PayrollBatch.objects.exists()
        return e.value.message_dict["skip"]

    # a name two members share, a name or number not on the statement, someone exempt: each named
    assert refused("张三，A099 王五") == [
        "本月明细中有2名会员叫“张三”，请改填会员编号（A001、A007）。",
        "本月会费明细中没有会员编号或姓名为“A099”的应缴会员。",
        "本月会费明细中没有会员编号或姓名为“王五”的应缴会员。",
    ]
    services.dues_payment_record(line=DuesLine.objects.get(run=run, member=twin), actor=world.finance_a)
    before += 1
    assert refused("A007") == ["“A007”本月的会费已缴清，不在代扣范围内。"]
    assert refused("A001、李四") == ["本月未缴的会员都列为未代扣，没有可以登记的代扣。"]
    # by member number and by a name only one member has, full-width and on separate lines
    batch = services.dues_batch_record(run=run, actor=world.finance_a, skip="Ａ００１\n")
    assert (batch.line_count, batch.total) == (1, D("25.00"))
    assert list(DuesPayment.objects.filter(batch=batch).values_list("member__name", flat=True)) == ["李四"]
    zhang = DuesLine.objects.get(run=run, member=crew.zhang)
    assert zhang.paid == D("0.00")
    run.refresh_from_db()
    assert run.paid_amount == D("40.00")  # 李四 25.00 and the twin's 15.00
    event = AuditEvent.objects.get(action="dues.batch_record")
    assert event.details == {"month": "2026-10-01", "lines": 1, "total": "25.00", "not_deducted": ["A001"]}
    assert [(r.member.name, r.months) for r in selectors.member_arrears(world.union_a)] == [("张三", 1)]
    # next time the one left out is deducted too, named or not
    assert services.dues_batch_record(run=run, actor=world.finance_a, skip=" ").line_count == 1


def test_arrears_and_last_paid_month(world, crew):
    sep = services.dues_run(org=world.union_a, month=SEP, actor=world.finance_a)
    services.dues_batch_record(run=sep, actor=world.finance_a)
    octo = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    services.dues_payment_record(line=DuesLine.objects.get(run=octo, member=crew.li), actor=world.finance_a)
    rows = selectors.member_arrears(world.union_a)
    assert [(r.member.name, r.months, r.amount, r.first_month) for r in rows] == [
        ("张三", 1, D("22.80"), OCT)
    ]
    assert selectors.union_arrears(world.union_a) == D("22.80")
    assert selectors.member_arrears_total(crew.zhang) == D("22.80")
    assert selectors.last_paid_month(crew.zhang) == SEP
    assert selectors.last_paid_month(crew.li) == OCT
    assert selectors.last_paid_month(crew.zhao) is None
    # the lapse list's figures: charged months without any payment in the window, last paid month
    assert selectors.lapse_dues([crew.zhang.pk, crew.li.pk, crew.zhao.pk], SEP, OCT) == {
        crew.zhang.pk: (1, SEP),
        crew.li.pk: (0, OCT),
        crew.zhao.pk: (0, None),
    }


def test_funds_levy_payments_split_and_ledger_reconcile(world, crew):
    fa = services.funds_assess(org=world.union_a, month=SEP, payroll_total="123456.78", actor=world.finance_a)
    assert (fa.levy, fa.levy_rate, fa.grassroots_share) == (D("2469.14"), D("0.0200"), D("0.6000"))
    fa = services.funds_assess(org=world.union_a, month=SEP, payroll_total="200000", actor=world.finance_a)
    assert fa.levy == D("4000.00")
    p = services.funds_payment_record(assessment=fa, amount="1234.57", actor=world.finance_a)
    assert (p.kept, p.remitted) == (D("740.74"), D("493.83"))
    services.funds_payment_record(assessment=fa, amount="0.05", actor=world.finance_a)
    with pytest.raises(ValidationError, match="超过未拨缴的2,765.38元"):
        services.funds_payment_record(assessment=fa, amount="2765.39", actor=world.finance_a)
    with pytest.raises(ValidationError, match="到账日期不能早于2026年9月"):
        services.funds_payment_record(
            assessment=fa, amount="1", paid_on=SEP - timedelta(days=1), actor=world.finance_a
        )
    assert FundsPayment.objects.filter(assessment=fa).count() == 2
    with pytest.raises(ValidationError, match="不能修改工资总额"):
        services.funds_assess(org=world.union_a, month=SEP, payroll_total="1", actor=world.finance_a)
    services.funds_assess(org=world.union_a, month=OCT, payroll_total="98765.43", actor=world.finance_a)
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    services.dues_payment_record(line=DuesLine.objects.get(run=run, member=crew.li), actor=world.finance_a)

    ledger = selectors.union_ledger(world.union_a)
    assert [r.month for r in ledger.rows] == [OCT, SEP]
    oct_row, sep_row = ledger.rows
    assert (oct_row.dues_due, oct_row.dues_paid, oct_row.dues_arrears) == (D("47.80"), D("25.00"), D("22.80"))
    assert (oct_row.levy, oct_row.levy_paid, oct_row.levy_arrears) == (D("1975.31"), D("0.00"), D("1975.31"))
    assert (sep_row.levy_paid, sep_row.kept, sep_row.remitted) == (D("1234.62"), D("740.77"), D("493.85"))
    t = ledger.total
    assert (t.payroll_total, t.levy, t.levy_paid, t.kept, t.remitted) == (
        D("298765.43"),
        D("5975.31"),
        D("1234.62"),
        D("740.77"),
        D("493.85"),
    )
    # every column of the total is the exact sum of the rows, and the parts add up
    for name in ("dues_due", "dues_paid", "payroll_total", "levy", "levy_paid", "kept", "remitted"):
        assert getattr(t, name) == sum(getattr(r, name) for r in ledger.rows)
    assert t.kept + t.remitted == t.levy_paid
    assert t.levy_paid + t.levy_arrears == t.levy
    assert t.dues_paid + t.dues_arrears == t.dues_due


def test_policy_update_validation_and_scope(world):
    with pytest.raises(ValidationError) as e:
        services.policy_update(
            org=world.fed,
            rate=D("0.5"),
            base_step=0,
            levy_rate=D("0"),
            grassroots_share=D("1.5"),
            actor=world.fed_admin,
        )
    assert set(e.value.message_dict) == {"rate", "base_step", "levy_rate", "grassroots_share"}
    with pytest.raises(ValidationError, match="由总工会"):
        services.policy_update(
            org=world.union_a,
            rate=D("0.005"),
            base_step=10,
            levy_rate=D("0.02"),
            grassroots_share=D("0.6"),
            actor=world.chair_a,
        )
    p = services.policy_update(
        org=world.fed,
        rate=D("0.005"),
        base_step=10,
        levy_rate=D("0.02"),
        grassroots_share=D("0.5"),
        actor=world.fed_admin,
    )
    assert selectors.policy_for(world.branch_a).grassroots_share == D("0.5")
    assert AuditEvent.objects.filter(action="dues.policy_update", target_id=str(p.pk)).count() == 1


def test_wage_set_refuses_bad_input(world, crew):
    with pytest.raises(ValidationError, match="工资金额“abc”不是数字"):
        services.wage_set(member=crew.zhao, month=SEP, wage="abc", actor=world.finance_a)
    with pytest.raises(ValidationError, match="不能为负数"):
        services.wage_set(member=crew.zhao, month=SEP, wage="-1", actor=world.finance_a)
    with pytest.raises(ValidationError, match="小数点后最多2位"):
        services.wage_set(member=crew.zhao, month=SEP, wage=8000.125, actor=world.finance_a)
    services.wage_set(member=crew.zhao, month=SEP, wage=8000.10, actor=world.finance_a)  # a float cell
    assert crypto.decrypt(WageBase.objects.get(member=crew.zhao).wage_enc) == "8000.10"
    services.wage_set(member=crew.zhao, month=SEP, wage=7000 * 1.1, actor=world.finance_a)  # binary noise
    assert crypto.decrypt(WageBase.objects.get(member=crew.zhao).wage_enc) == "7700.00"
    for written in ("5000元", "￥5,000.00", " 5000 元 "):  # as payroll sheets write it
        services.wage_set(member=crew.zhao, month=SEP, wage=written, actor=world.finance_a)
        assert crypto.decrypt(WageBase.objects.get(member=crew.zhao).wage_enc) == "5000.00"
    WageBase.objects.filter(member=crew.zhao).delete()
    with pytest.raises(ValidationError, match="不需要工资基数"):
        services.wage_set(member=crew.gone, month=SEP, wage="3000", actor=world.finance_a)
    with pytest.raises(ValidationError) as e:  # as the payroll sheet: not a month not yet paid
        services.wage_set(member=crew.zhao, month=date(2027, 3, 1), wage="6000", actor=world.finance_a)
    assert e.value.message_dict == {"month": ["不能选择未来的月份。"]}
    assert not WageBase.objects.filter(member__in=[crew.zhao, crew.gone]).exists()


def _xlsx(rows):
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.close()
    return buf.getvalue()


def test_wage_import_xlsx_by_member_number_and_id(world, crew):
    from dues.tests.factories import id_number

    zhao_id = crypto.decrypt(crew.zhao.id_number_enc)
    assert zhao_id == id_number(int(crew.zhao.name_pinyin[1:]))
    content = _xlsx(
        [
            ["姓名", "会员编号", "身份证号码", "应发工资（元）"],
            ["张三", "A001", "", 6100.5],
            ["赵六", "", zhao_id, "3210"],
        ]
    )
    result = services.wage_import(
        org=world.union_a, month=OCT, content=content, filename="工资表.xlsx", actor=world.finance_a
    )
    assert result == {"rows": 2, "created": 2, "updated": 0, "skipped": 0, "month": "2026-10-01"}
    assert WageBase.objects.get(member=crew.zhang, month=OCT).base == D("6100.00")
    assert WageBase.objects.get(member=crew.zhao, month=OCT).base == D("3210.00")
    again = services.wage_import(
        org=world.union_a, month=OCT, content=content, filename="工资表.xlsx", actor=world.finance_a
    )
    assert (again["created"], again["updated"]) == (0, 2)
    assert WageBase.objects.filter(month=OCT).count() == 2


def test_wage_import_reports_every_bad_row_and_saves_nothing(world, crew):
    csv_text = (
        "会员编号,姓名,工资\n"
        "A001,张三,5000\n"
        "A999,无名,5000\n"  # row 3: unknown number
        "A002,李四,abc\n"  # row 4: bad wage
        "A004,错名,4000\n"  # row 5: name mismatch
        "B001,周九,4000\n"  # row 6: other union's member
        "A001,张三,5100\n"  # row 7: duplicate of row 2
        ",,3000\n"  # row 8: no identifier
        "A003,王五,\n"  # row 9: wage not filled in: skipped, not an error
        "A003,王五,8000.125\n"  # row 10: a fraction of a fen
    )
    with pytest.raises(ValidationError) as e:
        services.wage_import(
            org=world.union_a, month=OCT, content=csv_text.encode(), filename="x.csv", actor=world.finance_a
        )
    assert e.value.messages == [
        "第3行：本工会没有会员编号为“A999”的在册会员。",
        "第4行：工资金额“abc”不是数字，请填写阿拉伯数字，如5000或5000.50。",
        "第5行：姓名“错名”与系统中的“赵六”不一致。",
        "第6行：本工会没有会员编号为“B001”的在册会员。",
        "第7行：与第2行是同一会员。",
        "第8行：会员编号和身份证号都为空。",
        "第10行：工资金额的小数点后最多2位（到分）。",
    ]
    assert not WageBase.objects.filter(month=OCT).exists()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"name,wage\nx,1\n", "x.csv", "缺少“会员编号”或“身份证号”列"),
        ("会员编号,姓名\nA001,张三\n".encode(), "x.csv", "缺少“工资”列"),
        (b"", "x.csv", "工资表是空的"),
        ("会员编号,工资\n".encode(), "x.csv", "只有表头"),
        (b"not a workbook", "x.xlsx", "无法读取该文件"),
        (b"hello", "x.pdf", "只支持xlsx"),
    ],
)
def test_wage_import_bad_files(world, crew, content, filename, message):
    with pytest.raises(ValidationError, match=message):
        services.wage_import(
            org=world.union_a, month=OCT, content=content, filename=filename, actor=world.finance_a
        )


def test_wage_import_gbk_csv(world, crew):
    content = "会员编号,工资\nA001,4000\n".encode("gbk")
    assert (
        services.wage_import(
            org=world.union_a, month=OCT, content=content, filename="x.csv", actor=world.finance_a
        )["created"]
        == 1
    )


def test_line_kinds_only_charged_lines_carry_amounts(world, crew):
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    assert set(
        DuesLine.objects.filter(run=run).exclude(kind=LineKind.CHARGED).values_list("amount", flat=True)
    ) == {D("0.00")}


def test_sql_run_matches_the_python_rules(world):
    """The set-based run (integer fen in SQL) gives exactly rules.dues_base/dues_amount, half up."""
    import random

    rng = random.Random(7)
    set_dues_rate(world, D("0.0033"), base_step=1)
    expected = {}
    for i in range(60):
        m = make_member(world.union_a, f"会员{i}")
        wage = D(rng.randint(0, 60000)) + D(rng.randint(0, 99)) / 100
        services.wage_set(member=m, month=SEP, wage=wage, actor=world.finance_a)
        base = rules.dues_base(wage, 1)
        expected[m.pk] = (base, rules.dues_amount(base, D("0.0033")))
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    got = {line.member_id: (line.base, line.amount) for line in DuesLine.objects.filter(run=run)}
    assert got == expected
    assert run.total_amount == sum(a for _b, a in expected.values())


def test_wage_import_flags_id_numbers_stored_as_numbers(world, crew):
    content = _xlsx([["身份证号", "工资"], [330106199001010011, 5000]])
    with pytest.raises(ValidationError) as e:
        services.wage_import(
            org=world.union_a, month=OCT, content=content, filename="x.xlsx", actor=world.finance_a
        )
    assert e.value.messages == [
        "第2行：身份证号被Excel存成了数字，后几位已丢失，请把该列设为文本格式后重新填写。"
    ]


def test_implausible_months_dates_and_wages_are_refused(world):
    from dues.forms import MonthField

    with pytest.raises(ValidationError) as e:
        MonthField().clean("1999-12")
    assert e.value.messages == ["月份应在2000年至2100年之间。"]
    with pytest.raises(ValidationError) as e:
        MonthField().clean("12-1999x")
    assert e.value.messages == ["请按“2026-11”的格式填写月份。"]
    # a month before anyone joined leaves no empty statement behind
    with pytest.raises(ValidationError) as e:
        services.dues_run(org=world.union_a, month=date(2001, 1, 1), actor=world.finance_a)
    assert e.value.message_dict == {"month": ["2001年1月本会没有在籍会员，无需核定会费。"]}
    assert not DuesRun.objects.filter(month=date(2001, 1, 1)).exists()
    m = make_member(world.union_a, "试工资")
    with pytest.raises(ValidationError) as e:
        services.wage_set(member=m, month=date(2026, 10, 1), wage="3.5", actor=world.finance_a)
    assert e.value.message_dict == {
        "wage": ["月工资3.50元低于100元，请核对是否少输了位数（当月无工资请填0）。"]
    }
    services.wage_set(member=m, month=date(2026, 10, 1), wage="0", actor=world.finance_a)
    run = services.dues_run(org=world.union_a, month=date(2026, 10, 1), actor=world.finance_a)
    services.wage_set(member=m, month=date(2026, 10, 1), wage="3500", actor=world.finance_a)
    run = services.dues_run(org=world.union_a, month=date(2026, 10, 1), actor=world.finance_a)
    with pytest.raises(ValidationError) as e:
        services.dues_batch_record(run=run, actor=world.finance_a, paid_on=date(2020, 1, 1))
    assert e.value.message_dict == {"paid_on": ["代扣日期不能早于会费所属月份（2026年10月）。"]}
    assert not PayrollBatch.objects.exists()


def test_the_downloaded_payroll_sheet_lists_the_members_and_comes_back_filled_in(world, crew):
    from python_calamine import CalamineWorkbook

    sheet = services.wage_template(org=world.union_a, month=NOV, actor=world.finance_a)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(sheet)).get_sheet_by_index(0).to_python()
    assert [r[:3] for r in rows[:1]] == [["会员编号", "姓名", "月工资"]]
    # Active and retained members of the union and its branch (孙八 joined in November), in the
    # registry's order (by pinyin; the factory's pinyin follows creation).
    assert [r[:2] for r in rows[1:]] == [
        ["A001", "张三"],
        ["A002", "李四"],
        ["A003", "王五"],
        ["A004", "赵六"],
        ["A006", "孙八"],
    ]
    ev = AuditEvent.objects.get(action="dues.wage_template")
    assert ev.details == {"month": "2026-11-01", "members": 5, "missing_only": False}

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row[:3])
    ws.write_number(3, 2, 3456.7)  # 王五
    ws.write_number(1, 2, 7000)  # 张三
    wb.close()
    result = services.wage_import(
        org=world.union_a, month=NOV, content=out.getvalue(), filename="工资表.xlsx", actor=world.finance_a
    )
    assert result == {"rows": 2, "created": 2, "updated": 0, "skipped": 3, "month": "2026-11-01"}
    assert WageBase.objects.get(member=crew.zhang, month=NOV).base == D("7000.00")

    only_missing = services.wage_template(org=world.union_a, month=NOV, actor=world.finance_a, missing=True)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(only_missing)).get_sheet_by_index(0).to_python()
    assert [r[:2] for r in rows[1:]] == [["A004", "赵六"]]  # the only one without a base


def test_a_payroll_sheet_with_no_wage_filled_in_or_a_number_lost_to_excel_is_refused(world, crew):
    with pytest.raises(ValidationError, match="工资表中没有填写工资的行"):
        services.wage_import(
            org=world.union_a,
            month=NOV,
            content="会员编号,姓名,工资\nA001,张三,\n".encode(),
            filename="x.csv",
            actor=world.finance_a,
        )
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["会员编号", "工资"])
    ws.write_row(1, 0, [20000289, 5000])  # was "020000289" before Excel made it a number
    wb.close()
    with pytest.raises(ValidationError) as e:
        services.wage_import(
            org=world.union_a, month=NOV, content=out.getvalue(), filename="x.xlsx", actor=world.finance_a
        )
    assert e.value.messages == [
        "第2行：本工会没有会员编号为“20000289”的在册会员。该列是数字格式，以0开头的编号会丢掉开头的0：请把该列设为“文本”格式后重新填写。"
    ]
    assert not WageBase.objects.filter(month=NOV).exists()


def test_funds_payment_keeps_the_official_receipt_number_once_per_union(world, crew):
    fa = services.funds_assess(org=world.union_a, month=SEP, payroll_total="100000", actor=world.finance_a)
    p = services.funds_payment_record(
        assessment=fa, amount="500", actor=world.finance_a, official_no="Ｎｏ．００１２３４５"
    )
    assert (p.official_no, p.receipt_no) == (
        "NO.0012345",
        "JF2026-000001",
    )  # full-width typed: normalized, one case
    ev = AuditEvent.objects.get(action="dues.funds_payment_record")
    assert ev.details["official_no"] == "NO.0012345"
    services.funds_payment_reverse(payment=p, reason="银行退票", actor=world.finance_a)
    octo = services.funds_assess(org=world.union_a, month=OCT, payroll_total="100000", actor=world.finance_a)
    # A voided form keeps its number: the same number again is refused, naming where it was used.
    with pytest.raises(ValidationError) as e:
        services.funds_payment_record(
            assessment=octo, amount="500", actor=world.finance_a, official_no="No.0012345"
        )
    assert e.value.message_dict == {
        "official_no": [
            "专用收据NO.0012345已登记在2026年9月的经费到账（凭证号JF2026-000001，已冲销）上，请核对号码。"
        ]
    }
    with pytest.raises(ValidationError, match="专用收据号码不能超过40个字符"):
        services.funds_payment_record(
            assessment=octo, amount="500", actor=world.finance_a, official_no="9" * 41
        )
    assert FundsPayment.objects.count() == 1
    # Another union's forms are its own; no number at all is allowed as often as needed.
    fb = services.funds_assess(org=world.union_b, month=SEP, payroll_total="100000", actor=world.chair_b)
    other = services.funds_payment_record(
        assessment=fb, amount="10", actor=world.chair_b, official_no="No.0012345"
    )
    assert other.receipt_no == "JF2026-000001"
    blank = [
        services.funds_payment_record(assessment=octo, amount="1", actor=world.finance_a) for _ in range(2)
    ]
    assert [b.official_no for b in blank] == ["", ""]


def test_the_official_receipt_number_is_recorded_later_and_put_right_with_an_audit(world, crew):
    fa = services.funds_assess(org=world.union_a, month=SEP, payroll_total="100000", actor=world.finance_a)
    first = services.funds_payment_record(
        assessment=fa, amount="500", actor=world.finance_a, official_no="A1"
    )
    p = services.funds_payment_record(assessment=fa, amount="500", actor=world.finance_a)
    with pytest.raises(ValidationError) as e:
        services.funds_payment_official_no(payment=p, official_no="A1", actor=world.finance_a)
    assert e.value.message_dict == {
        "official_no": ["专用收据A1已登记在2026年9月的经费到账（凭证号JF2026-000001）上，请核对号码。"]
    }
    services.funds_payment_official_no(payment=p, official_no="A2 ", actor=world.finance_a)
    services.funds_payment_official_no(payment=p, official_no="A3", actor=world.finance_a)
    services.funds_payment_official_no(
        payment=p, official_no="A3", actor=world.finance_a
    )  # unchanged: no record
    p.refresh_from_db()
    assert p.official_no == "A3"
    events = AuditEvent.objects.filter(action="dues.funds_official_no").order_by("id")
    assert [e.details for e in events] == [
        {"official_no": "A2", "before": ""},
        {"official_no": "A3", "before": "A2"},
    ]
    services.funds_payment_official_no(payment=first, official_no="", actor=world.finance_a)  # cleared
    first.refresh_from_db()
    assert first.official_no == ""
    services.funds_payment_reverse(payment=p, reason="银行退票", actor=world.finance_a)
    # The form issued for a reversed payment was voided; its number is still recorded, and kept.
    services.funds_payment_official_no(payment=p, official_no="a4", actor=world.finance_a)
    p.refresh_from_db()
    assert p.official_no == "A4"  # one way of writing it: "a4" and "A4" are the same form
    with pytest.raises(ValidationError) as e:
        services.funds_payment_official_no(payment=first, official_no="A4", actor=world.finance_a)
    assert e.value.message_dict == {
        "official_no": [
            "专用收据A4已登记在2026年9月的经费到账（凭证号JF2026-000002，已冲销）上，请核对号码。"
        ]
    }
