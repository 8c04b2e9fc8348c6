from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import DateInput
from core.validators import parse_id_number, validate_mobile

from .models import Education, PoliticalStatus
from .services import CORRECTABLE, today


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return ("　" * max(obj.depth - 1, 0)) + obj.name


class MemberForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=24, help_text=_("18位，最后一位可以是X；出生日期和性别自动得出。")
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False, initial="汉族")
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—"), *Education.choices], required=False)
    political_status = forms.ChoiceField(
        label=_("政治面貌"), choices=[("", "—"), *PoliticalStatus.choices], required=False
    )
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    department = forms.CharField(label=_("部门"), max_length=60, required=False)
    post = forms.CharField(label=_("岗位"), max_length=60, required=False)
    joined_on = forms.DateField(label=_("入会日期"), required=False, widget=DateInput)
    is_migrant = forms.BooleanField(label=_("农民工"), required=False)
    household_registration = forms.CharField(label=_("户籍所在地"), max_length=120, required=False)


class MemberCreateForm(MemberForm):
    field_order = ["org"]

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = OrgChoiceField(label=_("所在工会"), queryset=orgs)
        self.order_fields(["org", *[f for f in self.fields if f != "org"]])


class MemberEditForm(MemberForm):
    def __init__(self, *args, orgs=None, masked: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is not None and orgs.count() > 1:  # a union with branches: the member may move between them
            self.fields["org"] = OrgChoiceField(
                label=_("所在组织"),
                queryset=orgs,
                required=False,  # left out: the member stays where they are
                help_text=_("本会内部调整分会、小组在这里修改；调往其他工会请办理转会。"),
            )
            self.order_fields(["org", *[f for f in self.fields if f != "org"]])
        self.fields["id_number"].required = False
        self.fields["id_number"].help_text = _("不修改请留空。")
        self.fields["phone"].help_text = _("不修改请留空。")
        # The registered numbers, masked, where the clerk looks (the fields stay empty: unchanged).
        for name, value in (masked or {}).items():
            if value:
                self.fields[name].widget.attrs["placeholder"] = _("现为 %(v)s") % {"v": value}


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
    on = forms.DateField(label=_("日期"), required=False, widget=DateInput)


class TransferForm(forms.Form):
    to_org = forms.ModelChoiceField(label=_("转入工会"), queryset=None)
    new_employer = forms.CharField(label=_("新工作单位"), max_length=120, required=False)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = targets


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel或CSV文件"), help_text=_("支持 .xlsx、.xls、.csv；请使用下载的模板。")
    )

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = OrgChoiceField(label=_("导入到"), queryset=orgs)
        self.order_fields(["org", "file"])


class ApplyForm(forms.Form):
    # Filled in on a phone: the keyboard each field needs, and no autocorrection of numbers.
    name = forms.CharField(
        label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=24,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    employer = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    department = forms.CharField(label=_("部门"), max_length=60, required=False)
    post = forms.CharField(label=_("岗位"), max_length=60, required=False)
    is_migrant = forms.BooleanField(label=_("我是农民工"), required=False)
    consent = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        from .selectors import retention_years

        super().__init__(*args, **kwargs)
        # The notice names how long the data is kept (PIPL art. 17), as the installation sets it.
        self.fields["consent"].label = ngettext(
            "我已阅读并同意：工会为办理会籍收集和使用我的姓名、身份证号、手机号和工作信息，加密保存，仅用于会员管理；"
            "会籍终止或申请未获批准后保存%(n)d年即删除。",
            "我已阅读并同意：工会为办理会籍收集和使用我的姓名、身份证号、手机号和工作信息，加密保存，仅用于会员管理；"
            "会籍终止或申请未获批准后保存%(n)d年即删除。",
            retention_years(),
        ) % {"n": retention_years()}

    # The ID and mobile numbers are checked here too (the service checks them again for every
    # caller), so that a wrong check digit is named together with a missing name, not on the next try.
    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        parse_id_number(value, today=today())
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        validate_mobile(value)
        return value

    def clean_consent(self):
        # Checked here too (the service checks it for every caller), so that it is named together
        # with any other missing field, not on the next try.
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(_("请阅读上面的个人信息说明，勾选同意后再提交。"))
        return True


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("需要更正的信息"), choices=list(CORRECTABLE.items()))
    requested_value = forms.CharField(label=_("正确内容"), max_length=200)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
