"""The JSON API at its edges: bounds on paging and filters, unreadable bodies, bad credentials, texts
too long for their column. Each answer is a clear message in the caller's language and changes
nothing."""

import pytest

from accounts.models import ApiToken
from accounts.services import api_token_create
from appeals.models import Appeal
from mediation.models import Case
from mediation.tests.helpers import case_payload

pytestmark = pytest.mark.django_db


def _bearer(user):
    _token, raw = api_token_create(actor=user, name="脚本")
    return {"Authorization": f"Bearer {raw}"}


def test_paging_past_its_bounds_is_a_422_in_the_callers_language(world, client):
    client.force_login(world.staff_a)
    r = client.get("/api/v1/members/?offset=99999999999999999999")
    assert r.status_code == 422
    [err] = r.json()["detail"]
    assert err["loc"] == ["query", "offset"]
    assert err["msg"] == "不能大于 10000000。"  # not a 500 from an integer the database cannot hold

    r = client.get("/api/v1/members/?limit=501")
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "不能大于 500。"

    r = client.get("/api/v1/members/?limit=0", headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "Must be at least 1."

    r = client.get("/api/v1/members/?limit=500&offset=0")
    assert r.status_code == 200


def test_a_filter_value_outside_its_choices_is_a_422_that_lists_them(world, client):
    client.force_login(world.staff_a)
    r = client.get("/api/v1/members/?status=bogus")
    assert r.status_code == 422
    [err] = r.json()["detail"]
    assert err["loc"] == ["query", "status"]
    assert err["msg"].startswith("应为以下之一：")
    assert "'active'" in err["msg"]

    assert client.get("/api/v1/members/?sex=X").status_code == 422
    assert client.get("/api/v1/members/?sex=").status_code == 200
    assert client.get("/api/v1/members/?status=active").status_code == 200


def test_a_due_date_from_year_9999_is_refused(world, client):
    client.force_login(world.staff_a)
    r = client.get("/api/v1/deadlines/due?rule=mediation.case&start=9999-01-01")
    assert r.status_code == 422
    assert r.json() == {"detail": {"start": ["日期应在1900年到2100年之间。"]}}
    r = client.get("/api/v1/deadlines/due?rule=mediation.case&start=2026-03-02")
    assert r.status_code == 200


def test_a_body_with_a_lone_surrogate_is_a_400_and_writes_nothing(world, client):
    client.force_login(world.member_a)
    body = '{"category": "hours", "title": "\\ud800", "content": "加班"}'
    r = client.post("/api/v1/appeals/mine", body, content_type="application/json")
    assert r.status_code == 400
    assert r.json() == {"detail": "请求内容含有无效字符（不成对的UTF-16代理项），请检查文本。"}
    r = client.post("/api/v1/appeals/mine", "{not json", content_type="application/json")
    assert r.status_code == 400
    assert r.json() == {"detail": "请求内容不是有效的JSON（UTF-8编码）。"}
    assert Appeal.objects.count() == 0


def test_anonymous_and_bad_token_writes_are_401_not_a_csrf_403(world, client):
    r = client.post("/api/v1/appeals/mine", {"title": "x"}, content_type="application/json")
    assert r.status_code == 401
    assert r.json() == {"detail": "未登录或令牌无效。"}
    r = client.post(
        "/api/v1/appeals/mine",
        {"title": "x"},
        content_type="application/json",
        headers={"Authorization": "Bearer gh_00000000_wrong"},
    )
    assert r.status_code == 401
    assert r.json() == {"detail": "未登录或令牌无效。"}
    assert Appeal.objects.count() == 0


def test_a_session_write_without_csrf_token_says_what_is_missing(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member_a)
    r = client.post("/api/v1/appeals/mine", {"title": "x"}, content_type="application/json")
    assert r.status_code == 403
    assert r.json()["detail"].startswith("CSRF校验失败")


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"name": "脚本", "days": None}, None, None),
        ({"name": "长" * 61, "days": 30}, "name", "名称最多60个字符。"),
        ({"name": "a\u0007b", "days": 30}, "name", "名称不能包含控制字符。"),
        ({"name": "脚本", "days": 0}, "days", "有效期应在1到730天之间。"),
    ],
)
def test_bad_token_requests_are_refused(world, client, payload, field, message):
    client.force_login(world.staff_a)
    r = client.post("/api/v1/me/tokens", payload, content_type="application/json")
    assert r.status_code == 422
    if field:
        assert r.json() == {"detail": {field: [message]}}
    else:  # a token that never expires is not on offer
        assert r.json()["detail"][0]["loc"] == ["body", "payload", "days"]
    assert ApiToken.objects.count() == 0


