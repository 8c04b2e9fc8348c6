from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FEDERATION_ADMIN = "federation_admin", _("总工会管理员")
    UNION_CHAIR = "union_chair", _("工会主席")
    UNION_STAFF = "union_staff", _("工会干事")
    FINANCE = "finance", _("财务/经审")
    MEDIATION = "mediation", _("调解委员")
    SECRETARIAT = "secretariat", _("职代会秘书处")
    DELEGATE = "delegate", _("职工代表")
    MEMBER = "member", _("会员")


STAFF_ROLES = {
    Role.FEDERATION_ADMIN,
    Role.UNION_CHAIR,
    Role.UNION_STAFF,
    Role.FINANCE,
    Role.MEDIATION,
    Role.SECRETARIAT,
}


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    # An invited user sets their own password through a one-time link before first login.

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username


class RoleAssignment(models.Model):
    """A role held on one organization; it reaches that organization's whole subtree."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("用户"))
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="roles", verbose_name=_("组织")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["org__path", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="role_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org}"


class Invitation(models.Model):
    """A one-time link with which an invited user sets their password. Only the hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation for {self.user_id}"


class ApiToken(models.Model):
    """A personal API token: `gh_<prefix>_<secret>`; only a SHA-256 of the whole token is stored.
    It acts with exactly the roles its owner holds at the time of the request."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (gh_{self.prefix}_…)"
