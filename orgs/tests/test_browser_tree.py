import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_tree_expand_search_and_org_page(page, live_world, login):
    login(page, "fed_admin")
    page.get_by_role("link", name="组织架构").click()
    page.get_by_role("button", name="展开").click()
    expect(page.get_by_role("link", name="乙公司工会")).to_be_visible()
    page.get_by_role("button", name="展开").nth(1).click()  # 甲公司工会 has a branch
    expect(page.get_by_role("link", name="甲公司一车间分会")).to_be_visible()

    page.get_by_label("搜索组织").fill("乙公司")
    results = page.locator("#tree-body table")
    results.wait_for()
    expect(page.get_by_text("找到 1 个组织")).to_be_visible()
    page.get_by_role("link", name="乙公司工会").click()
    expect(page.get_by_role("heading", name="乙公司工会")).to_be_visible()
    warning = page.get_by_text("会员 40 人（≥25 人），尚未建立工会委员会。")
    expect(warning).to_have_count(0)  # not computed yet
    page.get_by_role("button", name="重新检查本组织及下级").click()
    page.locator("[data-status=done]").wait_for()
    page.reload()
    expect(page.get_by_text("会员 40 人（≥25 人），尚未建立工会委员会。")).to_be_visible()


def test_add_committee_member_and_edit_with_bad_credit_code(page, live_world, login):
    w = live_world
    login(page, "staff_a")
    page.goto(f"/orgs/{w.union_a.pk}/")
    page.get_by_text("添加委员会成员").click()
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("职务").select_option(label="主席")
    page.get_by_label("任职开始").fill("2023-01-01")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_text("已添加委员会成员。")).to_be_visible()
    expect(page.get_by_role("cell", name="张三")).to_be_visible()

    page.get_by_role("button", name="编辑信息").click()
    page.get_by_label("统一社会信用代码").fill("914403001922038217")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("统一社会信用代码校验位不正确，请核对。")).to_be_visible()
    w.union_a.refresh_from_db()
    assert w.union_a.credit_code == ""
