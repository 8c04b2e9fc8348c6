from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_errors, flash_form_errors

from . import access, selectors, services
from .forms import CommitteeMemberForm, OrgCreateForm, OrgForm
from .models import CommitteeMember, OrgKind
from .permissions import ORG_CHANGE, ORG_VIEW, USERS_MANAGE


@access.permission_required(ORG_VIEW)
def tree_view(request):
    q = request.GET.get("q", "").strip()
    ctx = {"q": q}
    if q:
        ctx["results"] = selectors.org_search(request.user, q)
    else:
        ctx["roots"] = selectors.org_roots_for(request.user)
    if request.htmx and request.headers.get("HX-Target") == "tree-body":
        return render(request, "orgs/tree.html#tree-body", ctx)
    return render(request, "orgs/tree.html", ctx)


@access.permission_required(ORG_VIEW)
def children_view(request, pk: int):
    org = access.get_org_for_user(request.user, ORG_VIEW, pk)
    return render(request, "orgs/tree.html#tree-nodes", {"nodes": selectors.org_children(request.user, org)})


@access.permission_required(ORG_VIEW)
def detail_view(request, pk: int):
    org = access.get_org_for_user(request.user, ORG_VIEW, pk)
    committee = selectors.committee_of(org)
    ctx = {
        "org": org,
        "ancestors": selectors.org_ancestors(request.user, org),
        "children": selectors.org_children(request.user, org),
        "committee": committee,
        "warnings": org.warnings.all(),
        "subtree_warnings": selectors.subtree_warnings(org) if org.kind == OrgKind.FEDERATION else [],
        "summary": selectors.org_subtree_summary(org),
        "may_change": access.can(request.user, ORG_CHANGE, org),
        "may_manage_users": access.can(request.user, USERS_MANAGE, org),
        "committee_form": CommitteeMemberForm(),
    }
    return render(request, "orgs/detail.html", ctx)


@access.permission_required(ORG_CHANGE)
def edit_view(request, pk: int):
    org = access.get_org_for_user(request.user, ORG_CHANGE, pk)
    form = OrgForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_update(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": _("编辑组织信息")})


@access.permission_required(ORG_CHANGE)
def create_child_view(request, pk: int):
    parent = access.get_org_for_user(request.user, ORG_CHANGE, pk)
    form = OrgCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind")
        try:
            child = services.org_create(actor=request.user, parent=parent, kind=kind, **data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已建立 %(name)s。") % {"name": child.name})
            return redirect("orgs:detail", pk=child.pk)
    return render(request, "orgs/form.html", {"form": form, "org": parent, "title": _("新建下级组织")})


@require_POST
@access.permission_required(ORG_CHANGE)
def committee_add_view(request, pk: int):
    org = access.get_org_for_user(request.user, ORG_CHANGE, pk)
    form = CommitteeMemberForm(request.POST)
    if form.is_valid():
        try:
            services.committee_member_add(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
    if form.errors:
        flash_form_errors(request, form)
    else:
        messages.success(request, _("已添加委员会成员。"))
    return redirect("orgs:detail", pk=org.pk)


@require_POST
@access.permission_required(ORG_CHANGE)
def committee_remove_view(request, pk: int):
    member = access.get_for_user(
        CommitteeMember.objects.select_related("org"), request.user, ORG_CHANGE, pk=pk
    )
    services.committee_member_remove(actor=request.user, member=member)
    messages.success(request, _("已移除 %(name)s。") % {"name": member.name})
    return redirect("orgs:detail", pk=member.org_id)


@require_POST
@access.permission_required(ORG_CHANGE)
def warnings_recompute_view(request, pk: int):
    org = access.get_org_for_user(request.user, ORG_CHANGE, pk)
    progress = services.warnings_recompute_start(actor=request.user, org=org)
    return render(request, "core/progress.html#progress", {"progress": progress})
