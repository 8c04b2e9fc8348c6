import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from orgs import access

# Login, logout, accepting an invitation and the 2FA set-up itself; not the rest of /accounts/
# (API tokens are made there) nor the API with a session.
EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/invitation/",
    "/accounts/me/two-factor/",
    "/static/",
    "/i18n/",
    "/healthz",
)


class TwoFactorRequiredMiddleware:
    """Users holding a role listed in GONGHUI_2FA_REQUIRED_ROLES must verify a TOTP device before
    they may use any page other than login, logout and the 2FA set-up itself. The API answers such a
    session with 403 (a request with an API token carries no session and is not affected here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        required = settings.GONGHUI_2FA_REQUIRED_ROLES
        user = request.user
        if (
            required
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
            and access.roles_of(user) & set(required)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("您的角色要求两步验证，请先在网页上完成设置。")}, status=403)
            return redirect(reverse("accounts:two_factor") + "?required=1")
        return self.get_response(request)


class IdleSessionMiddleware:
    """Idle expiry (SESSION_COOKIE_AGE, 30 minutes) without a session write on every request: a
    logged-in user's session is saved, and so its expiry pushed forward, at most once a minute.
    Must come after the session and authentication middleware."""

    TOUCH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("_seen", 0) >= self.TOUCH_SECONDS:
                request.session["_seen"] = now
        return response
