from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import STAFF_ROLES, Role
from audit.labels import all_action_labels
from audit.selectors import recent_work_for
from orgs import access
from orgs.permissions import AUDIT_VIEW, ORG_VIEW
from orgs.selectors import org_roots_for, org_subtree_summary, subtree_warnings

from .models import TaskProgress
from .navigation import shortcuts_for
from .selectors import attention_for


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


@access.login_required
def home_view(request):
    user = request.user
    roles = access.roles_of(user)
    ctx: dict = {
        "roles": roles,
        "role_labels": [Role(r).label for r in sorted(roles)],
        "shortcuts": shortcuts_for(user),
    }
    if roles & STAFF_ROLES or user.is_superuser:
        ctx["todo"] = attention_for(user)
        roots = list(org_roots_for(user))
        ctx["cards"] = [
            {"org": o, "summary": org_subtree_summary(o), "warnings": subtree_warnings(o, 8)}
            for o in roots[:5]
        ]
        if access.has_any(user, AUDIT_VIEW):
            ctx["recent_events"] = recent_work_for(user)
            ctx["labels"] = all_action_labels()
        ctx["may_view_orgs"] = access.has_any(user, ORG_VIEW)
        return render(request, "core/home_staff.html", ctx)
    ctx["is_delegate"] = Role.DELEGATE in roles
    return render(request, "core/home_member.html", ctx)


@access.login_required
def progress_view(request, pk):
    progress = get_object_or_404(TaskProgress, pk=pk, requested_by=request.user)
    return render(request, "core/progress.html#progress", {"progress": progress})


def root_redirect(request):
    return redirect("core:home")


def favicon(request):
    """Browsers that ignore the pages' <link rel="icon"> ask for /favicon.ico (resolved at request
    time: the hashed name exists only once static files are collected)."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)
