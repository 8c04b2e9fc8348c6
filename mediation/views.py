from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_errors, flash_form_errors, once_done, once_spend, once_token, year_param
from deadlines import calendar
from orgs import access

from . import selectors, services
from .forms import (
    AgreeForm,
    CaseForm,
    ClaimForm,
    CloseForm,
    CommitteeForm,
    CommitteeMemberForm,
    PartyForm,
    SessionForm,
)
from .models import Case, CaseStatus, CommitteeMember
from .permissions import COMMITTEE_CHANGE, MEDIATION_CHANGE, MEDIATION_VIEW

STATUS_FILTERS = [
    ("", _("全部")),
    ("open", _("调解中")),
    ("overdue", _("超过 15 日")),
    *[(s.value, s.label) for s in CaseStatus if s != CaseStatus.OPEN],
]


def countdown(case: Case, today=None) -> dict:
    """Day N of the 15-day period (the day of receipt is day 0) and the days left."""
    today = today or calendar.today()
    return {
        "day": (today - case.received_on).days,
        "left": calendar.days_left(case.due_on, today),
        "overdue": case.status == CaseStatus.OPEN and calendar.is_overdue(case.due_on, today),
        "late_by": -calendar.days_left(case.due_on, today),
    }


def _case(request, pk: int, perm=MEDIATION_VIEW) -> Case:
    return access.get_for_user(
        Case.objects.select_related("org", "mediator", "committee"), request.user, perm, pk=pk
    )


@access.permission_required(MEDIATION_VIEW)
def home_view(request):
    status = request.GET.get("status", "")
    if status not in dict(STATUS_FILTERS):
        status = ""
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.cases_for(request.user, status=status, q=q), 30).get_page(
        request.GET.get("page")
    )
    today = calendar.today()
    for c in page.object_list:
        c.clock = countdown(c, today)
    ctx = {
        "page": page,
        "status": status,
        "q": q,
        "filters": STATUS_FILTERS,
        "today": today,
        "may_change": access.has_any(request.user, MEDIATION_CHANGE),
        "has_committee": selectors.committees_for(request.user).exists(),
    }
    if request.htmx and request.headers.get("HX-Target") == "case-list":
        return render(request, "mediation/home.html#case-list", ctx)
    return render(request, "mediation/home.html", ctx)


@access.permission_required(MEDIATION_CHANGE)
def case_new_view(request):
    orgs = selectors.orgs_for_cases(request.user)
    form = CaseForm(
        request.POST or None,
        orgs=orgs,
        mediators=selectors.mediators_for(request.user),
        initial={"received_on": calendar.today(), "application_form": "written", "mediator": request.user.pk},
    )
    if request.method == "POST" and (done := once_done(request)):
        messages.info(request, _("这份调解申请已经登记过，没有重复登记。"))
        return redirect(done)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = access.get_org_for_user(request.user, MEDIATION_CHANGE, d["org"].pk)
        try:
            case = services.case_create(
                actor=request.user,
                org=org,
                cause=d["cause"],
                application_form=d["application_form"],
                received_on=d["received_on"],
                dispute_arose_on=d["dispute_arose_on"],
                summary=d["summary"],
                oral_record=d["oral_record"],
                mediator=d["mediator"],
                parties=[
                    {"side": "worker", "name": d["worker_name"], "detail": d["worker_detail"]},
                    {"side": "employer", "name": d["employer_name"], "detail": d["employer_detail"]},
                ],
                claims=[{"item": d["claim_item"], "amount": d["claim_amount"]}],
            )
        except ValidationError as e:
            _apply(form, e, {"parties": "worker_name", "claims": "claim_amount"})
        else:
            messages.success(
                request,
                _("已受理，案件编号 %(no)s，调解期限至 %(due)s。")
                % {"no": case.number, "due": case.due_on.isoformat()},
            )
            url = reverse("mediation:case_detail", args=[case.pk])
            once_spend(request, url)
            return redirect(url)
    return render(request, "mediation/case_form.html", {"form": form, "once": once_token(request)})


def _apply(form, error: ValidationError, mapping: dict[str, str]) -> None:
    if hasattr(error, "error_dict"):
        error = ValidationError({mapping.get(k, k): v for k, v in error.error_dict.items()})
    apply_errors(form, error)


@access.permission_required(MEDIATION_VIEW)
def case_detail_view(request, pk: int):
    case = _case(request, pk)
    today = calendar.today()
    may_change = access.can(request.user, MEDIATION_CHANGE, case.org) and case.status == CaseStatus.OPEN
    ctx = {
        "case": case,
        "clock": countdown(case, today),
        "today": today,
        "may_change": may_change,
        # The one-year arbitration limit (劳动争议调解仲裁法 art. 27) had already run out when the
        # application came in: the parties should be told at once.
        "limit_passed_on": limit
        if (limit := calendar.due_date("mediation.arbitration_limit", case.dispute_arose_on))
        < case.received_on
        else None,
        **selectors.case_detail(case),
    }
    if may_change:
        ctx.update(
            party_form=PartyForm(),
            claim_form=ClaimForm(),
            session_form=SessionForm(initial={"held_on": today}),
            agree_form=AgreeForm(initial={"closed_on": today}),
            fail_form=CloseForm(initial={"closed_on": today}, auto_id="fail_%s"),
            withdraw_form=CloseForm(initial={"closed_on": today}, auto_id="withdraw_%s"),
        )
    return render(request, "mediation/case_detail.html", ctx)


