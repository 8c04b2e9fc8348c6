from accounts.services import api_token_create, api_token_revoke


def test_bearer_token_acts_with_owner_roles(world, client):
    _token, raw = api_token_create(actor=world.staff_a, name="t")
    r = client.get("/api/v1/orgs/", headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 200
    assert sorted(o["name"] for o in r.json()["items"]) == ["甲公司一车间分会", "甲公司工会"]
    assert (
        client.get(f"/api/v1/orgs/{world.union_b.pk}", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 404
    )
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()
    assert me["username"] == "staff_a"
    assert me["roles"] == [
        {
            "role": "union_staff",
            "role_label": "工会干事",
            "org_id": world.union_a.pk,
            "org_name": "甲公司工会",
        }
    ]


def test_revoked_token_is_401(world, client):
    token, raw = api_token_create(actor=world.staff_a, name="t")
    api_token_revoke(actor=world.staff_a, token=token)
    r = client.get("/api/v1/orgs/", headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 401
    assert r.json() == {"detail": "未登录或令牌无效。"}


def test_token_create_via_api_returns_secret_once(world, client):
    client.force_login(world.staff_a)
    r = client.post("/api/v1/me/tokens", {"name": "脚本", "days": 30}, content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    assert body["token"].startswith("gh_")
    listed = client.get("/api/v1/me/tokens").json()
    assert [t["name"] for t in listed] == ["脚本"]
    assert "token" not in listed[0]
    r = client.post("/api/v1/me/tokens", {"name": "x", "days": 9999}, content_type="application/json")
    assert r.status_code == 422
    assert r.json() == {"detail": {"days": ["有效期应在1到730天之间。"]}}


def test_openapi_schema_is_committed_and_current():
    from core.management.commands.openapi import SCHEMA_PATH, current_schema

    assert SCHEMA_PATH.read_text() == current_schema(), "run `make openapi` and commit docs/openapi.json"


def test_api_schemas_have_distinct_names():
    """The OpenAPI document names each schema by its class name alone: two classes of one name
    across apps are documented as one (the other operation's fields silently wrong)."""
    from collections import Counter

    from django.apps import apps
    from ninja import Schema

    from config.api import api

    ours = {a.name.split(".")[0] for a in apps.get_app_configs()} - {"django", "ninja"}

    api.get_openapi_schema()  # imports every router
    seen, todo = [], list(Schema.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in ours:
            seen.append(cls)
    dupes = {n: c for n, c in Counter(c.__name__ for c in seen).items() if c > 1}
    assert dupes == {}, [f"{c.__module__}.{c.__name__}" for c in seen if c.__name__ in dupes]
