from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from . import services
from .models import Category, PassRule, PollKind, Purpose, Sex


class TermForm(forms.Form):
    org = forms.ModelChoiceField(label=_("工会"), queryset=None)
    number = forms.IntegerField(label=_("届次（第几届）"), min_value=1, initial=1)
    purpose = forms.ChoiceField(label=_("性质"), choices=Purpose.choices, initial=Purpose.WORKERS)
    starts_on = forms.DateField(label=_("任期开始"), widget=DateInput)
    ends_on = forms.DateField(label=_("任期届满"), widget=DateInput, help_text=_("每届三至五年"))
    employees = forms.IntegerField(label=_("职工人数"), min_value=1)
    women_employees = forms.IntegerField(label=_("其中女职工"), min_value=0, initial=0)
    members = forms.IntegerField(label=_("会员人数"), min_value=0, initial=0)
    seat_formula_key = forms.ChoiceField(label=_("代表名额公式"), choices=())

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["seat_formula_key"].choices = services.formula_choices()
        self.fields["seat_formula_key"].initial = services.conf("seat_preset", "national")


class ConstituencyForm(forms.Form):
    name = forms.CharField(label=_("选区名称"), max_length=80)
    employees = forms.IntegerField(label=_("选区职工人数"), min_value=1)


class DelegateForm(forms.Form):
    constituency = forms.ModelChoiceField(label=_("选区"), queryset=None, empty_label=_("请选择选区"))
    name = forms.CharField(label=_("代表姓名"), max_length=50)
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices)
    category = forms.ChoiceField(label=_("身份"), choices=Category.choices, initial=Category.FRONT_LINE)
    is_presidium = forms.BooleanField(label=_("主席团成员"), required=False)

    def __init__(self, *args, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["constituency"].queryset = term.constituencies.all() if term else None


class ReplaceForm(forms.Form):
    name = forms.CharField(label=_("新代表姓名"), max_length=50)
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices)
    category = forms.ChoiceField(label=_("身份"), choices=Category.choices, initial=Category.FRONT_LINE)
    is_presidium = forms.BooleanField(label=_("主席团成员"), required=False)
    reason = forms.CharField(label=_("替换原因"), max_length=200)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("会议名称"), max_length=120)
    held_on = forms.DateField(label=_("会议日期"), widget=DateInput)
    venue = forms.CharField(label=_("地点"), max_length=120, required=False)

    def __init__(self, *args, limits: "services.SessionDateLimits | None" = None, **kwargs):
        """With `limits` (editing a planned meeting) the date field says which dates are possible
        and the date picker offers only those; the service checks them again."""
        super().__init__(*args, **kwargs)
        if limits is None:
            return
        field = self.fields["held_on"]
        earliest = max(limits.term_starts, limits.last_distributed or limits.term_starts)
        hints = [
            _("须在本届任期内（%(s)s 至 %(e)s）。")
            % {"s": limits.term_starts.isoformat(), "e": limits.term_ends.isoformat()}
        ]
        if limits.last_distributed:
            hints.append(
                _("已有会议文件于%(d)s送达代表，不能早于这一天。")
                % {"d": limits.last_distributed.isoformat()}
            )
        if len(limits.checked_in) == 1:
            hints.append(_("已有代表于%(d)s签到，只能改为这一天。") % {"d": limits.checked_in[0].isoformat()})
        field.help_text = "".join(str(h) for h in hints)
        field.widget.attrs.update({"min": earliest.isoformat(), "max": limits.term_ends.isoformat()})


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("文件名称"), max_length=200)
    distributed_on = forms.DateField(label=_("送达代表日期"), widget=DateInput, required=False)


class PollForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PollKind.choices)
    title = forms.CharField(label=_("事项"), max_length=200)
    text = forms.CharField(
        label=_("决议内容（表决）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    secret = forms.BooleanField(label=_("无记名投票"), required=False, initial=True)
    seats = forms.IntegerField(label=_("应选人数（选举）"), min_value=1, initial=1)
    candidates = forms.CharField(
        label=_("候选人（选举，每行一名）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rule = forms.ChoiceField(label=_("通过规则"), choices=PassRule.choices, initial=PassRule.ALL_MAJORITY)

    def clean_candidates(self):
        return [line.strip() for line in self.cleaned_data["candidates"].splitlines() if line.strip()]


class ConstituencyElectionForm(forms.Form):
    constituency = forms.ModelChoiceField(label=_("选举的选区"), queryset=None, empty_label=_("请选择选区"))
    held_on = forms.DateField(label=_("选举日期"), widget=DateInput)
    participants = forms.IntegerField(label=_("参加选举人数"), min_value=0)
    candidates = forms.CharField(
        label=_("候选人得票（每行：姓名 性别 票数，管理人员加“管理”）"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["constituency"].queryset = term.constituencies.all() if term else None

    def clean_candidates(self):
        from .services import Candidate

        out = []
        for n, line in enumerate(self.cleaned_data["candidates"].splitlines(), start=1):
            parts = line.replace(",", " ").replace("，", " ").split()
            if not parts:
                continue
            if len(parts) < 3 or parts[1] not in ("男", "女") or not parts[2].isdigit():
                raise forms.ValidationError(_("第 %(n)d 行格式应为：姓名 性别 票数") % {"n": n})
            category = Category.MANAGER if "管理" in parts[3:] else Category.FRONT_LINE
            out.append(Candidate(parts[0], "f" if parts[1] == "女" else "m", int(parts[2]), category))
        return out
