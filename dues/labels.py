from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "dues.policy_update": _("修改会费与经费标准"),
    "dues.wage_set": _("录入工资基数"),
    "dues.wage_import": _("导入工资表"),
    "dues.wage_template": _("下载工资表（会员名单）"),
    "dues.run": _("核定月度会费"),
    "dues.rerun": _("重新核定月度会费"),
    "dues.supplement": _("补计月度会费"),
    "dues.payment_record": _("登记会费缴纳"),
    "dues.batch_record": _("登记工资代扣会费"),
    "dues.funds_assess": _("核定工会经费"),
    "dues.funds_payment_record": _("登记工会经费到账"),
    "dues.payment_reverse": _("冲销会费缴纳"),
    "dues.batch_reverse": _("冲销工资代扣批次"),
    "dues.funds_payment_reverse": _("冲销工会经费到账"),
    "dues.funds_official_no": _("登记或更正专用收据号码"),
}
