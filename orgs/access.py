"""The one place where access is decided.

A user holds roles on organizations (accounts.RoleAssignment). A role reaches its organization and
the whole subtree below it. A Permission names the roles that grant it. Every queryset a user sees
goes through `scope()`, every object through `get_for_user()`, which raises 404 both for
"does not exist" and "not yours".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.models import Role, RoleAssignment

from .models import Organization, subtree_upper


@dataclass(frozen=True)
class Permission:
    name: str
    roles: frozenset[str]
    label: str = ""

    def __str__(self) -> str:
        return self.name


def permission(name: str, roles: Iterable[str], label: str = "") -> Permission:
    return Permission(name=name, roles=frozenset(str(r) for r in roles), label=label)


@dataclass(frozen=True)
class Grant:
    role: str
    org_id: int
    path: str


def grants(user) -> list[Grant]:
    """The user's role assignments, loaded once per user object (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_gonghui_grants", None)
    if cached is None:
        cached = [
            Grant(role=r, org_id=o, path=p)
            for r, o, p in RoleAssignment.objects.filter(user=user).values_list("role", "org_id", "org__path")
        ]
        user._gonghui_grants = cached
    return cached


def forget_grants(user) -> None:
    if hasattr(user, "_gonghui_grants"):
        del user._gonghui_grants


def roles_of(user) -> set[str]:
    return {g.role for g in grants(user)}


def scope_paths(user, perm: Permission) -> list[str]:
    """Root paths of the subtrees in which `user` holds `perm`, without paths covered by another."""
    paths = sorted({g.path for g in grants(user) if g.role in perm.roles})
    roots: list[str] = []
    for p in paths:
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    return roots


def has_any(user, perm: Permission) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(scope_paths(user, perm))


def subtree_q(paths: Iterable[str], prefix: str = "") -> Q:
    """A Q matching organizations (through `prefix`, e.g. "org__") inside any of the subtrees."""
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{prefix}path__gte": p, f"{prefix}path__lt": subtree_upper(p)})
    return q


def scope(qs: QuerySet, user, perm: Permission, org_field: str = "org") -> QuerySet:
    """Restrict `qs` to rows whose organization lies in the user's subtrees for `perm`.
    For the Organization model itself pass org_field=""."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return qs
    prefix = f"{org_field}__" if org_field else ""
    return qs.filter(subtree_q(scope_paths(user, perm), prefix))


def orgs_for(user, perm: Permission) -> QuerySet[Organization]:
    return scope(Organization.objects.all(), user, perm, org_field="")


def can(user, perm: Permission, org: Organization | None) -> bool:
    if org is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(org.path.startswith(p) for p in scope_paths(user, perm))


def get_for_user(qs: QuerySet, user, perm: Permission, org_field: str = "org", **lookup) -> Model:
    """Fetch one object the user may reach with `perm`; 404 for missing and for not yours alike."""
    try:
        return scope(qs, user, perm, org_field).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_org_for_user(user, perm: Permission, pk) -> Organization:
    org = get_for_user(Organization.objects.all(), user, perm, org_field="", pk=pk)
    assert isinstance(org, Organization)  # noqa: S101 - narrows the type for mypy
    return org


def require(user, perm: Permission, org: Organization | None = None) -> None:
    """Raise PermissionDenied unless `user` holds `perm` (on `org` when given, else anywhere)."""
    ok = can(user, perm, org) if org is not None else has_any(user, perm)
    if not ok:
        raise PermissionDenied


def permission_required(perm: Permission):
    """View decorator: anonymous users go to the login page, users without `perm` anywhere get 403.
    Object-level checks still happen through get_for_user()."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_any(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.gonghui_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def login_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def primary_org(user) -> Organization | None:
    """The highest organization on which the user holds any role (their 'home' organization)."""
    gs = grants(user)
    if not gs:
        return None
    top = min(gs, key=lambda g: (len(g.path), g.path))
    return Organization.objects.filter(pk=top.org_id).first()


__all__ = ["Role", "Permission", "permission", "scope", "can", "get_for_user", "orgs_for", "require"]
