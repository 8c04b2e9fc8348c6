from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .models import DayKind


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput)
    kind = forms.ChoiceField(label=_("类型"), choices=DayKind.choices)
    name = forms.CharField(
        label=_("名称"), max_length=60, required=False, help_text=_("如：春节、国庆节调休上班")
    )
    confirmed = forms.BooleanField(label=_("已核对国务院通知"), required=False, initial=True)
