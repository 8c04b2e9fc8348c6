from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Each level of the materialized path is the organization's id, zero-padded to this width.
PATH_STEP = 8


class OrgKind(models.TextChoices):
    FEDERATION = "federation", _("总工会/联合会")
    UNION = "union", _("基层工会")
    BRANCH = "branch", _("分会")
    GROUP = "group", _("工会小组")


# Which kinds may sit directly under which (DOMAIN.md §1).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.FEDERATION: {None, OrgKind.FEDERATION},
    OrgKind.UNION: {OrgKind.FEDERATION},
    OrgKind.BRANCH: {OrgKind.UNION, OrgKind.BRANCH},
    OrgKind.GROUP: {OrgKind.UNION, OrgKind.BRANCH},
}


class Ownership(models.TextChoices):
    STATE = "state", _("国有企业")
    COLLECTIVE = "collective", _("集体企业")
    PRIVATE = "private", _("民营企业")
    FOREIGN = "foreign", _("外资/港澳台企业")
    INSTITUTION = "institution", _("事业单位")
    ORGAN = "organ", _("机关")
    SOCIAL = "social", _("社会组织")
    OTHER = "other", _("其他")


NON_PUBLIC = {Ownership.PRIVATE, Ownership.FOREIGN}


class Sector(models.TextChoices):
    MANUFACTURING = "manufacturing", _("制造业")
    CONSTRUCTION = "construction", _("建筑业")
    RETAIL = "retail", _("批发和零售业")
    LOGISTICS = "logistics", _("交通运输、仓储和邮政业")
    HOSPITALITY = "hospitality", _("住宿和餐饮业")
    IT = "it", _("信息传输、软件和信息技术服务业")
    FINANCE = "finance", _("金融业")
    PROPERTY = "property", _("房地产业与物业")
    SERVICES = "services", _("居民服务和其他服务业")
    HEALTH = "health", _("卫生和社会工作")
    EDUCATION = "education", _("教育")
    PUBLIC = "public", _("公共管理和社会组织")
    OTHER = "other", _("其他")


class Organization(models.Model):
    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind.choices)
    name = models.CharField(_("工会名称"), max_length=120)
    unit_name = models.CharField(_("所在单位"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级组织"),
    )
    # Materialized path: the zero-padded ids of the ancestors and itself. A subtree is one range scan.
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    ownership = models.CharField(_("单位性质"), max_length=16, choices=Ownership.choices, blank=True)
    sector = models.CharField(_("行业"), max_length=16, choices=Sector.choices, blank=True)
    employee_count = models.PositiveIntegerField(_("职工人数"), default=0)
    member_count = models.PositiveIntegerField(_("会员人数"), default=0)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    term_start = models.DateField(_("本届委员会任期开始"), null=True, blank=True)
    term_end = models.DateField(_("本届委员会任期届满"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="org_credit_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gt=F("term_start")),
                name="org_term_order",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="org_name_not_empty"),
        ]
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def subtree_upper(self) -> str:
        return subtree_upper(self.path)

    @property
    def is_non_public(self) -> bool:
        return self.ownership in NON_PUBLIC

    @property
    def membership_rate(self):
        if not self.employee_count:
            return None
        return self.member_count / self.employee_count

    def ancestor_paths(self) -> list[str]:
        return [self.path[: i + PATH_STEP] for i in range(0, len(self.path), PATH_STEP)]


def subtree_upper(path: str) -> str:
    """The smallest path greater than every path in the subtree rooted at `path`."""
    return path[:-PATH_STEP] + f"{int(path[-PATH_STEP:]) + 1:0{PATH_STEP}d}"


class Position(models.TextChoices):
    CHAIR = "chair", _("主席")
    VICE_CHAIR = "vice_chair", _("副主席")
    MEMBER = "member", _("委员")
    FUNDS_AUDITOR = "funds_auditor", _("经费审查委员")
    WOMEN = "women", _("女职工委员")


# Positions that make up the union committee proper (委员会); the other two sit on their own committees.
COMMITTEE_POSITIONS = {Position.CHAIR, Position.VICE_CHAIR, Position.MEMBER}


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class CommitteeMember(models.Model):
    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="committee", verbose_name=_("组织")
    )
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True)
    position = models.CharField(_("职务"), max_length=16, choices=Position.choices)
    is_full_time = models.BooleanField(_("专职"), default=False)
    term_start = models.DateField(_("任职开始"))
    term_end = models.DateField(_("任职届满"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("委员会成员")
        verbose_name_plural = _("委员会成员")
        ordering = ["org", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=F("term_start")),
                name="committee_term_order",
            ),
            models.UniqueConstraint(fields=["org", "name", "position"], name="committee_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_position_display()}）"


class WarningLevel(models.TextChoices):
    WARNING = "warning", _("提醒")
    DANGER = "danger", _("严重")


class OrgWarning(models.Model):
    """A rule an organization currently breaks; recomputed by orgs.services.warnings_recompute."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="warnings")
    code = models.CharField(max_length=40)
    level = models.CharField(max_length=10, choices=WarningLevel.choices, default=WarningLevel.WARNING)
    params = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["org", "code"]
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="org_warning_unique")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from .rules import warning_text

        return warning_text(self.code, self.params)
