from django.test import RequestFactory

from core.context_processors import navigation
from members.models import Member
from members.tests.factories import make_member


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


def test_a_members_home_page_leads_to_each_of_their_own_pages():
    from core.navigation import shortcuts_for

    labels = [str(i["label"]) for i in shortcuts_for({"member"})]
    assert labels[:3] == ["我的会员卡", "会籍与会费", "我的信息"]
