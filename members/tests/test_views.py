from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse

from audit.models import AuditEvent
from members import selectors, services
from members.models import Member, MemberStatus
from members.tests.factories import make_member, person
from members.views import apply_token


@pytest.fixture
def registry(world):
    names = ["张三", "张珊", "李四", "王五", "赵六", "张三丰"]
    return [make_member(world, i=i, name=n) for i, n in enumerate(names, start=1)]


def names(resp):
    return [row["name"] for row in resp.context["page"]["rows"]]


def test_list_page_queries_are_bounded(world, registry, client, django_assert_max_num_queries):
    for i in range(30):
        make_member(world, i=100 + i)
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(10):
        r = client.get(reverse("members:list"))
    assert r.status_code == 200
    assert len(names(r)) == 20 and r.context["page"]["has_next"] is True
    body = r.content.decode()
    assert "第 1 / 2 页" in body and 'page=2">末页' not in body  # the next page is the last
    r = client.get(reverse("members:list") + "?page=2")
    nav = r.content.decode().split('class="pagination"', 1)[1].split("</nav>", 1)[0]
    assert "第 2 / 2 页" in nav and "首页" not in nav  # page 1 is the previous page
    empty = client.get(reverse("members:list") + "?q=zzzzqq").content.decode()
    assert "没有找到与“zzzzqq”匹配的会员" in empty
    assert 'class="pagination"' not in empty and "导出当前筛选结果" not in empty
    with django_assert_max_num_queries(10):
        r = client.get(
            reverse("members:list") + f"?q=zs&org={world.union_a.pk}&sex=M&status=active&age=35-44&migrant=0"
        )
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("zs", ["张三", "张三丰", "张珊"]),
        ("zhangsan", ["张三", "张三丰"]),
        ("张三", ["张三", "张三丰"]),
        ("ls", ["李四"]),
        # Initials with a vowel: names starting with 安 (an), 欧 (ou), 阿 (a).
        ("al", ["安丽", "阿兰"]),  # initials a-l, and the pinyin "alan" starts with "al"
        ("oyn", ["欧阳娜"]),
        ("oy", ["欧阳娜"]),
        ("anli", ["安丽"]),
        ("li", ["李四"]),  # i is never an initial: pinyin only
    ],
)
def test_search_by_name_pinyin_and_initials(world, registry, client, q, expected):
    for i, name in enumerate(["安丽", "欧阳娜", "阿兰"], start=50):
        make_member(world, i=i, name=name)
    client.force_login(world.staff_a)
    r = client.get(reverse("members:list"), {"q": q})
    assert sorted(names(r)) == sorted(expected)


def test_search_by_last_digits_member_no_and_full_numbers(world, registry, client):
    client.force_login(world.staff_a)
    li = registry[2]
    idn = person(3)["id_number"]
    assert li.name == "李四"
    for q in (idn[-4:], idn, li.member_no, person(3)["phone"]):
        r = client.get(reverse("members:list"), {"q": q})
        assert "李四" in names(r), q
    # A system number without its leading zeros, and a union's own numbering with letters.
    assert li.member_no.startswith("0") and len(li.member_no) == 13  # (the union id, zero-padded, first)
    assert names(client.get(reverse("members:list"), {"q": li.member_no.lstrip("0")})) == ["李四"]
    # The card number, as printed on the card and on its check page (year of issue + member number).
    assert len(li.card_no) == 17 and li.card_no.endswith(li.member_no)
    assert names(client.get(reverse("members:list"), {"q": li.card_no})) == ["李四"]
    assert names(client.get(reverse("members:list"), {"q": "1999" + li.member_no})) == []  # not its year
    Member.objects.filter(pk=li.pk).update(member_no="XH-2026-0001")
    for q in ("XH-2026-0001", "xh-2026", "XH-2026-00"):
        assert names(client.get(reverse("members:list"), {"q": q})) == ["李四"], q
    Member.objects.filter(pk=li.pk).update(card_no="2026XH-2026-0001")
    assert names(client.get(reverse("members:list"), {"q": "2026xh-2026-0001"})) == ["李四"]


def test_a_whole_number_search_is_recorded_per_member_found_with_the_number_masked(world, registry, client):
    from core.validators import mask_id_number, mask_mobile

    client.force_login(world.staff_a)
    li = registry[2]
    idn, phone = person(3)["id_number"], person(3)["phone"]
    for q in ("ls", idn[-4:], li.member_no):  # names and last digits: an ordinary search
        client.get(reverse("members:list"), {"q": q})
    assert not AuditEvent.objects.filter(action="members.lookup").exists()
    client.get(reverse("members:list"), {"q": idn})
    client.get("/api/v1/members/", {"q": phone})
    client.get(reverse("members:list"), {"q": "110105198001010011"})  # nobody: nothing to record
    events = AuditEvent.objects.filter(action="members.lookup").order_by("id")
    assert [(e.target_id, e.org_id, e.details) for e in events] == [
        (str(li.pk), world.union_a.pk, {"field": "id_number", "q": mask_id_number(idn)}),
        (str(li.pk), world.union_a.pk, {"field": "phone", "q": mask_mobile(phone)}),
    ]
    assert all(idn not in str(e.details) and phone not in str(e.details) for e in events)
    # an export of such a search keeps the number masked too
    client.get(reverse("members:export"), {"q": idn, "format": "csv", "org": world.union_a.pk})
    export = AuditEvent.objects.get(action="members.export")
    assert export.details["filters"]["q"] == mask_id_number(idn)


