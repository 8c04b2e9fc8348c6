from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "assistance.standard_set": _("设置低保标准"),
    "assistance.household_apply": _("新建困难职工家庭档案"),
    "assistance.member_add": _("添加困难家庭成员"),
    "assistance.member_remove": _("移除困难家庭成员"),
    "assistance.household_reclassify": _("重新认定困难类别"),
    "assistance.consent_record": _("登记帮扶申请书与授权书"),
    "assistance.household_review": _("困难职工基层审核"),
    "assistance.household_visit": _("困难职工入户走访"),
    "assistance.household_notice": _("困难职工公示"),
    "assistance.household_approve": _("困难职工帮扶审批"),
    "assistance.household_archive": _("困难职工建档立卡"),
    "assistance.household_recheck": _("困难职工年度复核"),
    "assistance.household_close": _("困难职工退出帮扶"),
    "assistance.fund_create": _("新建帮扶资金"),
    "assistance.payment_record": _("登记帮扶资金发放"),
    "assistance.payment_reverse": _("冲销帮扶资金发放"),
}
