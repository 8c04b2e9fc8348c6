"""Error pages speak the user's language and lead back home."""

from django.test import override_settings


def test_no_permission_page_is_in_chinese_with_the_layout(client, world):
    client.force_login(world.member_a)
    r = client.get("/deadlines/calendar/")
    assert r.status_code == 403
    page = r.content.decode()
    assert "没有权限" in page
    assert "请联系本工会的管理员为您分配相应的角色" in page
    assert 'class="sidebar"' in page  # the signed-in layout, so the user can go on from here
    assert "Forbidden" not in page


@override_settings(DEBUG=False)
def test_missing_page_is_in_chinese(client, world):
    client.force_login(world.staff_a)
    r = client.get("/members/999999999/")
    assert r.status_code == 404
    page = r.content.decode()
    assert "页面不存在" in page
    assert "返回首页" in page


@override_settings(DEBUG=False)
def test_missing_page_for_a_visitor(client, db):
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    assert "页面不存在" in r.content.decode()


def test_expired_form_page_is_in_chinese(world):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(world.staff_a)
    r = c.post("/accounts/logout/")
    assert r.status_code == 403
    assert "页面已过期" in r.content.decode()


def test_server_error_page_is_in_chinese():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "系统出错" in page
    assert "您的操作没有生效" in page


def test_djangos_form_messages_read_as_a_union_office_writes():
    from django import forms
    from django.utils import translation

    class F(forms.Form):
        note = forms.CharField(max_length=3)
        total = forms.DecimalField(max_digits=4, decimal_places=2)
        count = forms.IntegerField()

    with translation.override("zh-hans"):
        f = F({"note": "abcdef", "total": "123456", "count": ""})
        assert not f.is_valid()
        assert f.errors == {
            "note": ["最多3个字，现在有6个。"],
            "total": ["数字不能超过4位，请核对。"],
            "count": ["此项必填。"],
        }


def test_a_submit_only_address_opened_directly_says_so(client, world):
    from django.urls import reverse

    from members.tests.factories import make_member

    m = make_member(world, i=3)
    client.force_login(world.staff_a)
    url = reverse("members:erase", args=[m.pk])
    r = client.get(url)
    assert (r.status_code, r["Allow"]) == (405, "POST")
    page = r.content.decode()
    assert "不能直接打开" in page and "请回到原来的页面，用页面上的按钮办理" in page
    assert 'class="sidebar"' in page
    client.cookies["django_language"] = "en"
    assert "cannot be opened directly" in client.get(url).content.decode()
    # The API keeps its JSON answer; a submission is not touched.
    assert client.get("/api/v1/dues/funds/payments/1/reversal").json()["detail"].startswith("This address")
