from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Committee(models.Model):
    """The enterprise labour dispute mediation committee (劳动争议调解仲裁法 §10)."""

    org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="mediation_committees",
        verbose_name=_("组织"),
    )
    name = models.CharField(_("名称"), max_length=120)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("劳动争议调解委员会")
        verbose_name_plural = _("劳动争议调解委员会")
        constraints = [models.UniqueConstraint(fields=["org"], name="mediation_one_committee_per_org")]

    def __str__(self) -> str:
        return self.name


class Side(models.TextChoices):
    WORKER = "worker", _("职工代表")
    EMPLOYER = "employer", _("企业代表")


class Position(models.TextChoices):
    CHAIR = "chair", _("主任")
    VICE_CHAIR = "vice_chair", _("副主任")
    MEMBER = "member", _("委员")


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="members")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    side = models.CharField(_("代表方"), max_length=16, choices=Side.choices)
    position = models.CharField(_("职务"), max_length=16, choices=Position.choices, default=Position.MEMBER)
    is_union_member = models.BooleanField(_("工会会员"), default=False)
    jointly_nominated = models.BooleanField(
        _("双方推举"), default=False, help_text=_("主任由工会成员担任，或由双方推举的人员担任（第十条）。")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登录账号"),
    )
    term_start = models.DateField(_("任职开始"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee", "position", "name"]
        verbose_name = _("调解委员")
        verbose_name_plural = _("调解委员")
        constraints = [
            models.CheckConstraint(
                condition=~Q(position="chair") | Q(is_union_member=True) | Q(jointly_nominated=True),
                name="mediation_chair_union_member",
            ),
            models.UniqueConstraint(
                fields=["committee"], condition=Q(position="chair"), name="mediation_one_chair"
            ),
            models.UniqueConstraint(fields=["committee", "name"], name="mediation_member_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_position_display()}）"


class Cause(models.TextChoices):
    WAGES = "wages", _("劳动报酬")
    OVERTIME = "overtime", _("工作时间与加班")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    TERMINATION = "termination", _("解除、终止劳动合同")
    CONTRACT = "contract", _("订立、履行、变更劳动合同")
    INJURY = "injury", _("工伤医疗费与经济补偿")
    BENEFITS = "benefits", _("福利、培训与劳动保护")
    OTHER = "other", _("其他")


class ApplicationForm(models.TextChoices):
    ORAL = "oral", _("口头申请（当场记录）")
    WRITTEN = "written", _("书面申请")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("调解中")
    AGREEMENT = "agreement", _("达成协议")
    NO_AGREEMENT = "no_agreement", _("未达成协议")
    WITHDRAWN = "withdrawn", _("撤回申请")


CLOSED_STATUSES = (CaseStatus.AGREEMENT, CaseStatus.NO_AGREEMENT, CaseStatus.WITHDRAWN)


class Case(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("组织")
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("调解委员会"),
    )
    number = models.CharField(_("案件编号"), max_length=20)
    cause = models.CharField(_("争议类型"), max_length=20, choices=Cause.choices)
    application_form = models.CharField(_("申请方式"), max_length=10, choices=ApplicationForm.choices)
    received_on = models.DateField(_("收到申请日期"))
    dispute_arose_on = models.DateField(
        _("争议发生日期"), help_text=_("当事人知道或者应当知道其权利被侵害之日，用于计算一年仲裁时效。")
    )
    summary = models.TextField(_("申请事项与理由"))
    oral_record = models.TextField(_("口头申请笔录"), blank=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办调解员"),
    )
    due_on = models.DateField(_("调解期限届满日"))
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    outcome_note = models.TextField(_("结案说明"), blank=True)
    agreement_terms = models.TextField(_("协议内容"), blank=True)
    performance_due_on = models.DateField(_("履行期限"), null=True, blank=True)
    performance_method = models.CharField(_("履行方式"), max_length=200, blank=True)
    arbitration_limit_on = models.DateField(_("仲裁时效届满日"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        constraints = [
            models.UniqueConstraint(fields=["org", "number"], name="mediation_case_number_unique"),
            models.CheckConstraint(
                condition=Q(dispute_arose_on__lte=F("received_on")), name="mediation_dates_order"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("received_on")), name="mediation_due_after_receipt"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CaseStatus]), name="mediation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("received_on")),
                name="mediation_closed_after_receipt",
            ),
        ]
        indexes = [models.Index(fields=["org", "status"], name="mediation_case_org_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_cause_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class Party(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    side = models.CharField(
        _("当事方"), max_length=16, choices=[("worker", _("职工（申请人）")), ("employer", _("用人单位"))]
    )
    name = models.CharField(_("姓名/名称"), max_length=120)
    detail = models.CharField(
        _("基本情况"),
        max_length=200,
        blank=True,
        help_text=_("职工：部门、岗位；单位：法定代表人或委托代理人"),
    )

    class Meta:
        ordering = ["case", "-side", "id"]
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="mediation_party_unique")]

    def __str__(self) -> str:
        return self.name


class Claim(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="claims")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("请求事项"), max_length=200)
    amount = models.DecimalField(_("请求金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    agreed_amount = models.DecimalField(
        _("协议金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("请求事项")
        verbose_name_plural = _("请求事项")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="mediation_claim_amount_ge0"
            ),
            models.CheckConstraint(
                condition=Q(agreed_amount__isnull=True) | Q(agreed_amount__gte=0),
                name="mediation_claim_agreed_ge0",
            ),
        ]

    def __str__(self) -> str:
        return self.item


class Session(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sessions")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("调解日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    mediators = models.CharField(_("调解员"), max_length=200)
    notes = models.TextField(_("调解记录"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "held_on", "id"]
        verbose_name = _("调解会")
        verbose_name_plural = _("调解会")

    def __str__(self) -> str:
        return f"{self.held_on} {self.case}"