def test_membership_changes_page_chooses_a_union_and_pages(world, registry, client):
    client.force_login(world.fed_admin)
    r = client.get(reverse("members:events"))  # the federation's whole subtree
    assert r.context["org"] == world.fed
    assert [o.pk for o in r.context["orgs"]] == [o.pk for o in selectors.event_orgs(world.fed_admin)]
    assert world.union_b in list(r.context["orgs"])
    assert len(r.context["page"]["rows"]) == 12 and not r.context["page"]["has_next"]  # created, approved
    assert "甲公司工会" in r.content.decode()  # each row names its union
    assert world.fed in list(r.context["orgs"])  # a federation may hold members itself
    r = client.get(reverse("members:events"), {"org": world.union_b.pk})
    assert r.context["org"] == world.union_b and r.context["page"]["rows"] == []
    assert "暂无会籍变动。" in r.content.decode()
    # A union's page includes its branches' changes, naming the branch.
    make_member(world, world.branch_a, i=40, name="分会会员")
    r = client.get(reverse("members:events"), {"org": world.union_a.pk})
    assert len(r.context["page"]["rows"]) == 14
    assert "分会会员" in r.content.decode() and "甲公司一车间分会" in r.content.decode()
    r = client.get(reverse("members:events"), {"org": world.branch_a.pk})
    assert [e.member.name for e in r.context["page"]["rows"]] == ["分会会员", "分会会员"]
    # a transfer between two of its unions is written into both, and shown on its page once
    services.transfer_accept(
        transfer=services.transfer_request(member=registry[0], to_org=world.union_b, actor=world.staff_a),
        actor=world.staff_b,
    )
    rows = client.get(reverse("members:events")).context["page"]["rows"]
    assert [(e.kind, e.org_id) for e in rows[:2]] == [
        ("transferred", world.union_b.pk),
        ("transfer_requested", world.union_a.pk),
    ]
    assert len(rows) == 16
    assert len(client.get(reverse("members:events"), {"org": world.union_a.pk}).context["page"]["rows"]) == 16
    assert len(client.get(reverse("members:events"), {"org": world.union_b.pk}).context["page"]["rows"]) == 1


def test_an_empty_search_under_a_filter_says_the_filter_applies(world, registry, client):
    client.force_login(world.staff_a)
    body = client.get(reverse("members:list"), {"q": "张三", "status": "retained"}).content.decode()
    assert "没有找到与“张三”匹配的会员。" in body and "也在起作用。" in body
    assert 'href="?q=%E5%BC%A0%E4%B8%89">清除筛选再找</a>' in body
    assert "也在起作用" not in client.get(reverse("members:list"), {"q": "无此人"}).content.decode()


def test_a_page_past_the_end_says_so_and_leads_back(world, registry, client):
    client.force_login(world.staff_a)
    r = client.get(reverse("members:list"), {"q": "张", "page": "999"})
    body = r.content.decode()
    assert r.context["page"]["past_end"] is True and r.context["page"]["rows"] == []
    assert "列表没有第 999 页这么多。" in body and '<a href="?q=%E5%BC%A0&sort=name">回到第一页</a>' in body
    assert "没有找到" not in body
    r = client.get(reverse("members:list"), {"q": "张"})
    assert r.context["page"]["past_end"] is False and names(r) == ["张三", "张三丰", "张珊"]
    r = client.get(reverse("members:list"), {"page": "99999999999999999999"})  # no integer overflow
    assert r.status_code == 200 and r.context["page"]["past_end"] is True
    r = client.get(reverse("members:events"), {"org": world.union_a.pk, "page": "99999999999999999999"})
    assert r.status_code == 200 and r.context["page"]["past_end"] is True
    r = client.get(reverse("members:events"), {"org": world.union_a.pk, "page": "50"})
    assert "列表没有第 50 页这么多。" in r.content.decode() and "暂无会籍变动" not in r.content.decode()


def test_htmx_search_renders_partial(world, registry, client):
    client.force_login(world.staff_a)
    r = client.get(
        reverse("members:list"), {"q": "zs"}, headers={"HX-Request": "true", "HX-Target": "member-results"}
    )
    body = r.content.decode()
    assert "张三" in body and "<html" not in body


def test_list_is_masked(world, registry, client):
    client.force_login(world.staff_a)
    body = client.get(reverse("members:list")).content.decode()
    assert person(1)["id_number"] not in body
    assert person(1)["id_number"][-4:] in body


def test_the_list_order_can_be_chosen_without_the_headings(world, registry, client):
    """A phone shows the list as cards, without the column headings that order it: a list does."""
    client.force_login(world.staff_a)
    r = client.get(reverse("members:list"), {"sort": "-joined"})
    body = r.content.decode()
    assert '<option value="-joined" selected>最近入会在前</option>' in body
    assert [m["joined_on"] for m in r.context["page"]["rows"]] == sorted(
        (m["joined_on"] for m in r.context["page"]["rows"]), reverse=True
    )
    assert body.count('name="sort"') == 1


def test_birth_date_is_shown_as_the_year_only(world, registry, client):
    # The masked ID number shows the region and the last four digits: with the whole birth date
    # beside it, anyone who may list members would read the full number without a reveal.
    m = registry[0]
    birth = m.birth_date.isoformat()
    client.force_login(world.finance_a)
    for url in (reverse("members:list"), reverse("members:detail", args=[m.pk])):
        body = client.get(url).content.decode()
        assert birth not in body and m.id_number_masked in body
    api = client.get(f"/api/v1/members/{m.pk}").json()
    assert api["birth_year"] == m.birth_date.year and "birth_date" not in api
    assert [e["kind"] for e in api["events"]] == ["created", "approved"]
    items = client.get("/api/v1/members/?limit=100").json()["items"]
    assert {i["birth_year"] for i in items} == {p.birth_date.year for p in registry}
    assert not any("birth_date" in i for i in items)


def test_detail_reveal_only_for_chair(world, registry, client):
    m = registry[0]
    client.force_login(world.staff_a)
    body = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert "查看完整号码" not in body and m.id_number_masked in body
    client.force_login(world.chair_a)
    body = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert "查看完整号码" in body
    r = client.post(reverse("members:reveal", args=[m.pk, "id_number"]))
    assert person(1)["id_number"] in r.content.decode()
    assert AuditEvent.objects.filter(action="sensitive.reveal", actor=world.chair_a).count() == 1


def test_transition_via_page_and_illegal_shows_error(world, registry, client):
    m = registry[0]
    client.force_login(world.staff_a)
    r = client.post(reverse("members:transition", args=[m.pk, "retain"]), {"reason": "退休"}, follow=True)
    assert "已办理：保留会籍。" in r.content.decode()
    r = client.post(reverse("members:transition", args=[m.pk, "retain"]), {"reason": "退休"}, follow=True)
    assert "会籍状态为“保留会籍”的会员不能办理“保留会籍”。" in r.content.decode()
    r = client.post(reverse("members:transition", args=[m.pk, "expel"]), {"reason": "x"})
    assert r.status_code == 404  # staff may not expel; the chair records the committee's decision
    m.refresh_from_db()
    assert m.status == MemberStatus.RETAINED
    # A date that does not exist is refused, not taken as today.
    r = client.post(
        reverse("members:transition", args=[m.pk, "restore"]),
        {"reason": "返岗", "on": "2026-02-30"},
        follow=True,
    )
    assert [str(x) for x in r.context["messages"]] == ["日期：请输入正确的日期。"]
    m.refresh_from_db()
    assert m.status == MemberStatus.RETAINED
    # What was typed comes back into the form, once.
    body = r.content.decode()
    assert "<details open><summary>办理会籍变动</summary>" in body
    assert (
        'name="reason" maxlength="200" required value="返岗"' in body
        and 'name="on" value="2026-02-30"' in body
    )
    assert 'value="返岗"' not in client.get(reverse("members:detail", args=[m.pk])).content.decode()


