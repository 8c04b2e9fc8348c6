from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from orgs.models import Organization

from .models import ContractKind, Initiator, Level, Side


class RequestForm(forms.Form):
    org = forms.ModelChoiceField(label=_("发起组织"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("协商名称"), max_length=120)
    kind = forms.ChoiceField(label=_("合同类型"), choices=ContractKind.choices)
    level = forms.ChoiceField(label=_("层级"), choices=Level.choices)
    employer_name = forms.CharField(label=_("用人单位（或企业方代表组织）"), max_length=120)
    initiator = forms.ChoiceField(label=_("提出方"), choices=Initiator.choices)
    requested_on = forms.DateField(label=_("书面要约日期"), widget=DateInput)
    covered_orgs = forms.ModelMultipleChoiceField(
        label=_("覆盖的基层工会（区域性、行业性合同）"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None:
            self.fields["org"].queryset = orgs
            self.fields["covered_orgs"].queryset = orgs.filter(kind="union")
            if not orgs.filter(kind="federation").exists():
                # Regional and sector contracts are a federation's business.
                del self.fields["level"]
                del self.fields["covered_orgs"]


class AnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("书面回应日期"), widget=DateInput)


class NegotiatorForm(forms.Form):
    side = forms.ChoiceField(label=_("所属方"), choices=Side.choices)
    name = forms.CharField(label=_("姓名"), max_length=50)
    position = forms.CharField(label=_("职务"), max_length=60, required=False)
    appointed_on = forms.DateField(label=_("产生日期"), widget=DateInput)
    is_chief = forms.BooleanField(label=_("首席代表"), required=False)
    is_expert = forms.BooleanField(label=_("外部专家"), required=False)


class VacateForm(forms.Form):
    left_on = forms.DateField(label=_("出缺日期"), widget=DateInput)
    reason = forms.CharField(label=_("出缺原因"), max_length=120, required=False)


class RoundForm(forms.Form):
    held_on = forms.DateField(label=_("协商日期"), widget=DateInput)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 5}))


class DraftForm(forms.Form):
    text = forms.CharField(label=_("合同文本"), widget=forms.Textarea(attrs={"rows": 14}))
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)


class VoteForm(forms.Form):
    voted_on = forms.DateField(label=_("审议日期"), widget=DateInput)
    total = forms.IntegerField(label=_("职工代表总数"))
    present = forms.IntegerField(label=_("到会人数"))
    agree = forms.IntegerField(label=_("同意人数"))


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("签字日期"), widget=DateInput)
    term_start = forms.DateField(label=_("合同期限开始"), widget=DateInput)
    term_years = forms.TypedChoiceField(
        label=_("合同期限（年数）"), coerce=int, choices=[(1, _("1年")), (2, _("2年")), (3, _("3年"))]
    )


class FileForm(forms.Form):
    filed_on = forms.DateField(label=_("报送劳动行政部门日期"), widget=DateInput)


class CheckForm(forms.Form):
    year = forms.IntegerField(label=_("年度"))
    checked_on = forms.DateField(label=_("检查日期"), widget=DateInput)
    findings = forms.CharField(label=_("检查情况"), widget=forms.Textarea(attrs={"rows": 4}))
    fulfilled = forms.BooleanField(label=_("全面履行"), required=False)


class ObjectionForm(forms.Form):
    objection_on = forms.DateField(label=_("异议日期"), widget=DateInput)
    note = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))


class RenewForm(forms.Form):
    requested_on = forms.DateField(label=_("续签要求日期"), widget=DateInput)


class PollVoteForm(forms.Form):
    poll = forms.TypedChoiceField(label=_("职代会表决事项"), coerce=int, choices=[])

    def __init__(self, *args, polls=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["poll"].choices = [
            (p.pk, f"{p.session.held_on:%Y-%m-%d} {p.session.title}：{p.title}") for p in polls
        ]
