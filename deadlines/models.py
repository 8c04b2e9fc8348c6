from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.texts import Message


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（放假）")
    WORKDAY = "workday", _("调休上班日")


class CalendarDay(models.Model):
    """An exception to the Mon–Fri week: a public holiday or a make-up working day (调休上班)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=60, blank=True)
    confirmed = models.BooleanField(
        _("已核对国务院通知"), default=True, help_text=_("未核对的日期请按国务院办公厅当年通知核对后勾选。")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "workday"]), name="deadlines_day_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class Deadline(models.Model):
    """One dated obligation registered by a module (a mediation case's 15 days, a request's answer
    date...). Each module keeps its own row current with ``deadlines.services.deadline_upsert``."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("组织")
    )
    title = models.CharField(_("事项"), max_length=200)
    due_on = models.DateField(_("到期日"))
    source_type = models.CharField(_("来源类型"), max_length=60)
    source_id = models.CharField(_("来源编号"), max_length=40)
    slot = models.CharField(_("期限种类"), max_length=40, blank=True, default="")
    url = models.CharField(_("链接"), max_length=300, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("责任人"),
    )
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("期限事项")
        verbose_name_plural = _("期限事项")
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "slot"], name="deadline_source_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["done_at", "due_on"], name="deadline_open_due"),
            models.Index(fields=["org", "due_on"], name="deadline_org_due"),
        ]

    def __str__(self) -> str:
        return f"{self.due_on} {self.title}"


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    INFO = "info", _("通知")


class Notification(models.Model):
    """An in-app notice for one user (the bell)."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("组织")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("用户"),
    )
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=NotificationKind.choices)
    text = models.CharField(_("内容"), max_length=300)
    # What the text was made of (the source text and its values, core.texts.Message), so that each
    # reader reads it in their own language; the text is the installation's language, for e-mail and
    # for notices from before it was kept.
    message = models.JSONField(_("消息"), null=True, blank=True, editable=False)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            # One "due soon" and one "overdue" notice per deadline per user, however often the job runs.
            models.UniqueConstraint(
                fields=["user", "deadline", "kind"],
                condition=Q(deadline__isnull=False),
                name="notification_once",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.text

    @property
    def shown_text(self) -> str:
        """The notice in the reader's language (the active one)."""
        return Message.from_json(self.message).render() if self.message else self.text