def test_transfer_journey_history_in_both(world, registry, client):
    m = registry[1]
    client.force_login(world.staff_a)
    client.post(
        reverse("members:transfer_request", args=[m.pk]), {"to_org": world.union_b.pk, "reason": "换工作"}
    )
    client.force_login(world.staff_b)
    body = client.get(reverse("members:transfers")).content.decode()
    assert m.name in body
    t = m.transfers.get()
    accept = reverse("members:transfer_decide", args=[t.pk, "accept"])
    today = services.today()
    assert f'name="on" value="{today:%Y-%m-%d}" max="{today:%Y-%m-%d}"' in body  # the date, today by default
    r = client.post(accept, {"on": "2026-02-30"}, follow=True)
    assert [str(x) for x in r.context["messages"]] == ["日期：请输入正确的日期。"]
    r = client.post(accept, {"on": "2099-01-01"}, follow=True)
    assert [str(x) for x in r.context["messages"]] == ["日期不能晚于今天。"]
    r = client.post(accept, {"on": (today - timedelta(days=3)).isoformat()}, follow=True)
    assert [str(x) for x in r.context["messages"]] == [
        f"转入日期不能早于转会申请的日期（{today:%Y-%m-%d}）。"
    ]
    m.refresh_from_db()
    assert m.org_id == world.union_a.pk
    client.post(accept, {"on": today.isoformat()})
    m.refresh_from_db()
    assert m.org_id == world.union_b.pk
    assert set(m.events.filter(kind="transferred").values_list("on", flat=True)) == {today}
    body = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert (
        body.count("<strong>转出</strong>") == 1 and body.count("<strong>转入</strong>") == 1
    )  # A's and B's event
    assert body.count("<strong>申请转会</strong>") == 1
    # the sending union still reads its own record of the member, read only
    client.force_login(world.staff_a)
    former = client.get(reverse("members:detail", args=[m.pk]))
    body = former.content.decode()
    assert former.templates[0].name == "members/former.html"
    assert (
        f"该会员已于 {today:%Y-%m-%d} 从{world.union_a.name}转至{world.union_b.name}，现由转入工会管理。"
        in body
    )
    assert body.count("<strong>转出</strong>") == 1 and "<strong>转入</strong>" not in body  # B's is B's
    assert "换工作" in body and m.id_number_masked in body
    assert "修改信息" not in body and "查看完整号码" not in body
    changes = client.get(reverse("members:events")).content.decode()
    assert f'<a href="{reverse("members:detail", args=[m.pk])}">{m.name}</a>' in changes
    # neither a third union nor a member without the registry's permission
    client.force_login(world.chair_b)
    assert client.get(reverse("members:detail", args=[m.pk])).status_code == 200  # now B's member
    from accounts.models import Role
    from core.testing.world import make_org, make_user
    from orgs.models import OrgKind

    other = make_org(OrgKind.UNION, "丙公司工会", world.fed)
    client.force_login(make_user("staff_c", Role.UNION_STAFF, other))
    assert client.get(reverse("members:detail", args=[m.pk])).status_code == 404


def test_public_application_form(world, client):
    url = reverse("members:apply", args=[world.union_a.pk, apply_token(world.union_a)])
    assert client.get(url).status_code == 200
    assert client.get(reverse("members:apply", args=[world.union_a.pk, "wrong"])).status_code == 404
    p = person(9)
    r = client.post(url, {"name": p["name"], "id_number": p["id_number"], "phone": p["phone"]})
    assert "请阅读上面的个人信息说明，勾选同意后再提交。" in r.content.decode()
    # A wrong check digit is named at once, beside the fields still missing.
    wrong = p["id_number"][:17] + ("1" if p["id_number"][17] != "1" else "2")
    r = client.post(url, {"id_number": wrong, "phone": "12800138000", "consent": "on"})
    assert r.context["form"].errors == {
        "name": ["此项必填。"],
        "id_number": ["身份证号校验位不正确，请核对。"],
        "phone": ["“128****8000”不是有效的手机号：第二位应为3至9。请核对。"],
    }
    assert not Member.objects.exists()
    r = client.post(
        url, {"name": p["name"], "id_number": p["id_number"], "phone": p["phone"], "consent": "on"}
    )
    assert "您的入会申请已提交" in r.content.decode()
    assert Member.objects.get().status == MemberStatus.APPLIED
    client.force_login(world.staff_a)
    assert p["name"] in client.get(reverse("members:applications")).content.decode()
    qr = client.get(reverse("members:apply_qr", args=[world.union_a.pk])).content.decode()
    assert "<svg" in qr
    # staff turn an application down from the list, with a reason
    r = client.post(
        reverse("members:transition", args=[Member.objects.get().pk, "reject"]),
        {"reason": "不是本单位职工", "next": reverse("members:applications")},
    )
    assert r["Location"] == reverse("members:applications")
    assert Member.objects.get().status == MemberStatus.REJECTED
    # a branch's form names its union first
    branch = reverse("members:apply", args=[world.branch_a.pk, apply_token(world.branch_a)])
    assert "甲公司工会 · 甲公司一车间分会" in client.get(branch).content.decode()


