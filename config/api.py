"""The JSON API under /api/v1/: session auth (with CSRF) or a personal token (`Authorization: Bearer gh_...`).
Each app contributes a router from its api.py; access is decided by orgs.access like the pages."""

from importlib.util import find_spec

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import APIKeyCookie, HttpBearer

from accounts.services import api_token_authenticate
from core.api import JsonParser, body_error_message, translate_errors


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is None:
            # A token was sent and is wrong, expired or revoked: say so (401), rather than fall
            # through to the session's CSRF check and a 403 about CSRF.
            raise AuthenticationError
        request.user = user
        request.api_token_used = True
        return user


class SessionAuth(APIKeyCookie):
    """Django's session cookie; unsafe methods also need the CSRF token (X-CSRFToken)."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None  # no session: a 401 like any other unauthenticated call, before CSRF is checked
        return super().__call__(request)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


_ERROR_SCHEMA = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {
        "detail": {
            "description": (
                "What went wrong, in the caller's language (Accept-Language or the language cookie): a "
                "text; for a 422 from a service, an object of field name to messages; for a 422 from "
                "the request's own shape, a list of {loc, msg, type}."
            ),
            "anyOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}],
        }
    },
    "required": ["detail"],
}
_ERRORS = {
    401: "Not logged in, or the token is wrong, expired or revoked.",
    403: "Logged in, but the caller's roles do not allow this.",
    404: "No such object among those the caller may see.",
    422: "The request's values were refused; `detail` says which and why.",
}


class GonghuiAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema with the error answers every operation can give, in the one shape they share."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = _ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                codes = [401, 403]
                if "{" in path:
                    codes.append(404)
                if operation.get("parameters") or operation.get("requestBody"):
                    codes.append(422)
                for code in codes:
                    if code in responses or str(code) in responses:
                        continue
                    responses.setdefault(code, {"description": _ERRORS[code], **ref})
        return schema


api = GonghuiAPI(
    title="gonghui API",
    version="1",
    description="工会平台 JSON API. Every list and object is scoped to the caller's organizations.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    parser=JsonParser(),
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(RequestValidationError)
def request_invalid(request, exc: RequestValidationError):
    return api.create_response(request, {"detail": translate_errors(exc.errors)}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("未找到。")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("没有权限。")}, status=403)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": _("未登录或令牌无效。")}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = body_error_message(exc.__cause__)
    elif exc.status_code == 403 and detail == "CSRF check Failed":
        detail = _("CSRF校验失败：用登录会话调用时，请在请求头 X-CSRFToken 中带上 csrftoken Cookie 的值。")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


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
