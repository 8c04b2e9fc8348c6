import pytest
from django.http import Http404

from accounts.models import Role, RoleAssignment
from orgs import access
from orgs.models import CommitteeMember, Organization
from orgs.permissions import ORG_CHANGE, ORG_VIEW, USERS_MANAGE


def test_paths_are_fixed_width_ids(world):
    assert world.fed.path == f"{world.fed.pk:08d}"
    assert world.union_a.path == f"{world.fed.pk:08d}{world.union_a.pk:08d}"
    assert world.branch_a.depth == 2


def test_federation_admin_sees_the_whole_subtree(world):
    names = set(access.orgs_for(world.fed_admin, ORG_VIEW).values_list("name", flat=True))
    assert names == {"测试街道总工会", "甲公司工会", "甲公司一车间分会", "乙公司工会"}


def test_union_staff_sees_own_union_and_branch_only(world):
    names = set(access.orgs_for(world.staff_a, ORG_VIEW).values_list("name", flat=True))
    assert names == {"甲公司工会", "甲公司一车间分会"}


def test_member_role_grants_no_org_view(world):
    assert list(access.orgs_for(world.member_a, ORG_VIEW)) == []
    assert access.has_any(world.member_a, ORG_VIEW) is False


def test_get_for_user_is_404_for_missing_and_for_not_yours(world):
    with pytest.raises(Http404):
        access.get_org_for_user(world.staff_b, ORG_VIEW, world.union_a.pk)
    with pytest.raises(Http404):
        access.get_org_for_user(world.staff_b, ORG_VIEW, 999999)
    with pytest.raises(Http404):
        access.get_org_for_user(world.staff_b, ORG_VIEW, "not-a-number")
    assert access.get_org_for_user(world.staff_a, ORG_VIEW, world.branch_a.pk) == world.branch_a


def test_scope_through_a_foreign_key(world):
    CommitteeMember.objects.create(org=world.union_a, name="甲", position="chair", term_start="2024-01-01")
    CommitteeMember.objects.create(org=world.union_b, name="乙", position="chair", term_start="2024-01-01")
    qs = access.scope(CommitteeMember.objects.all(), world.staff_a, ORG_CHANGE)
    assert list(qs.values_list("name", flat=True)) == ["甲"]


def test_roles_on_two_subtrees_are_combined_and_nested_paths_collapse(world):
    RoleAssignment.objects.create(user=world.staff_a, org=world.union_b, role=Role.UNION_STAFF)
    RoleAssignment.objects.create(user=world.staff_a, org=world.branch_a, role=Role.UNION_CHAIR)
    access.forget_grants(world.staff_a)
    assert access.scope_paths(world.staff_a, USERS_MANAGE) == sorted([world.union_a.path, world.union_b.path])
    assert access.can(world.staff_a, ORG_VIEW, world.union_b) is True
    assert access.can(world.staff_a, ORG_VIEW, world.fed) is False


def test_subtree_query_is_one_query(world, django_assert_num_queries):
    access.grants(world.fed_admin)  # roles are loaded once per user object
    total = Organization.objects.count()
    with django_assert_num_queries(1):
        assert len(list(access.orgs_for(world.fed_admin, ORG_VIEW))) == total


def test_inactive_user_has_no_access(world):
    world.staff_a.is_active = False
    assert access.can(world.staff_a, ORG_VIEW, world.union_a) is False
