from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("6位验证码"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("字母、数字、下划线，用于登录"))
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False)
    org = forms.TypedChoiceField(label=_("组织"), coerce=int)
    role = forms.ChoiceField(label=_("角色"))

    def __init__(self, *args, orgs=(), roles=Role.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, ("　" * o.depth) + o.name) for o in orgs]
        self.fields["role"].choices = [("", _("请选择")), *roles]


class GrantForm(forms.Form):
    org = forms.TypedChoiceField(label=_("组织"), coerce=int)
    role = forms.ChoiceField(label=_("角色"))

    def __init__(self, *args, orgs=(), roles=Role.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, ("　" * o.depth) + o.name) for o in orgs]
        self.fields["role"].choices = [("", _("请选择")), *roles]


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("设置密码"), widget=forms.PasswordInput, help_text=_("至少10位，不要使用常见密码")
    )
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("两次输入的密码不一致。"))
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=60, help_text=_("例如：统计报表脚本"))
