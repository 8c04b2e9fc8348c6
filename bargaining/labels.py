from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "bargaining.consultation_request": _("登记集体协商书面要约"),
    "bargaining.consultation_answer": _("登记协商要约书面回应"),
    "bargaining.negotiator_add": _("添加协商代表"),
    "bargaining.negotiator_vacate": _("登记协商代表出缺"),
    "bargaining.round_add": _("登记协商会议"),
    "bargaining.draft_add": _("保存集体合同草案版本"),
    "bargaining.consultation_submit_draft": _("集体合同草案提交职代会"),
    "bargaining.consultation_approve": _("职代会通过集体合同草案"),
    "bargaining.consultation_vote_failed": _("职代会未通过集体合同草案"),
    "bargaining.consultation_sign": _("集体合同签字"),
    "bargaining.consultation_file": _("集体合同报送审查"),
    "bargaining.consultation_objection": _("劳动行政部门对集体合同提出异议"),
    "bargaining.consultation_take_effect": _("集体合同生效"),
    "bargaining.consultation_renew": _("提出集体合同续签"),
    "bargaining.consultation_expire": _("集体合同到期"),
    "bargaining.check_add": _("登记集体合同履约检查"),
}
