"""The union publishes an item on the open-affairs board; a worker reads it on her phone and asks a
question; with the test clock 31 days on, the question shows as overdue to the office and to her."""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from affairs import clock

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir())  # screenshots for people to look at


def test_question_turns_overdue_after_thirty_days(new_page, live_world, login, monkeypatch):
    today = timezone.localdate()

    office = new_page()
    login(office, "staff_a")
    office.get_by_role("navigation", name="主导航").get_by_role("link", name="厂务公开", exact=True).click()
    office.get_by_role("button", name="发布公开事项").first.click()
    office.get_by_label("公开类别").select_option(label="涉及职工切身利益的重大决定")
    office.get_by_label("标题").fill("2027年度职工工资调整方案")
    office.get_by_label("公开内容").fill(
        "经第三届职工代表大会第二次会议审议通过，自2027年1月起一线职工岗位工资平均上调5%。"
    )
    office.get_by_label("公开开始").fill(today.isoformat())
    office.get_by_label("公开截止").fill((today + timedelta(days=30)).isoformat())
    office.get_by_role("button", name="发布").click()
    expect(office.get_by_text("已发布：2027年度职工工资调整方案")).to_be_visible()

    worker = new_page(phone=True)
    login(worker, "member_a")
    worker.get_by_role("button", name="菜单").click()
    worker.get_by_role("navigation", name="主导航").get_by_role("link", name="厂务公开", exact=True).click()
    expect(worker.get_by_role("heading", name="厂务公开栏")).to_be_visible()
    expect(worker.locator(".board-items .badge")).to_have_text("未读")
    expect(worker.get_by_text("您有 1 项未读")).to_be_visible()
    worker.screenshot(path=SHOTS / "affairs-board-phone.png", full_page=True)
    worker.get_by_role("link", name="2027年度职工工资调整方案").click()
    expect(worker.get_by_text("自2027年1月起一线职工岗位工资平均上调5%")).to_be_visible()
    worker.get_by_label("我要提问").fill("上调5%是否包括劳务派遣职工？")
    worker.get_by_role("button", name="提交问题").click()
    due = (today + timedelta(days=30)).strftime("%Y-%m-%d")
    expect(worker.get_by_text(f"问题已提交，工会将在 {due} 前答复。")).to_be_visible()

    # The office sees who has read the item.
    office.goto("/affairs/")
    office.get_by_role("link", name="2027年度职工工资调整方案").click()
    expect(office.get_by_role("heading", name="阅读情况：1 / 2 名职工已读（50.0%）")).to_be_visible()
    office.screenshot(path=SHOTS / "affairs-item-readers.png", full_page=True)

    # 31 days later nobody has answered: the question is overdue.
    monkeypatch.setattr(clock, "today", lambda: today + timedelta(days=31))
    office.goto("/affairs/")
    office.get_by_role("button", name="职工提问").click()
    office.get_by_role("link", name="逾期未答复 (1)").click()
    row = office.get_by_role("row").filter(has_text="上调5%是否包括劳务派遣职工？")
    expect(row.get_by_text("逾期 1 天")).to_be_visible()
    office.screenshot(path=SHOTS / "affairs-questions-overdue.png", full_page=True)

    worker.goto("/affairs/")
    expect(worker.get_by_text("逾期未答复")).to_be_visible()

    office.get_by_role("link", name="上调5%是否包括劳务派遣职工？").click()
    office.get_by_label("答复").fill("包括。劳务派遣职工与本单位职工同工同酬，同步调整。")
    office.get_by_role("button", name="提交答复").click()
    expect(office.get_by_text("超期答复")).to_be_visible()

    worker.goto("/affairs/")
    expect(worker.locator(".board-items .badge-ok")).to_have_text("已答复")
    worker.get_by_role("link", name="上调5%是否包括劳务派遣职工？").click()
    expect(worker.get_by_text("包括。劳务派遣职工与本单位职工同工同酬，同步调整。")).to_be_visible()
    worker.screenshot(path=SHOTS / "affairs-question-answered-phone.png", full_page=True)
