from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    WAGES = "wages", _("工资报酬")
    HOURS = "hours", _("工作时间与休息休假")
    SAFETY = "safety", _("安全生产与劳动保护")
    CONTRACTS = "contracts", _("劳动合同")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    OTHER = "other", _("其他")


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("处理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = (AppealStatus.SUBMITTED, AppealStatus.ACCEPTED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Appeal(models.Model):
    """A worker's request (职工诉求). When ``anonymous`` the submitter is kept only for the
    submitter's own follow-up: no staff page, API answer, export or audit event shows it."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("承办组织")
    )
    origin_org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属工会")
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("提交人")
    )
    anonymous = models.BooleanField(_("对工会匿名"), default=False)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("诉求内容"))
    status = models.CharField(
        _("状态"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.SUBMITTED
    )
    submitted_on = models.DateField(_("提交日期"))
    due_on = models.DateField(_("答复期限"))
    escalation_level = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    satisfaction_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("职工诉求")
        verbose_name_plural = _("职工诉求")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in AppealStatus]), name="appeal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("submitted_on")), name="appeal_due_after_submit"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction="") | Q(status="closed"), name="appeal_rated_only_when_closed"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="appeal_status_due")]

    def __str__(self) -> str:
        # Never the submitter: this string becomes the audit event's target label.
        return f"诉求 #{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交")
    ACCEPTED = "accepted", _("受理")
    ESCALATED = "escalated", _("逾期升级")
    ANSWERED = "answered", _("答复")
    RATED = "rated", _("评价")


class AppealEvent(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("事件"), max_length=12, choices=EventKind.choices)
    from_org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Staff actions name the staff member; the submitter's own actions leave it empty (by_submitter).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_submitter = models.BooleanField(default=False)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["appeal", "at", "id"]
        verbose_name = _("诉求处理记录")
        verbose_name_plural = _("诉求处理记录")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
