import datetime as dt
import re

from django.urls import reverse

from core.selectors import attention_for
from deadlines import calendar as cal
from deadlines.services import deadline_done, deadline_upsert
from members import services as member_services
from members.tests.factories import make_member

D = dt.date.fromisoformat


def _deadlines(world):
    """Union A: two overdue, two due within the 3-day window, one later, one done; union B: one overdue."""
    for i, due in enumerate(
        ["2026-11-05", "2026-11-20", "2026-12-07", "2026-12-10", "2026-12-11", "2026-11-01"]
    ):
        deadline_upsert(org=world.union_a, source=("test.case", i), title=f"甲事项{i}", due_on=D(due))
    deadline_done(source=("test.case", 5))
    deadline_upsert(org=world.union_b, source=("test.case", "b"), title="乙事项", due_on=D("2026-11-05"))


def _waiting_for_union_a(world):
    """An online application, a member's correction request and a transfer from union B."""
    make_member(world, i=1, name="申请人", approve=False)
    member = make_member(world, i=2, name="甲会员二")
    member_services.correction_request(
        member=member, field="department", value="二车间", actor=world.member_a
    )
    incoming = make_member(world, org=world.union_b, i=3, name="乙会员", actor=world.staff_b)
    member_services.transfer_request(member=incoming, to_org=world.union_a, actor=world.staff_b)


def _todo_stats(html: str) -> list[tuple[str, str, str]]:
    """The home page's to-do figures: (number, label, link)."""
    block = html.split('<article class="todo"', 1)[1].split("</article>", 1)[0]
    return [
        (n, label, href)
        for href, n, label in re.findall(
            r'<a class="stat[^"]*" href="([^"]+)"><span class="n">(\d+)</span><span class="l">([^<]+)</span>',
            block,
        )
    ]


def test_the_chairs_to_dos_are_their_deadlines_as_my_deadlines_counts_them_and_what_waits_in_the_registry(
    world, client
):
    _deadlines(world)
    _waiting_for_union_a(world)
    client.force_login(world.chair_a)
    with cal.frozen_today(D("2026-12-07")):
        home = client.get(reverse("core:home"))
        mine = client.get(reverse("deadlines:mine"))
    assert mine.context["counts"] == {"open": 5, "overdue": 2, "soon": 2}
    assert home.context["todo"] == {
        "window": 3,
        "overdue": 2,
        "soon": 2,
        "applications": 1,
        "corrections": 1,
        "transfers": 1,
        "erasure": 0,
        "total": 7,
    }
    html = home.content.decode()
    assert _todo_stats(html) == [
        ("2", "已逾期", "/deadlines/?state=overdue"),
        ("2", "3 日内到期", "/deadlines/?state=soon"),
        ("1", "入会申请待审批", "/members/applications/"),
        ("1", "更正申请待处理", "/members/corrections/"),
        ("1", "转会待接收", "/members/transfers/"),
        ("0", "个人信息到期待删除", "/members/erasure/"),
    ]
    assert '待办事项 <span class="badge badge-danger">7</span>' in html
    # The organization card's figure is the rules the union breaks, and says so.
    assert '<span class="l">组织提醒</span>' in html
    assert "提醒事项" not in html


def test_to_dos_reach_as_far_as_the_users_roles(world):
    _deadlines(world)
    _waiting_for_union_a(world)
    with cal.frozen_today(D("2026-12-07")):
        # The federation sees both unions' deadlines; the transfer is between two of its unions.
        assert attention_for(world.fed_admin) == {
            "window": 3,
            "overdue": 3,
            "soon": 2,
            "applications": 1,
            "corrections": 1,
            "transfers": 1,
            "erasure": 0,
            "total": 8,
        }
        # Union B's staff: its own overdue deadline; the transfer waits on union A, not on B.
        assert attention_for(world.staff_b) == {
            "window": 3,
            "overdue": 1,
            "soon": 0,
            "applications": 0,
            "corrections": 0,
            "transfers": 0,
            "erasure": None,
            "total": 1,
        }
        # Finance registers no members: deadlines only, no registry figures.
        assert attention_for(world.finance_a) == {
            "window": 3,
            "overdue": 2,
            "soon": 2,
            "applications": None,
            "corrections": None,
            "transfers": None,
            "erasure": None,
            "total": 4,
        }


def test_finance_sees_no_registry_to_dos_and_nothing_waiting_shows_zeros(world, client):
    client.force_login(world.finance_a)
    with cal.frozen_today(D("2026-12-07")):
        html = client.get(reverse("core:home")).content.decode()
    assert _todo_stats(html) == [
        ("0", "已逾期", "/deadlines/?state=overdue"),
        ("0", "3 日内到期", "/deadlines/?state=soon"),
    ]
    assert '<h3 id="todo-head">待办事项</h3>' in html


def test_a_members_home_has_no_to_do_block(world, client):
    client.force_login(world.member_a)
    html = client.get(reverse("core:home")).content.decode()
    assert 'class="todo"' not in html


def test_home_page_queries_stay_bounded(world, client, django_assert_max_num_queries):
    _deadlines(world)
    _waiting_for_union_a(world)
    client.force_login(world.fed_admin)
    with cal.frozen_today(D("2026-12-07")), django_assert_max_num_queries(16):
        assert client.get(reverse("core:home")).status_code == 200


def test_recent_activity_leaves_out_sign_ins_and_names_the_system_in_the_readers_language(world, client):
    from audit.services import audit_record

    client.force_login(world.chair_a)
    audit_record(actor=world.staff_a, action="user.login", target=world.staff_a, org=world.union_a)
    audit_record(actor=None, action="members.import_apply", target=world.union_a, org=world.union_a)
    audit_record(actor=world.staff_a, action="org.update", target=world.union_a, org=world.union_a)
    events = client.get("/").context["recent_events"]
    assert [e.action for e in events] == ["org.update", "members.import_apply"]
    client.cookies["django_language"] = "en"
    body = client.get("/").content.decode()
    assert " · System · " in body and "系统" not in body.split("Recent activity", 1)[1]
