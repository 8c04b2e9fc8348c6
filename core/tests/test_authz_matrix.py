"""Runs every AuthzCase of every app, and fails when a route or API operation has none."""

import hashlib
from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core.testing.authz import PUBLIC, AuthzCase

LOCAL_APPS = [
    a for a in settings.INSTALLED_APPS if "." not in a and (settings.BASE_DIR / a / "apps.py").is_file()
]
# Tables that change on any request or login, not through the application's own writes.
VOLATILE = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def all_cases() -> list[AuthzCase]:
    cases: list[AuthzCase] = []
    for app in LOCAL_APPS:
        if find_spec(f"{app}.tests.authz_cases") is not None:
            cases.extend(import_module(f"{app}.tests.authz_cases").CASES)
    return cases


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns == "api":
                continue  # API operations are enumerated from the OpenAPI schema
            names |= url_names(p, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern):
            if p.name is None:
                raise AssertionError(f"URL pattern {p.pattern} has no name; every route needs one")
            names.add(f"{namespace}{p.name}")
    return names


def api_operations() -> set[str]:
    from config.api import api

    schema = api.get_openapi_schema()
    return {op["operationId"] for path in schema["paths"].values() for op in path.values()}


def test_every_route_and_operation_has_an_authorization_case():
    covered = {c.route for c in all_cases()}
    missing_pages = sorted(url_names() - covered - set(PUBLIC))
    missing_api = sorted(api_operations() - covered - set(PUBLIC))
    assert missing_pages == [], f"pages without an authorization test: {missing_pages}"
    assert missing_api == [], f"API operations without an authorization test: {missing_api}"


def fingerprint() -> str:
    h = hashlib.sha256()
    tables = set(connection.introspection.table_names())
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        if model._meta.label_lower in VOLATILE or model._meta.db_table not in tables:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        h.update(model._meta.label_lower.encode())
        h.update(repr(list(rows)).encode())
    return h.hexdigest()


def _user(world, name: str):
    if hasattr(world, name):
        return getattr(world, name)
    return world.persona(name)


def _request(client: Client, case: AuthzCase, world):
    url = case.url(world)
    data = case.data(world) if callable(case.data) else (case.data or {})
    kwargs = {}
    if case.method != "get" and (case.api or case.content_type == "application/json"):
        kwargs["content_type"] = "application/json"
    return getattr(client, case.method)(url, data, **kwargs)


def _status_ok(status: int, expected) -> bool:
    return status in (expected if isinstance(expected, tuple) else (expected,))


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: f"{c.route}:{c.method}")
def test_authorization(case: AuthzCase, world):
    if case.setup:
        case.setup(world)
    anon = Client()
    other, noperm, allowed = Client(), Client(), Client()
    other.force_login(_user(world, case.other_org))
    noperm.force_login(_user(world, case.no_perm))
    allowed.force_login(_user(world, case.allowed))
    before = fingerprint()

    r = _request(anon, case, world)
    if case.api:
        assert r.status_code == 401, f"anonymous got {r.status_code}"
    else:
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], f"anonymous got {r.status_code}"
    assert fingerprint() == before, "an anonymous request changed data"

    r = _request(other, case, world)
    if case.other_org_check is not None:
        assert r.status_code == 200, f"other org got {r.status_code}"
        case.other_org_check(world, r)
    else:
        assert _status_ok(r.status_code, case.other_org_status), f"other org got {r.status_code}"
    assert fingerprint() == before, "a request from another organization changed data"

    r = _request(noperm, case, world)
    assert _status_ok(r.status_code, case.no_perm_status), f"user without permission got {r.status_code}"
    assert fingerprint() == before, "a request without permission changed data"

    r = _request(allowed, case, world)
    assert _status_ok(r.status_code, case.ok_status), f"allowed user got {r.status_code}: {r.content[:300]!r}"
