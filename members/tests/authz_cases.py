from django.urls import reverse

from core.testing.authz import AuthzCase
from members.models import CorrectionRequest, Member, MemberImport
from members.tests.factories import make_member, person


def _m(w):
    if not hasattr(w, "m_a"):
        w.m_a = make_member(w, i=1, name="甲会员一")
    return w.m_a


def _no_a(w, r):
    body = b"".join(r.streaming_content) if getattr(r, "streaming", False) else r.content
    assert "甲会员一".encode() not in body
    assert "甲公司工会".encode() not in body


def _transfer_b_to_a(w):
    from members import services

    m = make_member(w, org=w.union_b, i=2, name="乙会员", actor=w.staff_b)
    w.t_ba = services.transfer_request(member=m, to_org=w.union_a, actor=w.staff_b)


def _transfer_a_to_b(w):
    from members import services

    w.t_ab = services.transfer_request(member=_m(w), to_org=w.union_b, actor=w.staff_a)


def _correction(w):
    w.corr = CorrectionRequest.objects.create(
        member=_m(w), org=w.union_a, field="post", requested_value="班组长"
    )


def _phone_correction(w):
    from members import services

    w.corr = services.correction_request(member=_m(w), field="phone", value="13912345678", actor=w.staff_a)


def _import(w):
    from django.core.files.base import ContentFile

    imp = MemberImport(org=w.union_a, filename="a.csv", created_by=w.staff_a, total_rows=1, new_rows=1)
    p = person(3)
    imp.file.save("a.csv", ContentFile(f"姓名,身份证号\n{p['name']},{p['id_number']}\n".encode()), save=False)
    imp.save()
    w.imp = imp


def _bad_import(w):
    _import(w)
    w.imp.errors = [{"row": 2, "column": "姓名", "reason": "姓名不能为空。"}]
    w.imp.error_rows = 1
    w.imp.save()


def _mine(w):
    Member.objects.filter(pk=_m(w).pk).update(user=w.member_a)


def _withdrawn_long_ago(w):
    from datetime import timedelta

    from members import services
    from members.models import MemberEvent

    services.member_withdraw(member=_m(w), actor=w.staff_a, reason="本人申请")
    MemberEvent.objects.filter(member=w.m_a).update(on=services.today() - timedelta(days=4 * 366))


def _ok(w, r):
    return None


def M(route, url, **kw):
    """A case about union A's member 甲会员一 (created before the fingerprint is taken)."""
    kw.setdefault("setup", _m)
    return AuthzCase(route, url, **kw)


