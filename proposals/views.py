from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_errors, flash_error, flash_form_errors
from orgs import access
from orgs.models import OrgKind

from . import clock, rules, selectors, services
from .forms import (
    AssignForm,
    CallForm,
    DeclineForm,
    EvaluateForm,
    FollowUpForm,
    InviteForm,
    ReopenForm,
    ReplyForm,
    ReviewForm,
    SubmitForm,
)
from .models import Cosign, Proposal, ProposalCall, ProposalStatus
from .permissions import PROPOSALS_MANAGE, PROPOSALS_SUBMIT, PROPOSALS_VIEW


@access.permission_required(PROPOSALS_VIEW)
def home_view(request):
    user = request.user
    today = clock.today()
    calls = list(selectors.calls_for(user)[:30])
    for c in calls:
        c.state = rules.window_state(c.opens_on, c.closes_on, today)
        c.may_submit = c.state == "open" and access.can(user, PROPOSALS_SUBMIT, c.org)
    mine = (
        selectors.proposals_for(user)
        .filter(Q(proposer=user) | Q(pk__in=Cosign.objects.filter(user=user).values("proposal_id")))
        .order_by("-submitted_at")[:50]
    )
    may_manage = access.has_any(user, PROPOSALS_MANAGE)
    ctx = {
        "calls": calls,
        "pending": selectors.pending_cosigns_for(user),
        "mine": mine,
        "may_manage": may_manage,
        "today": today,
    }
    if may_manage:
        managed = access.scope(Proposal.objects.all(), user, PROPOSALS_MANAGE)
        counts = selectors.status_counts(managed)
        ctx["counts"] = counts
        ctx["to_review"] = counts[ProposalStatus.PENDING_REVIEW]
        ctx["in_hand"] = counts[ProposalStatus.ASSIGNED]
        ctx["awaiting_evaluation"] = counts[ProposalStatus.REPLIED]
        ctx["overdue_n"] = selectors.overdue_for(user).count()
        ctx["todo"] = (
            managed.filter(status__in=[ProposalStatus.PENDING_REVIEW, ProposalStatus.ACCEPTED])
            .select_related("org", "proposer")
            .order_by("submitted_at")[:20]
        )
        ctx["may_create_call"] = access.orgs_for(user, PROPOSALS_MANAGE).filter(kind=OrgKind.UNION).exists()
    return render(request, "proposals/home.html", ctx)


@access.permission_required(PROPOSALS_MANAGE)
def call_create_view(request):
    unions = access.orgs_for(request.user, PROPOSALS_MANAGE).filter(kind=OrgKind.UNION).order_by("path")
    form = CallForm(request.POST or None)
    org_id = request.POST.get("org") or request.GET.get("org")
    union_list = list(unions[:200])
    if request.method == "POST" and form.is_valid():
        org = access.get_org_for_user(request.user, PROPOSALS_MANAGE, org_id) if org_id else None
        if org is None or org.kind != OrgKind.UNION:
            form.add_error(None, _("请选择基层工会。"))
        else:
            try:
                call = services.call_create(actor=request.user, org=org, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("已开始征集提案：%(t)s") % {"t": call.title})
                return redirect("proposals:call_detail", pk=call.pk)
    return render(
        request, "proposals/call_form.html", {"form": form, "unions": union_list, "org_id": str(org_id or "")}
    )


@access.permission_required(PROPOSALS_VIEW)
def call_detail_view(request, pk: int):
    call = access.get_for_user(
        ProposalCall.objects.select_related("org"), request.user, PROPOSALS_VIEW, pk=pk
    )
    status = request.GET.get("status", "")
    proposals = selectors.proposals_for(request.user).filter(call=call).order_by("number")
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    today = clock.today()
    rows = list(proposals)
    for p in rows:
        p.overdue = rules.is_overdue(p.status, p.due_on, today)
    state = rules.window_state(call.opens_on, call.closes_on, today)
    ctx = {
        "call": call,
        "proposals": rows,
        "state": state,
        "status": status,
        "statuses": ProposalStatus.choices,
        "may_submit": state == "open" and access.can(request.user, PROPOSALS_SUBMIT, call.org),
        "may_manage": access.can(request.user, PROPOSALS_MANAGE, call.org),
    }
    return render(request, "proposals/call_detail.html", ctx)


