import datetime as dt
import tempfile

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from deadlines.holidays import install

pytestmark = pytest.mark.browser

SHOTS = tempfile.gettempdir()
D = dt.date.fromisoformat


def test_anonymous_request_escalates_to_the_federation_which_cannot_see_the_sender(
    new_page, live_world, login, clock
):
    install()
    clock(D("2026-03-02"))
    phone = new_page(phone=True)
    login(phone, "member_a")
    phone.goto("/appeals/")  # the module's entry: a member lands on their own requests
    phone.get_by_role("button", name="提交诉求").click()
    expect(phone.get_by_text("您的诉求将交给 甲公司工会 办理")).to_be_visible()
    phone.get_by_label("类别").select_option(label="工资报酬")
    phone.get_by_label("标题").fill("三月份加班费未发放")
    phone.get_by_label("具体情况").fill("车间三月份加班费至今未发放，请工会过问。")
    phone.get_by_label("对工会匿名").check()
    phone.screenshot(path=f"{SHOTS}/appeals-submit-phone.png", full_page=True)
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已提交给 甲公司工会，答复期限 2026-03-11。")).to_be_visible()
    expect(phone.get_by_text("是：工会看不到您的姓名")).to_be_visible()

    # Union A's staff see it, without a name, and let it run past its answer date.
    staff = new_page()
    login(staff, "staff_a")
    staff.goto("/appeals/")
    row = staff.get_by_role("row", name="三月份加班费未发放")
    expect(row).to_contain_text("匿名职工")
    assert "甲会员" not in staff.content()

    clock(D("2026-03-12"))
    call_command("deadlines_daily")  # the daily job: escalation, then notifications

    fed = new_page()
    login(fed, "fed_admin")
    fed.get_by_role("link", name="职工诉求").click()
    row = fed.get_by_role("row", name="三月份加班费未发放")
    expect(row).to_contain_text("测试街道总工会")
    expect(row).to_contain_text("匿名职工")
    row.get_by_role("link", name="三月份加班费未发放").click()
    expect(fed.get_by_text("甲公司工会 逾期 1 天未答复，自动转交上级工会。")).to_be_visible()
    expect(fed.get_by_text("已升级")).to_be_visible()
    html = fed.content()
    assert "甲会员" not in html
    assert "member_a" not in html
    fed.screenshot(path=f"{SHOTS}/appeals-federation-detail.png", full_page=True)
    detail_url = fed.url
    # The audit trail of the request names no one on the worker's side (the login events of the
    # member are another matter: see the report).
    for action, label in [
        ("appeals.appeal_submit", "提交职工诉求"),
        ("deadlines.deadline_upsert", "登记期限事项"),
    ]:
        fed.goto(f"/audit/?action={action}")
        expect(fed.get_by_role("cell", name=label).first).to_be_visible()
        assert "甲会员" not in fed.content()

    # The federation answers; the worker sees the answer on the phone and rates it.
    fed.goto(detail_url)
    fed.get_by_label("答复内容").fill("街道总工会已约谈公司，加班费将于 3 月 20 日随工资补发。")
    fed.get_by_role("button", name="提交答复").click()
    expect(fed.get_by_text("已答复，职工可在手机上查看并评价。")).to_be_visible()

    phone.goto("/appeals/mine/")
    phone.get_by_role("link", name="三月份加班费未发放").click()
    expect(phone.get_by_text("街道总工会已约谈公司")).to_be_visible()
    phone.get_by_label("您对办理结果是否满意").select_option(label="满意")
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("您的评价：满意")).to_be_visible()
    phone.screenshot(path=f"{SHOTS}/appeals-mine-phone.png", full_page=True)

    # Staff of union A no longer hold the request.
    staff.goto("/appeals/?status=")
    expect(staff.get_by_text("三月份加班费未发放")).to_have_count(0)
