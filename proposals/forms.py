from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, UserChoiceField

from .models import ProposalCall, Satisfaction


class CallForm(forms.ModelForm):
    class Meta:
        model = ProposalCall
        fields = ["title", "session_label", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput, "closes_on": DateInput}
        help_texts = {"opens_on": _("一般在会议召开前约 30 天开始征集")}

    def _post_clean(self):
        pass  # validation is the service's job


class CosignerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class SubmitForm(forms.Form):
    title = forms.CharField(label=_("案由"), max_length=120, help_text=_("一案一事：一件提案只提一件事"))
    reason = forms.CharField(label=_("理由与依据"), widget=forms.Textarea(attrs={"rows": 4}))
    suggestion = forms.CharField(label=_("办理建议"), widget=forms.Textarea(attrs={"rows": 4}))
    cosigners = CosignerChoiceField(
        label=_("附议人"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("至少选择 2 名同事；他们在线确认后，提案才进入审查。"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cosigners"].queryset = candidates


class InviteForm(forms.Form):
    user = UserChoiceField(label=_("再邀请一名附议人"), queryset=None, empty_label=_("请选择"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审查结论"),
        choices=[("accept", _("立案")), ("opinion", _("转为意见建议")), ("return", _("退回"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审查意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必须写明理由"),
    )


class AssignForm(forms.Form):
    department = forms.CharField(label=_("承办部门"), max_length=80)
    due_on = forms.DateField(label=_("答复期限"), widget=DateInput)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("书面答复"), widget=forms.Textarea(attrs={"rows": 4}))


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("督办情况"), widget=forms.Textarea(attrs={"rows": 3}))


class EvaluateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("您对办理结果的评价"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    due_on = forms.DateField(label=_("新答复期限"), widget=DateInput)
    note = forms.CharField(label=_("督办要求"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("说明（可不填）"), required=False, max_length=200)
