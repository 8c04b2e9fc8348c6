"""The user pages as a union's staff would try them against their own chair."""

from django.urls import reverse

from accounts.models import Invitation, Role, RoleAssignment
from audit.models import AuditEvent


def test_staff_cannot_take_the_chairs_powers_through_the_user_pages(world, client):
    client.force_login(world.staff_a)
    before = set(RoleAssignment.objects.values_list("user_id", "org_id", "role"))
    # give themselves a role (the chair's is not even offered to them)
    r = client.post(
        reverse("accounts:user_detail", args=[world.staff_a.pk]),
        {"org": world.union_a.pk, "role": Role.DELEGATE},
    )
    assert r.status_code == 200
    assert "不能给自己分配角色，请联系上级。" in r.content.decode()
    # make a colleague chair, or finance officer of their own union
    page = client.get(reverse("accounts:user_detail", args=[world.member_a.pk])).content.decode()
    assert 'value="union_chair"' not in page
    r = client.post(
        reverse("accounts:user_detail", args=[world.member_a.pk]),
        {"org": world.union_a.pk, "role": Role.FINANCE},
    )
    assert "您无权授予或撤销“财务/经审”角色，请由工会主席或上级工会办理。" in r.content.decode()
    # strip, re-invite or deactivate the chair
    chair_role = world.chair_a.roles.get()
    r = client.post(reverse("accounts:role_revoke", args=[chair_role.pk]), follow=True)
    assert "工会主席角色由上级工会授予或撤销。" in r.content.decode()
    page = client.get(reverse("accounts:user_detail", args=[world.chair_a.pk])).content.decode()
    assert reverse("accounts:role_revoke", args=[chair_role.pk]) not in page
    assert reverse("accounts:user_reinvite", args=[world.chair_a.pk]) not in page
    r = client.post(reverse("accounts:user_reinvite", args=[world.chair_a.pk]), follow=True)
    assert "您不能管理此用户。" in r.content.decode()
    r = client.post(reverse("accounts:user_active", args=[world.chair_a.pk]), {"active": "0"}, follow=True)
    assert "您不能管理此用户。" in r.content.decode()
    world.chair_a.refresh_from_db()
    assert world.chair_a.is_active
    assert set(RoleAssignment.objects.values_list("user_id", "org_id", "role")) == before
    assert not Invitation.objects.filter(user=world.chair_a).exists()
    assert not AuditEvent.objects.filter(action__in=["role.grant", "role.revoke", "user.reinvite"]).exists()


def test_the_role_list_offers_only_what_the_user_may_grant(world, client):
    client.force_login(world.chair_a)
    page = client.get(reverse("accounts:user_detail", args=[world.member_a.pk])).content.decode()
    assert 'value="union_staff"' in page and 'value="finance"' in page
    assert 'value="federation_admin"' not in page


def test_a_users_mobile_is_masked(world, client):
    world.member_a.mobile = "13912345678"
    world.member_a.save(update_fields=["mobile"])
    client.force_login(world.fed_admin)
    page = client.get(reverse("accounts:user_detail", args=[world.member_a.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    # found whole or by the last four digits, not digit by digit
    names = lambda q: [u.full_name for u in client.get("/users/", {"q": q}).context["users"]]  # noqa: E731
    assert "甲会员" in names("13912345678") and "甲会员" in names("5678")
    assert "甲会员" not in names("45678")
