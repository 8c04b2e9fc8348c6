from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .models import AffairItem, Rating, Survey


class ItemForm(forms.ModelForm):
    class Meta:
        model = AffairItem
        fields = ["category", "title", "body", "publish_from", "publish_until"]
        widgets = {
            "publish_from": DateInput,
            "publish_until": DateInput,
            "body": forms.Textarea(attrs={"rows": 8}),
        }

    def _post_clean(self):
        pass  # validation is the service's job


class AskForm(forms.Form):
    body = forms.CharField(
        label=_("我要提问"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("工会将在 30 日内答复。"),
    )
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 4}))


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput, "closes_on": DateInput}

    def _post_clean(self):
        pass


class RespondForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对本单位厂务公开工作的总体评价"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见和建议（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
