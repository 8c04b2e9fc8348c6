from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
