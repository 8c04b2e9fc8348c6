from django.urls import reverse

from core.testing.authz import AuthzCase


def _appeal(w):
    from appeals.tests.helpers import submit
    from core.testing.world import make_user

    w.appeal = submit(w, anonymous=False)
    w.nobody = make_user("nobody")


def _answered(w):
    from appeals import services

    _appeal(w)
    services.appeal_answer(actor=w.staff_a, appeal=w.appeal, answer="已协调公司于 3 月 10 日补发。")


def _nobody(w):
    from core.testing.world import make_user

    w.nobody = make_user("nobody")


def _no_title(w, r):
    assert "三月份加班费未发放" not in r.content.decode()


SUBMIT = {"category": "hours", "title": "连续加班", "content": "连续两周每天加班四小时。"}

CASES = [
    AuthzCase(
        "appeals:home",
        lambda w: reverse("appeals:home"),
        setup=_appeal,
        other_org_check=_no_title,
        no_perm="nobody",
    ),
    AuthzCase("appeals:detail", lambda w: reverse("appeals:detail", args=[w.appeal.pk]), setup=_appeal),
    AuthzCase(
        "appeals:accept",
        lambda w: reverse("appeals:accept", args=[w.appeal.pk]),
        setup=_appeal,
        method="post",
        data={"note": "已转车间主任"},
        ok_status=302,
    ),
    AuthzCase(
        "appeals:answer",
        lambda w: reverse("appeals:answer", args=[w.appeal.pk]),
        setup=_appeal,
        method="post",
        data={"answer": "已协调补发"},
        ok_status=302,
    ),
    AuthzCase(
        "appeals:export", lambda w: reverse("appeals:export"), setup=_appeal, other_org_check=_no_title
    ),
    # The member's own pages: every logged-in user has them, and they show only the caller's requests.
    AuthzCase(
        "appeals:mine",
        lambda w: reverse("appeals:mine"),
        setup=_appeal,
        allowed="member_a",
        other_org_check=_no_title,
        no_perm="staff_a",
        no_perm_status=200,
    ),
    AuthzCase(
        "appeals:submit",
        lambda w: reverse("appeals:submit"),
        allowed="member_a",
        setup=_nobody,
        other_org_check=lambda w, r: None,
        no_perm="nobody",
        no_perm_status=200,
    ),
    # A user who belongs to no union cannot submit (the form says why and nothing is saved).
    AuthzCase(
        "appeals:submit",
        lambda w: reverse("appeals:submit"),
        method="post",
        data=SUBMIT,
        allowed="member_a",
        setup=_nobody,
        other_org="nobody",
        other_org_status=200,
        no_perm="nobody",
        no_perm_status=200,
        ok_status=302,
    ),
    AuthzCase(
        "appeals:my_detail",
        lambda w: reverse("appeals:my_detail", args=[w.appeal.pk]),
        setup=_appeal,
        allowed="member_a",
        no_perm="staff_a",
        no_perm_status=404,
    ),
    AuthzCase(
        "appeals:rate",
        lambda w: reverse("appeals:rate", args=[w.appeal.pk]),
        setup=_answered,
        method="post",
        data={"satisfaction": "satisfied"},
        allowed="member_a",
        no_perm="staff_a",
        no_perm_status=404,
        ok_status=302,
    ),
    AuthzCase(
        "appeals_list",
        lambda w: "/api/v1/appeals/",
        api=True,
        setup=_appeal,
        other_org_check=lambda w, r: _no_items(r),
        no_perm_status=403,
    ),
    AuthzCase("appeals_get", lambda w: f"/api/v1/appeals/{w.appeal.pk}", api=True, setup=_appeal),
    AuthzCase(
        "appeals_mine",
        lambda w: "/api/v1/appeals/mine",
        api=True,
        setup=_appeal,
        allowed="member_a",
        other_org_check=lambda w, r: _empty_list(r),
        no_perm="staff_a",
        no_perm_status=200,
    ),
    AuthzCase(
        "appeals_submit",
        lambda w: "/api/v1/appeals/mine",
        api=True,
        method="post",
        data=SUBMIT,
        allowed="member_a",
        setup=_nobody,
        other_org="nobody",
        other_org_status=422,
        no_perm="nobody",
        no_perm_status=422,
        ok_status=201,
    ),
]


def _no_items(r):
    assert r.json()["items"] == []


def _empty_list(r):
    assert r.json() == []
