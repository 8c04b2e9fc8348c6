import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from deadlines import calendar

from .factories import id_number, make_household, make_payment

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def clock():
    calendar.freeze(date(2026, 11, 25))
    yield
    calendar.freeze(None)


def test_household_classified_and_notice_honours_consent(new_page, live_world, login, clock):
    admin = new_page()
    login(admin, "fed_admin")
    admin.goto("/assistance/standards/")
    admin.get_by_label("地区（总工会）").select_option(label="测试街道总工会")
    admin.get_by_label("低保标准（元/人·月）").fill("1000")
    admin.get_by_role("button", name="保存").click()
    expect(admin.get_by_text("已保存低保标准。")).to_be_visible()

    page = new_page()
    login(page, "staff_a")
    page.get_by_role("link", name="困难职工帮扶").click()
    page.get_by_role("button", name="新建家庭档案").click()
    page.get_by_label("所属工会").select_option(label="甲公司工会")
    page.get_by_label("申请人姓名").fill("王建国")
    page.get_by_label("身份证号").fill(id_number())
    page.get_by_label("工作单位").fill("甲机械有限公司")
    page.get_by_label("申请人年可支配收入（元）").fill("18000")
    page.get_by_label("家庭年刚性支出（元）").fill("6000")
    page.get_by_label("主要致困原因").select_option(label="本人或家属患病")
    page.get_by_label("健康状况（敏感信息）").fill("慢性肾病，每周透析")
    page.get_by_label("开户银行").fill("工商银行")
    page.get_by_label("银行账号（敏感信息）").fill("6222020200112233445")
    page.get_by_role("button", name="建立档案").click()
    # one person: (18 000 − 6 000) ÷ 12 = 1 000.00, not below the 低保 → relative hardship
    expect(page.get_by_text("已建立家庭档案，当前认定为：相对困难。")).to_be_visible()
    expect(page.locator("#category")).to_have_text("相对困难")
    form = page.locator("form[action$='/members/']")
    form.get_by_label("姓名").fill("李秀英")
    form.get_by_label("与申请人关系").select_option(label="配偶")
    form.get_by_label("年可支配收入（元）").fill("6000")
    form.get_by_role("button", name="添加成员").click()
    # two people: (24 000 − 6 000) ÷ 12 ÷ 2 = 750.00 < 1 000 → deep hardship
    expect(page.get_by_text("已保存。当前认定为：深度困难。")).to_be_visible()
    expect(page.locator("#category")).to_have_text("深度困难")
    expect(page.get_by_text("6222020200112233445")).to_have_count(0)
    page.get_by_role("button", name="显示银行账号").click()
    expect(page.get_by_test_id("revealed")).to_have_text("6222020200112233445")

    page.get_by_role("button", name="基层审核通过").click()
    expect(page.get_by_text("审核通过，认定为深度困难。")).to_be_visible()
    page.get_by_label("走访人").fill("甲干事、甲主席")
    page.get_by_label("走访情况").fill("家中两口人，丈夫患病需长期透析，情况属实。")
    page.get_by_role("button", name="登记入户走访").click()
    page.get_by_label("拟帮扶金额（元）").fill("3000")
    page.get_by_role("button", name="开始公示").click()
    expect(page.get_by_text("申请人尚未签署申请书和收入核查授权书。")).to_be_visible()
    consent = page.locator("form[action$='/consent/']")
    consent.get_by_label("同意公示（单独同意）").check()
    consent.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记申请书与授权书。")).to_be_visible()
    page.get_by_label("拟帮扶金额（元）").fill("3000")
    page.get_by_role("button", name="开始公示").click()
    expect(page.get_by_text("已开始公示，公示期至2026-12-02。")).to_be_visible()
    page.screenshot(path=str(SHOTS / "assistance-detail.png"), full_page=True)

    member = new_page(phone=True)
    login(member, "member_a")
    member.goto("/assistance/notice/")
    table = member.locator("#notice-table")
    expect(table.get_by_text("王**")).to_be_visible()
    expect(table.get_by_text("深度困难")).to_be_visible()
    expect(table.get_by_text("3000.00")).to_be_visible()
    body = table.inner_text()
    for secret in ("王建国", "甲机械", id_number(), "110105", "3445", "透析", "6000", "18000"):
        assert secret not in body
    member.screenshot(path=str(SHOTS / "assistance-notice-phone.png"), full_page=True)


def test_finance_reverses_a_payment_and_sees_the_total_drop(new_page, live_world, login, clock):
    from assistance.models import Fund, Status

    h = make_household(live_world, Status.ARCHIVED)
    fund = Fund.objects.create(org=live_world.fed, name="街道帮扶资金")
    wrong = make_payment(live_world, h, fund, "1500")
    make_payment(live_world, h, fund, "800", kind="medical", paid_on=date(2026, 4, 8))

    page = new_page()
    login(page, "finance_a")
    page.goto(f"/assistance/{h.pk}/")
    expect(page.locator("#paid-total")).to_have_text("2300.00")
    form = page.locator(f"#reverse-{wrong.pk}")
    expect(form).to_be_hidden()
    page.locator(f"#payment-{wrong.pk}").get_by_role("link", name="冲销").click()
    expect(form).to_contain_text("冲销2026-04-01发放的生活救助 1500.00 元")
    expect(form.get_by_label("冲销日期")).to_have_value("2026-11-25")  # today by default
    page.once("dialog", lambda d: d.accept())
    form.get_by_role("button", name="确认冲销").click()
    expect(page.get_by_text("请填写冲销原因。")).to_be_visible()  # nothing was reversed
    expect(page.locator("#paid-total")).to_have_text("2300.00")

    # The refused form comes back open, as it was sent.
    expect(form.get_by_label("冲销日期")).to_be_visible()
    form.get_by_label("冲销原因（必填）").fill("重复登记，银行未实际发放")
    page.locator("#payments").screenshot(path=str(SHOTS / "assistance-reversal-form.png"))
    page.once("dialog", lambda d: d.accept())
    form.get_by_role("button", name="确认冲销").click()
    expect(page.get_by_text("已冲销2026-04-01发放的1500.00元。该户发放合计现为800.00元。")).to_be_visible()
    expect(page.locator("#paid-total")).to_have_text("800.00")
    row = page.locator(f"#payment-{wrong.pk}")
    expect(row.get_by_text("已冲销")).to_be_visible()
    expect(row.get_by_role("link", name="冲销")).to_have_count(0)
    expect(form).to_have_count(0)
    expect(row.locator("td.void").first).to_have_css("text-decoration-line", "line-through")
    expect(page.locator(".reversal-row")).to_contain_text(
        "冲销 −1500.00 元 · 经办人：finance_a · 原因：重复登记，银行未实际发放"
    )
    page.locator("#payments").screenshot(path=str(SHOTS / "assistance-reversal.png"))
    page.screenshot(path=str(SHOTS / "assistance-reversal-page.png"), full_page=True)
    page.goto("/assistance/funds/")
    expect(page.locator("#fund-totals tbody")).to_have_text(re.compile(r"街道帮扶资金.*2026\s*1\s*800\.00"))
    page.screenshot(path=str(SHOTS / "assistance-reversal-funds.png"), full_page=True)

    phone = new_page(phone=True)
    login(phone, "finance_a")
    phone.goto(f"/assistance/{h.pk}/#payments")
    expect(phone.locator("#paid-total")).to_have_text("800.00")
    phone.locator("#payments").get_by_role("link", name="冲销").click()
    phone.locator("#payments").screenshot(path=str(SHOTS / "assistance-reversal-phone.png"))
