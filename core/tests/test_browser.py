import datetime as dt
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from deadlines.services import deadline_upsert, notify_run
from members import services as member_services
from members.tests.factories import make_member

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir())  # screenshots for people to look at
D = dt.date.fromisoformat


def test_a_chair_finds_what_waits_on_the_home_page_and_the_statistics_in_the_menu(
    page, live_world, login, clock
):
    w = live_world
    clock(D("2026-11-25"))
    deadline_upsert(org=w.union_a, source=("test.q", 1), title="答复职工提问：年休假", due_on=D("2026-11-20"))
    deadline_upsert(org=w.union_a, source=("test.q", 2), title="提案答复：第3号", due_on=D("2026-11-05"))
    deadline_upsert(org=w.union_a, source=("test.q", 3), title="帮扶审批", due_on=D("2026-12-09"))
    notify_run()  # the daily job of 25 November
    make_member(w, i=1, name="申请人", approve=False)
    member_services.correction_request(
        member=make_member(w, i=2, name="甲会员二"), field="department", value="二车间", actor=w.member_a
    )
    clock(D("2026-12-07"))  # read twelve days later

    login(page, "chair_a")
    todo = page.locator("article.todo")
    expect(todo.get_by_role("heading")).to_have_text("待办事项 5")
    expect(todo.locator(".stat")).to_have_text(
        ["2已逾期", "13 日内到期", "1入会申请待审批", "1更正申请待处理", "0转会待接收", "0个人信息到期待删除"]
    )
    page.screenshot(path=SHOTS / "home-chair.png", full_page=True)

    todo.get_by_role("link", name="已逾期").click()
    expect(page.get_by_role("heading", name="我的期限")).to_be_visible()
    expect(page.get_by_role("row", name="提案答复：第3号")).to_contain_text("逾期 32 天")
    expect(page.get_by_role("row", name="答复职工提问：年休假")).to_contain_text("逾期 17 天")

    page.goto("/deadlines/notifications/")
    expect(page.get_by_role("row", name="提案答复：第3号")).to_contain_text(
        "已逾期：提案答复：第3号（到期日 2026-11-05）现状：逾期 32 天"
    )
    expect(page.get_by_role("row", name="答复职工提问：年休假")).to_contain_text(
        "已逾期：答复职工提问：年休假（到期日 2026-11-20）现状：逾期 17 天"
    )

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="会员统计").click()
    expect(page.get_by_role("heading", name="会员统计")).to_be_visible()
    assert page.url.endswith("/members/stats/")
