import tempfile
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from deadlines.holidays import install

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir())


def test_contract_from_written_request_to_in_effect(page, new_page, live_world, login, clock):
    # The dates below count the 2026 National Day holiday; a transactional test run before this one
    # flushes the holiday rows the migration installed.
    install()
    clock(date(2026, 9, 1))
    login(page, "staff_a")
    page.get_by_role("link", name="集体协商").click()
    page.get_by_role("button", name="登记书面协商要约").click()
    page.get_by_label("发起组织").select_option(label="甲公司工会")
    page.get_by_label("协商名称").fill("2026年甲公司工资专项集体合同")
    page.get_by_label("合同类型").select_option(label="工资专项集体合同")
    page.get_by_label("用人单位（或企业方代表组织）").fill("甲机械有限公司")
    page.get_by_role("button", name="登记要约").click()
    expect(page.get_by_text("已登记书面要约，对方应在2026-09-21前书面回应。")).to_be_visible()
    expect(page.locator("#dates").get_by_text("还剩20天")).to_be_visible()

    clock(date(2026, 9, 8))
    page.reload()
    form = page.locator("form[action$='/negotiators/']")
    people = [
        ("workers", "张主席", True),
        ("workers", "李代表", False),
        ("workers", "王代表", False),
        ("employer", "赵总", True),
        ("employer", "钱经理", False),
        ("employer", "孙经理", False),
    ]
    for side, name, chief in people:
        page.locator("summary", has_text="添加协商代表").click()
        form = page.locator("form[action$='/negotiators/']")
        form.get_by_label("所属方").select_option(side)
        form.get_by_label("姓名").fill(name)
        if chief:
            form.get_by_label("首席代表").check()
        form.get_by_role("button", name="添加").click()
        expect(page.get_by_text(f"已添加协商代表 {name}。")).to_be_visible()
    # a duplicate on the other side is refused with a clear message
    page.locator("summary", has_text="添加协商代表").click()
    form = page.locator("form[action$='/negotiators/']")
    form.get_by_label("所属方").select_option("employer")
    form.get_by_label("姓名").fill("李代表")
    form.get_by_role("button", name="添加").click()
    expect(page.get_by_text("李代表 已是对方协商代表，同一人不得同时担任双方代表。")).to_be_visible()
    expect(page.get_by_text("双方代表符合规定")).to_be_visible()

    page.get_by_role("button", name="登记书面回应，开始协商").click()
    expect(page.locator("#status")).to_have_text("协商中")
    page.get_by_label("会议纪要").fill("双方就2027年工资增长幅度交换意见，职工方提出增长8%。")
    page.get_by_role("button", name="保存会议纪要").click()
    expect(page.get_by_text("已登记第1次协商会议。")).to_be_visible()
    page.locator("summary", has_text="提交新的草案版本").click()
    page.get_by_label("合同文本").fill(
        "第一条 适用范围：甲机械有限公司全体职工。\n第二条 2027年职工工资平均增长6%。"
    )
    page.get_by_role("button", name="保存草案").click()
    page.locator("summary", has_text="提交新的草案版本").click()
    page.get_by_label("合同文本").fill(
        "第一条 适用范围：甲机械有限公司全体职工。\n第二条 2027年职工工资平均增长7%。\n第三条 最低工资不低于当地标准的120%。"
    )
    page.get_by_label("修改说明").fill("第二轮协商后修改")
    page.get_by_role("button", name="保存草案").click()
    page.get_by_role("button", name="比较草案版本").click()
    expect(page.locator("del", has_text="6").first).to_be_visible()
    expect(page.locator("ins", has_text="7").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "bargaining-diff.png"), full_page=True)
    page.go_back()
    page.get_by_role("button", name="草案提交职代会审议").click()
    expect(page.locator("#status")).to_have_text("草案待审议")

    clock(date(2026, 9, 15))
    page.reload()
    page.get_by_label("职工代表总数").fill("60")
    page.get_by_label("到会人数").fill("39")
    page.get_by_label("同意人数").fill("35")
    page.get_by_role("button", name="登记职代会表决结果").click()
    expect(page.get_by_text("表决未通过：须三分之二以上代表到会且全体代表过半数同意。")).to_be_visible()
    page.get_by_label("职工代表总数").fill("60")
    page.get_by_label("到会人数").fill("52")
    page.get_by_label("同意人数").fill("48")
    page.get_by_role("button", name="登记职代会表决结果").click()
    expect(page.get_by_text("表决通过。")).to_be_visible()
    page.get_by_label("合同期限（年数）").select_option("3")
    page.get_by_role("button", name="登记双方首席代表签字").click()
    expect(page.get_by_text("双方首席代表已签字，应在2026-09-28前报送劳动行政部门。")).to_be_visible()
    # 25 September 2026 is 中秋节: rolled to Monday
    expect(page.get_by_test_id("filing-due")).to_have_text("2026-09-28")

    clock(date(2026, 9, 18))
    page.reload()
    page.get_by_role("button", name="登记报送").click()
    # Day 15 (3 October) falls in the National Day holiday: the review period, and with it the
    # contract's effective date, runs on to the first working day after it.
    expect(page.get_by_test_id("review-due")).to_have_text("2026-10-08")
    expect(page.get_by_test_id("effective-on")).to_have_text("2026-10-08")
    expect(page.get_by_text("（第15日遇节假日，顺延至节后第一个工作日）")).to_be_visible()
    expect(
        page.get_by_text(
            "审查期至2026-10-08届满。无异议的，合同自2026-10-08起生效；届满次日起可在此确认生效。"
        )
    ).to_be_visible()

    # on the last day an objection may still come: confirmed from the day after
    clock(date(2026, 10, 8))
    page.reload()
    expect(page.get_by_role("button", name="确认合同生效")).to_have_count(0)
    clock(date(2026, 10, 9))
    page.reload()
    page.get_by_role("button", name="确认合同生效").click()
    expect(page.get_by_text("集体合同已生效。")).to_be_visible()
    expect(page.locator("#status")).to_have_text("已生效")
    # renewal window: 3 months before expiry
    expect(page.get_by_text("2029-06-14 至 2029-09-14")).to_be_visible()
    page.screenshot(path=str(SHOTS / "bargaining-detail.png"), full_page=True)
    page.get_by_role("button", name="打印合同文本").click()
    expect(page.get_by_text("第三条 最低工资不低于当地标准的120%。")).to_be_visible()
    page.screenshot(path=str(SHOTS / "bargaining-print.png"), full_page=True)
    phone = new_page(phone=True)
    login(phone, "chair_a")
    phone.goto(page.url.replace("/print/", "/"))
    expect(phone.locator("#status")).to_have_text("已生效")
    phone.screenshot(path=str(SHOTS / "bargaining-detail-phone.png"), full_page=True)
