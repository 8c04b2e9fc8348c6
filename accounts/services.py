"""Writes about users, their roles, invitations, API tokens and two-factor devices."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_record
from core.validators import normalize_text, validate_mobile
from orgs import access
from orgs.models import Organization
from orgs.permissions import GRANT_FEDERATION_ADMIN, USERS_MANAGE

from .models import ApiToken, Invitation, Role, RoleAssignment, User

INVITATION_DAYS = 7


def _sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# Who may hand out a role: a role is granted (and revoked) only by someone who outranks it there.
# Within one union a chair appoints the staff, finance, mediators and secretariat, and staff enrol
# members and delegates; a role held on a higher level counts one rank more below it, so the level
# above appoints a union's chair (the higher-level union approves a chair: Trade Union Law art. 9,
# the Charter). Nobody changes their own roles.
ROLE_RANK = {
    Role.FEDERATION_ADMIN: 3,
    Role.UNION_CHAIR: 2,
    Role.UNION_STAFF: 1,
    Role.FINANCE: 1,
    Role.MEDIATION: 1,
    Role.SECRETARIAT: 1,
    Role.DELEGATE: 0,
    Role.MEMBER: 0,
}


def _rank_at(actor, org: Organization) -> int:
    """The highest rank among the actor's user-managing roles that reach `org`, one more for a role
    held on a level above it (-1: none)."""
    if getattr(actor, "is_superuser", False) and actor.is_active:
        return max(ROLE_RANK.values()) + 2
    return max(
        (
            ROLE_RANK[g.role] + (org.path != g.path)
            for g in access.grants(actor)
            if g.role in USERS_MANAGE.roles and org.path.startswith(g.path)
        ),
        default=-1,
    )


def may_assign(actor, org: Organization, role: str) -> bool:
    """May `actor` grant or revoke `role` on `org`? (A federation admin may also appoint another.)"""
    if role == Role.FEDERATION_ADMIN:
        return access.can(actor, GRANT_FEDERATION_ADMIN, org)
    return access.can(actor, USERS_MANAGE, org) and _rank_at(actor, org) > ROLE_RANK.get(role, 99)


def _refused(role: str) -> str:
    if role == Role.FEDERATION_ADMIN:
        return _("只有总工会管理员可以授予或撤销总工会管理员角色。")
    if role == Role.UNION_CHAIR:
        return _("工会主席角色由上级工会授予或撤销。")
    return _("您无权授予或撤销“%(role)s”角色，请由工会主席或上级工会办理。") % {"role": Role(role).label}


def _check_may_grant(actor, org: Organization, role: str, *, user: User | None = None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": [_("未知角色。")]})
    if not access.can(actor, USERS_MANAGE, org):
        raise ValidationError(_("您只能在自己负责的组织范围内分配角色。"))
    if user is not None and user.pk == actor.pk:
        raise ValidationError(_("不能给自己分配角色，请联系上级。"))
    if not may_assign(actor, org, role):
        raise ValidationError({"role": [_refused(role)]})


def grantable_roles(actor) -> list[tuple[str, str]]:
    """The roles `actor` may hand out somewhere (the form's choices; _check_may_grant decides for
    each organization)."""
    if getattr(actor, "is_superuser", False):
        return list(Role.choices)
    orgs = [Organization(path=p) for p in access.orgs_for(actor, USERS_MANAGE).values_list("path", flat=True)]
    return [(value, label) for value, label in Role.choices if any(may_assign(actor, o, value) for o in orgs)]


def may_manage_user(actor, user: User) -> bool:
    """A user may be managed (deactivated, re-invited) only by someone who outranks every role they
    hold, so a union's staff can never lock out or take over their chair or anyone working above them."""
    if user.pk == actor.pk:
        return False
    roles = list(user.roles.select_related("org"))
    return bool(roles) and all(may_assign(actor, a.org, a.role) for a in roles)


def user_invite(
    *, actor, org: Organization, role: str, username: str, full_name: str, email: str = "", mobile: str = ""
) -> tuple[User, str]:
    """Create a user with one role and a one-time invitation link. Returns (user, raw token)."""
    username = normalize_text(username).lower()
    full_name = normalize_text(full_name)
    errors: dict[str, list[str]] = {}
    if not username or not username.replace("_", "").replace(".", "").isalnum():
        errors["username"] = [_("用户名只能包含字母、数字、下划线和点。")]
    if not full_name:
        errors["full_name"] = [_("请填写姓名。")]
    if normalize_text(mobile or ""):
        try:
            mobile = validate_mobile(mobile)
        except ValidationError as e:
            errors["mobile"] = e.messages
    else:
        mobile = ""
    if errors:
        raise ValidationError(errors)
    _check_may_grant(actor, org, role)
    raw = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            user = User(username=username, full_name=full_name, email=email, mobile=mobile)
            user.set_unusable_password()
            user.save()
            RoleAssignment.objects.create(user=user, org=org, role=role, granted_by=actor)
            Invitation.objects.create(
                user=user,
                token_hash=_sha256(raw),
                created_by=actor,
                expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
            )
            audit_record(
                actor=actor,
                action="user.invite",
                target=user,
                org=org,
                details={"username": username, "role": role, "org": org.name},
            )
    except IntegrityError:
        raise ValidationError({"username": [_("用户名“%(u)s”已被使用。") % {"u": username}]}) from None
    return user, raw


