from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .models import Category, Satisfaction


class SubmitForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    title = forms.CharField(
        label=_("标题"), max_length=100, help_text=_("一句话概括，如：三月份加班费未发放")
    )
    content = forms.CharField(label=_("具体情况"), widget=forms.Textarea(attrs={"rows": 5}))
    anonymous = forms.BooleanField(
        label=_("对工会匿名"),
        required=False,
        help_text=_("勾选后，工会工作人员看不到您的姓名；您仍可在“我的诉求”中查看办理进度和答复。"),
    )


class AcceptForm(forms.Form):
    reply_by = forms.DateField(
        label=_("承诺答复日期"), widget=DateInput, required=False, help_text=_("可选，须为工作日")
    )
    note = forms.CharField(label=_("受理说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 4}))


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("您对办理结果是否满意"), choices=Satisfaction.choices)
    comment = forms.CharField(label=_("意见"), max_length=300, required=False)