def test_the_public_form_cannot_be_tried_over_and_over(world, client, settings):
    """It says whether an ID number has a record: an address gets apply_per_hour tries per union
    (the address behind the proxy: X-Real-IP)."""
    settings.GONGHUI_MEMBERS = {**settings.GONGHUI_MEMBERS, "apply_per_hour": 3}
    url = reverse("members:apply", args=[world.union_a.pk, apply_token(world.union_a)])
    for i in range(3):
        p = person(30 + i)
        r = client.post(
            url, {"name": p["name"], "id_number": p["id_number"], "phone": p["phone"], "consent": "on"}
        )
        assert "您的入会申请已提交" in r.content.decode()
    p = person(40)
    r = client.post(
        url, {"name": p["name"], "id_number": p["id_number"], "phone": p["phone"], "consent": "on"}
    )
    assert "提交次数过多，请一小时后再试，或直接联系工会办理。" in r.content.decode()
    assert Member.objects.filter(status=MemberStatus.APPLIED).count() == 3
    # Typos are sent back as they are, without counting: a form missing a field, a mistyped number.
    r = client.post(url, {"name": p["name"], "id_number": "123", "phone": p["phone"], "consent": "on"})
    assert "提交次数过多" not in r.content.decode()
    r = client.post(url, {"name": "", "id_number": p["id_number"], "phone": p["phone"]})
    page = r.content.decode()
    assert "提交次数过多" not in page
    assert "请阅读上面的个人信息说明，勾选同意后再提交。" in page  # named with the missing name at once
    q = person(41)
    r = client.post(
        url,
        {"name": q["name"], "id_number": q["id_number"], "phone": q["phone"], "consent": "on"},
        headers={"X-Real-IP": "10.0.0.2"},  # another worker behind the same proxy
    )
    assert "您的入会申请已提交" in r.content.decode()
    other = reverse("members:apply", args=[world.union_b.pk, apply_token(world.union_b)])
    r = client.post(
        other, {"name": p["name"], "id_number": p["id_number"], "phone": p["phone"], "consent": "on"}
    )
    assert "您的入会申请已提交" in r.content.decode()  # another union's form counts apart


def test_stats_page_and_export(world, registry, client):
    services.member_retain(member=registry[0], actor=world.staff_a, reason="退休")
    client.force_login(world.staff_a)
    r = client.get(reverse("members:stats") + f"?org={world.union_a.pk}")
    s = r.context["stats"]
    assert (s["members"], s["retained"], s["employees"]) == (6, 1, 150)
    assert s["male"] + s["female"] == 6
    assert sum(n for _a, n in s["age"]) == 6
    assert sum(s["joins"]) == 6
    assert sum(s["transfers_in"]) == sum(s["transfers_out"]) == 0
    # the six are registered on the union itself, not on its branch: a row says so
    assert r.context["direct"] == 6
    assert "甲公司工会本级" in r.content.decode()
    r = client.get(reverse("members:stats") + f"?org={world.fed.pk}")
    assert r.status_code == 404  # staff of union A see only their subtree
    r = client.get(reverse("members:stats_export") + f"?org={world.union_a.pk}")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_name("下级组织").to_python()
    assert rows[-1][:2] == ["甲公司工会本级", 6]
    overview = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_name("概况").to_python()
    assert overview[0][:2] == ["组织", "甲公司工会"] and overview[1][0] == "统计时间"
    assert overview[3][0] == "会员人数（在籍+保留）"
    # in Chinese for an English user too, values as well as headers
    client.cookies["django_language"] = "en"
    assert (
        "Member statistics"
        in client.get(reverse("members:stats") + f"?org={world.union_a.pk}").content.decode()
    )
    r = client.get(reverse("members:stats_export") + f"?org={world.union_a.pk}")
    book = CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    labels = [row[0] for row in book.get_sheet_by_name("会籍状态").to_python()[1:]]
    assert "在籍" in labels and "Active" not in labels
    # Transfers have their own series: out of union A, not a leave; inside the federation, neither.
    client.cookies["django_language"] = "zh-hans"
    t = services.transfer_request(
        member=registry[1], to_org=world.union_b, actor=world.staff_a, reason="调动"
    )
    services.transfer_accept(transfer=t, actor=world.staff_b)
    s = client.get(reverse("members:stats") + f"?org={world.union_a.pk}").context["stats"]
    assert (sum(s["transfers_in"]), sum(s["transfers_out"]), s["members"]) == (0, 1, 5)
    assert sum(s["leaves"]) == 0  # a transfer is not a leave
    b = selectors.subtree_stats(world.union_b)
    assert (sum(b["transfers_in"]), sum(b["transfers_out"])) == (1, 0)
    fed = selectors.subtree_stats(world.fed)  # within the federation: moved, neither in nor out
    assert sum(fed["transfers_in"]) == sum(fed["transfers_out"]) == 0


def test_self_service_pages(world, registry, client):
    m = registry[0]
    Member.objects.filter(pk=m.pk).update(user=world.member_a)
    client.force_login(world.member_a)
    body = client.get(reverse("members:my_card")).content.decode()
    assert m.name in body and m.card_no in body and "<svg" in body
    body = client.get(reverse("members:my_history")).content.decode()
    assert "我的会籍记录" in body and "我的会费" in body
    r = client.get(reverse("members:my_data_download"))
    assert r.json()["身份证号"] == person(1)["id_number"]
    reveals = AuditEvent.objects.filter(action="sensitive.reveal", actor=world.member_a)
    assert sorted(e.details["label"] for e in reveals) == [
        "手机号（本人下载个人信息）",
        "身份证号（本人下载个人信息）",
    ]
    # On the data page the member may show their own numbers in full, audited too.
    body = client.get(reverse("members:my_data")).content.decode()
    assert body.count('hx-post="/members/me/data/reveal/') == 2 and person(1)["id_number"] not in body
    assert "退会或会籍终止后，工会保存这些信息3年后删除" in body  # PIPL art. 17: how long
    r = client.post(reverse("members:my_reveal", args=["id_number"]))
    assert r.content.decode() == f'<span class="mono revealed">{person(1)["id_number"]}</span>'
    assert client.get(reverse("members:my_reveal", args=["id_number"])).status_code == 405
    assert client.post(reverse("members:my_reveal", args=["employer"])).status_code == 404
    assert reveals.filter(details__label="身份证号（本人查看）").count() == 1
    r = client.post(reverse("members:my_data"), {"field": "post", "requested_value": "班组长"}, follow=True)
    assert "已提交更正申请" in r.content.decode()
    r = client.post(
        reverse("members:my_data"), {"field": "phone", "requested_value": "13912345678"}, follow=True
    )
    assert "已提交更正申请" in r.content.decode()
    # the download holds the member's dues and wage bases too, and their own correction values
    from dues import services as dues

    month = services.today().replace(day=1)  # the registry's members joined today
    dues.wage_set(member=m, month=month, wage="4321.50", actor=world.finance_a)
    dues.dues_run(org=world.union_a, month=month, actor=world.finance_a)
    data = client.get(reverse("members:my_data_download")).json()
    ym = month.strftime("%Y-%m")
    assert data["工资基数"] == [{"起始月份": ym, "月工资": "4321.50", "交费基数": "4320.00"}]
    assert data["会费"] == [
        {"月份": ym, "类别": "应缴", "交费基数": "4320.00", "应缴": "21.60", "已缴": "0.00", "缴费记录": []}
    ]
    assert "目前共欠缴会费 21.60 元。" in client.get(reverse("members:my_history")).content.decode()
    from dues.models import DuesLine

    pay = dues.dues_payment_record(line=DuesLine.objects.get(member=m), actor=world.finance_a)
    body = client.get(reverse("members:my_history")).content.decode()
    assert "会费已全部缴清。" in body and pay.receipt_no in body
    assert client.get(reverse("members:my_data_download")).json()["会费"][0]["缴费记录"] == [
        {"缴费日期": pay.paid_on.isoformat(), "收据号": pay.receipt_no, "金额": "21.60"}
    ]
    # In English the download is labelled in English, like its values.
    client.cookies["django_language"] = "en"
    en = client.get(reverse("members:my_data_download")).json()
    assert not any("\u4e00" <= ch <= "\u9fff" for key in en for ch in key)
    del client.cookies["django_language"]
    assert sorted(c["正确内容"] for c in data["更正申请"]) == ["13912345678", "班组长"]
    client.force_login(world.staff_b)
    assert client.get(reverse("members:my_card")).status_code == 404


