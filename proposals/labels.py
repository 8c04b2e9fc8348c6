from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "proposals.call_create": _("发起提案征集"),
    "proposals.proposal_submit": _("提交提案"),
    "proposals.cosign_confirm": _("确认附议"),
    "proposals.cosign_decline": _("谢绝附议"),
    "proposals.cosigner_invite": _("邀请附议人"),
    "proposals.proposal_to_review": _("提案附议完成，进入审查"),
    "proposals.proposal_withdraw": _("撤回提案"),
    "proposals.proposal_accept": _("提案立案"),
    "proposals.proposal_convert": _("提案转为意见建议"),
    "proposals.proposal_return": _("退回提案"),
    "proposals.proposal_assign": _("交办提案"),
    "proposals.proposal_reply": _("登记提案答复"),
    "proposals.proposal_follow_up": _("督办提案"),
    "proposals.proposal_evaluate": _("评价提案办理"),
    "proposals.proposal_reopen": _("重新督办提案"),
    "proposals.proposal_archive": _("提案归档"),
}