def test_a_token_cannot_make_another_token(world, client):
    headers = _bearer(world.staff_a)
    r = client.post(
        "/api/v1/me/tokens", {"name": "更多", "days": 30}, content_type="application/json", headers=headers
    )
    assert r.status_code == 403
    assert r.json() == {"detail": "不能用API令牌创建新令牌，请登录后在网页或会话中创建。"}
    assert ApiToken.objects.count() == 1


def test_an_appeal_title_longer_than_its_column_is_refused(world, client):
    client.force_login(world.member_a)
    payload = {"category": "hours", "title": "长" * 101, "content": "连续两周每天加班四小时。"}
    r = client.post("/api/v1/appeals/mine", payload, content_type="application/json")
    assert r.status_code == 422
    assert r.json() == {"detail": {"title": ["最多100个字符，现有101个。"]}}
    assert Appeal.objects.count() == 0


def test_mediation_texts_too_long_and_years_before_1900_are_refused(world, client):
    client.force_login(world.staff_a)
    parties = [{"side": "worker", "name": "张" * 121}, {"side": "employer", "name": "甲公司"}]
    r = client.post(
        "/api/v1/mediation/cases", case_payload(world, parties=parties), content_type="application/json"
    )
    assert r.status_code == 422
    assert r.json() == {"detail": {"parties": ["姓名/名称“" + "张" * 20 + "…”：最多120个字符，现有121个。"]}}

    r = client.post(
        "/api/v1/mediation/cases",
        case_payload(world, received_on="0001-01-01", dispute_arose_on="0001-01-01"),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json() == {
        "detail": {
            "received_on": ["收到申请日期有误，请核对年份。"],
            "dispute_arose_on": ["争议发生日期有误，请核对年份。"],
        }
    }
    assert Case.objects.count() == 0


def test_unknown_api_addresses_and_methods_answer_in_json(world, client):
    r = client.get("/api/v1/nope")
    assert r.status_code == 404
    assert r.json() == {"detail": "没有这个API地址，可用的地址见 /api/v1/docs。"}

    client.force_login(world.staff_a)
    r = client.delete("/api/v1/orgs/")
    assert r.status_code == 405
    assert r["Allow"] == "GET"
    assert r.json() == {"detail": "这个地址不接受 DELETE 请求，可用：GET。"}

    r = client.get(f"/api/v1/orgs/{world.union_b.pk}")  # the API's own 404 is kept as it is
    assert r.json() == {"detail": "未找到。"}
    assert client.get("/no-such-page/").headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("amount", "detail"),
    [
        ("NaN", [{"loc": ["body", "payload", "claims", 0, "amount"], "msg": "应为有限的数字。"}]),
        (1e30, {"claims": ["请求金额“1E+30”过大，请核对。"]}),
    ],
)
def test_a_claim_amount_that_is_no_amount_is_named(world, client, amount, detail):
    client.force_login(world.staff_a)
    payload = case_payload(world, claims=[{"item": "工资", "amount": amount}])
    r = client.post("/api/v1/mediation/cases", payload, content_type="application/json")
    assert r.status_code == 422
    got = r.json()["detail"]
    if isinstance(detail, list):
        got = [{"loc": e["loc"], "msg": e["msg"]} for e in got]
    assert got == detail
    assert Case.objects.count() == 0


def test_the_member_list_takes_the_registry_pages_filters(world, client):
    import typing

    from members import api, rules
    from members import services as members_services
    from members.tests.factories import make_member

    hint = typing.get_type_hints(api.members_list.__wrapped__)  # under @paginate
    assert list(typing.get_args(hint["age"])) == ["", *(k for k, _lo, _hi in rules.AGE_BANDS)]
    m = make_member(world, i=1)
    client.force_login(world.staff_a)
    age = rules.age_on(m.birth_date, members_services.today())
    band = next(k for k, lo, hi in rules.AGE_BANDS if lo <= age < hi)
    by_band = {
        k: client.get("/api/v1/members/", {"age": k}).json()["count"] for k, _lo, _hi in rules.AGE_BANDS
    }
    assert by_band == {k: int(k == band) for k in by_band}
    assert client.get("/api/v1/members/?migrant=0").json()["count"] == 1
    assert client.get("/api/v1/members/?age=bogus").status_code == 422
