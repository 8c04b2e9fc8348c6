from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.forms import apply_errors, local_page
from core.qr import qr_svg
from core.validators import mask_mobile
from orgs import access
from orgs.permissions import USERS_MANAGE

from . import invite_links, selectors, services
from .forms import GrantForm, InviteForm, LoginForm, OtpForm, SetPasswordForm, TokenForm
from .models import STAFF_ROLES, ApiToken, RoleAssignment

PENDING_2FA = "gonghui_pending_2fa_user"


def _safe_next(request, default="core:home") -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if local_page(request, nxt):
        return nxt
    return reverse(default)


def login_view(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"].strip().lower(),
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, None)
        if user is None:
            form.add_error(None, _("用户名或密码不正确。"))
        elif TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            request.session[PENDING_2FA] = user.pk
            request.session["gonghui_pending_backend"] = user.backend
            return redirect(reverse("accounts:login_otp") + f"?next={_safe_next(request)}")
        else:
            login(request, user)
            services.login_recorded(user=user, org=access.primary_org(user))
            return redirect(_safe_next(request))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "demo_mode": settings.GONGHUI["DEMO_MODE"], "next": request.GET.get("next", "")},
    )


def login_otp_view(request):
    from .models import User

    pk = request.session.get(PENDING_2FA)
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    if user is None:
        return redirect("accounts:login")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        device = next(
            (d for d in TOTPDevice.objects.filter(user=user, confirmed=True) if d.verify_token(code)), None
        )
        if device is None:
            form.add_error("code", _("验证码不正确或已过期。"))
        else:
            backend = request.session.pop("gonghui_pending_backend", settings.AUTHENTICATION_BACKENDS[-1])
            request.session.pop(PENDING_2FA, None)
            login(request, user, backend=backend)
            otp_login(request, device)
            services.login_recorded(user=user, org=access.primary_org(user))
            return redirect(_safe_next(request))
    return render(request, "accounts/login_otp.html", {"form": form, "next": request.GET.get("next", "")})


def lockout_response(request, credentials, *args, **kwargs):
    form = LoginForm(request.POST or None)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked": True,
            "demo_mode": settings.GONGHUI["DEMO_MODE"],
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME * 60),
        },
        status=429,
    )


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("accounts:login")


def invitation_view(request, token: str):
    invitation = services.invitation_get(token)
    form = SetPasswordForm(request.POST or None)
    if invitation is None:
        return render(request, "accounts/invitation.html", {"invalid": True}, status=404)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(raw=token, password=form.cleaned_data["password1"])
        except ValidationError as e:
            form.add_error("password1", e)
        else:
            messages.success(request, _("密码已设置，请登录。"))
            return redirect("accounts:login")
    return render(request, "accounts/invitation.html", {"form": form, "invitation": invitation})


@access.login_required
def account_view(request):
    tokens = ApiToken.objects.filter(user=request.user)
    has_2fa = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    new_token = request.session.pop("gonghui_new_token", None)
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": tokens,
            "has_2fa": has_2fa,
            "token_form": TokenForm(),
            "new_token": new_token,
            "roles": request.user.roles.select_related("org"),
            # API tokens are for staff who script their work; a member sees them only if they made one.
            "shows_api": bool(access.roles_of(request.user) & STAFF_ROLES) or tokens.exists(),
        },
    )