def test_lapse_candidates_are_members_charged_six_months_who_paid_none(world, registry, client, monkeypatch):
    from datetime import date

    from deadlines import calendar
    from dues import services as dues

    for m in registry:
        Member.objects.filter(pk=m.pk).update(joined_on=date(2020, 1, 1))
    monkeypatch.setattr("members.selectors.today", lambda: date(2026, 11, 26))
    calendar.freeze(date(2026, 11, 26))
    try:
        client.force_login(world.chair_a)
        r = client.get(reverse("members:lapse"))
        assert r.context["dues_available"] is False
        assert "会费模块暂无缴费记录" in r.content.decode()
        # wage bases from March for all but the last member (never charged: the union never asked)
        for m in registry[:5]:
            dues.wage_set(member=m, month=date(2026, 3, 1), wage="5000", actor=world.finance_a)
        for month in range(3, 11):  # statements March .. October
            run = dues.dues_run(org=world.union_a, month=date(2026, month, 1), actor=world.finance_a)
            if month == 3:  # registry[2] paid in March, before the six months
                dues.dues_payment_record(line=run.lines.get(member=registry[2]), actor=world.finance_a)
            if month == 10:  # registry[1] paid in October
                dues.dues_payment_record(line=run.lines.get(member=registry[1]), actor=world.finance_a)
    finally:
        calendar.freeze(None)
    r = client.get(reverse("members:lapse"))
    rows = [(m.name, last) for m, last in r.context["rows"]]
    assert rows == sorted(
        [
            (registry[0].name, None),
            (registry[2].name, date(2026, 3, 1)),
            (registry[3].name, None),
            (registry[4].name, None),
        ],
        key=lambda row: Member.objects.get(name=row[0]).name_pinyin,
    )
    body = r.content.decode()
    assert "2026年3月" in body and "从未缴纳" in body
    # a person decides, and only for a candidate: the member page offers 自动退会 to one only
    lapse_url = reverse("members:transition", args=[registry[0].pk, "lapse"])
    assert lapse_url in client.get(reverse("members:detail", args=[registry[0].pk])).content.decode()
    paid_url = reverse("members:transition", args=[registry[1].pk, "lapse"])
    assert paid_url not in client.get(reverse("members:detail", args=[registry[1].pk])).content.decode()
    r = client.post(paid_url, {"reason": "已谈话"}, follow=True)
    assert (
        "只有连续6个月未缴会费的会员才能办理自动退会（该会员最近6个月中未缴5个月）。本人要求退会的，请办理“退会”。"
        in r.content.decode()
    )
    registry[1].refresh_from_db()
    assert registry[1].status == MemberStatus.ACTIVE
    client.post(lapse_url, {"reason": "已谈话，仍不缴纳"})
    registry[0].refresh_from_db()
    assert registry[0].status == MemberStatus.LAPSED


def test_staff_open_a_login_for_a_member_who_then_sees_their_card(world, registry, client):
    from accounts.models import Role
    from accounts.services import invitation_accept

    m = registry[0]
    client.force_login(world.member_a)  # an account without a member record
    r = client.get(reverse("members:my_card"))
    assert r.status_code == 404 and "您的账号尚未关联会员档案" in r.content.decode()
    client.force_login(world.staff_a)
    page = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert reverse("members:account_invite", args=[m.pk]) in page
    r = client.post(reverse("members:account_invite", args=[m.pk]), follow=True)
    body = r.content.decode()
    assert f"已为{m.name}开通登录账号。" in body and "/accounts/invitation/" in body
    m.refresh_from_db()
    assert m.user.username == m.member_no and m.user.roles.get().role == Role.MEMBER
    assert AuditEvent.objects.filter(action="members.account_invite").count() == 1
    # a second time is refused; the button is gone
    r = client.post(reverse("members:account_invite", args=[m.pk]), follow=True)
    assert "该会员已开通登录账号。" in r.content.decode()
    raw = body.split("/accounts/invitation/")[1].split("/")[0]
    user = invitation_accept(raw=raw, password="Long-enough-pass-1")
    client.force_login(user)
    r = client.get(reverse("members:my_card"))
    assert r.status_code == 200 and m.card_no in r.content.decode()


def test_finance_may_not_open_member_logins(world, registry, client):
    client.force_login(world.finance_a)
    assert client.post(reverse("members:account_invite", args=[registry[0].pk])).status_code == 403
    registry[0].refresh_from_db()
    assert registry[0].user_id is None


def test_a_members_login_follows_the_membership(world, registry, client):
    from accounts.models import Role, RoleAssignment

    moved, gone = registry[0], registry[1]
    client.force_login(world.staff_a)
    for m in (moved, gone):
        client.post(reverse("members:account_invite", args=[m.pk]))
        m.refresh_from_db()
    t = services.transfer_request(member=moved, to_org=world.union_b, actor=world.staff_a)
    services.transfer_accept(transfer=t, actor=world.staff_b)
    services.member_withdraw(member=gone, actor=world.staff_a, reason="本人申请")
    assert list(RoleAssignment.objects.filter(user=moved.user).values_list("org_id", "role")) == [
        (world.union_b.pk, Role.MEMBER)
    ]
    assert not RoleAssignment.objects.filter(user=gone.user).exists()


