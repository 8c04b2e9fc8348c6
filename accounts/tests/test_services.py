from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken, Invitation, Role, RoleAssignment, User
from audit.models import AuditEvent


def test_invite_creates_user_role_and_one_time_link(world):
    user, raw = services.user_invite(
        actor=world.staff_a,
        org=world.branch_a,
        role=Role.UNION_STAFF,
        username=" New_Staff ",
        full_name="新干事",
    )
    assert user.username == "new_staff"
    assert not user.has_usable_password()
    assert list(user.roles.values_list("org__name", "role")) == [("甲公司一车间分会", "union_staff")]
    assert Invitation.objects.get(user=user).token_hash != raw
    assert AuditEvent.objects.get(action="user.invite").details["role"] == "union_staff"
    accepted = services.invitation_accept(raw=raw, password="Long-enough-pass-1")
    assert accepted.check_password("Long-enough-pass-1")
    with pytest.raises(ValidationError, match="邀请链接无效或已过期"):
        services.invitation_accept(raw=raw, password="Another-pass-22")


def test_invite_checks_the_mobile_number(world):
    with pytest.raises(ValidationError) as e:
        services.user_invite(
            actor=world.chair_a,
            org=world.union_a,
            role=Role.MEMBER,
            username="m2",
            full_name="新会员",
            mobile="123",
        )
    assert e.value.message_dict == {"mobile": ["手机号应为以1开头的11位数字。"]}
    assert not User.objects.filter(username="m2").exists()
    user, _raw = services.user_invite(
        actor=world.chair_a,
        org=world.union_a,
        role=Role.MEMBER,
        username="m2",
        full_name="新会员",
        mobile="+86 139 1234 5678",
    )
    assert user.mobile == "13912345678"


def test_expired_invitation_is_refused(world):
    user, raw = services.user_invite(
        actor=world.staff_a, org=world.union_a, role=Role.MEMBER, username="m2", full_name="会员二"
    )
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="邀请链接无效或已过期"):
        services.invitation_accept(raw=raw, password="Long-enough-pass-1")


def test_weak_password_is_refused_and_invitation_stays_open(world):
    user, raw = services.user_invite(
        actor=world.staff_a, org=world.union_a, role=Role.MEMBER, username="m3", full_name="会员三"
    )
    with pytest.raises(ValidationError):
        services.invitation_accept(raw=raw, password="12345678")
    assert services.invitation_get(raw) is not None


def test_duplicate_username_gives_a_clear_error(world):
    with pytest.raises(ValidationError) as e:
        services.user_invite(
            actor=world.staff_a, org=world.union_a, role=Role.MEMBER, username="member_a", full_name="重复"
        )
    assert e.value.message_dict == {"username": ["用户名“member_a”已被使用。"]}


def test_staff_cannot_grant_outside_subtree_or_federation_admin(world):
    with pytest.raises(ValidationError, match="只能在自己负责的组织范围内"):
        services.role_grant(actor=world.staff_a, user=world.member_a, org=world.union_b, role=Role.MEMBER)
    with pytest.raises(ValidationError) as e:
        services.role_grant(
            actor=world.staff_a, user=world.member_a, org=world.union_a, role=Role.FEDERATION_ADMIN
        )
    assert e.value.message_dict == {"role": ["只有总工会管理员可以授予或撤销总工会管理员角色。"]}
    assert RoleAssignment.objects.filter(user=world.member_a).count() == 1
    services.role_grant(
        actor=world.fed_admin, user=world.member_a, org=world.union_a, role=Role.FEDERATION_ADMIN
    )


@pytest.mark.parametrize(
    ("actor", "org", "role", "allowed"),
    [
        # a union's staff enrol members and delegates, nothing that outranks or equals them
        ("staff_a", "union_a", Role.MEMBER, True),
        ("staff_a", "union_a", Role.DELEGATE, True),
        ("staff_a", "union_a", Role.UNION_STAFF, False),
        ("staff_a", "union_a", Role.FINANCE, False),
        ("staff_a", "union_a", Role.UNION_CHAIR, False),
        # one level down (a branch) they count one rank more: its staff, not its chair
        ("staff_a", "branch_a", Role.UNION_STAFF, True),
        ("staff_a", "branch_a", Role.UNION_CHAIR, False),
        # the chair appoints the union's staff, finance, mediators and secretariat, not a chair
        ("chair_a", "union_a", Role.UNION_STAFF, True),
        ("chair_a", "union_a", Role.FINANCE, True),
        ("chair_a", "union_a", Role.SECRETARIAT, True),
        ("chair_a", "union_a", Role.UNION_CHAIR, False),
        ("chair_a", "branch_a", Role.UNION_CHAIR, True),
        # the federation appoints chairs
        ("fed_admin", "union_a", Role.UNION_CHAIR, True),
        ("fed_admin", "fed", Role.UNION_STAFF, True),
        # roles without user management grant nothing
        ("finance_a", "union_a", Role.MEMBER, False),
    ],
)
def test_who_may_assign_which_role(world, actor, org, role, allowed):
    assert services.may_assign(getattr(world, actor), getattr(world, org), role) is allowed


