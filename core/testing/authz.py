"""The authorization matrix.

Every URL pattern and every API operation must have an AuthzCase. A case names how to build its
request (URL, method, data) against the test world and which users are "allowed" and "without the
permission". The shared test (core/tests/test_authz_matrix.py) runs every case as:

  anonymous               -> login redirect (pages) or 401 (API)
  user of another org     -> 404 (or the list shows none of A's rows: `other_org_check`)
  user without permission -> 403 or 404
  allowed user            -> the expected success status

and for every denied request asserts that nothing in the database changed.

Apps declare their cases in `<app>/tests/authz_cases.py` as `CASES = [AuthzCase(...), ...]`.
Routes that are public on purpose are listed in PUBLIC with the reason.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .world import World


@dataclass
class AuthzCase:
    route: str  # URL pattern name ("orgs:detail") or API operation id ("orgs_get")
    url: Callable[[World], str]
    allowed: str = "staff_a"  # attribute of World, or a role name resolved with World.persona
    no_perm: str = "member_a"
    other_org: str = "staff_b"
    method: str = "get"
    data: Callable[[World], dict] | dict | None = None
    api: bool = False
    ok_status: int | tuple[int, ...] = 200
    no_perm_status: int | tuple[int, ...] = (403, 404)
    other_org_status: int | tuple[int, ...] = 404
    # For list pages that the other org may open but that must not show A's rows: a function that
    # gets (world, response) and asserts A's data is absent. When set, other_org_status is ignored.
    other_org_check: Callable[[World, Any], None] | None = None
    content_type: str | None = None
    setup: Callable[[World], None] | None = None
    extra: dict = field(default_factory=dict)


# Routes that need no login, with the reason. Everything else must have a case.
PUBLIC = {
    "accounts:login": "the login page",
    "accounts:login_otp": "second login step; works only with a pending login in the session",
    "accounts:logout": "ends the caller's own session",
    "accounts:invitation": "guarded by a one-time secret token",
    "members:apply": "online membership application from a union's QR code; guarded by the union's secret token",
    "members:card_check": "a membership card's QR code: whether the card is valid now (masked name); guarded by the card's secret token",
    "set_language": "Django's language switch",
    "healthz": "process health for the load balancer, no data",
    "favicon": "a redirect to the site's icon, no data",
    "api:openapi-json": "the API description, no data",
    "api:openapi-view": "the API docs page, no data",
}
