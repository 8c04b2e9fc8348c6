import pytest

pytestmark = pytest.mark.browser


def test_login_and_tree(page, live_world, login):
    login(page, "fed_admin")
    assert page.get_by_role("heading", name="您好，街道管理员").is_visible()
    page.get_by_role("link", name="组织架构").click()
    assert page.get_by_role("link", name="测试街道总工会").is_visible()