def test_the_card_qr_code_opens_a_check_of_the_card_as_it_is_now(world, registry, client, monkeypatch):
    import segno

    from members.views import card_token

    m = registry[0]
    Member.objects.filter(pk=m.pk).update(user=world.member_a)
    client.force_login(world.member_a)
    made = []
    real = segno.make
    monkeypatch.setattr(segno, "make", lambda content, **kw: made.append(content) or real(content, **kw))
    client.get(reverse("members:my_card"))
    url = reverse("members:card_check", args=[m.pk, card_token(m)])
    assert made == [f"http://testserver{url}"]

    client.logout()  # whoever scans it: no login
    body = client.get(url).content.decode()
    assert "✓ 有效会员" in body
    assert m.name not in body and m.name[0] + "*" * (len(m.name) - 1) in body
    assert m.card_no in body and "甲公司工会" in body
    assert client.get(reverse("members:card_check", args=[m.pk, "x" * 20])).status_code == 404
    assert client.get(reverse("members:card_check", args=[m.pk, "éé"])).status_code == 404  # not a 500
    assert client.get(reverse("members:card_check", args=[registry[1].pk, card_token(m)])).status_code == 404

    Member.objects.filter(pk=m.pk).update(status=MemberStatus.WITHDRAWN)
    body = client.get(url).content.decode()
    assert "✗ 不是有效会员（已退会）" in body and "有效会员（" not in body.replace("不是有效会员（", "")


def test_the_edit_form_moves_a_member_between_the_unions_branches(world, registry, client):
    m = registry[0]
    client.force_login(world.staff_a)
    body = client.get(reverse("members:edit", args=[m.pk])).content.decode()
    assert "所在组织" in body and "甲公司一车间分会" in body and "乙公司工会" not in body
    data = {"org": world.branch_a.pk, "name": m.name, "sex": m.sex, "joined_on": m.joined_on.isoformat()}
    r = client.post(reverse("members:edit", args=[m.pk]), data, follow=True)
    assert "已保存。" in r.content.decode()
    m.refresh_from_db()
    assert m.org == world.branch_a


def test_the_edit_form_shows_the_registered_numbers_masked_and_exports_keep_the_order(
    world, registry, client
):
    m = registry[0]
    client.force_login(world.staff_a)
    body = client.get(reverse("members:edit", args=[m.pk])).content.decode()
    assert (
        f'placeholder="现为 {m.id_number_masked}"' in body and f'placeholder="现为 {m.phone_masked}"' in body
    )
    body = client.get(reverse("members:list"), {"q": "张", "sort": "-name"}).content.decode()
    assert "/members/export/?q=%E5%BC%A0&amp;sort=-name&format=xlsx" in body


def test_what_a_member_owes_counts_every_month_not_only_those_shown(world, registry):
    from datetime import date

    from dues import services as dues
    from members.selectors import my_dues, my_dues_owed

    m = registry[0]
    Member.objects.filter(pk__in=[r.pk for r in registry]).update(joined_on=date(2025, 1, 1))
    dues.wage_set(member=m, month=date(2026, 1, 1), wage="4000", actor=world.finance_a)
    for month in (date(2026, 1, 1), date(2026, 2, 1)):
        dues.dues_run(org=world.union_a, month=month, actor=world.finance_a)
    assert len(my_dues(m, limit=1)) == 1
    assert my_dues_owed(m) == Decimal("40.00")  # 2 × 20.00, the older month too


def test_staff_see_what_is_registered_and_refuse_with_a_reason_the_member_reads(world, client):
    m = make_member(world, i=60, post="操作工", phone="13900006060")
    Member.objects.filter(pk=m.pk).update(user=world.member_a)
    post = services.correction_request(member=m, field="post", value="班组长", actor=world.member_a)
    tel = services.correction_request(member=m, field="phone", value="13912340000", actor=world.member_a)
    client.force_login(world.staff_a)
    body = client.get(reverse("members:corrections")).content.decode()
    assert '<td data-label="现登记为">操作工</td>' in body and "<strong>班组长</strong>" in body
    assert "139****6060" in body and "13900006060" not in body  # the registered phone masked
    decide = reverse("members:correction_decide", args=[post.pk])
    r = client.post(decide, {"accept": "0", "note": ""}, follow=True)
    assert "不予更正时请写明理由，会员会在“我的信息”页看到。" in r.content.decode()
    post.refresh_from_db()
    assert post.status == "open"
    r = client.post(
        decide, {"accept": "0", "note": "人事档案记载为操作工，请先到人事部门更正。"}, follow=True
    )
    assert f"已答复{m.name}不予更正，理由会显示在其“我的信息”页。" in r.content.decode()
    r = client.post(reverse("members:correction_decide", args=[tel.pk]), {"accept": "1"}, follow=True)
    body = r.content.decode()
    assert f"已按申请更正{m.name}的信息。" in body
    assert [(d.field, d.status) for d in r.context["decided"]] == [("phone", "done"), ("post", "declined")]
    assert "人事档案记载为操作工，请先到人事部门更正。" in body and "甲干事" in body
    # Another union's staff see none of it.
    client.force_login(world.staff_b)
    assert list(client.get(reverse("members:corrections")).context["decided"]) == []
    # The member reads the answer on their data page.
    client.force_login(world.member_a)
    body = client.get(reverse("members:my_data")).content.decode()
    assert '不予更正<div class="muted">理由：人事档案记载为操作工，请先到人事部门更正。</div>' in body


def test_the_registry_lists_members_and_applicants_only_when_asked(world, registry, client):
    applicant = services.member_apply(org=world.union_a, data=person(70, name="申请人"), consent=True)
    client.force_login(world.staff_a)
    assert "申请人" not in names(client.get(reverse("members:list"), {"q": "申请人"}))
    csv_body = b"".join(
        client.get(reverse("members:export"), {"q": "申请人", "format": "csv"}).streaming_content
    ).decode("utf-8-sig")
    assert "申请人" not in csv_body
    r = client.get(reverse("members:list"), {"q": "申请人", "status": "applied"})
    assert names(r) == ["申请人"] and applicant.status == MemberStatus.APPLIED


