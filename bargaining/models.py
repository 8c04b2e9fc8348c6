from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Organization


class Status(models.TextChoices):
    REQUESTED = "requested", _("已提出书面要约")
    NEGOTIATING = "negotiating", _("协商中")
    DRAFT = "draft", _("草案待审议")
    APPROVED = "approved", _("职代会已通过")
    SIGNED = "signed", _("已签字")
    FILED = "filed", _("已报送审查")
    IN_EFFECT = "in_effect", _("已生效")
    EXPIRED = "expired", _("已到期")


class ContractKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合性集体合同")
    WAGES = "wages", _("工资专项集体合同")
    WOMEN = "women", _("女职工权益保护专项集体合同")
    SAFETY = "safety", _("劳动安全卫生专项集体合同")


class Level(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    REGIONAL = "regional", _("区域性")
    SECTOR = "sector", _("行业性")


class Initiator(models.TextChoices):
    UNION = "union", _("工会（职工方）")
    EMPLOYER = "employer", _("用人单位方")


class Consultation(models.Model):
    """One collective consultation and the contract it produces, from the written request to expiry."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织"))
    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(
        _("合同类型"), max_length=16, choices=ContractKind.choices, default=ContractKind.COMPREHENSIVE
    )
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices, default=Level.ENTERPRISE)
    covered_orgs = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("覆盖的基层工会")
    )
    employer_name = models.CharField(_("用人单位（或企业方代表组织）"), max_length=120)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    initiator = models.CharField(
        _("提出方"), max_length=10, choices=Initiator.choices, default=Initiator.UNION
    )
    requested_on = models.DateField(_("书面要约日期"))
    answer_due = models.DateField(_("书面回应期限"))
    answered_on = models.DateField(_("书面回应日期"), null=True, blank=True)
    congress_total = models.PositiveIntegerField(_("职工代表总数"), null=True, blank=True)
    congress_present = models.PositiveIntegerField(_("到会人数"), null=True, blank=True)
    congress_agree = models.PositiveIntegerField(_("同意人数"), null=True, blank=True)
    congress_on = models.DateField(_("审议日期"), null=True, blank=True)
    # The congress module's poll the result was taken from (a soft link: bargaining works without it).
    congress_poll_id = models.PositiveIntegerField(_("职代会表决事项"), null=True, blank=True)
    signed_on = models.DateField(_("签字日期"), null=True, blank=True)
    workers_signatory = models.CharField(_("职工方首席代表签字"), max_length=50, blank=True)
    employer_signatory = models.CharField(_("用人单位方首席代表签字"), max_length=50, blank=True)
    term_years = models.PositiveSmallIntegerField(_("期限（年）"), null=True, blank=True)
    term_start = models.DateField(_("期限开始"), null=True, blank=True)
    term_end = models.DateField(_("期限届满"), null=True, blank=True)
    filing_due = models.DateField(_("报送期限"), null=True, blank=True)
    filed_on = models.DateField(_("报送劳动行政部门日期"), null=True, blank=True)
    review_due = models.DateField(_("审查期限届满"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    renewal_opens = models.DateField(_("可申请续签自"), null=True, blank=True)
    renews = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("续签自"),
    )
    objection_on = models.DateField(_("劳动行政部门提出异议日期"), null=True, blank=True)
    objection_note = models.TextField(_("异议内容"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("集体协商")
        verbose_name_plural = _("集体协商")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="bargaining_title_not_empty"),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("requested_on")),
                name="bargaining_answer_after_request",
            ),
            models.CheckConstraint(
                condition=Q(term_years__isnull=True) | Q(term_years__gte=1, term_years__lte=3),
                name="bargaining_term_1_to_3_years",
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | Q(filed_on__gte=F("signed_on")),
                name="bargaining_filed_after_signed",
            ),
            models.CheckConstraint(
                condition=Q(congress_total__isnull=True)
                | (
                    Q(congress_present__lte=F("congress_total"))
                    & Q(congress_agree__lte=F("congress_present"))
                ),
                name="bargaining_vote_counts",
            ),
        ]
        indexes = [models.Index(fields=["org", "status"], name="bargaining_org_status")]

    def __str__(self) -> str:
        return self.title


class Side(models.TextChoices):
    WORKERS = "workers", _("职工方")
    EMPLOYER = "employer", _("用人单位方")


class Negotiator(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="negotiators")
    side = models.CharField(_("所属方"), max_length=10, choices=Side.choices)
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    is_chief = models.BooleanField(_("首席代表"), default=False)
    is_expert = models.BooleanField(_("外部专家"), default=False)
    appointed_on = models.DateField(_("产生日期"))
    left_on = models.DateField(_("出缺日期"), null=True, blank=True)
    left_reason = models.CharField(_("出缺原因"), max_length=120, blank=True)
    vacancy_due = models.DateField(_("补缺期限"), null=True, blank=True)
    replaced_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("协商代表")
        verbose_name_plural = _("协商代表")
        ordering = ["side", "-is_chief", "id"]
        constraints = [
            # Nobody sits on both sides (nor twice on one): one current seat per name.
            models.UniqueConstraint(
                fields=["consultation", "name"],
                condition=Q(left_on__isnull=True),
                name="bargaining_one_seat_per_person",
            ),
            models.UniqueConstraint(
                fields=["consultation", "side"],
                condition=Q(is_chief=True, left_on__isnull=True),
                name="bargaining_one_chief_per_side",
            ),
            models.CheckConstraint(
                condition=~Q(is_chief=True, is_expert=True), name="bargaining_expert_never_chief"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("appointed_on")),
                name="bargaining_left_after_appointed",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    held_on = models.DateField(_("协商日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    minutes = models.TextField(_("会议纪要"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("协商会议")
        verbose_name_plural = _("协商会议")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="bargaining_round_number_unique")
        ]

    def __str__(self) -> str:
        return f"第{self.number}次协商"


class DraftVersion(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    text = models.TextField(_("合同文本"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("草案版本")
        verbose_name_plural = _("草案版本")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="bargaining_version_number_unique"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="bargaining_version_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"第{self.number}稿"


class ImplementationCheck(models.Model):
    """The yearly check of how the contract is carried out."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="checks")
    year = models.PositiveSmallIntegerField(_("年度"))
    checked_on = models.DateField(_("检查日期"))
    findings = models.TextField(_("检查情况"))
    fulfilled = models.BooleanField(_("全面履行"), default=True)

    class Meta:
        verbose_name = _("履约检查")
        verbose_name_plural = _("履约检查")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "year"], name="bargaining_check_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度履约检查"
