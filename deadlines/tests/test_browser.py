import datetime as dt
import tempfile

import pytest
from playwright.sync_api import expect

from deadlines import calendar
from deadlines.holidays import install
from deadlines.services import deadline_upsert, notify_run

pytestmark = pytest.mark.browser

SHOTS = tempfile.gettempdir()
D = dt.date.fromisoformat


def test_holiday_table_edit_and_my_deadlines(page, live_world, login, clock):
    install()
    clock(D("2026-03-09"))
    deadline_upsert(
        org=live_world.union_a,
        source=("test.case", 1),
        title="甲公司集体合同报送期限",
        due_on=D("2026-03-10"),
        url="",
    )
    notify_run()
    login(page, "fed_admin")
    page.get_by_role("link", name="期限日历").click()
    expect(page.get_by_role("heading", name="我的期限")).to_be_visible()
    expect(page.get_by_text("甲公司集体合同报送期限")).to_be_visible()
    expect(page.get_by_text("还剩 1 天")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/deadlines-mine.png", full_page=True)

    page.get_by_role("button", name="节假日与调休表").click()
    expect(page.get_by_role("heading", name="2026 年节假日与调休表")).to_be_visible()
    expect(page.get_by_role("row", name="2026-02-28").get_by_text("调休上班日")).to_be_visible()
    # A make-up working day on a Monday makes no sense: refused with a clear message.
    page.get_by_label("日期").fill("2026-03-16")
    page.get_by_label("类型").select_option(label="调休上班日")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("调休上班日应为周六或周日；工作日本来就要上班。")).to_be_visible()
    page.get_by_label("日期").fill("2026-03-10")
    page.get_by_label("类型").select_option(label="法定节假日（放假）")
    page.get_by_label("名称").fill("临时放假")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存 2026-03-10。")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/deadlines-calendar.png", full_page=True)
    assert calendar.is_working_day(D("2026-03-10")) is False
    assert calendar.due_date("mediation.case", D("2026-02-23")) == D("2026-03-11")


def test_staff_sees_notifications(page, live_world, login, clock):
    install()
    clock(D("2026-03-12"))
    deadline_upsert(
        org=live_world.union_a,
        source=("test.case", 2),
        title="调解案件 2026-003 的 15 日调解期限",
        due_on=D("2026-03-10"),
        url="/deadlines/",
    )
    notify_run()
    login(page, "staff_a")
    page.goto("/deadlines/notifications/")
    expect(
        page.get_by_text("已逾期：调解案件 2026-003 的 15 日调解期限（到期日 2026-03-10）")
    ).to_be_visible()
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", name="我的期限")).to_be_visible()
