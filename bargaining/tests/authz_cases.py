from django.urls import reverse

from core.testing.authz import AuthzCase

from .factories import make_consultation, make_poll


def _with(status):
    def setup(w):
        w.consultation = make_consultation(w, status)
        w.negotiator = w.consultation.negotiators.get(name="王代表")

    return setup


def _no_union_a_rows(world, response):
    assert "甲公司工会" not in response.content.decode()


def _page(name, status, *, method="get", data=None, ok=200, target="consultation"):
    return AuthzCase(
        f"bargaining:{name}",
        lambda w: reverse(f"bargaining:{name}", args=[getattr(w, target).pk]),
        method=method,
        data=data,
        ok_status=ok,
        setup=_with(status),
    )


def _with_poll(w):
    _with("draft")(w)
    w.poll = make_poll(w)


CASES = [
    AuthzCase(
        "bargaining:vote_from_poll",
        lambda w: reverse("bargaining:vote_from_poll", args=[w.consultation.pk]),
        method="post",
        data=lambda w: {"poll": w.poll.pk},
        ok_status=302,
        setup=_with_poll,
    ),
    AuthzCase(
        "bargaining:home",
        lambda w: reverse("bargaining:home"),
        other_org_check=_no_union_a_rows,
        no_perm_status=403,
        setup=_with("requested"),
    ),
    AuthzCase(
        "bargaining:create", lambda w: reverse("bargaining:create"), other_org_status=200, no_perm_status=403
    ),
    AuthzCase(
        "bargaining:create",
        lambda w: reverse("bargaining:create"),
        method="post",
        data=lambda w: {
            "org": w.union_a.pk,
            "title": "新合同",
            "kind": "comprehensive",
            "level": "enterprise",
            "employer_name": "甲公司",
            "initiator": "union",
            "requested_on": "2026-03-02",
        },
        ok_status=302,
        # staff_b may create in B but not in A: the form refuses A (200 with an error), nothing changes.
        other_org_status=200,
        no_perm_status=403,
    ),
    _page("detail", "draft"),
    _page("answer", "requested", method="post", data={"answered_on": "2026-03-10"}, ok=302),
    _page(
        "negotiator_add",
        "requested",
        method="post",
        data={"side": "workers", "name": "周代表", "appointed_on": "2026-03-05"},
        ok=302,
    ),
    _page(
        "negotiator_vacate",
        "negotiating",
        method="post",
        data={"left_on": "2026-03-12"},
        ok=302,
        target="negotiator",
    ),
    _page(
        "round_add", "negotiating", method="post", data={"held_on": "2026-03-12", "minutes": "纪要"}, ok=302
    ),
    _page("draft_add", "negotiating", method="post", data={"text": "新文本"}, ok=302),
    _page("diff", "draft"),
    _page("submit_draft", "negotiating", method="post", ok=302),
    _page(
        "vote",
        "draft",
        method="post",
        data={"voted_on": "2026-03-25", "total": 60, "present": 50, "agree": 40},
        ok=302,
    ),
    _page(
        "sign",
        "approved",
        method="post",
        data={"signed_on": "2026-03-27", "term_start": "2026-04-01", "term_years": 2},
        ok=302,
    ),
    _page("file", "signed", method="post", data={"filed_on": "2026-04-03"}, ok=302),
    _page("take_effect", "filed", method="post", ok=302),
    _page(
        "objection",
        "filed",
        method="post",
        data={"objection_on": "2026-04-10", "note": "第三条低于标准"},
        ok=302,
    ),
    _page("renew", "in_effect", method="post", data={"requested_on": "2026-11-01"}, ok=302),
    _page("expire", "in_effect", method="post", ok=302),
    _page(
        "check_add",
        "in_effect",
        method="post",
        data={"year": 2026, "checked_on": "2026-05-01", "findings": "良好", "fulfilled": "on"},
        ok=302,
    ),
    _page("print", "draft"),
    AuthzCase(
        "bargaining_list",
        lambda w: "/api/v1/bargaining/",
        api=True,
        no_perm_status=403,
        other_org_check=lambda w, r: _api_excludes(w, r),
        setup=_with("requested"),
    ),
    AuthzCase(
        "bargaining_get",
        lambda w: f"/api/v1/bargaining/{w.consultation.pk}",
        api=True,
        no_perm_status=404,
        setup=_with("draft"),
    ),
]


def _api_excludes(world, response):
    assert response.json()["items"] == []