def test_the_api_lists_applicants_only_when_asked(world, registry, client):
    services.member_apply(org=world.union_a, data=person(71, name="接口申请人"), consent=True)
    client.force_login(world.staff_a)
    names_of = lambda params: [m["name"] for m in client.get("/api/v1/members/", params).json()["items"]]  # noqa: E731
    assert names_of({"q": "接口申请人"}) == []
    assert names_of({"q": "接口申请人", "status": "applied"}) == ["接口申请人"]


def test_list_says_how_many_it_found_up_to_a_cap(world, registry, client, monkeypatch):
    client.force_login(world.staff_a)
    r = client.get(reverse("members:list"), {"q": "zs"})
    assert (r.context["page"]["total"], r.context["page"]["more"]) == (3, False)
    assert "共 3 人" in r.content.decode()
    monkeypatch.setattr(selectors, "LIST_COUNT_CAP", 2)
    monkeypatch.setattr(selectors.count_upto, "__defaults__", (2,))
    r = client.get(reverse("members:list"), {"q": "zs"})
    assert (r.context["page"]["total"], r.context["page"]["more"]) == (2, True)
    assert "超过 2 人，可用上面的条件缩小范围" in r.content.decode()
    r = client.get(reverse("members:list"), {"q": "zs", "page": "9"})
    assert r.context["page"]["total"] is None and "共" not in r.content.decode().split("result-bar")[1][:200]


def test_a_former_member_reapplying_elsewhere_brings_no_reasons_and_no_joining_date(world, client):
    m = make_member(world, i=8)
    old_no = m.member_no
    services.member_withdraw(member=m, actor=world.staff_a, reason="调离本单位另谋职业")
    again = services.member_apply(org=world.union_b, data=person(8), consent=True)
    # The numbers stay with the person (a number given up would be issued again: highest + 1).
    assert (again.member_no, again.joined_on) == (old_no, None)

    client.force_login(world.staff_b)
    page = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert "调离本单位另谋职业" not in page and "甲干事" not in page
    assert "其他工会的记录，原因和经办人由该工会保存" in page
    api = client.get(f"/api/v1/members/{m.pk}").json()
    assert [(e["kind"], e["reason"]) for e in api["events"]][-2:] == [
        ("withdrawn", ""),
        ("applied", "重新申请入会"),
    ]

    services.member_approve(member=again, actor=world.staff_b)
    again.refresh_from_db()
    assert (again.member_no, again.joined_on) == (old_no, services.today())
    assert services.next_member_numbers(world.union_a, 1)[0][0] != old_no  # not issued again in A

    client.force_login(world.staff_a)  # union A keeps its own events whole, on its changes page
    assert client.get(reverse("members:detail", args=[m.pk])).status_code == 404
    events = client.get(reverse("members:events") + f"?org={world.union_a.pk}").content.decode()
    assert "调离本单位另谋职业" in events


def test_a_former_member_reapplying_to_the_same_union_keeps_the_joining_date(world):
    m = make_member(world, i=13)
    joined = m.joined_on
    services.member_withdraw(member=m, actor=world.staff_a, reason="本人申请")
    again = services.member_apply(org=world.union_a, data=person(13), consent=True)
    assert (again.member_no, again.joined_on) == (m.member_no, joined)


def test_reasons_the_system_writes_are_stored_in_the_installations_language(world):
    from django.utils import translation

    m = make_member(world, i=14)
    with translation.override("en"):  # an English clerk's edit
        services.member_update(member=m, data={"department": "总装车间"}, actor=world.staff_a)
    assert m.events.get(kind="updated").reason == "修改：部门"


@pytest.mark.parametrize(
    ("nxt", "followed"),
    [
        ("/members/applications/", True),
        ("/members/?status=applied&page=2", True),
        ("/members/../accounts/logout/", False),
        ("/members/%2e%2e/accounts/logout/", False),
        ("/members//evil.example/", False),
        ("https://evil.example/members/", False),
        ("/members/\\evil.example", False),
    ],
)
def test_after_a_change_only_a_members_page_is_returned_to(world, client, nxt, followed):
    m = make_member(world, i=9)
    client.force_login(world.staff_a)
    r = client.post(reverse("members:transition", args=[m.pk, "retain"]), {"reason": "退休", "next": nxt})
    assert r["Location"] == (nxt if followed else reverse("members:detail", args=[m.pk]))


def test_a_search_that_finds_only_former_members_says_where_they_are(world, client):
    m = make_member(world, i=10)
    services.member_withdraw(member=m, actor=world.staff_a, reason="本人申请")
    client.force_login(world.staff_a)
    r = client.get(reverse("members:list"), {"q": m.member_no})
    page = r.content.decode()
    assert f"没有找到与“{m.member_no}”匹配的会员" in page
    assert "名册默认只列在籍和保留会籍的会员。其他会籍状态中有匹配的：" in page
    assert f'<a href="?q={m.member_no}&status=withdrawn">已退会 1 人</a>' in page
    assert r.context["elsewhere"] == [("withdrawn", "已退会", 1)]
    r = client.get(reverse("members:list"), {"q": m.member_no, "status": "withdrawn"})
    assert [row["id"] for row in r.context["page"]["rows"]] == [m.pk]


def test_a_search_finds_a_member_transferred_away_on_the_sending_unions_records(world, client):
    m = make_member(world, i=21)
    t = services.transfer_request(member=m, to_org=world.union_b, actor=world.staff_a, reason="调动")
    services.transfer_accept(transfer=t, actor=world.staff_b)
    client.force_login(world.staff_a)
    r = client.get(reverse("members:list"), {"q": m.name})
    page = r.content.decode()
    assert f"没有找到与“{m.name}”匹配的会员" in page
    on = services.today().isoformat()
    assert (
        f'已转出到其他工会的会员中有匹配的：<a href="{reverse("members:detail", args=[m.pk])}">{m.name}</a>'
        f"（{on} 转至乙公司工会）"
    ) in page
    assert "从甲公司工会转至乙公司工会" in client.get(reverse("members:detail", args=[m.pk])).content.decode()
    # By the whole ID number: the look-up is recorded, in the union that transferred the member.
    client.get(reverse("members:list"), {"q": person(21)["id_number"]})
    (lookup,) = AuditEvent.objects.filter(action="members.lookup", target_id=str(m.pk))
    assert lookup.org_id == world.union_a.pk
    # Not by a phone number: the member may have given it only after moving.
    r = client.get(reverse("members:list"), {"q": person(21)["phone"]})
    assert r.context["moved"] == [] and "已转出到其他工会的会员中有匹配的" not in r.content.decode()
    # The receiving union finds the member in its roll; nobody else is told of the transfer.
    client.force_login(world.staff_b)
    assert names(client.get(reverse("members:list"), {"q": m.name})) == [m.name]


