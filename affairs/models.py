"""Open affairs (厂务公开), DOMAIN.md §4 (Zhejiang art. 20–23).

Each union keeps a board of items published for a period, sorted into the categories the rules
list. Workers open items (a read receipt, once per person), ask questions on an item or on the
board (answers due within 30 days: a setting), and answer a satisfaction survey once per period.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    OPERATIONS = "operations", _("发展规划和生产经营")
    VITAL_INTERESTS = "vital_interests", _("涉及职工切身利益的重大决定")
    RULES = "rules", _("规章制度及其执行情况")
    CONTRACTS = "contracts", _("劳动合同、集体合同和工资协议")
    STATE_FINANCE = "state_finance", _("重大投资、资金使用、招投标、采购、资产变动和业务招待费")
    OTHER = "other", _("其他公开事项")


class AffairItem(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="affair_items", verbose_name=_("工会")
    )
    category = models.CharField(_("公开类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("公开内容"))
    publish_from = models.DateField(_("公开开始"))
    publish_until = models.DateField(_("公开截止"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["-publish_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(publish_until__gte=F("publish_from")), name="affair_item_period_order"
            ),
        ]
        indexes = [
            models.Index(fields=["org", "publish_from", "publish_until"], name="affair_item_org_period")
        ]

    def __str__(self) -> str:
        return self.title


class ReadReceipt(models.Model):
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AffairItem, on_delete=models.PROTECT, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["read_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="read_receipt_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.item}"


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


class Question(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="affair_questions", verbose_name=_("工会")
    )
    item = models.ForeignKey(
        AffairItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("针对事项"),
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提问人")
    )
    body = models.TextField(_("问题"))
    asked_on = models.DateField(_("提问日期"))
    due_on = models.DateField(_("答复期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("职工提问")
        verbose_name_plural = _("职工提问")
        ordering = ["-asked_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("asked_on")), name="question_due_after_asked"),
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="question_answered_has_answer",
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "due_on"], name="question_org_status_due")]

    def __str__(self) -> str:
        return self.body[:40]


class Survey(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="affair_surveys", verbose_name=_("工会")
    )
    title = models.CharField(_("调查名称"), max_length=120)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="survey_period_order"),
        ]

    def __str__(self) -> str:
        return self.title


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class SurveyResponse(models.Model):
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("总体评价"), max_length=12, choices=Rating.choices)
    comment = models.TextField(_("意见和建议"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_response_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.get_rating_display()}"