@access.permission_required(PROPOSALS_SUBMIT)
def submit_view(request, pk: int):
    call = access.get_for_user(
        ProposalCall.objects.select_related("org"), request.user, PROPOSALS_SUBMIT, pk=pk
    )
    candidates = selectors.cosigner_candidates(call.org, exclude=request.user)
    form = SubmitForm(request.POST or None, candidates=candidates)
    state = rules.window_state(call.opens_on, call.closes_on, clock.today())
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("提案已提交，等待附议人在线确认。"))
            return redirect("proposals:detail", pk=proposal.pk)
    return render(request, "proposals/submit.html", {"form": form, "call": call, "state": state})


@access.permission_required(PROPOSALS_VIEW)
def detail_view(request, pk: int):
    user = request.user
    p = selectors.proposal_detail(user, pk)
    may_manage = access.can(user, PROPOSALS_MANAGE, p.org)
    is_proposer = p.proposer_id == user.pk
    S = ProposalStatus
    my_cosign = next((c for c in p.cosigns.all() if c.user_id == user.pk and c.status == "pending"), None)
    ctx = {
        "p": p,
        "may_manage": may_manage,
        "is_proposer": is_proposer,
        "my_cosign": my_cosign if p.status == S.COSIGNING else None,
        "confirmed": sum(1 for c in p.cosigns.all() if c.status == "confirmed"),
        "needed": rules.setting("min_cosigners"),
        "overdue": rules.is_overdue(p.status, p.due_on, clock.today()),
        "may_reopen": may_manage and rules.may_reopen(p.status, p.satisfaction, p.reopen_count),
        "may_archive": may_manage and rules.can_move(p.status, S.ARCHIVED),
        "may_withdraw": is_proposer and rules.can_move(p.status, S.WITHDRAWN),
        "decline_form": DeclineForm(),
    }
    if may_manage and p.status == S.PENDING_REVIEW:
        ctx["review_form"] = ReviewForm()
    if may_manage and p.status == S.ACCEPTED:
        ctx["assign_form"] = AssignForm(initial={"due_on": rules.default_due(clock.today())})
    if may_manage and p.status == S.ASSIGNED:
        ctx["reply_form"] = ReplyForm()
    if may_manage and p.status in rules.FOLLOW_UP_STATES:
        ctx["follow_up_form"] = FollowUpForm()
    if ctx["may_reopen"]:
        ctx["reopen_form"] = ReopenForm(initial={"due_on": rules.default_due(clock.today())})
    if is_proposer and p.status == S.REPLIED:
        ctx["evaluate_form"] = EvaluateForm()
    if is_proposer and p.status == S.COSIGNING:
        ctx["invite_form"] = InviteForm(
            candidates=selectors.cosigner_candidates(p.org, exclude=user).exclude(
                pk__in=[c.user_id for c in p.cosigns.all()]
            )
        )
    return render(request, "proposals/detail.html", ctx)


def _managed(request, pk: int) -> Proposal:
    return access.get_for_user(Proposal.objects.select_related("org"), request.user, PROPOSALS_MANAGE, pk=pk)


def _visible(request, pk: int) -> Proposal:
    return access.get_for_user(selectors.proposals_for(request.user), request.user, PROPOSALS_VIEW, pk=pk)


def _run(request, proposal: Proposal, form, action, success: str):
    """Validate `form`, call one service with its data, flash the outcome, back to the proposal."""
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            action(**form.cleaned_data)
        except ValidationError as e:
            flash_error(request, e)
        else:
            messages.success(request, success)
    return redirect("proposals:detail", pk=proposal.pk)


@require_POST
@access.permission_required(PROPOSALS_SUBMIT)
def cosign_respond_view(request, pk: int):
    cosign = access.get_for_user(
        Cosign.objects.filter(user=request.user).select_related("proposal"),
        request.user,
        PROPOSALS_SUBMIT,
        pk=pk,
    )
    decision = request.POST.get("decision")
    try:
        if decision == "confirm":
            services.cosign_confirm(cosign=cosign, actor=request.user)
            messages.success(request, _("您已确认附议。"))
        elif decision == "decline":
            services.cosign_decline(cosign=cosign, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("您已谢绝附议。"))
        else:
            messages.error(request, _("请选择确认或谢绝。"))
    except ValidationError as e:
        flash_error(request, e)
    return redirect("proposals:detail", pk=cosign.proposal_id)