def test_staff_cannot_make_themselves_chair_or_grant_above_their_rank(world):
    with pytest.raises(ValidationError) as e:
        services.role_grant(actor=world.staff_a, user=world.staff_a, org=world.union_a, role=Role.MEMBER)
    assert e.value.messages == ["不能给自己分配角色，请联系上级。"]
    with pytest.raises(ValidationError) as e:
        services.role_grant(
            actor=world.staff_a, user=world.member_a, org=world.union_a, role=Role.UNION_CHAIR
        )
    assert e.value.message_dict == {"role": ["工会主席角色由上级工会授予或撤销。"]}
    with pytest.raises(ValidationError) as e:
        services.role_grant(actor=world.staff_a, user=world.member_a, org=world.union_a, role=Role.FINANCE)
    assert e.value.message_dict == {"role": ["您无权授予或撤销“财务/经审”角色，请由工会主席或上级工会办理。"]}
    assert set(world.member_a.roles.values_list("role", flat=True)) == {Role.MEMBER}
    assert set(world.staff_a.roles.values_list("role", flat=True)) == {Role.UNION_STAFF}
    services.role_grant(actor=world.staff_a, user=world.member_a, org=world.union_a, role=Role.DELEGATE)
    services.role_grant(actor=world.chair_a, user=world.member_a, org=world.union_a, role=Role.FINANCE)
    assert set(world.member_a.roles.values_list("role", flat=True)) == {
        Role.MEMBER,
        Role.DELEGATE,
        Role.FINANCE,
    }


def test_staff_cannot_revoke_reinvite_or_deactivate_their_chair(world):
    chair_role = world.chair_a.roles.get()
    with pytest.raises(ValidationError) as e:
        services.role_revoke(actor=world.staff_a, assignment=chair_role)
    assert e.value.messages == ["工会主席角色由上级工会授予或撤销。"]
    assert services.may_manage_user(world.staff_a, world.chair_a) is False
    with pytest.raises(ValidationError, match="您不能管理此用户"):
        services.invitation_reissue(actor=world.staff_a, user=world.chair_a)
    with pytest.raises(ValidationError, match="您不能管理此用户"):
        services.user_set_active(actor=world.staff_a, user=world.chair_a, active=False)
    world.chair_a.refresh_from_db()
    assert world.chair_a.is_active and world.chair_a.roles.count() == 1
    assert not Invitation.objects.filter(user=world.chair_a).exists()
    # members they enrolled they may manage; the federation manages the chair
    assert services.may_manage_user(world.staff_a, world.member_a) is True
    assert services.may_manage_user(world.fed_admin, world.chair_a) is True
    services.role_revoke(actor=world.fed_admin, assignment=chair_role)
    assert not world.chair_a.roles.exists()


def test_grantable_roles_follow_rank(world):
    values = lambda actor: [v for v, _label in services.grantable_roles(actor)]  # noqa: E731
    # at union_a itself only members and delegates; on its branch, staff and the like too
    assert values(world.staff_a) == [
        Role.UNION_STAFF,
        Role.FINANCE,
        Role.MEDIATION,
        Role.SECRETARIAT,
        Role.DELEGATE,
        Role.MEMBER,
    ]
    assert Role.UNION_CHAIR not in values(world.staff_a)
    assert Role.UNION_CHAIR in values(world.chair_a) and Role.FEDERATION_ADMIN not in values(world.chair_a)
    assert values(world.fed_admin) == list(Role.values)
    assert values(world.finance_a) == []


def test_staff_cannot_manage_someone_who_also_works_above_them(world):
    RoleAssignment.objects.create(user=world.member_a, org=world.fed, role=Role.UNION_STAFF)
    assert services.may_manage_user(world.staff_a, world.member_a) is False
    with pytest.raises(ValidationError):
        services.user_set_active(actor=world.staff_a, user=world.member_a, active=False)
    assert services.may_manage_user(world.fed_admin, world.member_a) is True


def test_revoke_own_role_refused(world):
    with pytest.raises(ValidationError, match="不能撤销自己的角色"):
        services.role_revoke(actor=world.staff_a, assignment=world.staff_a.roles.get())


def test_api_token_lifecycle(world):
    token, raw = services.api_token_create(actor=world.staff_a, name="报表脚本")
    assert raw.startswith(f"gh_{token.prefix}_")
    assert ApiToken.objects.get().token_hash != raw
    assert services.api_token_authenticate(raw) == world.staff_a
    assert services.api_token_authenticate(raw + "x") is None
    services.api_token_revoke(actor=world.staff_a, token=token)
    assert services.api_token_authenticate(raw) is None
    with pytest.raises(ValidationError):
        services.api_token_revoke(actor=world.staff_b, token=token)


def test_expired_token_and_inactive_user_rejected(world):
    token, raw = services.api_token_create(actor=world.staff_a, name="t", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert services.api_token_authenticate(raw) is None
    _token2, raw2 = services.api_token_create(actor=world.staff_b, name="t2")
    User.objects.filter(pk=world.staff_b.pk).update(is_active=False)
    assert services.api_token_authenticate(raw2) is None


def test_role_choices_offer_federation_admin_only_to_those_who_may_grant_it(world, client):
    assert Role.FEDERATION_ADMIN not in dict(services.grantable_roles(world.staff_a))
    assert Role.FEDERATION_ADMIN in dict(services.grantable_roles(world.fed_admin))
    client.force_login(world.chair_a)
    page = client.get("/users/invite/").content.decode()
    assert 'value="federation_admin"' not in page
    assert '<option value="" selected>请选择</option>' in page
    assert 'value="union_staff"' in page


def test_api_tokens_are_offered_to_staff_not_to_members(world, client):
    client.force_login(world.member_a)
    assert "API 令牌" not in client.get("/accounts/me/").content.decode()
    client.force_login(world.staff_a)
    assert "API 令牌" in client.get("/accounts/me/").content.decode()
