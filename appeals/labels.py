from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "appeals.appeal_submit": _("提交职工诉求"),
    "appeals.appeal_accept": _("受理职工诉求"),
    "appeals.appeal_answer": _("答复职工诉求"),
    "appeals.appeal_rate": _("评价诉求办理"),
    "appeals.appeal_escalate": _("诉求逾期升级"),
}
