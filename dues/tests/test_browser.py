"""A union's finance officer runs the month's dues, takes one payment at the counter, records the
payroll deduction for everyone else, checks arrears, and enters the employer's union funds."""

import re
import tempfile
from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dues import services
from dues.models import DuesLine, DuesPayment, DuesRun, FundsAssessment, PayrollBatch
from members.models import MemberStatus

from .factories import make_member

pytestmark = pytest.mark.browser
SHOTS = tempfile.gettempdir()  # screenshots for a person to look at


def test_finance_runs_dues_records_payroll_batch_and_funds(live_world, page, new_page, login):
    w = live_world
    zhang = make_member(w.union_a, "张三", member_no="A001")
    li = make_member(w.branch_a, "李四", member_no="A002")
    make_member(w.union_a, "王五", member_no="A003", status=MemberStatus.RETAINED)
    make_member(w.union_a, "赵六", member_no="A004")
    services.wage_set(member=zhang, month=date(2026, 1, 1), wage="4567.89", actor=w.finance_a)
    services.wage_set(member=li, month=date(2026, 1, 1), wage="5001", actor=w.finance_a)
    month = f"{timezone.localdate():%Y-%m}"

    login(page, "finance_a")
    page.get_by_role("link", name="会费与经费").first.click()
    page.get_by_role("link", name="甲公司工会").click()
    expect(page.get_by_role("heading", name="甲公司工会")).to_be_visible()

    # 赵六 has no wage base yet: enter it on the wage page.
    page.get_by_role("button", name="工资基数").click()
    expect(page.get_by_role("row", name=re.compile("赵六")).get_by_text("缺")).to_be_visible()
    page.get_by_label("赵六的月工资").fill("3999.99")
    page.get_by_role("row", name=re.compile("赵六")).get_by_role("button", name="保存").click()
    expect(
        page.get_by_text(f"已保存赵六的工资基数：从{timezone.localdate():%Y年%-m月}起按3,990元计缴。")
    ).to_be_visible()
    page.screenshot(path=f"{SHOTS}/dues-wages.png", full_page=True)

    # Run the month.
    page.get_by_role("link", name="甲公司工会").click()
    page.get_by_label("核定月份").fill(month)
    page.get_by_role("button", name="核定会费").click()
    expect(
        page.get_by_text(re.compile("应缴3人，合计67.75元；保留会籍免缴1人；缺工资基数0人"))
    ).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("王五.*保留会籍免缴"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("张三.*4,?560.*22.80"))).to_be_visible()

    # 张三 pays 10 yuan in cash at the counter and gets a receipt.
    page.get_by_label("张三缴费金额").fill("10")
    page.get_by_role("row", name=re.compile("张三")).get_by_role("button", name="收款").click()
    expect(page.get_by_role("heading", name="工会会费收据")).to_be_visible()
    expect(page.get_by_text("¥ 10.00")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/dues-receipt.png", full_page=True)
    page.get_by_role("button", name="返回会费明细").click()

    # Arrears before the payroll deduction.
    page.get_by_role("link", name="甲公司工会").click()
    page.get_by_role("button", name="欠缴名单").click()
    expect(page.get_by_role("row", name=re.compile("张三.*12.80"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("李四.*25.00"))).to_be_visible()
    page.screenshot(path=f"{SHOTS}/dues-arrears.png", full_page=True)

    # The payroll deduction for everyone still owing but 赵六, whose wage had no dues taken this
    # month; a mistyped name first, refused and kept in the box to correct.
    page.get_by_role("link", name="甲公司工会").click()
    page.get_by_role("link", name=re.compile(r"\d{4}年\d{1,2}月")).first.click()
    page.get_by_label("本月未代扣的会员（选填）").fill("赵六六")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="登记工资代扣（未缴 3 人）").click()
    expect(page.get_by_text("本月会费明细中没有会员编号或姓名为“赵六六”的应缴会员。")).to_be_visible()
    assert not PayrollBatch.objects.exists()
    expect(page.get_by_label("本月未代扣的会员（选填）")).to_have_value("赵六六")
    page.get_by_label("本月未代扣的会员（选填）").fill("赵六")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="登记工资代扣（未缴 3 人）").click()
    expect(page.get_by_text("已登记工资代扣：2人，合计37.80元。 仍有1人未缴。")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/dues-statement.png", full_page=True)
    run = DuesRun.objects.get(org=w.union_a)
    assert (str(run.total_amount), str(run.paid_amount)) == ("67.75", "47.80")
    page.get_by_role("link", name="甲公司工会").click()
    page.get_by_role("button", name="欠缴名单").click()
    expect(page.get_by_role("row", name=re.compile("赵六.*19.95"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("张三|李四"))).to_have_count(0)

    # Union funds: the employer's payroll total, 2% levy, money arriving, split 60/40.
    page.get_by_role("link", name="甲公司工会").click()
    page.get_by_label("月份", exact=True).fill(month)
    page.get_by_label("单位工资总额（元）").fill("123456.78")
    page.get_by_role("button", name="登记工资总额").click()
    expect(page.get_by_text(re.compile("工资总额123,456.78元，应拨缴2,469.14元"))).to_be_visible()
    page.get_by_role("button", name="到账").click()
    expect(page.get_by_text("已登记经费到账2,469.14元：基层留成1,481.48元，上解987.66元。")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/dues-union.png", full_page=True)
    page.get_by_role("button", name="经费台账").click()
    expect(
        page.get_by_role("row", name=re.compile("合计.*67.75.*47.80.*19.95.*123,?456.78.*2,?469.14"))
    ).to_be_visible()
    page.screenshot(path=f"{SHOTS}/dues-ledger.png", full_page=True)

    # The printable statement; and the statement on a phone.
    page.goto(f"/dues/runs/{run.pk}/?print=1")
    page.emulate_media(media="print")
    expect(page.get_by_text("会费缴纳明细表")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_hidden()
    page.screenshot(path=f"{SHOTS}/dues-print.png", full_page=True)
    page.emulate_media(media="screen")
    phone = new_page(phone=True)
    login(phone, "chair_a")
    phone.goto(f"/dues/runs/{run.pk}/")
    expect(phone.get_by_role("row", name=re.compile("张三.*已缴清"))).to_be_visible()
    phone.screenshot(path=f"{SHOTS}/dues-phone.png", full_page=True)


def test_finance_reverses_a_payment_a_payroll_batch_and_a_funds_payment(live_world, page, login):
    """A payment recorded for the wrong person, a payroll batch from the wrong sheet and money the bank
    sent back are each reversed (冲销) with a reason; nothing is deleted and the totals follow."""
    w = live_world
    zhang = make_member(w.union_a, "张三", member_no="A001")
    li = make_member(w.union_a, "李四", member_no="A002")
    services.wage_set(member=zhang, month=date(2026, 1, 1), wage="4567.89", actor=w.finance_a)
    services.wage_set(member=li, month=date(2026, 1, 1), wage="5001", actor=w.finance_a)
    month = timezone.localdate().replace(day=1)
    run = services.dues_run(org=w.union_a, month=month, actor=w.finance_a)
    pay = services.dues_payment_record(
        line=DuesLine.objects.get(run=run, member=zhang), amount="10", actor=w.finance_a
    )
    fa = services.funds_assess(org=w.union_a, month=month, payroll_total="100000", actor=w.finance_a)
    fpay = services.funds_payment_record(assessment=fa, amount="500", actor=w.finance_a)

    login(page, "finance_a")
    # 1. The 10 yuan were 李四's, not 张三's: reverse it from the receipt.
    page.goto(f"/dues/payments/{pay.pk}/receipt/")
    page.get_by_text("冲销", exact=True).click()
    dialogs: list[str] = []

    def asked(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", asked)
    page.get_by_role("button", name="确认冲销").click()
    # without a reason the browser keeps the form (the reason is required): no question, nothing sent
    reason = page.get_by_label(f"{pay.receipt_no}冲销原因")
    assert reason.evaluate("e => e.validity.valueMissing") is True
    page.wait_for_timeout(300)
    assert dialogs == [] and not DuesPayment.objects.get(pk=pay.pk).is_reversed
    page.remove_listener("dialog", asked)
    reason.fill("收款时登记错了人")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="确认冲销").click()
    expect(page.get_by_text(re.compile(r"已冲销张三\d{4}年\d{2}月会费10.00元"))).to_be_visible()
    expect(page.get_by_text("本收据已冲销作废")).to_be_visible()
    expect(page.get_by_text(re.compile("原因：收款时登记错了人"))).to_be_visible()
    page.screenshot(path=f"{SHOTS}/dues-reversal-receipt.png", full_page=True)

    # 2. The payroll deduction, then its reversal on the statement.
    page.get_by_role("button", name="返回会费明细").click()
    expect(page.get_by_role("row", name=re.compile("张三.*22.80.*0.00.*收据 10.00.*已冲销"))).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="登记工资代扣（未缴 2 人）").click()
    expect(page.get_by_text("已登记工资代扣：2人，合计47.80元。")).to_be_visible()
    batches = page.locator("#batches")
    batches.get_by_text("整批冲销", exact=True).click()
    batches.get_by_role("textbox").fill("用错了上个月的工资表")
    page.screenshot(path=f"{SHOTS}/dues-reversal-form.png", full_page=True)
    page.once("dialog", lambda d: d.accept())
    batches.get_by_role("button", name="确认冲销").click()
    expect(
        page.get_by_text(re.compile("的工资代扣：2人，合计47.80元，这些会员的会费恢复为未缴。"))
    ).to_be_visible()
    expect(page.locator("#batches").get_by_text("用错了上个月的工资表")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("李四.*25.00.*0.00"))).to_be_visible()
    expect(page.locator("#batches").get_by_role("button", name="确认冲销")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/dues-reversal-statement.png", full_page=True)
    run.refresh_from_db()
    assert (str(run.paid_amount), str(run.arrears)) == ("0.00", "47.80")
    page.get_by_role("link", name="甲公司工会").click()
    page.get_by_role("button", name="欠缴名单").click()
    expect(page.get_by_role("row", name=re.compile("张三.*22.80"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("李四.*25.00"))).to_be_visible()

    # 3. The bank sent the union funds back: reverse the payment on the ledger.
    page.get_by_role("link", name="甲公司工会").click()
    page.get_by_role("button", name="经费台账").click()
    row = page.get_by_role("row", name=re.compile(fpay.receipt_no))
    row.get_by_text("冲销", exact=True).click()
    page.get_by_label(f"{fpay.receipt_no}冲销原因").fill("银行退票")
    page.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="确认冲销").click()
    expect(
        page.get_by_text(
            f"已冲销经费到账500.00元（凭证号{fpay.receipt_no}）：基层留成冲减300.00元，上解冲减200.00元。"
        )
    ).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("红字冲销.*-500.00.*-300.00.*-200.00.*银行退票"))
    ).to_be_visible()
    expect(
        page.get_by_role(
            "row", name=re.compile("合计.*47.80.*0.00.*47.80.*100,?000.00.*2,?000.00.*0.00.*2,?000.00")
        )
    ).to_be_visible()
    page.screenshot(path=f"{SHOTS}/dues-reversal-ledger.png", full_page=True)
    assert FundsAssessment.objects.get(pk=fa.pk).paid == 0


def test_federation_admin_sets_the_split_and_sees_every_union(live_world, page, login):
    login(page, "fed_admin")
    page.get_by_role("link", name="会费与经费").first.click()
    expect(page.get_by_role("link", name="甲公司工会")).to_be_visible()
    expect(page.get_by_role("link", name="乙公司工会")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/dues-home.png", full_page=True)
    page.get_by_role("button", name="会费与经费标准").click()
    expect(page.get_by_label("会费比例（%）")).to_have_value("0.5")
    page.get_by_label("基层工会留成（%）").fill("70")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存会费与经费标准")).to_be_visible()
    expect(page.get_by_label("基层工会留成（%）")).to_have_value("70")
    expect(page.get_by_label("工会经费拨缴比例（%）")).to_have_value("2")
    page.screenshot(path=f"{SHOTS}/dues-policy.png", full_page=True)
    page.goto(f"/dues/org/{live_world.union_a.pk}/")
    expect(page.get_by_text("基层工会留成 70%、上解 30%")).to_be_visible()
    # A federation admin sees the union's dues but does not run them.
    expect(page.get_by_role("button", name="核定会费")).to_have_count(0)


def test_finance_takes_a_payment_on_a_phone(live_world, new_page, login):
    """At the counter with a phone: the statement reads as cards and each card's payment form is
    whole on the screen (the table cut it off at the right)."""
    w = live_world
    zhang = make_member(w.union_a, "张三", member_no="A001")
    services.wage_set(member=zhang, month=date(2026, 1, 1), wage="4567.89", actor=w.finance_a)
    run = services.dues_run(org=w.union_a, month=timezone.localdate().replace(day=1), actor=w.finance_a)
    phone = new_page(phone=True)
    login(phone, "finance_a")
    phone.goto(f"/dues/runs/{run.pk}/")
    amount = phone.get_by_label("张三缴费金额")
    box = amount.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    receive = phone.get_by_role("button", name="收款")
    rbox = receive.bounding_box()
    assert rbox is not None and rbox["x"] + rbox["width"] <= 390
    phone.screenshot(path=f"{SHOTS}/dues-run-phone.png", full_page=True)
    amount.fill("22.80")
    receive.click()
    expect(phone.get_by_role("heading", name="工会会费收据")).to_be_visible()
    assert DuesLine.objects.get(run=run, member=zhang).paid == D("22.80")
