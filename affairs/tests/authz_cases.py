from datetime import timedelta

from django.urls import reverse

from core.testing.authz import AuthzCase
from core.testing.world import make_user

from .factories import TODAY, make_item, make_question, make_survey

# Every role may open the board, so "without the permission" is a user with no role at all.
NO_ROLE = "norole"


def _setup(w):
    w.norole = make_user("norole")
    w.item = make_item(w)
    w.question = make_question(w, item=w.item)
    w.survey = make_survey(w)


def _union(name):
    return lambda w: reverse(f"affairs:{name}", args=[w.union_a.pk])


def _api_absent(w, response):
    assert response.json()["items"] == []


def case(route, url, **kw):
    kw.setdefault("setup", _setup)
    return AuthzCase(route, url, **kw)


MEMBER = {"allowed": "member_a", "no_perm": NO_ROLE, "no_perm_status": 403}
STAFF = {"no_perm_status": 403}

CASES = [
    case("affairs:home", lambda w: reverse("affairs:home"), ok_status=302, other_org_status=302, **MEMBER),
    case("affairs:board", _union("board"), **MEMBER),
    case("affairs:manage", _union("manage"), **STAFF),
    case("affairs:item_create", _union("item_create"), **STAFF),
    case(
        "affairs:item_create",
        _union("item_create"),
        method="post",
        ok_status=302,
        **STAFF,
        data={
            "category": "rules",
            "title": "考勤管理办法",
            "body": "全文……",
            "publish_from": TODAY.isoformat(),
            "publish_until": (TODAY + timedelta(days=30)).isoformat(),
        },
    ),
    case(
        "affairs:ask",
        _union("ask"),
        method="post",
        ok_status=302,
        data={"body": "年休假怎么安排？"},
        **MEMBER,
    ),
    case("affairs:questions", _union("questions"), **STAFF),
    case("affairs:survey_create", _union("survey_create"), **STAFF),
    case(
        "affairs:survey_create",
        _union("survey_create"),
        method="post",
        ok_status=302,
        **STAFF,
        data={"title": "年度调查", "opens_on": TODAY.isoformat(), "closes_on": TODAY.isoformat()},
    ),
    case("affairs:item", lambda w: reverse("affairs:item", args=[w.item.pk]), **MEMBER),
    case("affairs:question", lambda w: reverse("affairs:question", args=[w.question.pk]), **MEMBER),
    case(
        "affairs:answer",
        lambda w: reverse("affairs:answer", args=[w.question.pk]),
        method="post",
        ok_status=302,
        data={"answer": "按排班表轮休。"},
        **STAFF,
    ),
    case("affairs:survey", lambda w: reverse("affairs:survey", args=[w.survey.pk]), **MEMBER),
    case(
        "affairs:survey_respond",
        lambda w: reverse("affairs:survey_respond", args=[w.survey.pk]),
        method="post",
        ok_status=302,
        data={"rating": "satisfied"},
        **MEMBER,
    ),
    case("affairs_items", lambda w: "/api/v1/affairs/items", api=True, other_org_check=_api_absent, **MEMBER),
    case(
        "affairs_item_get",
        lambda w: f"/api/v1/affairs/items/{w.item.pk}",
        api=True,
        allowed="member_a",
        no_perm=NO_ROLE,
    ),
    case(
        "affairs_questions",
        lambda w: "/api/v1/affairs/questions",
        api=True,
        other_org_check=_api_absent,
        **MEMBER,
    ),
]