def _post(request, pk: int, form_class, service, ok: str, **extra):
    case = _case(request, pk, MEDIATION_CHANGE)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, case=case, **form.cleaned_data, **extra)
        except ValidationError as e:
            apply_errors(form, e)
    if form.errors:
        flash_form_errors(request, form)
    else:
        messages.success(request, ok)
    return redirect("mediation:case_detail", pk=case.pk)


@require_POST
@access.permission_required(MEDIATION_CHANGE)
def party_add_view(request, pk: int):
    return _post(request, pk, PartyForm, services.party_add, _("已增加当事人。"))


@require_POST
@access.permission_required(MEDIATION_CHANGE)
def claim_add_view(request, pk: int):
    return _post(request, pk, ClaimForm, services.claim_add, _("已增加请求事项。"))


@require_POST
@access.permission_required(MEDIATION_CHANGE)
def session_add_view(request, pk: int):
    return _post(request, pk, SessionForm, services.session_add, _("已记录调解会。"))


@require_POST
@access.permission_required(MEDIATION_CHANGE)
def case_agree_view(request, pk: int):
    amounts = {
        k.removeprefix("agreed_"): v
        for k, v in request.POST.items()
        if k.startswith("agreed_") and k[7:].isdigit()
    }
    return _post(request, pk, AgreeForm, services.case_agree, _("已记录调解协议。"), agreed_amounts=amounts)


@require_POST
@access.permission_required(MEDIATION_CHANGE)
def case_fail_view(request, pk: int):
    return _post(request, pk, CloseForm, services.case_fail, _("已结案：未达成协议。"))


@require_POST
@access.permission_required(MEDIATION_CHANGE)
def case_withdraw_view(request, pk: int):
    return _post(request, pk, CloseForm, services.case_withdraw, _("已结案：申请人撤回。"))


@access.permission_required(MEDIATION_VIEW)
def agreement_print_view(request, pk: int):
    case = _case(request, pk)
    if case.status != CaseStatus.AGREEMENT:
        messages.error(request, _("该案件没有调解协议。"))
        return redirect("mediation:case_detail", pk=case.pk)
    return render(request, "mediation/agreement_print.html", {"case": case, **selectors.case_detail(case)})


@access.permission_required(MEDIATION_VIEW)
def stats_view(request):
    year = year_param(request.GET.get("year"))
    this_year = calendar.today().year
    ctx = {
        "stats": selectors.case_stats(request.user, year=year),
        "year": year,
        "years": [this_year - 2, this_year - 1, this_year],
    }
    return render(request, "mediation/stats.html", ctx)


@access.permission_required(MEDIATION_VIEW)
def committee_view(request):
    committees = list(selectors.committees_for(request.user))
    with_committee = {c.org_id for c in committees}
    orgs = [o for o in access.orgs_for(request.user, COMMITTEE_CHANGE).filter(kind__in=["union", "branch"])]
    ctx = {
        "committees": [(c, access.can(request.user, COMMITTEE_CHANGE, c.org)) for c in committees],
        "orgs_without": [o for o in orgs if o.pk not in with_committee],
        "committee_form": CommitteeForm(),
        "member_form": CommitteeMemberForm(),
    }
    return render(request, "mediation/committee.html", ctx)


@require_POST
@access.permission_required(COMMITTEE_CHANGE)
def committee_create_view(request, org_pk: int):
    org = access.get_org_for_user(request.user, COMMITTEE_CHANGE, org_pk)
    form = CommitteeForm(request.POST)
    if form.is_valid():
        try:
            services.committee_create(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
    _flash(request, form, _("已成立调解委员会。"))
    return redirect("mediation:committee")


@require_POST
@access.permission_required(COMMITTEE_CHANGE)
def committee_member_add_view(request, pk: int):
    from .models import Committee

    committee = access.get_for_user(
        Committee.objects.select_related("org"), request.user, COMMITTEE_CHANGE, pk=pk
    )
    form = CommitteeMemberForm(request.POST)
    if form.is_valid():
        try:
            services.committee_member_add(actor=request.user, committee=committee, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
    _flash(request, form, _("已增加调解委员。"))
    return redirect("mediation:committee")


@require_POST
@access.permission_required(COMMITTEE_CHANGE)
def committee_member_remove_view(request, pk: int):
    member = access.get_for_user(
        CommitteeMember.objects.select_related("org"), request.user, COMMITTEE_CHANGE, pk=pk
    )
    services.committee_member_remove(actor=request.user, member=member)
    messages.success(request, _("已移除 %(name)s。") % {"name": member.name})
    return redirect("mediation:committee")


def _flash(request, form, ok: str) -> None:
    if form.errors:
        flash_form_errors(request, form)
    else:
        messages.success(request, ok)