def invitation_reissue(*, actor, user: User) -> str:
    if not may_manage_user(actor, user):
        raise ValidationError(_("您不能管理此用户。"))
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
        Invitation.objects.create(
            user=user,
            token_hash=_sha256(raw),
            created_by=actor,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        org = user.roles.order_by("org__path").first()
        audit_record(actor=actor, action="user.reinvite", target=user, org=org.org if org else None)
    return raw


def invitation_get(raw: str) -> Invitation | None:
    inv = Invitation.objects.select_related("user").filter(token_hash=_sha256(raw)).first()
    if inv is None or inv.used_at is not None or inv.expires_at < timezone.now() or not inv.user.is_active:
        return None
    return inv


def invitation_accept(*, raw: str, password: str) -> User:
    with transaction.atomic():
        inv = invitation_get(raw)
        if inv is None:
            raise ValidationError(_("邀请链接无效或已过期，请联系工会重新发送。"))
        inv = Invitation.objects.select_for_update().get(pk=inv.pk)
        if inv.used_at is not None:
            raise ValidationError(_("邀请链接无效或已过期，请联系工会重新发送。"))
        user = inv.user
        validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        inv.used_at = timezone.now()
        inv.save(update_fields=["used_at"])
        first = user.roles.order_by("org__path").first()
        audit_record(
            actor=user, action="user.invitation_accept", target=user, org=first.org if first else None
        )
    return user


def role_grant(*, actor, user: User, org: Organization, role: str) -> RoleAssignment:
    _check_may_grant(actor, org, role, user=user)
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, org=org, role=role, defaults={"granted_by": actor}
        )
        if not created:
            raise ValidationError(_("该用户在此组织已有此角色。"))
        audit_record(
            actor=actor,
            action="role.grant",
            target=user,
            org=org,
            details={"role": role, "org": org.name, "user": user.username},
        )
    access.forget_grants(user)
    return assignment


def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    if not access.can(actor, USERS_MANAGE, assignment.org):
        raise ValidationError(_("您只能在自己负责的组织范围内调整角色。"))
    if assignment.user_id == actor.pk:
        raise ValidationError(_("不能撤销自己的角色，请联系上级。"))
    if not may_assign(actor, assignment.org, assignment.role):
        raise ValidationError(_refused(assignment.role))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="role.revoke",
            target=assignment.user,
            org=assignment.org,
            details={"role": assignment.role, "org": assignment.org.name, "user": assignment.user.username},
        )
        assignment.delete()


def user_set_active(*, actor, user: User, active: bool) -> User:
    if not may_manage_user(actor, user):
        raise ValidationError(_("您不能管理此用户。"))
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        first = user.roles.order_by("org__path").first()
        audit_record(
            actor=actor,
            action="user.activate" if active else "user.deactivate",
            target=user,
            org=first.org if first else None,
        )
    return user


TOKEN_MAX_DAYS = 730


def api_token_create(*, actor, name: str, days: int = 365) -> tuple[ApiToken, str]:
    """A personal API token; every token expires (1 to TOKEN_MAX_DAYS days)."""
    name = normalize_text(name)
    errors = {}
    if not name:
        errors["name"] = [_("请为令牌起一个名称。")]
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = [_("名称最多%(n)d个字符。") % {"n": ApiToken._meta.get_field("name").max_length}]
    elif any(not ch.isprintable() for ch in name):
        errors["name"] = [_("名称不能包含控制字符。")]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= TOKEN_MAX_DAYS:
        errors["days"] = [_("有效期应在1到%(n)d天之间。") % {"n": TOKEN_MAX_DAYS}]
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    raw = f"gh_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=prefix,
            token_hash=_sha256(raw),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(
            actor=actor, action="api_token.create", target=token, details={"name": name, "prefix": prefix}
        )
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise ValidationError(_("只能撤销自己的令牌。"))
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor, action="api_token.revoke", target=token, details={"prefix": token.prefix}
            )
    return token


def api_token_authenticate(raw: str) -> User | None:
    if not raw.startswith("gh_"):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=_sha256(raw)).first()
    now = timezone.now()
    if (
        token is None
        or token.revoked_at
        or (token.expires_at and token.expires_at < now)
        or not token.user.is_active
    ):
        return None
    required = set(getattr(settings, "GONGHUI_2FA_REQUIRED_ROLES", []) or [])
    if (
        required
        and access.roles_of(token.user) & required
        and not TOTPDevice.objects.filter(user=token.user, confirmed=True).exists()
    ):
        return None  # a role that requires 2FA: its tokens work only once the user has set it up
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def totp_device_begin(*, actor) -> TOTPDevice:
    """Start (or restart) setting up an authenticator app; the device counts only once confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        return TOTPDevice.objects.create(user=actor, name=_("身份验证器"), confirmed=False)


def totp_device_confirm(*, actor, device: TOTPDevice, code: str) -> TOTPDevice:
    code = normalize_text(code).replace(" ", "")
    if not device.verify_token(code):
        raise ValidationError({"code": [_("验证码不正确，请确认手机时间准确后重试。")]})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=actor, action="user.2fa_enable", target=actor)
    return device


def totp_device_remove(*, actor) -> None:
    with transaction.atomic():
        deleted, _unused = TOTPDevice.objects.filter(user=actor).delete()
        if deleted:
            audit_record(actor=actor, action="user.2fa_disable", target=actor)


def login_recorded(*, user, org=None) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="user.login", target=user, org=org)