def test_the_register_form_starts_at_the_clerks_union_and_names_every_mistake_at_once(world, client):
    client.force_login(world.staff_a)
    form = client.get(reverse("members:create")).context["form"]
    assert form["org"].value() == world.union_a.pk
    bad_id = person(11)["id_number"][:17] + ("0" if person(11)["id_number"][17] != "0" else "1")
    r = client.post(
        reverse("members:create"), {"org": "", "name": "王五", "id_number": bad_id, "phone": "1380013"}
    )
    errors = r.context["form"].errors
    assert errors["org"] == ["此项必填。"]
    assert errors["id_number"] == ["身份证号校验位不正确，请核对。"]
    assert errors["phone"] == ["手机号应为以1开头的11位数字。"]
    assert Member.objects.count() == 0


def test_reasons_the_system_wrote_are_shown_in_the_readers_language(world, client):
    m = make_member(world, i=12)
    services.member_update(
        member=m, data={"department": "总装车间", "education": "master"}, actor=world.staff_a
    )
    services.member_retain(member=m, actor=world.staff_a, reason="退休")
    client.force_login(world.staff_a)
    page = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert "修改：学历、部门" in page or "修改：部门、学历" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert "Changed: Education, Department" in page or "Changed: Department, Education" in page
    assert "退休" in page  # what a person typed is shown as typed


def test_retained_reasons_are_offered_and_stored_in_the_installations_language(world, registry, client):
    client.force_login(world.staff_a)
    client.cookies["django_language"] = "en"
    m = registry[0]
    body = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert '<option value="退休" label="Retired">' in body
    client.post(reverse("members:transition", args=[m.pk, "retain"]), {"reason": "退休"})
    assert m.events.latest("id").reason == "退休"
    from django.utils import translation

    from members.templatetags.members_tags import event_reason

    with translation.override("en"):
        assert event_reason("退休") == "Retired"  # the timeline shows the English reader theirs


def test_the_organization_boxes_offer_union_groups_indented_and_keep_the_one_chosen(world, client):
    from core.testing.world import make_org
    from orgs.models import OrgKind

    group = make_org(OrgKind.GROUP, "一车间第一小组", world.branch_a)
    make_member(world, org=group, i=1, name="组员甲")
    client.force_login(world.staff_a)
    for name in ("members:list", "members:stats"):
        r = client.get(reverse(name) + f"?org={group.pk}")
        assert r.context["orgs"] == [
            (world.union_a.pk, "甲公司工会"),
            (world.branch_a.pk, "\u3000一车间分会"),  # without the company name it shares with its union
            (group.pk, "\u3000\u3000一车间第一小组"),
        ]
        assert f'<option value="{group.pk}" selected>' in r.content.decode()
    assert "共 1 人" in client.get(reverse("members:list") + f"?org={group.pk}").content.decode()


def test_union_groups_do_not_push_unions_out_of_the_organization_box(world, client, monkeypatch):
    from core.testing.world import make_org
    from orgs.models import OrgKind

    monkeypatch.setattr(selectors, "ORG_CHOICES_MAX", 4)
    for i in range(3):
        make_org(OrgKind.GROUP, f"一车间第{i + 1}小组", world.branch_a)
    client.force_login(world.fed_admin)
    offered = [label.strip("\u3000") for _pk, label in client.get(reverse("members:list")).context["orgs"]]
    assert offered == ["测试街道总工会", "甲公司工会", "一车间分会", "乙公司工会"]


def test_a_member_number_prefix_is_one_index_range():
    # An OR of two ranges makes the database sort every match: a prefix of the system's numbers
    # (0000020…, a whole union) must stay one range read in order; so must a number typed in capitals.
    assert selectors.search("0000020") == (selectors.prefix_q("member_no", "0000020"), ("member_no", "id"))
    assert selectors.search("XH-2026")[0] == selectors.prefix_q("member_no", "XH-2026")
    padded = selectors.search("20001290")[0]
    assert padded == (
        selectors.prefix_q("member_no", "20001290")
        | Q(member_no="0000020001290")
        | Q(member_no="1290", card_no="20001290")  # or the card of member 1290 issued in 2000: exact
    )


def test_a_branch_is_named_without_its_unions_name_only_where_that_is_its_stem():
    assert (
        selectors.short_name("杭州星河电子科技有限公司SMT车间分会", "杭州星河电子科技有限公司工会")
        == "SMT车间分会"
    )
    assert selectors.short_name("杭州市上塘街道工会", "杭州市上城区总工会") == "杭州市上塘街道工会"
    assert selectors.short_name("甲公司电子车间分会", "甲公司电器工会") == "甲公司电子车间分会"
    assert selectors.short_name("甲公司工会", None) == "甲公司工会"


def test_an_ethnic_group_reads_in_the_readers_language(world, client):
    han = make_member(world, i=1, ethnicity="汉族")
    other = make_member(world, i=2, ethnicity="穿青人")
    client.force_login(world.staff_a)
    assert "<dd>汉族</dd>" in client.get(reverse("members:detail", args=[han.pk])).content.decode()
    client.cookies["django_language"] = "en"
    assert "<dd>Han</dd>" in client.get(reverse("members:detail", args=[han.pk])).content.decode()
    assert "<dd>穿青人</dd>" in client.get(reverse("members:detail", args=[other.pk])).content.decode()


def test_a_recorded_change_is_named_as_the_timeline_names_it(client, world):
    # The buttons say what staff do ("Withdraw from the union"); the message says what was recorded.
    m = make_member(world, i=1)
    client.force_login(world.staff_a)
    client.cookies["django_language"] = "en"
    r = client.post(
        reverse("members:transition", args=[m.pk, "withdraw"]), {"reason": "moved away"}, follow=True
    )
    assert "Recorded: Left the union." in r.content.decode()
    client.cookies["django_language"] = "zh-hans"
    m2 = make_member(world, i=2)
    r = client.post(
        reverse("members:transition", args=[m2.pk, "withdraw"]), {"reason": "本人申请"}, follow=True
    )
    assert "已办理：退会。" in r.content.decode()
