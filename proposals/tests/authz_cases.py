from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from core.testing.authz import AuthzCase
from proposals.models import Cosign, ProposalStatus

from .factories import make_call, make_proposal

S = ProposalStatus
TITLE = "增设夜班职工休息室"
CALL_TITLE = "2026年职工提案征集"


def _with_proposal(status: str, **kw):
    def setup(w):
        w.call = make_call(w)
        w.proposal = make_proposal(w, call=w.call, status=status, **kw)

    return setup


def _with_call(w):
    w.call = make_call(w)


def _absent(*texts):
    def check(w, response):
        body = response.content.decode()
        for t in texts:
            assert t not in body

    return check


def _api_absent(w, response):
    assert response.json()["items"] == []


def _url(name):
    return lambda w: reverse(f"proposals:{name}", args=[w.proposal.pk])


def _call_url(name):
    return lambda w: reverse(f"proposals:{name}", args=[w.call.pk])


TODAY = timezone.localdate()

CASES = [
    AuthzCase(
        "proposals:home",
        lambda w: reverse("proposals:home"),
        setup=_with_proposal(S.PENDING_REVIEW),
        no_perm="finance_a",
        no_perm_status=403,
        other_org_check=_absent(CALL_TITLE, TITLE),
    ),
    AuthzCase(
        "proposals:overdue",
        lambda w: reverse("proposals:overdue"),
        setup=_with_proposal(S.ASSIGNED, due_on=TODAY - timedelta(days=3)),
        no_perm_status=403,
        other_org_check=_absent(TITLE),
    ),
    AuthzCase(
        "proposals:call_create",
        lambda w: reverse("proposals:call_create"),
        no_perm_status=403,
        other_org_check=_absent("甲公司工会"),
    ),
    AuthzCase(
        "proposals:call_create",
        lambda w: reverse("proposals:call_create"),
        method="post",
        ok_status=302,
        no_perm_status=403,
        data=lambda w: {
            "org": w.union_a.pk,
            "title": "2027年提案征集",
            "session_label": "第三届职代会第三次会议",
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-31",
        },
    ),
    AuthzCase("proposals:call_detail", _call_url("call_detail"), setup=_with_call, no_perm="finance_a"),
    AuthzCase(
        "proposals:submit", _call_url("submit"), setup=_with_call, allowed="member_a", no_perm="finance_a"
    ),
    AuthzCase(
        "proposals:submit",
        _call_url("submit"),
        setup=_with_call,
        allowed="member_a",
        no_perm="finance_a",
        method="post",
        ok_status=302,
        data=lambda w: {
            "title": "食堂增加夜宵",
            "reason": "夜班无热饭",
            "suggestion": "增设夜宵窗口",
            "cosigners": [w.delegate_a.pk, w.secretariat_a.pk],
        },
    ),
    AuthzCase("proposals:report", _call_url("report"), setup=_with_proposal(S.EVALUATED), no_perm_status=403),
    AuthzCase(
        "proposals:detail", _url("detail"), setup=_with_proposal(S.PENDING_REVIEW), no_perm="finance_a"
    ),
    AuthzCase(
        "proposals:cosign_respond",
        lambda w: reverse(
            "proposals:cosign_respond", args=[Cosign.objects.get(proposal=w.proposal, user=w.delegate_a).pk]
        ),
        setup=_with_proposal(S.COSIGNING),
        allowed="delegate_a",
        no_perm="finance_a",
        method="post",
        data={"decision": "confirm"},
        ok_status=302,
    ),
    AuthzCase(
        "proposals:invite",
        _url("invite"),
        setup=_with_proposal(S.COSIGNING),
        allowed="member_a",
        no_perm="finance_a",
        method="post",
        data=lambda w: {"user": w.chair_a.pk},
        ok_status=302,
    ),
    AuthzCase(
        "proposals:withdraw",
        _url("withdraw"),
        setup=_with_proposal(S.COSIGNING),
        allowed="member_a",
        no_perm="finance_a",
        method="post",
        ok_status=302,
    ),
    AuthzCase(
        "proposals:review",
        _url("review"),
        setup=_with_proposal(S.PENDING_REVIEW),
        method="post",
        data={"decision": "accept", "note": "同意立案"},
        ok_status=302,
        no_perm_status=403,
    ),
    AuthzCase(
        "proposals:assign",
        _url("assign"),
        setup=_with_proposal(S.ACCEPTED),
        method="post",
        data={"department": "行政部", "due_on": (TODAY + timedelta(days=30)).isoformat()},
        ok_status=302,
        no_perm_status=403,
    ),
    AuthzCase(
        "proposals:reply",
        _url("reply"),
        setup=_with_proposal(S.ASSIGNED),
        method="post",
        data={"reply": "已落实"},
        ok_status=302,
        no_perm_status=403,
    ),
    AuthzCase(
        "proposals:follow_up",
        _url("follow_up"),
        setup=_with_proposal(S.ASSIGNED),
        method="post",
        data={"note": "已催办"},
        ok_status=302,
        no_perm_status=403,
    ),
    AuthzCase(
        "proposals:evaluate",
        _url("evaluate"),
        setup=_with_proposal(S.REPLIED),
        allowed="member_a",
        no_perm="finance_a",
        method="post",
        data={"satisfaction": "satisfied"},
        ok_status=302,
    ),
    AuthzCase(
        "proposals:reopen",
        _url("reopen"),
        setup=_with_proposal(S.EVALUATED),
        method="post",
        data={"due_on": (TODAY + timedelta(days=15)).isoformat()},
        ok_status=302,
        no_perm_status=403,
    ),
    AuthzCase(
        "proposals:archive",
        _url("archive"),
        setup=_with_proposal(S.EVALUATED),
        method="post",
        ok_status=302,
        no_perm_status=403,
    ),
    AuthzCase(
        "proposals_calls",
        lambda w: "/api/v1/proposals/calls",
        api=True,
        setup=_with_call,
        no_perm="finance_a",
        no_perm_status=403,
        other_org_check=_api_absent,
    ),
    AuthzCase(
        "proposals_list",
        lambda w: "/api/v1/proposals/",
        api=True,
        setup=_with_proposal(S.PENDING_REVIEW),
        no_perm="finance_a",
        no_perm_status=403,
        other_org_check=_api_absent,
    ),
    AuthzCase(
        "proposals_get",
        lambda w: f"/api/v1/proposals/{w.proposal.pk}",
        api=True,
        setup=_with_proposal(S.PENDING_REVIEW),
        no_perm="finance_a",
    ),
]
