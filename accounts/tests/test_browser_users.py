import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent

pytestmark = pytest.mark.browser


def test_federation_admin_adds_a_staff_user_who_cannot_see_the_sibling_union(new_page, live_world, login):
    w = live_world
    admin = new_page()
    login(admin, "fed_admin")
    admin.get_by_role("link", name="组织架构").click()
    admin.get_by_role("button", name="展开").first.click()
    admin.get_by_role("link", name="甲公司工会").click()
    expect(admin.get_by_role("heading", name="甲公司工会")).to_be_visible()
    admin.get_by_role("button", name="为本组织添加用户").click()
    admin.get_by_label("姓名").fill("王小明")
    admin.get_by_label("用户名").fill("wangxm")
    admin.get_by_label("角色").select_option(label="工会干事")
    admin.get_by_role("button", name="创建并生成邀请链接").click()
    expect(admin.get_by_role("heading", name="王小明")).to_be_visible()
    link = admin.locator("#invite-link").input_value()
    assert "/accounts/invitation/" in link

    # The new staff member opens the link on their own device and sets a password.
    staff = new_page(phone=True)
    staff.goto(link)
    staff.get_by_label("设置密码").fill("Union-Staff-2026")
    staff.get_by_label("再次输入密码").fill("Union-Staff-2026")
    staff.get_by_role("button", name="设置密码").click()
    expect(staff.get_by_text("密码已设置，请登录。")).to_be_visible()
    staff.get_by_label("用户名").fill("wangxm")
    staff.get_by_label("密码").fill("Union-Staff-2026")
    staff.get_by_role("button", name="登录").click()
    expect(staff.get_by_role("heading", name="您好，王小明")).to_be_visible()

    # They can open their union but not the sibling union (404 in pages and API).
    assert staff.goto(f"/orgs/{w.union_a.pk}/").status == 200
    assert staff.goto(f"/orgs/{w.union_b.pk}/").status == 404
    assert staff.goto(f"/api/v1/orgs/{w.union_b.pk}").status == 404
    assert staff.goto(f"/api/v1/orgs/{w.union_a.pk}").status == 200

    # The admin sees both actions in the audit trail.
    admin.get_by_role("link", name="审计日志").click()
    rows = admin.locator("#audit-table tbody tr")
    expect(rows.filter(has_text="邀请用户").filter(has_text="王小明")).to_have_count(1)
    expect(rows.filter(has_text="接受邀请并设置密码")).to_have_count(1)
    assert AuditEvent.objects.filter(action="user.invite", org=w.union_a).count() == 1


def test_staff_manages_roles_only_within_own_subtree(page, live_world, login):
    w = live_world
    login(page, "chair_a")
    page.get_by_role("link", name="用户与角色").click()
    expect(page.get_by_role("link", name="甲会员")).to_be_visible()
    expect(page.get_by_text("乙干事")).to_have_count(0)
    page.get_by_role("link", name="甲会员").click()
    # Web-first: the click returns before the user page has loaded.
    expect(page.get_by_label("组织").locator("option")).to_have_text(["甲公司工会", "甲公司一车间分会"])
    page.get_by_label("角色").select_option(label="职工代表")
    page.get_by_role("button", name="分配角色").click()
    expect(page.get_by_text("已分配角色。")).to_be_visible()
    # Union staff are not offered the federation admin role (the service refuses it anyway:
    # test_services.test_staff_cannot_grant_outside_subtree_or_federation_admin).
    roles = page.get_by_label("角色").locator("option")
    expect(roles.filter(has_text="职工代表")).to_have_count(1)
    expect(roles.filter(has_text="总工会管理员")).to_have_count(0)
    assert sorted(w.member_a.roles.values_list("role", flat=True)) == ["delegate", "member"]
