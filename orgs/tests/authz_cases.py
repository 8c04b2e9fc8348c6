from django.urls import reverse

from core.testing.authz import AuthzCase


def _no_union_a(world, response):
    assert "甲公司工会" not in response.content.decode()


CASES = [
    AuthzCase("orgs:tree", lambda w: reverse("orgs:tree"), other_org_check=_no_union_a, no_perm_status=403),
    AuthzCase("orgs:detail", lambda w: reverse("orgs:detail", args=[w.union_a.pk])),
    AuthzCase("orgs:children", lambda w: reverse("orgs:children", args=[w.union_a.pk])),
    AuthzCase("orgs:edit", lambda w: reverse("orgs:edit", args=[w.union_a.pk])),
    AuthzCase(
        "orgs:edit",
        lambda w: reverse("orgs:edit", args=[w.union_a.pk]),
        method="post",
        data={"name": "甲公司工会（改）", "employee_count": 150, "member_count": 120},
        ok_status=302,
    ),
    AuthzCase("orgs:create_child", lambda w: reverse("orgs:create_child", args=[w.union_a.pk])),
    AuthzCase(
        "orgs:create_child",
        lambda w: reverse("orgs:create_child", args=[w.union_a.pk]),
        method="post",
        data={"kind": "branch", "name": "甲公司二车间分会", "employee_count": 0, "member_count": 0},
        ok_status=302,
    ),
    AuthzCase(
        "orgs:committee_add",
        lambda w: reverse("orgs:committee_add", args=[w.union_a.pk]),
        method="post",
        data={"name": "王五", "position": "member", "term_start": "2024-01-01"},
        ok_status=302,
    ),
    AuthzCase(
        "orgs:committee_remove",
        lambda w: reverse("orgs:committee_remove", args=[w.extra_committee.pk]),
        method="post",
        ok_status=302,
        setup=lambda w: setattr(
            w,
            "extra_committee",
            __import__("orgs.models", fromlist=["CommitteeMember"]).CommitteeMember.objects.create(
                org=w.union_a, name="赵六", position="member", term_start="2024-01-01"
            ),
        ),
    ),
    AuthzCase(
        "orgs:warnings_recompute",
        lambda w: reverse("orgs:warnings_recompute", args=[w.union_a.pk]),
        method="post",
    ),
    AuthzCase(
        "orgs_list",
        lambda w: "/api/v1/orgs/",
        api=True,
        no_perm_status=403,
        other_org_check=lambda w, r: _assert_api_excludes(w, r),
    ),
    AuthzCase("orgs_get", lambda w: f"/api/v1/orgs/{w.union_a.pk}", api=True, no_perm_status=404),
    AuthzCase(
        "orgs_children", lambda w: f"/api/v1/orgs/{w.union_a.pk}/children", api=True, no_perm_status=404
    ),
]


def _assert_api_excludes(world, response):
    ids = {o["id"] for o in response.json()["items"]}
    assert world.union_a.pk not in ids
    assert world.union_b.pk in ids
