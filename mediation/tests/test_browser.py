import datetime as dt
import tempfile

import pytest
from playwright.sync_api import expect

from deadlines.holidays import install

SHOTS = tempfile.gettempdir()

pytestmark = pytest.mark.browser

D = dt.date.fromisoformat


def test_case_opened_friday_before_spring_festival_turns_overdue_on_day_16(page, live_world, login, clock):
    install()
    clock(D("2026-02-13"))  # Friday; the Spring Festival holiday runs 02-15 .. 02-23
    login(page, "mediator_a")
    page.get_by_role("link", name="劳动争议调解").click()
    page.get_by_role("button", name="受理调解申请").click()
    page.get_by_label("争议类型").select_option(label="劳动报酬")
    page.get_by_label("申请方式").select_option(label="口头申请（当场记录）")
    page.get_by_label("争议发生日期").fill("2026-01-31")
    page.get_by_label("职工（申请人）姓名").fill("张三")
    page.get_by_label("职工基本情况").fill("装配车间 操作工")
    page.get_by_label("用人单位名称").fill("张三")  # a slip: the same name on both sides
    page.get_by_label("申请事项与理由").fill("拖欠 2025 年 12 月工资")
    page.get_by_label("请求事项").fill("支付拖欠工资")
    page.get_by_label("请求金额（元）").fill("-6800")
    page.get_by_role("button", name="受理").click()
    expect(page.get_by_text("当事人重复：张三")).to_be_visible()
    expect(page.get_by_text("请求金额不能为负数。")).to_be_visible()
    expect(page.get_by_text("口头申请应当场记录").first).to_be_visible()
    page.screenshot(path=f"{SHOTS}/mediation-form-errors.png", full_page=True)

    page.get_by_label("用人单位名称").fill("甲公司")
    page.get_by_label("请求金额（元）").fill("6800")
    page.get_by_label("口头申请笔录").fill("张三于 2 月 13 日到工会口头申请，称公司拖欠 12 月工资 6800 元。")
    page.get_by_role("button", name="受理").click()
    expect(page.get_by_text("已受理，案件编号 2026-001，调解期限至 2026-02-28。")).to_be_visible()
    countdown = page.get_by_label("调解期限")
    expect(countdown).to_contain_text("调解期限至 2026-02-28，还剩 15 天（今天是收到申请后第 0 天）")
    page.screenshot(path=f"{SHOTS}/mediation-case.png", full_page=True)
    case_url = page.url

    # A session dated tomorrow is refused; what was typed is still there to correct.
    page.get_by_text("记录调解会", exact=True).click()
    page.get_by_label("调解日期").fill("2026-02-14")
    page.get_by_label("调解员").fill("赵志强")
    page.get_by_label("调解记录").fill("双方到场，公司同意核对考勤后答复。")
    page.get_by_role("button", name="保存调解记录").click()
    expect(page.get_by_text("调解日期：调解日期不能晚于今天（请在调解后记录）。")).to_be_visible()
    expect(page.get_by_label("调解记录")).to_have_value("双方到场，公司同意核对考勤后答复。")
    expect(page.get_by_label("调解员")).to_have_value("赵志强")
    page.get_by_label("调解日期").fill("2026-02-13")
    page.get_by_role("button", name="保存调解记录").click()
    expect(page.get_by_text("双方到场，公司同意核对考勤后答复。")).to_be_visible()
    expect(page.get_by_label("调解记录")).to_have_value("")

    clock(D("2026-02-28"))  # day 15, the make-up working Saturday
    page.goto(case_url)
    expect(page.get_by_label("调解期限")).to_contain_text("还剩 0 天（今天是收到申请后第 15 天）")

    clock(D("2026-03-01"))  # day 16
    page.goto(case_url)
    expect(page.get_by_label("调解期限")).to_contain_text("15 日调解期限已于 2026-02-28 届满，已超过 1 天")
    page.get_by_role("link", name="劳动争议调解").first.click()
    expect(page.get_by_text("已超过 15 日调解期限 1 天")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/mediation-list-overdue.png", full_page=True)

    # The deadline is on the mediator's own list, overdue.
    page.goto("/deadlines/?state=overdue")
    expect(page.get_by_text("调解案件 2026-001 的 15 日调解期限（劳动报酬）")).to_be_visible()
    expect(page.get_by_text("逾期 1 天")).to_be_visible()

    # No agreement: the arbitration limitation date is shown (2026-01-31 + 1 year = 2027-01-31, a Sunday).
    page.goto(case_url)
    page.get_by_text("未达成协议", exact=True).click()
    page.get_by_role("button", name="确认未达成协议").click()
    expect(page.get_by_text("仲裁时效一年，至 2027-02-01 届满")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/mediation-no-agreement.png", full_page=True)


def test_agreement_is_printable(page, live_world, login, clock):
    from mediation.tests.helpers import make_case

    install()
    case = make_case(live_world)
    clock(D("2026-02-20"))
    login(page, "staff_a")
    page.goto(f"/mediation/{case.pk}/")
    page.get_by_text("达成调解协议", exact=True).click()
    page.get_by_label("协议内容").fill("甲公司于 2026 年 3 月 2 日前支付张三 2025 年 12 月工资 6800 元。")
    page.get_by_label("履行期限").fill("2026-04-05")  # Qingming holiday
    page.get_by_role("button", name="确认达成协议").click()
    expect(
        page.get_by_text("履行期限 2026-04-05 是法定节假日或休息日，请改为工作日（如 2026-04-07）。")
    ).to_be_visible()
    # the refused form is open again with what was typed: only the date needs changing
    expect(page.get_by_label("协议内容")).to_have_value(
        "甲公司于 2026 年 3 月 2 日前支付张三 2025 年 12 月工资 6800 元。"
    )
    page.get_by_label("履行期限").fill("2026-03-02")
    page.get_by_label("履行方式").fill("银行转账")
    page.get_by_role("button", name="确认达成协议").click()
    page.get_by_role("button", name="打印调解协议书").click()
    expect(page.get_by_role("heading", name="调解协议书")).to_be_visible()
    expect(page.get_by_text("调解员（签名）：")).to_be_visible()
    page.emulate_media(media="print")
    page.screenshot(path=f"{SHOTS}/mediation-agreement-print.png", full_page=True)
    expect(page.locator(".sidebar")).to_be_hidden()


def test_committee_and_statistics(page, live_world, login, clock):
    from mediation.tests.helpers import make_case

    install()
    make_case(live_world)
    make_case(live_world, cause="injury")
    clock(D("2026-03-02"))
    login(page, "chair_a")
    page.goto("/mediation/")
    page.get_by_role("button", name="调解委员会").click()
    page.get_by_label("委员会名称").first.fill("甲公司劳动争议调解委员会")
    page.get_by_role("button", name="成立").first.click()
    expect(page.get_by_text("已成立调解委员会。")).to_be_visible()
    page.locator("summary", has_text="增加委员").click()
    page.get_by_label("姓名").fill("钱主任")
    page.get_by_label("代表方").select_option(label="职工代表")
    page.get_by_label("职务").select_option(label="主任")
    page.get_by_role("button", name="增加委员").click()
    expect(page.get_by_text("调解委员会主任应由工会成员担任，或由双方推举的人员担任")).to_be_visible()
    # the refused form is open again with what was chosen: only the missing tick is added
    expect(page.get_by_label("姓名")).to_have_value("钱主任")
    expect(page.get_by_label("职务")).to_have_value("chair")
    page.get_by_label("工会会员").check()
    page.get_by_role("button", name="增加委员").click()
    expect(page.get_by_role("cell", name="钱主任")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/mediation-committee.png", full_page=True)
    page.goto("/mediation/stats/")
    expect(page.get_by_role("row", name="劳动报酬").get_by_role("cell").nth(1)).to_have_text("1")
    page.screenshot(path=f"{SHOTS}/mediation-stats.png", full_page=True)
