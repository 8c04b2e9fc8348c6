from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from orgs.models import Organization


class LocalMinimumStandard(models.Model):
    """The local minimum living standard (低保) per locality (a federation) and year."""

    org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("地区（总工会）")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    monthly_amount = models.DecimalField(_("低保标准（元/人·月）"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("低保标准")
        verbose_name_plural = _("低保标准")
        ordering = ["-year", "org"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="assistance_standard_once_per_year"),
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="assistance_standard_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.monthly_amount}"


class Category(models.TextChoices):
    DEEP = "deep", _("深度困难")
    RELATIVE = "relative", _("相对困难")
    ACCIDENT = "accident", _("意外致困")
    NONE = "none", _("未达到困难标准")
    UNKNOWN = "unknown", _("待认定（未配置低保标准）")


ELIGIBLE = (Category.DEEP, Category.RELATIVE, Category.ACCIDENT)


class Status(models.TextChoices):
    APPLIED = "applied", _("已申请")
    REVIEWED = "reviewed", _("基层已审核")
    VISITED = "visited", _("已入户走访")
    NOTICED = "noticed", _("公示中")
    APPROVED = "approved", _("已审批")
    ARCHIVED = "archived", _("已建档立卡")
    CLOSED = "closed", _("已退出")


class Cause(models.TextChoices):
    ILLNESS = "illness", _("本人或家属患病")
    DISABILITY = "disability", _("残疾")
    EDUCATION = "education", _("子女教育")
    DISASTER = "disaster", _("自然灾害")
    ACCIDENT = "accident", _("意外事故")
    UNEMPLOYMENT = "unemployment", _("失业或下岗")
    LOW_INCOME = "low_income", _("收入低")
    OTHER = "other", _("其他")


class CloseReason(models.TextChoices):
    OUT_OF_HARDSHIP = "out", _("已脱困")
    RETIRED = "retired", _("退休")
    MOVED = "moved", _("迁出或调离")
    DIED = "died", _("死亡")
    OTHER = "other", _("其他")


class Household(models.Model):
    """One household, one file (一户一档)."""

    ENCRYPTED_FIELDS = [
        "id_cipher",
        "bank_cipher",
        "health_cipher",
        "rigid_cipher",
        "medical_cipher",
        "per_capita_cipher",
    ]

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("工会"))
    head_name = models.CharField(_("申请人姓名"), max_length=50)
    id_cipher = models.TextField(editable=False)
    id_blind = models.CharField(max_length=64, editable=False)
    id_masked = models.CharField(_("身份证号"), max_length=18)
    employer = models.CharField(_("工作单位"), max_length=120)
    is_migrant = models.BooleanField(_("农民工"), default=False)
    employed_since = models.DateField(_("入职日期"), null=True, blank=True)
    main_cause = models.CharField(_("主要致困原因"), max_length=16, choices=Cause.choices)
    secondary_cause = models.CharField(_("次要致困原因"), max_length=16, choices=Cause.choices, blank=True)
    disaster = models.BooleanField(_("遭受自然灾害或重大事故"), default=False)
    rigid_cipher = models.TextField(editable=False, blank=True)
    medical_cipher = models.TextField(editable=False, blank=True)
    health_cipher = models.TextField(editable=False, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=60, blank=True)
    bank_cipher = models.TextField(editable=False, blank=True)
    bank_masked = models.CharField(_("银行账号"), max_length=40, blank=True)
    per_capita_cipher = models.TextField(editable=False, blank=True)
    category = models.CharField(
        _("困难类别"), max_length=10, choices=Category.choices, default=Category.UNKNOWN
    )
    standard_year = models.PositiveSmallIntegerField(_("低保标准年度"), null=True, blank=True)
    standard_amount = models.DecimalField(
        _("适用低保标准"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # Separate consent (PIPL art. 25, 29)
    consent_signed_on = models.DateField(_("签署授权书日期"), null=True, blank=True)
    consent_income_check = models.BooleanField(_("同意核查收入"), default=False)
    consent_publish = models.BooleanField(_("同意公示"), default=False)
    publish_full_name = models.BooleanField(_("公示完整姓名"), default=False)
    publish_employer = models.BooleanField(_("公示工作单位"), default=False)
    publish_category = models.BooleanField(_("公示困难类别"), default=True)
    publish_amount = models.BooleanField(_("公示帮扶金额"), default=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(_("申请日期"))
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    visitors = models.CharField(_("走访人"), max_length=120, blank=True)
    visit_note = models.TextField(_("走访情况"), blank=True)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止"), null=True, blank=True)
    proposed_amount = models.DecimalField(
        _("拟帮扶金额"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    archived_on = models.DateField(_("建档日期"), null=True, blank=True)
    file_no = models.CharField(_("档案编号"), max_length=30, blank=True)
    next_recheck = models.DateField(_("下次复核"), null=True, blank=True)
    last_recheck = models.DateField(_("上次复核"), null=True, blank=True)
    closed_on = models.DateField(_("退出日期"), null=True, blank=True)
    close_reason = models.CharField(_("退出原因"), max_length=10, choices=CloseReason.choices, blank=True)
    close_note = models.CharField(_("退出说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("困难职工家庭档案")
        verbose_name_plural = _("困难职工家庭档案")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["id_blind"], name="assistance_one_household_one_file"),
            models.CheckConstraint(condition=~Q(head_name=""), name="assistance_head_name_not_empty"),
            models.CheckConstraint(
                condition=Q(proposed_amount__isnull=True) | Q(proposed_amount__gte=0),
                name="assistance_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(notice_end__isnull=True) | Q(notice_end__gte=F("notice_start")),
                name="assistance_notice_order",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(reviewed_on__gte=F("applied_on")),
                name="assistance_review_after_apply",
            ),
        ]
        indexes = [models.Index(fields=["org", "status"], name="assistance_org_status")]

    def __str__(self) -> str:
        return self.file_no or f"{self.head_name}家庭"


class Relation(models.TextChoices):
    SELF = "self", _("本人")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    OTHER = "other", _("其他共同生活成员")


class HouseholdMember(models.Model):
    ENCRYPTED_FIELDS = ["income_cipher"]

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("关系"), max_length=10, choices=Relation.choices)
    income_cipher = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "name"], name="assistance_member_unique"),
            models.UniqueConstraint(
                fields=["household"], condition=Q(relation="self"), name="assistance_one_applicant"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Fund(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织"))
    name = models.CharField(_("资金名称"), max_length=80)

    class Meta:
        verbose_name = _("帮扶资金")
        verbose_name_plural = _("帮扶资金")
        ordering = ["org", "name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="assistance_fund_unique")]

    def __str__(self) -> str:
        return self.name


class AidKind(models.TextChoices):
    LIVING = "living", _("生活救助")
    EDUCATION = "education", _("助学")
    MEDICAL = "medical", _("医疗救助")
    TRAINING = "training", _("培训与就业帮扶")
    FESTIVAL = "festival", _("节日慰问（送温暖）")
    EMERGENCY = "emergency", _("应急救助")


class Payment(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="payments")
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="payments", verbose_name=_("资金来源")
    )
    budget_year = models.PositiveSmallIntegerField(_("预算年度"))
    kind = models.CharField(_("帮扶类型"), max_length=10, choices=AidKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("发放日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶发放记录")
        verbose_name_plural = _("帮扶发放记录")
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="assistance_payment_positive")]
        indexes = [models.Index(fields=["fund", "budget_year"], name="assistance_fund_year")]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversal")


class PaymentReversal(models.Model):
    """The reversal (冲销) of an aid payment recorded in error. The payment itself is never edited or
    deleted: this row records when, why and by whom it was reversed, and every total, statistic and
    export of payments leaves a reversed payment out (`selectors.not_reversed`). One reversal per
    payment, held by the database (one-to-one). That the reversal is not dated before the payment
    nor in the future is checked by `services.payment_reverse`: a CHECK cannot compare two tables,
    nor depend on today's date."""

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("工会"))
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("帮扶发放记录")
    )
    reversed_on = models.DateField(_("冲销日期"))
    reason = models.CharField(_("冲销原因"), max_length=200)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶发放冲销")
        verbose_name_plural = _("帮扶发放冲销")
        ordering = ["-reversed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="assistance_reversal_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.reversed_on} -{self.payment_id}"
