from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from . import rules
from .models import PayMethod


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("请按“2026-11”的格式填写月份。")}

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return rules.parse_month(value)
        except ValueError:
            pass
        try:  # well written, but a year the ledger does not cover
            year = int(str(value).strip()[:4])
        except ValueError:
            year = None
        if year is not None and not 2000 <= year <= 2100 and str(value).strip()[4:5] in "-/年.":
            raise ValidationError(_("月份应在2000年至2100年之间。"), code="range")
        raise ValidationError(self.error_messages["invalid"], code="invalid")


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def last_month() -> str:
    return f"{rules.add_months(timezone.localdate().replace(day=1), -1):%Y-%m}"


DATE = DateInput()


class RunForm(forms.Form):
    month = MonthField(label=_("月份"))


class WageForm(forms.Form):
    month = MonthField(label=_("起始月份"))
    wage = forms.DecimalField(label=_("月工资（元）"), min_value=0, max_digits=12, decimal_places=2)


class WageImportForm(forms.Form):
    month = MonthField(label=_("工资所属月份"), help_text=_("从该月起按新基数计缴"))
    file = forms.FileField(
        label=_("工资表文件"),
        help_text=_("xlsx、xls 或 csv；列：会员编号或身份证号、工资（可含姓名用于核对）"),
    )


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("金额（元）"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text=_("不填即缴清本月未缴金额"),
    )
    method = forms.ChoiceField(label=_("方式"), choices=PayMethod.choices, initial=PayMethod.CASH)
    paid_on = forms.DateField(label=_("缴费日期"), required=False, widget=DATE)


class BatchForm(forms.Form):
    paid_on = forms.DateField(label=_("代扣日期"), required=False, widget=DATE, initial=timezone.localdate)
    skip = forms.CharField(
        label=_("本月未代扣的会员（选填）"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("会员编号或姓名，用逗号、空格或换行分开")}),
        help_text=_("如停薪留职、长期病假，工资中没有扣会费的会员：他们本月仍为未缴。"),
    )


class FundsForm(forms.Form):
    month = MonthField(label=_("月份"))
    payroll_total = forms.DecimalField(
        label=_("单位工资总额（元）"), min_value=0, max_digits=14, decimal_places=2
    )


class FundsPaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("到账金额（元）"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    paid_on = forms.DateField(label=_("到账日期"), required=False, widget=DATE, initial=timezone.localdate)
    official_no = forms.CharField(
        label=_("专用收据号码"),
        required=False,
        max_length=40,
        help_text=_("为这笔经费开具的工会经费收入专用收据上印制的号码；尚未开具可以不填。"),
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class PolicyForm(forms.Form):
    rate_pct = forms.DecimalField(
        label=_("会费比例（%）"),
        max_digits=6,
        decimal_places=2,
        help_text=_("会员按月工资的该比例交纳会费，章程规定为0.5%"),
    )
    base_step = forms.IntegerField(
        label=_("交费基数取整（元）"),
        min_value=1,
        max_value=1000,
        help_text=_("基数向下取整到该金额的整倍数，如10元"),
    )
    levy_pct = forms.DecimalField(
        label=_("工会经费拨缴比例（%）"),
        max_digits=6,
        decimal_places=2,
        help_text=_("按单位工资总额计，工会法规定为2%"),
    )
    share_pct = forms.DecimalField(
        label=_("基层工会留成（%）"),
        max_digits=6,
        decimal_places=2,
        help_text=_("其余上解上级工会，如60%留成、40%上解"),
    )

    def to_policy(self) -> dict:
        d = self.cleaned_data
        return {
            "rate": d["rate_pct"] / 100,
            "base_step": d["base_step"],
            "levy_rate": d["levy_pct"] / 100,
            "grassroots_share": d["share_pct"] / 100,
        }

    @staticmethod
    def initial_from(p: rules.Policy) -> dict:
        def pct(rate: Decimal) -> str:
            return f"{(rate * 100).normalize():f}"  # 0.6 → "60", never "6E+1"

        return {
            "rate_pct": pct(p.rate),
            "base_step": p.base_step,
            "levy_pct": pct(p.levy_rate),
            "share_pct": pct(p.grassroots_share),
        }
