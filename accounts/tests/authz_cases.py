from django.urls import reverse

from core.testing.authz import AuthzCase


def _no_staff_a(world, response):
    assert "staff_a" not in response.content.decode()


def _token(world):
    from accounts.services import api_token_create

    world.token, _raw = api_token_create(actor=world.staff_a, name="t")


CASES = [
    # Own-account pages: every logged-in user may use them for themselves; there is no "other org".
    AuthzCase(
        "accounts:account", lambda w: reverse("accounts:account"), other_org_status=200, no_perm_status=200
    ),
    AuthzCase(
        "accounts:two_factor",
        lambda w: reverse("accounts:two_factor"),
        other_org_status=200,
        no_perm_status=200,
    ),
    AuthzCase(
        "accounts:token_create",
        lambda w: reverse("accounts:token_create"),
        method="post",
        data={"name": ""},  # invalid on purpose for denied users too: nothing may change
        other_org_status=302,
        no_perm_status=302,
        ok_status=302,
    ),
    AuthzCase(
        "accounts:token_revoke",
        lambda w: reverse("accounts:token_revoke", args=[w.token.pk]),
        method="post",
        setup=_token,
        no_perm_status=404,
        ok_status=302,
    ),
    AuthzCase(
        "accounts:user_list",
        lambda w: reverse("accounts:user_list"),
        other_org_check=_no_staff_a,
        no_perm_status=403,
    ),
    AuthzCase(
        "accounts:user_invite",
        lambda w: reverse("accounts:user_invite"),
        other_org_status=200,
        no_perm_status=403,
    ),
    AuthzCase(
        "accounts:user_invite",
        lambda w: reverse("accounts:user_invite"),
        method="post",
        data=lambda w: {
            "full_name": "新代表",
            "username": "new_delegate",
            "org": w.union_a.pk,
            "role": "delegate",
        },
        other_org_status=200,  # the form re-renders: union A is not among B's choices
        no_perm_status=403,
        ok_status=302,
    ),
    AuthzCase(
        "accounts:user_detail",
        lambda w: reverse("accounts:user_detail", args=[w.member_a.pk]),
        allowed="chair_a",
    ),
    AuthzCase(
        "accounts:user_detail",
        lambda w: reverse("accounts:user_detail", args=[w.member_a.pk]),
        method="post",
        data=lambda w: {"org": w.union_a.pk, "role": "delegate"},
        allowed="chair_a",
        ok_status=302,
    ),
    AuthzCase(
        "accounts:user_active",
        lambda w: reverse("accounts:user_active", args=[w.member_a.pk]),
        method="post",
        data={"active": "0"},
        no_perm="delegate_a",
        ok_status=302,
    ),
    AuthzCase(
        "accounts:user_reinvite",
        lambda w: reverse("accounts:user_reinvite", args=[w.member_a.pk]),
        method="post",
        no_perm="delegate_a",
        ok_status=302,
    ),
    AuthzCase(
        "accounts:role_revoke",
        lambda w: reverse("accounts:role_revoke", args=[w.member_a.roles.get().pk]),
        method="post",
        no_perm="delegate_a",
        ok_status=302,
    ),
    AuthzCase("me_get", lambda w: "/api/v1/me", api=True, other_org_status=200, no_perm_status=200),
    AuthzCase(
        "me_tokens_list",
        lambda w: "/api/v1/me/tokens",
        api=True,
        other_org_status=200,
        no_perm_status=200,
        setup=_token,
        other_org_check=lambda w, r: _assert_no_token(w, r),
    ),
    AuthzCase(
        "me_tokens_create",
        lambda w: "/api/v1/me/tokens",
        method="post",
        api=True,
        data={"name": "", "days": 30},  # invalid for everyone: denied users must change nothing
        other_org_status=422,
        no_perm_status=422,
        ok_status=422,
    ),
    AuthzCase(
        "me_tokens_revoke",
        lambda w: f"/api/v1/me/tokens/{w.token.pk}/revoke",
        method="post",
        api=True,
        setup=_token,
        no_perm_status=404,
    ),
]


def _assert_no_token(world, response):
    assert response.json() == []