CASES = [
    AuthzCase(
        "members:events",
        lambda w: reverse("members:events") + f"?org={w.union_a.pk}",
        setup=_m,
        no_perm_status=403,
    ),
    AuthzCase(
        "members:list", lambda w: reverse("members:list"), setup=_m, other_org_check=_no_a, no_perm_status=403
    ),
    AuthzCase(
        "members:export",
        lambda w: reverse("members:export") + f"?format=csv&org={w.union_a.pk}",
        setup=_m,
        no_perm_status=403,
    ),
    AuthzCase(
        "members:create", lambda w: reverse("members:create"), other_org_check=_no_a, no_perm_status=403
    ),
    AuthzCase(
        "members:create",
        lambda w: reverse("members:create"),
        method="post",
        data=lambda w: {"org": w.union_a.pk, **person(5)},
        ok_status=302,
        other_org_check=_ok,
        no_perm_status=403,
    ),
    M("members:detail", lambda w: reverse("members:detail", args=[_m(w).pk])),
    M("members:edit", lambda w: reverse("members:edit", args=[_m(w).pk])),
    M(
        "members:edit",
        lambda w: reverse("members:edit", args=[_m(w).pk]),
        method="post",
        data=lambda w: {"name": "甲会员改", "ethnicity": "汉族", "joined_on": _m(w).joined_on.isoformat()},
        ok_status=302,
    ),
    M(
        "members:reveal",
        lambda w: reverse("members:reveal", args=[_m(w).pk, "id_number"]),
        method="post",
        allowed="chair_a",
        no_perm="staff_a",
        other_org="chair_b",
    ),
    M(
        "members:reveal",
        lambda w: reverse("members:reveal", args=[_m(w).pk, "phone"]),
        method="post",
        allowed="chair_a",
        no_perm="staff_a",
        other_org="chair_b",
    ),
    M(
        "members:account_invite",
        lambda w: reverse("members:account_invite", args=[_m(w).pk]),
        method="post",
        ok_status=302,
    ),
    M(
        "members:transition",
        lambda w: reverse("members:transition", args=[_m(w).pk, "withdraw"]),
        method="post",
        data={"reason": "本人申请"},
        ok_status=302,
    ),
    # lapse and expel are the committee's decision (members.decide): the chair, not the staff
    *(
        M(
            "members:transition",
            lambda w, action=action: reverse("members:transition", args=[_m(w).pk, action]),
            method="post",
            data={"reason": "半年未缴会费"},
            allowed="chair_a",
            no_perm="staff_a",
            other_org="chair_b",
            ok_status=302,
        )
        for action in ("lapse", "expel")
    ),
    M(
        "members:transfer_request",
        lambda w: reverse("members:transfer_request", args=[_m(w).pk]),
        method="post",
        data=lambda w: {"to_org": w.union_b.pk, "reason": "调动"},
        ok_status=302,
    ),
    AuthzCase(
        "members:transfers",
        lambda w: reverse("members:transfers"),
        setup=_transfer_a_to_b,
        other_org_check=lambda w, r: None,
        no_perm_status=403,
    ),
    AuthzCase(
        "members:transfer_decide",
        lambda w: reverse("members:transfer_decide", args=[w.t_ba.pk, "accept"]),
        method="post",
        setup=_transfer_b_to_a,
        ok_status=302,
        other_org="staff_b",
    ),
    AuthzCase(
        "members:transfer_decide",
        lambda w: reverse("members:transfer_decide", args=[w.t_ba.pk, "reject"]),
        method="post",
        data={"reason": "本单位无此人"},
        setup=_transfer_b_to_a,
        ok_status=302,
        other_org="staff_b",
    ),
    AuthzCase(
        "members:transfer_decide",
        lambda w: reverse("members:transfer_decide", args=[w.t_ab.pk, "cancel"]),
        method="post",
        setup=_transfer_a_to_b,
        ok_status=302,
        other_org="staff_b",
    ),
    AuthzCase(
        "members:applications",
        lambda w: reverse("members:applications"),
        other_org_check=_no_a,
        no_perm_status=403,
    ),
    AuthzCase("members:apply_qr", lambda w: reverse("members:apply_qr", args=[w.union_a.pk])),
    AuthzCase(
        "members:lapse",
        lambda w: reverse("members:lapse"),
        allowed="chair_a",
        no_perm="staff_a",
        other_org="chair_b",
        other_org_check=_no_a,
        no_perm_status=403,
    ),
    AuthzCase(
        "members:erasure",
        lambda w: reverse("members:erasure"),
        setup=_withdrawn_long_ago,
        allowed="chair_a",
        no_perm="staff_a",
        other_org="chair_b",
        other_org_check=_no_a,
        no_perm_status=403,
    ),
    AuthzCase(
        "members:erasure",
        lambda w: reverse("members:erasure"),
        method="post",
        data=lambda w: {"ids": [w.m_a.pk], "reason": "保存期限届满"},
        setup=_withdrawn_long_ago,
        allowed="chair_a",
        no_perm="staff_a",
        other_org="chair_b",
        other_org_status=302,  # back to the list, nothing deleted: A's records are not in B's list
        ok_status=302,
        no_perm_status=403,
    ),
    AuthzCase(
        "members:erase",
        lambda w: reverse("members:erase", args=[w.m_a.pk]),
        method="post",
        data={"reason": "本人要求删除"},
        setup=_withdrawn_long_ago,
        allowed="chair_a",
        no_perm="staff_a",
        other_org="chair_b",
        ok_status=302,
    ),
    AuthzCase(
        "members:corrections",
        lambda w: reverse("members:corrections"),
        setup=_correction,
        other_org_check=_no_a,
        no_perm_status=403,
    ),
    AuthzCase(
        "members:correction_decide",
        lambda w: reverse("members:correction_decide", args=[w.corr.pk]),
        method="post",
        data={"accept": "1"},
        setup=_correction,
        ok_status=302,
    ),
    AuthzCase(
        "members:correction_reveal",
        lambda w: reverse("members:correction_reveal", args=[w.corr.pk]),
        method="post",
        setup=_phone_correction,
        allowed="chair_a",
        no_perm="staff_a",
        other_org="chair_b",
    ),
    AuthzCase(
        "members:import", lambda w: reverse("members:import"), other_org_check=_no_a, no_perm_status=403
    ),
    AuthzCase(
        "members:import_template",
        lambda w: reverse("members:import_template"),
        other_org_check=_ok,
        no_perm_status=403,
    ),
    AuthzCase(
        "members:import_detail", lambda w: reverse("members:import_detail", args=[w.imp.pk]), setup=_import
    ),
    AuthzCase(
        "members:import_confirm",
        lambda w: reverse("members:import_confirm", args=[w.imp.pk]),
        method="post",
        setup=_import,
        ok_status=302,
    ),
    AuthzCase(
        "members:import_errors",
        lambda w: reverse("members:import_errors", args=[w.imp.pk]),
        setup=_bad_import,
    ),
    AuthzCase(
        "members:stats", lambda w: reverse("members:stats") + f"?org={w.union_a.pk}", no_perm_status=403
    ),
    AuthzCase(
        "members:stats_export",
        lambda w: reverse("members:stats_export") + f"?org={w.union_a.pk}",
        no_perm_status=403,
    ),
    AuthzCase(
        "members:my_card",
        lambda w: reverse("members:my_card"),
        setup=_mine,
        allowed="member_a",
        no_perm="staff_a",
    ),
    AuthzCase(
        "members:my_history",
        lambda w: reverse("members:my_history"),
        setup=_mine,
        allowed="member_a",
        no_perm="staff_a",
    ),
    AuthzCase(
        "members:my_data",
        lambda w: reverse("members:my_data"),
        setup=_mine,
        allowed="member_a",
        no_perm="staff_a",
    ),
    AuthzCase(
        "members:my_data",
        lambda w: reverse("members:my_data"),
        method="post",
        data={"field": "post", "requested_value": "班组长"},
        setup=_mine,
        allowed="member_a",
        no_perm="staff_a",
        ok_status=302,
    ),
    AuthzCase(
        "members:my_data_download",
        lambda w: reverse("members:my_data_download"),
        setup=_mine,
        allowed="member_a",
        no_perm="staff_a",
    ),
    AuthzCase(
        "members:my_reveal",
        lambda w: reverse("members:my_reveal", args=["id_number"]),
        method="post",
        setup=_mine,
        allowed="member_a",
        no_perm="staff_a",
    ),
    AuthzCase(
        "members_list",
        lambda w: "/api/v1/members/",
        api=True,
        setup=_m,
        no_perm_status=403,
        other_org_check=lambda w, r: _api_no_a(w, r),
    ),
    M("members_get", lambda w: f"/api/v1/members/{_m(w).pk}", api=True, no_perm_status=(403, 404)),
]


def _api_no_a(w, r):
    names = {m["name"] for m in r.json()["items"]}
    assert "甲会员一" not in names
