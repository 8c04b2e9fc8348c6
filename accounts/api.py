from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from . import services
from .models import ApiToken

router = Router(tags=["me"])


class RoleOut(Schema):
    role: str
    role_label: str
    org_id: int
    org_name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[RoleOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenIn(Schema):
    name: str = Field(description="What the token is for, at most 60 characters.")
    days: int = Field(365, description="Days until the token expires, 1–730.")


class TokenCreatedOut(TokenOut):
    token: str


@router.get("", response=MeOut, operation_id="me_get", summary="The current user and their roles")
def me_get(request):
    user = request.user
    roles = [
        RoleOut(role=a.role, role_label=str(a.get_role_display()), org_id=a.org_id, org_name=a.org.name)
        for a in user.roles.select_related("org")
    ]
    return MeOut(id=user.pk, username=user.username, full_name=user.full_name, roles=roles)


@router.get("/tokens", response=list[TokenOut], operation_id="me_tokens_list", summary="My API tokens")
def tokens_list(request):
    return list(ApiToken.objects.filter(user=request.user))


@router.post(
    "/tokens", response={201: TokenCreatedOut}, operation_id="me_tokens_create", summary="Create a token"
)
def tokens_create(request, payload: TokenIn):
    if getattr(request, "api_token_used", False):
        # A token cannot make more tokens: a leaked one would otherwise outlive its own expiry and
        # revocation. Tokens are made by the person, logged in.
        raise PermissionDenied(_("不能用API令牌创建新令牌，请登录后在网页或会话中创建。"))
    token, raw = services.api_token_create(actor=request.user, name=payload.name, days=payload.days)
    return Status(201, TokenCreatedOut(**TokenOut.from_orm(token).dict(), token=raw))


@router.post(
    "/tokens/{token_id}/revoke", response=TokenOut, operation_id="me_tokens_revoke", summary="Revoke a token"
)
def tokens_revoke(request, token_id: int):
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404
    return services.api_token_revoke(actor=request.user, token=token)
