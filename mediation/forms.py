from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, UserChoiceField

from .models import ApplicationForm, Cause, Position, Side


class CaseForm(forms.Form):
    org = forms.ModelChoiceField(label=_("受理组织"), queryset=None, empty_label=None)
    cause = forms.ChoiceField(label=_("争议类型"), choices=Cause.choices)
    application_form = forms.ChoiceField(label=_("申请方式"), choices=ApplicationForm.choices)
    received_on = forms.DateField(label=_("收到申请日期"), widget=DateInput)
    dispute_arose_on = forms.DateField(
        label=_("争议发生日期"),
        widget=DateInput,
        help_text=_("职工知道或应当知道权利被侵害之日，用于计算一年仲裁时效"),
    )
    worker_name = forms.CharField(label=_("职工（申请人）姓名"), max_length=120)
    worker_detail = forms.CharField(
        label=_("职工基本情况"), max_length=200, required=False, help_text=_("部门、岗位等")
    )
    employer_name = forms.CharField(label=_("用人单位名称"), max_length=120)
    employer_detail = forms.CharField(
        label=_("单位代表"), max_length=200, required=False, help_text=_("法定代表人或委托代理人")
    )
    summary = forms.CharField(label=_("申请事项与理由"), widget=forms.Textarea(attrs={"rows": 3}))
    oral_record = forms.CharField(
        label=_("口头申请笔录"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("口头申请的，当场记录申请人基本情况、争议事项、理由和时间"),
    )
    claim_item = forms.CharField(
        label=_("请求事项"), max_length=200, required=False, help_text=_("如：支付拖欠工资")
    )
    claim_amount = forms.CharField(label=_("请求金额（元）"), max_length=20, required=False)
    mediator = UserChoiceField(
        label=_("承办调解员"), queryset=None, required=False, empty_label=_("（暂不指定）")
    )

    def __init__(self, *args, orgs, mediators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["mediator"].queryset = mediators


class PartyForm(forms.Form):
    side = forms.ChoiceField(
        label=_("当事方"), choices=[("worker", _("职工（申请人）")), ("employer", _("用人单位"))]
    )
    name = forms.CharField(label=_("姓名/名称"), max_length=120)
    detail = forms.CharField(label=_("基本情况"), max_length=200, required=False)


class ClaimForm(forms.Form):
    item = forms.CharField(label=_("请求事项"), max_length=200)
    amount = forms.CharField(label=_("请求金额（元）"), max_length=20, required=False)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("调解日期"), widget=DateInput)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    mediators = forms.CharField(label=_("调解员"), max_length=200)
    notes = forms.CharField(label=_("调解记录"), widget=forms.Textarea(attrs={"rows": 3}))


class AgreeForm(forms.Form):
    closed_on = forms.DateField(label=_("协议日期"), widget=DateInput)
    agreement_terms = forms.CharField(label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 4}))
    performance_due_on = forms.DateField(label=_("履行期限"), widget=DateInput)
    performance_method = forms.CharField(
        label=_("履行方式"), max_length=200, required=False, help_text=_("如：银行转账至职工工资卡")
    )


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("结案日期"), widget=DateInput)
    outcome_note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("委员会名称"), max_length=120)
    established_on = forms.DateField(label=_("成立日期"), widget=DateInput, required=False)


class CommitteeMemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    side = forms.ChoiceField(label=_("代表方"), choices=Side.choices)
    position = forms.ChoiceField(label=_("职务"), choices=Position.choices)
    is_union_member = forms.BooleanField(label=_("工会会员"), required=False)
    jointly_nominated = forms.BooleanField(label=_("双方推举"), required=False)
    term_start = forms.DateField(label=_("任职开始"), widget=DateInput, required=False)
