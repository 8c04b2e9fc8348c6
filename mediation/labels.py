from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "mediation.committee_create": _("成立调解委员会"),
    "mediation.committee_member_add": _("增加调解委员"),
    "mediation.committee_member_remove": _("移除调解委员"),
    "mediation.case_create": _("受理调解申请"),
    "mediation.party_add": _("增加当事人"),
    "mediation.claim_add": _("增加请求事项"),
    "mediation.session_add": _("记录调解会"),
    "mediation.case_agree": _("调解达成协议"),
    "mediation.case_fail": _("调解未达成协议"),
    "mediation.case_withdraw": _("撤回调解申请"),
}
