from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from orgs.models import Organization

from .models import AidKind, Cause, CloseReason, Fund, Relation


def _money(label, required=True):
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, required=required)


class ApplyForm(forms.Form):
    org = forms.ModelChoiceField(label=_("所属工会"), queryset=Organization.objects.none())
    head_name = forms.CharField(label=_("申请人姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=20)
    employer = forms.CharField(label=_("工作单位"), max_length=120)
    applied_on = forms.DateField(label=_("申请日期"), widget=DateInput)
    annual_income = _money(_("申请人年可支配收入（元）"))
    rigid_expenses = _money(_("家庭年刚性支出（元）"), required=False)
    sudden_medical_costs = _money(_("当年突发医疗费用（元）"), required=False)
    disaster = forms.BooleanField(label=_("遭受自然灾害或重大事故"), required=False)
    main_cause = forms.ChoiceField(label=_("主要致困原因"), choices=Cause.choices)
    secondary_cause = forms.ChoiceField(
        label=_("次要致困原因"), choices=[("", "—"), *Cause.choices], required=False
    )
    health = forms.CharField(label=_("健康状况（敏感信息）"), max_length=200, required=False)
    bank_name = forms.CharField(label=_("开户银行"), max_length=60, required=False)
    bank_account = forms.CharField(label=_("银行账号（敏感信息）"), max_length=40, required=False)
    is_migrant = forms.BooleanField(label=_("农民工"), required=False)
    employed_since = forms.DateField(label=_("入职日期"), widget=DateInput, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    relation = forms.ChoiceField(
        label=_("与申请人关系"), choices=[c for c in Relation.choices if c[0] != "self"]
    )
    annual_income = _money(_("年可支配收入（元）"))


class ConsentForm(forms.Form):
    signed_on = forms.DateField(label=_("签署日期"), widget=DateInput)
    income_check = forms.BooleanField(label=_("同意工会核查家庭收入"), required=False)
    publish = forms.BooleanField(label=_("同意公示（单独同意）"), required=False)
    full_name = forms.BooleanField(label=_("公示完整姓名（默认只公示姓氏）"), required=False)
    employer = forms.BooleanField(label=_("公示工作单位"), required=False)
    category = forms.BooleanField(label=_("公示困难类别"), required=False, initial=True)
    amount = forms.BooleanField(label=_("公示帮扶金额"), required=False, initial=True)


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("审核日期"), widget=DateInput)
    note = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DateInput)
    visitors = forms.CharField(label=_("走访人"), max_length=120)
    note = forms.CharField(label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 3}))


class NoticeForm(forms.Form):
    start_on = forms.DateField(label=_("公示开始日期"), widget=DateInput)
    proposed_amount = _money(_("拟帮扶金额（元）"))


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("审批日期"), widget=DateInput)


class ArchiveForm(forms.Form):
    archived_on = forms.DateField(label=_("建档日期"), widget=DateInput)


class RecheckForm(forms.Form):
    checked_on = forms.DateField(label=_("复核日期"), widget=DateInput)


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("退出日期"), widget=DateInput)
    reason = forms.ChoiceField(label=_("退出原因"), choices=CloseReason.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class PaymentForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("资金来源"), queryset=Fund.objects.none())
    budget_year = forms.IntegerField(label=_("预算年度"))
    kind = forms.ChoiceField(label=_("帮扶类型"), choices=AidKind.choices)
    amount = _money(_("金额（元）"))
    paid_on = forms.DateField(label=_("发放日期"), widget=DateInput)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, funds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funds is not None:
            self.fields["fund"].queryset = funds


class PaymentReverseForm(forms.Form):
    # The reason is checked by the service (required, at most 200 characters), so the page and the
    # API say the same.
    reason = forms.CharField(label=_("冲销原因"), max_length=200, required=False)
    reversed_on = forms.DateField(label=_("冲销日期"), widget=DateInput)


class FundForm(forms.Form):
    org = forms.ModelChoiceField(label=_("所属组织"), queryset=Organization.objects.none())
    name = forms.CharField(label=_("资金名称"), max_length=80)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs


class StandardForm(forms.Form):
    org = forms.ModelChoiceField(label=_("地区（总工会）"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("年度"))
    monthly_amount = _money(_("低保标准（元/人·月）"))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs
