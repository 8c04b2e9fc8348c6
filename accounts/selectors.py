from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from orgs import access
from orgs.permissions import USERS_MANAGE

from .models import RoleAssignment, User


def users_for(user, q: str = "") -> QuerySet[User]:
    """Users holding at least one role inside the viewer's user-management subtrees, with the roles
    the viewer may see prefetched (one extra query)."""
    visible_roles = access.scope(RoleAssignment.objects.select_related("org"), user, USERS_MANAGE)
    qs = User.objects.filter(pk__in=visible_roles.values("user_id"))
    if q:
        cond = Q(username__icontains=q) | Q(full_name__icontains=q)
        # A mobile number is found whole, or by the last four digits its masked form shows anyway.
        if q.isdigit() and len(q) == 11:
            cond |= Q(mobile=q)
        elif q.isdigit() and len(q) <= 4:
            cond |= Q(mobile__endswith=q)
        qs = qs.filter(cond)
    return qs.prefetch_related(Prefetch("roles", queryset=visible_roles, to_attr="visible_roles")).order_by(
        "full_name", "username"
    )


def user_for(user, pk) -> User:
    """One user the viewer may manage; 404 for missing and not yours alike."""
    found = users_for(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404
    return found
