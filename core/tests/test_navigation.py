import re

from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Role
from core.context_processors import navigation
from core.navigation import shortcuts_for
from core.testing.world import make_user
from members.models import Member
from members.permissions import MEMBER_STATS
from members.tests.factories import make_member
from orgs import access


def test_a_member_sees_their_own_pages_in_the_menu_and_one_entry_is_active(world):
    m = make_member(world, i=1)
    Member.objects.filter(pk=m.pk).update(user=world.member_a)
    request = RequestFactory().get("/members/me/history/")
    request.user = world.member_a
    sections = navigation(request)["nav_sections"]
    mine = sections[0]
    assert str(mine["label"]) == "我的"
    assert [str(i["label"]) for i in mine["items"]] == ["我的会员卡", "会籍与会费", "我的信息"]
    active = [str(i["label"]) for s in sections for i in s["items"] if i["active"]]
    assert active == ["会籍与会费"]  # not also 我的会员卡, whose address starts this page's


def test_staff_without_a_member_role_have_no_member_pages(world):
    request = RequestFactory().get("/")
    request.user = world.staff_a
    labels = [str(s["label"]) for s in navigation(request)["nav_sections"]]
    assert "我的" not in labels


def test_a_members_home_page_leads_to_each_of_their_own_pages(world):
    labels = [str(i["label"]) for i in shortcuts_for(world.member_a)]
    assert labels == ["我的会员卡", "会籍与会费", "我的信息", "反映诉求", "厂务公开", "职工提案"]


def _stats_entries(user) -> list[tuple[str, str | None]]:
    request = RequestFactory().get("/")
    request.user = user
    return [
        (str(i["label"]), i["url"])
        for s in navigation(request)["nav_sections"]
        for i in s["items"]
        if str(i["label"]) in ("会员统计", "统计看板")
    ]


def test_member_statistics_in_the_menu_and_on_the_home_page_for_exactly_those_who_may_open_them(
    world, client
):
    stats = reverse("members:stats")
    fed_staff = make_user("fed_staff", Role.UNION_STAFF, world.fed)
    allowed = [world.fed_admin, fed_staff, world.chair_a, world.staff_a, world.finance_a, world.staff_b]
    denied = [world.mediator_a, world.secretariat_a, world.delegate_a, world.member_a]
    for user in allowed + denied:
        may = access.has_any(user, MEMBER_STATS)
        assert may is (user in allowed), user.username
        client.force_login(user)
        assert client.get(stats).status_code == (200 if may else 403), user.username
        assert _stats_entries(user) == ([("会员统计", "/members/stats/")] if may else []), user.username
        shortcut = [s["url"] for s in shortcuts_for(user) if str(s["label"]) == "会员统计"]
        assert shortcut == ([stats] if may else []), user.username
        home = client.get(reverse("core:home")).content.decode()
        buttons = re.search(r'<nav class="(?:shortcuts|tiles)".*?</nav>', home, flags=re.S).group(0)
        assert (f'href="{stats}">会员统计</a>' in buttons) is may, user.username


def test_the_federations_shortcuts_in_order(world):
    fed_staff = make_user("fed_staff", Role.UNION_STAFF, world.fed)
    assert [str(s["label"]) for s in shortcuts_for(world.fed_admin)] == [
        "组织架构",
        "会费与经费",
        "职工诉求",
        "用户与角色",
        "审计日志",
        "会员统计",
    ]
    assert [str(s["label"]) for s in shortcuts_for(fed_staff)] == [
        "会员名册",
        "导入会员",
        "厂务公开",
        "职工诉求",
        "困难职工帮扶",
        "我的期限",
        "会员统计",
    ]
