from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "deadlines.calendar_day_save": _("保存节假日/调休日"),
    "deadlines.calendar_day_delete": _("删除节假日/调休日"),
    "deadlines.deadline_upsert": _("登记期限事项"),
    "deadlines.deadline_done": _("期限事项办结"),
    "deadlines.notify_run": _("生成到期提醒"),
    "deadlines.notification_read": _("通知标为已读"),
}