@access.login_required
def two_factor_view(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    form = OtpForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "disable":
        services.totp_device_remove(actor=request.user)
        messages.success(request, _("已关闭双因素认证。"))
        return redirect("accounts:account")
    if request.method == "POST" and request.POST.get("action") == "begin":
        device = services.totp_device_begin(actor=request.user)
        return redirect("accounts:two_factor")
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            services.totp_device_confirm(actor=request.user, device=device, code=form.cleaned_data["code"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            otp_login(request, device)
            messages.success(request, _("双因素认证已开启，今后登录需输入验证器中的6位验证码。"))
            return redirect("accounts:account")
    svg = None
    if device is not None:
        svg = qr_svg(device.config_url)
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "qr_svg": svg,
            "form": form,
            "confirmed": confirmed,
            "required": request.GET.get("required") == "1",
            "secret": _b32(device.bin_key) if device else "",
        },
    )


def _b32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


@require_POST
@access.login_required
def token_create_view(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, raw = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            request.session["gonghui_new_token"] = raw
    else:
        messages.error(request, _("请为令牌起一个名称。"))
    return redirect("accounts:account")


@require_POST
@access.login_required
def token_revoke_view(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌已撤销。"))
    return redirect("accounts:account")


@access.permission_required(USERS_MANAGE)
def user_list_view(request):
    q = request.GET.get("q", "").strip()
    users = selectors.users_for(request.user, q)[:200]
    template = "accounts/user_list.html#user-rows" if request.htmx else "accounts/user_list.html"
    return render(request, template, {"users": users, "q": q})


@access.permission_required(USERS_MANAGE)
def user_invite_view(request):
    orgs = access.orgs_for(request.user, USERS_MANAGE).order_by("path")
    initial = {"org": request.GET.get("org")}
    form = InviteForm(
        request.POST or None, orgs=orgs, roles=services.grantable_roles(request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        org = access.get_org_for_user(request.user, USERS_MANAGE, form.cleaned_data["org"])
        try:
            user, raw = services.user_invite(
                actor=request.user,
                org=org,
                role=form.cleaned_data["role"],
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                mobile=form.cleaned_data["mobile"],
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            invite_links.keep(request, raw)
            messages.success(
                request,
                _("已创建用户 %(name)s。请把下面的邀请链接发给本人，用于设置密码。")
                % {"name": user.full_name},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_invite.html", {"form": form})


@access.permission_required(USERS_MANAGE)
def user_detail_view(request, pk: int):
    user = selectors.user_for(request.user, pk)
    orgs = access.orgs_for(request.user, USERS_MANAGE).order_by("path")
    form = GrantForm(request.POST or None, orgs=orgs, roles=services.grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        org = access.get_org_for_user(request.user, USERS_MANAGE, form.cleaned_data["org"])
        try:
            services.role_grant(actor=request.user, user=user, org=org, role=form.cleaned_data["role"])
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已分配角色。"))
            return redirect("accounts:user_detail", pk=user.pk)
    invite_link = invite_links.take(request)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "form": form,
            "invite_link": invite_link,
            "may_manage": services.may_manage_user(request.user, user),
            "revocable": {
                r.pk
                for r in user.visible_roles
                if r.user_id != request.user.pk and services.may_assign(request.user, r.org, r.role)
            },
            "mobile": mask_mobile(user.mobile) if user.mobile else "",
            "pending_invitation": user.invitations.filter(used_at__isnull=True).exists()
            and not user.has_usable_password(),
        },
    )


@require_POST
@access.permission_required(USERS_MANAGE)
def role_revoke_view(request, pk: int):
    assignment = access.get_for_user(
        RoleAssignment.objects.select_related("user", "org"), request.user, USERS_MANAGE, pk=pk
    )
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("已撤销角色。"))
    return redirect("accounts:user_detail", pk=assignment.user_id)


@require_POST
@access.permission_required(USERS_MANAGE)
def user_active_view(request, pk: int):
    user = selectors.user_for(request.user, pk)
    try:
        services.user_set_active(actor=request.user, user=user, active=request.POST.get("active") == "1")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("accounts:user_detail", pk=user.pk)


@require_POST
@access.permission_required(USERS_MANAGE)
def user_reinvite_view(request, pk: int):
    user = selectors.user_for(request.user, pk)
    try:
        raw = services.invitation_reissue(actor=request.user, user=user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        invite_links.keep(request, raw)
    return HttpResponseRedirect(reverse("accounts:user_detail", args=[user.pk]))