@require_POST
@access.permission_required(PROPOSALS_SUBMIT)
def invite_view(request, pk: int):
    p = _visible(request, pk)
    form = InviteForm(request.POST, candidates=selectors.cosigner_candidates(p.org, exclude=request.user))
    return _run(
        request,
        p,
        form,
        lambda user: services.cosigner_invite(proposal=p, user=user, actor=request.user),
        _("已邀请附议人。"),
    )


@require_POST
@access.permission_required(PROPOSALS_SUBMIT)
def withdraw_view(request, pk: int):
    p = _visible(request, pk)
    try:
        services.proposal_withdraw(proposal=p, actor=request.user)
    except ValidationError as e:
        flash_error(request, e)
    else:
        messages.success(request, _("提案已撤回。"))
    return redirect("proposals:detail", pk=p.pk)


@require_POST
@access.permission_required(PROPOSALS_MANAGE)
def review_view(request, pk: int):
    p = _managed(request, pk)
    actions = {
        "accept": (
            lambda note: services.proposal_accept(proposal=p, note=note, actor=request.user),
            _("已立案。"),
        ),
        "opinion": (
            lambda note: services.proposal_convert(proposal=p, note=note, actor=request.user),
            _("已转为意见建议。"),
        ),
        "return": (
            lambda note: services.proposal_return(proposal=p, reasons=note, actor=request.user),
            _("已退回提案人。"),
        ),
    }
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审查结论。"))
        return redirect("proposals:detail", pk=p.pk)
    action, success = actions[form.cleaned_data["decision"]]
    try:
        action(form.cleaned_data["note"])
    except ValidationError as e:
        flash_error(request, e)
    else:
        messages.success(request, success)
    return redirect("proposals:detail", pk=p.pk)


@require_POST
@access.permission_required(PROPOSALS_MANAGE)
def assign_view(request, pk: int):
    p = _managed(request, pk)
    return _run(
        request,
        p,
        AssignForm(request.POST),
        lambda **d: services.proposal_assign(proposal=p, actor=request.user, **d),
        _("已交办承办部门。"),
    )


@require_POST
@access.permission_required(PROPOSALS_MANAGE)
def reply_view(request, pk: int):
    p = _managed(request, pk)
    return _run(
        request,
        p,
        ReplyForm(request.POST),
        lambda **d: services.proposal_reply(proposal=p, actor=request.user, **d),
        _("已登记书面答复，等待提案人评价。"),
    )


@require_POST
@access.permission_required(PROPOSALS_MANAGE)
def follow_up_view(request, pk: int):
    p = _managed(request, pk)
    return _run(
        request,
        p,
        FollowUpForm(request.POST),
        lambda **d: services.proposal_follow_up(proposal=p, actor=request.user, **d),
        _("已记录督办情况。"),
    )


@require_POST
@access.permission_required(PROPOSALS_SUBMIT)
def evaluate_view(request, pk: int):
    p = _visible(request, pk)
    return _run(
        request,
        p,
        EvaluateForm(request.POST),
        lambda **d: services.proposal_evaluate(proposal=p, actor=request.user, **d),
        _("感谢您的评价。"),
    )


@require_POST
@access.permission_required(PROPOSALS_MANAGE)
def reopen_view(request, pk: int):
    p = _managed(request, pk)
    return _run(
        request,
        p,
        ReopenForm(request.POST),
        lambda **d: services.proposal_reopen(proposal=p, actor=request.user, **d),
        _("已重新交办督办。"),
    )


@require_POST
@access.permission_required(PROPOSALS_MANAGE)
def archive_view(request, pk: int):
    p = _managed(request, pk)
    try:
        services.proposal_archive(proposal=p, actor=request.user)
    except ValidationError as e:
        flash_error(request, e)
    else:
        messages.success(request, _("提案已归档。"))
    return redirect("proposals:detail", pk=p.pk)


@access.permission_required(PROPOSALS_MANAGE)
def overdue_view(request):
    today = clock.today()
    rows = list(selectors.overdue_for(request.user)[:500])
    for p in rows:
        p.days_over = (today - p.due_on).days
    return render(request, "proposals/overdue.html", {"proposals": rows, "today": today})


@access.permission_required(PROPOSALS_MANAGE)
def report_view(request, pk: int):
    call = access.get_for_user(
        ProposalCall.objects.select_related("org"), request.user, PROPOSALS_MANAGE, pk=pk
    )
    return render(request, "proposals/report.html", selectors.handling_report(call))
