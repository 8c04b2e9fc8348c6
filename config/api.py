"""The JSON API under /api/v1/: session auth (with CSRF) or a personal token (`Authorization: Bearer gh_...`).
Each app contributes a router from its api.py; access is decided by orgs.access like the pages."""

from importlib.util import find_spec

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session cookie; unsafe methods also need the CSRF token (X-CSRFToken)."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


api = NinjaAPI(
    title="gonghui API",
    version="1",
    description="工会平台 JSON API. Every list and object is scoped to the caller's organizations.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "未找到。"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": "没有权限。"}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效。"}, status=401)


from accounts.api import router as accounts_router  # noqa: E402
from orgs.api import router as orgs_router  # noqa: E402

api.add_router("/me", accounts_router)
api.add_router("/orgs", orgs_router)

for app in [
    "members",
    "dues",
    "congress",
    "deadlines",
    "bargaining",
    "mediation",
    "appeals",
    "assistance",
    "proposals",
    "affairs",
]:
    if find_spec(f"{app}.api") is not None:
        module = __import__(f"{app}.api", fromlist=["router"])
        api.add_router(f"/{app}", module.router)
