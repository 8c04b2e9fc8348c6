from django.urls import reverse

from core.testing.authz import AuthzCase
from mediation.tests.helpers import case_payload


def _case(w):
    from mediation.tests.helpers import make_case

    w.case = make_case(w)


def _committee(w):
    from mediation import services

    w.committee = services.committee_create(actor=w.chair_a, org=w.union_a, name="甲公司劳动争议调解委员会")
    w.cmember = services.committee_member_add(
        actor=w.chair_a, committee=w.committee, name="王调解", side="worker", position="member"
    )


def _agreed(w):
    import datetime as dt

    from deadlines import calendar
    from mediation import services

    _case(w)
    with calendar.frozen_today(dt.date(2026, 2, 20)):
        services.case_agree(
            actor=w.staff_a,
            case=w.case,
            closed_on=dt.date(2026, 2, 20),
            agreement_terms="甲公司支付工资 6800 元",
            performance_due_on=dt.date(2026, 2, 27),
        )


def _no_a_html(w, r):
    assert "张三" not in r.content.decode()


def _ok(w, r):
    pass


def _no_a_api(w, r):
    assert r.json()["items"] == []


TODAY = "2026-03-02"

CASES = [
    AuthzCase(
        "mediation:home",
        lambda w: reverse("mediation:home"),
        setup=_case,
        other_org_check=_no_a_html,
        no_perm_status=403,
    ),
    AuthzCase(
        "mediation:case_new", lambda w: reverse("mediation:case_new"), no_perm_status=403, other_org_check=_ok
    ),
    AuthzCase(
        "mediation:case_new",
        lambda w: reverse("mediation:case_new"),
        method="post",
        no_perm_status=403,
        other_org_status=200,  # the form re-renders: union A is not among staff B's choices
        data=lambda w: {
            "org": w.union_a.pk,
            "cause": "wages",
            "application_form": "written",
            "received_on": "2026-02-13",
            "dispute_arose_on": "2026-02-01",
            "worker_name": "张三",
            "employer_name": "甲公司",
            "summary": "欠薪",
        },
        ok_status=302,
    ),
    AuthzCase(
        "mediation:stats",
        lambda w: reverse("mediation:stats"),
        setup=_case,
        no_perm_status=403,
        other_org_check=lambda w, r: _assert_zero_total(r),
    ),
    AuthzCase(
        "mediation:committee",
        lambda w: reverse("mediation:committee"),
        setup=_committee,
        no_perm_status=403,
        other_org_check=lambda w, r: _absent(r, "王调解"),
    ),
    AuthzCase(
        "mediation:committee_create",
        lambda w: reverse("mediation:committee_create", args=[w.union_a.pk]),
        method="post",
        data={"name": "甲公司劳动争议调解委员会"},
        ok_status=302,
    ),
    AuthzCase(
        "mediation:committee_member_add",
        lambda w: reverse("mediation:committee_member_add", args=[w.committee.pk]),
        setup=_committee,
        method="post",
        data={"name": "赵委员", "side": "employer", "position": "member"},
        ok_status=302,
    ),
    AuthzCase(
        "mediation:committee_member_remove",
        lambda w: reverse("mediation:committee_member_remove", args=[w.cmember.pk]),
        setup=_committee,
        method="post",
        ok_status=302,
    ),
    AuthzCase(
        "mediation:case_detail", lambda w: reverse("mediation:case_detail", args=[w.case.pk]), setup=_case
    ),
    AuthzCase(
        "mediation:party_add",
        lambda w: reverse("mediation:party_add", args=[w.case.pk]),
        setup=_case,
        method="post",
        data={"side": "worker", "name": "李四"},
        ok_status=302,
    ),
    AuthzCase(
        "mediation:claim_add",
        lambda w: reverse("mediation:claim_add", args=[w.case.pk]),
        setup=_case,
        method="post",
        data={"item": "加班费", "amount": "1200"},
        ok_status=302,
    ),
    AuthzCase(
        "mediation:session_add",
        lambda w: reverse("mediation:session_add", args=[w.case.pk]),
        setup=_case,
        method="post",
        data={"held_on": "2026-02-14", "mediators": "王调解", "notes": "双方陈述"},
        ok_status=302,
    ),
    AuthzCase(
        "mediation:case_agree",
        lambda w: reverse("mediation:case_agree", args=[w.case.pk]),
        setup=_case,
        method="post",
        ok_status=302,
        data={"closed_on": "2026-02-14", "agreement_terms": "支付工资", "performance_due_on": "2026-02-27"},
    ),
    AuthzCase(
        "mediation:case_fail",
        lambda w: reverse("mediation:case_fail", args=[w.case.pk]),
        setup=_case,
        method="post",
        data={"closed_on": "2026-02-14"},
        ok_status=302,
    ),
    AuthzCase(
        "mediation:case_withdraw",
        lambda w: reverse("mediation:case_withdraw", args=[w.case.pk]),
        setup=_case,
        method="post",
        data={"closed_on": "2026-02-14"},
        ok_status=302,
    ),
    AuthzCase(
        "mediation:agreement_print",
        lambda w: reverse("mediation:agreement_print", args=[w.case.pk]),
        setup=_agreed,
    ),
    AuthzCase(
        "mediation_cases",
        lambda w: "/api/v1/mediation/cases",
        api=True,
        setup=_case,
        other_org_check=_no_a_api,
        no_perm_status=403,
    ),
    AuthzCase(
        "mediation_case_get",
        lambda w: f"/api/v1/mediation/cases/{w.case.pk}",
        api=True,
        setup=_case,
        no_perm_status=404,
    ),
    AuthzCase(
        "mediation_case_create",
        lambda w: "/api/v1/mediation/cases",
        api=True,
        method="post",
        data=lambda w: case_payload(w),
        ok_status=201,
        no_perm_status=404,
    ),
    AuthzCase(
        "mediation_stats",
        lambda w: "/api/v1/mediation/stats",
        api=True,
        setup=_case,
        no_perm_status=403,
        other_org_check=lambda w, r: _assert_api_zero(r),
    ),
]


def _absent(r, text):
    assert text not in r.content.decode()


def _assert_zero_total(r):
    assert r.context["stats"]["total"] == 0


def _assert_api_zero(r):
    assert all(row["total"] == 0 for row in r.json())
