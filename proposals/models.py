"""Workers' proposals (职工提案), DOMAIN.md §4.

A ProposalCall is the collection window of one union for one session. A Proposal is one matter,
put forward by one proposer with at least two confirmed co-signers (附议人). Its life is the
explicit state machine in ProposalStatus; every transition is one service in services.py and
leaves a ProposalEvent on the proposal's timeline.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProposalCall(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="proposal_calls", verbose_name=_("工会")
    )
    title = models.CharField(_("征集名称"), max_length=120)
    session_label = models.CharField(
        _("对应会议"), max_length=120, help_text=_("如：第三届职工代表大会第二次会议")
    )
    opens_on = models.DateField(_("征集开始"))
    closes_on = models.DateField(_("征集截止"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提案征集")
        verbose_name_plural = _("提案征集")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="proposal_call_window_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalStatus(models.TextChoices):
    COSIGNING = "cosigning", _("待附议")
    PENDING_REVIEW = "pending_review", _("待审查")
    ACCEPTED = "accepted", _("已立案")
    OPINION = "opinion", _("转为意见建议")
    RETURNED = "returned", _("已退回")
    ASSIGNED = "assigned", _("已交办")
    REPLIED = "replied", _("已答复")
    EVALUATED = "evaluated", _("已评价")
    ARCHIVED = "archived", _("已归档")
    WITHDRAWN = "withdrawn", _("已撤回")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Proposal(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="proposals", verbose_name=_("工会")
    )
    call = models.ForeignKey(
        ProposalCall, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("提案征集")
    )
    number = models.PositiveIntegerField(_("编号"))
    title = models.CharField(_("案由"), max_length=120, help_text=_("一案一事：只写一件事"))
    reason = models.TextField(_("理由与依据"))
    suggestion = models.TextField(_("办理建议"))
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("提案人")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.COSIGNING
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    review_note = models.TextField(_("审查意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    department = models.CharField(_("承办部门"), max_length=80, blank=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    reply = models.TextField(_("书面答复"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    satisfaction = models.CharField(
        _("提案人满意度"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    satisfaction_note = models.TextField(_("评价意见"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新督办次数"), default=0)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="proposal_number_unique_in_call"),
            models.CheckConstraint(condition=Q(reopen_count__lte=1), name="proposal_reopen_at_most_once"),
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "replied", "evaluated"])
                | (~Q(department="") & Q(due_on__isnull=False)),
                name="proposal_assigned_has_department_and_due",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_note=""), name="proposal_returned_has_reasons"
            ),
            models.CheckConstraint(
                condition=~Q(status="evaluated") | ~Q(satisfaction=""),
                name="proposal_evaluated_has_satisfaction",
            ),
        ]
        indexes = [models.Index(fields=["org", "status", "due_on"], name="proposal_org_status_due")]

    def __str__(self) -> str:
        return f"第{self.number}号 {self.title}"


class CosignStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已谢绝")


class Cosign(models.Model):
    """A co-signer (附议人) invited by the proposer; counts only once they confirm online."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="cosigns")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposal_cosigns",
        verbose_name=_("附议人"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=CosignStatus.choices, default=CosignStatus.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="cosign_once_per_user")]
        indexes = [models.Index(fields=["user", "status"], name="cosign_user_status")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_status_display()}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交提案")
    COSIGN_CONFIRMED = "cosign_confirmed", _("附议人确认")
    COSIGN_DECLINED = "cosign_declined", _("附议人谢绝")
    COSIGNER_INVITED = "cosigner_invited", _("邀请附议人")
    TO_REVIEW = "to_review", _("附议完成，进入审查")
    ACCEPTED = "accepted", _("审查立案")
    OPINION = "opinion", _("转为意见建议")
    RETURNED = "returned", _("退回")
    ASSIGNED = "assigned", _("交办承办部门")
    REPLIED = "replied", _("承办部门书面答复")
    FOLLOW_UP = "follow_up", _("督办")
    EVALUATED = "evaluated", _("提案人评价")
    REOPENED = "reopened", _("不满意，重新督办")
    ARCHIVED = "archived", _("归档")
    WITHDRAWN = "withdrawn", _("提案人撤回")


class ProposalEvent(models.Model):
    """One line of a proposal's timeline."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return str(self.get_kind_display())
