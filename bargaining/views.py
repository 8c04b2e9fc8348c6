from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import flash_error, flash_form_errors
from deadlines import calendar
from orgs import access

from . import forms, rules, selectors, services
from .models import ContractKind, Status
from .permissions import BARGAINING_CHANGE, BARGAINING_VIEW


@access.permission_required(BARGAINING_VIEW)
def home_view(request):
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    qs = selectors.consultation_list(request.user, status=status, kind=kind)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "status": status,
        "kind": kind,
        "statuses": Status.choices,
        "kinds": ContractKind.choices,
        "today": calendar.today(),
        "may_change": access.has_any(request.user, BARGAINING_CHANGE),
    }
    return render(request, "bargaining/home.html", ctx)


@access.permission_required(BARGAINING_CHANGE)
def create_view(request):
    orgs = access.orgs_for(request.user, BARGAINING_CHANGE).filter(kind__in=["federation", "union"])
    form = forms.RequestForm(request.POST or None, orgs=orgs, initial={"requested_on": calendar.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            c = services.consultation_request(actor=request.user, **data)
        except ValidationError as e:
            from core.forms import apply_errors

            apply_errors(form, e)
        else:
            messages.success(
                request, _("已登记书面要约，对方应在%(d)s前书面回应。") % {"d": c.answer_due.isoformat()}
            )
            return redirect("bargaining:detail", pk=c.pk)
    return render(request, "bargaining/create.html", {"form": form})


@access.permission_required(BARGAINING_VIEW)
def detail_view(request, pk: int):
    c = selectors.consultation_get(request.user, pk)
    may_change = access.can(request.user, BARGAINING_CHANGE, c.org)
    today = calendar.today()
    negotiators = list(c.negotiators.all())
    seated = [n for n in negotiators if n.left_on is None]
    vacancies = [n for n in negotiators if n.left_on is not None and n.replaced_by_id is None]
    problems = rules.team_problems(
        [rules.Seat(n.side, n.name, n.is_chief, n.is_expert) for n in seated],
        min_per_side=services.setting("MIN_NEGOTIATORS"),
    )
    versions = list(c.versions.all())
    polls = services.congress_polls(c) if may_change and c.status == Status.DRAFT else []
    vote_passed = (
        rules.congress_passes(present=c.congress_present, total=c.congress_total, agree=c.congress_agree)
        if c.congress_total
        else None
    )
    ctx = {
        "c": c,
        "may_change": may_change,
        "editable": c.status in (Status.REQUESTED, Status.NEGOTIATING, Status.DRAFT),
        "today": today,
        "workers": [n for n in seated if n.side == "workers"],
        "employer": [n for n in seated if n.side == "employer"],
        "vacancies": vacancies,
        "former": [n for n in negotiators if n.left_on is not None],
        "problems": problems,
        "versions": versions,
        "latest": versions[-1] if versions else None,
        "vote_passed": vote_passed,
        "steps": _steps(c),
        "answer_days_left": calendar.days_left(c.answer_due, today),
        # Day 15 of the review fell on a holiday and the period runs on to the next working day.
        "review_rolled": bool(c.filed_on and c.review_due)
        and c.review_due
        != calendar.add_days(c.filed_on, calendar.rule("bargaining.review").days, working=False),
        "forms": {
            "answer": forms.AnswerForm(initial={"answered_on": today}),
            "negotiator": forms.NegotiatorForm(initial={"appointed_on": today}),
            "vacate": forms.VacateForm(initial={"left_on": today}),
            "round": forms.RoundForm(initial={"held_on": today}),
            "draft": forms.DraftForm(initial={"text": versions[-1].text if versions else ""}),
            "vote": forms.VoteForm(initial={"voted_on": today}),
            "poll": forms.PollVoteForm(polls=polls) if polls else None,
            "sign": forms.SignForm(initial={"signed_on": today, "term_start": today, "term_years": 3}),
            "file": forms.FileForm(initial={"filed_on": today}),
            "objection": forms.ObjectionForm(initial={"objection_on": today}),
            "renew": forms.RenewForm(initial={"requested_on": today}),
            "check": forms.CheckForm(initial={"year": today.year, "checked_on": today, "fulfilled": True}),
        },
    }
    return render(request, "bargaining/detail.html", ctx)


def _steps(c):
    order = [s for s, _label in Status.choices]
    here = order.index(c.status)
    return [
        {"label": label, "done": i < here, "current": i == here}
        for i, (_s, label) in enumerate(Status.choices)
    ]


def _act(request, pk: int, form_class, call, ok):
    c = selectors.consultation_get(request.user, pk, BARGAINING_CHANGE)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        flash_form_errors(request, form)
        return redirect("bargaining:detail", pk=c.pk)
    try:
        result = call(c, form.cleaned_data if form is not None else {})
    except ValidationError as e:
        flash_error(request, e)
    else:
        text = ok(result) if callable(ok) else ok
        if isinstance(text, tuple):  # (level, text): an outcome that is not a success
            messages.add_message(request, *text)
        elif text:
            messages.success(request, text)
    return redirect("bargaining:detail", pk=c.pk)


def _vote_outcome(passed: bool):
    if passed:
        return _("表决通过。")
    return (messages.WARNING, _("表决未通过：须三分之二以上代表到会且全体代表过半数同意。"))


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def answer_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.AnswerForm,
        lambda c, d: services.consultation_answer(actor=request.user, consultation=c, **d),
        _("已登记书面回应，进入协商阶段。"),
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def negotiator_add_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.NegotiatorForm,
        lambda c, d: services.negotiator_add(actor=request.user, consultation=c, **d),
        lambda n: _("已添加协商代表 %(name)s。") % {"name": n.name},
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def negotiator_vacate_view(request, pk: int):
    n = selectors.negotiator_get(request.user, pk, BARGAINING_CHANGE)
    form = forms.VacateForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            n = services.negotiator_vacate(actor=request.user, negotiator=n, **form.cleaned_data)
        except ValidationError as e:
            flash_error(request, e)
        else:
            messages.success(
                request, _("已登记出缺，应在%(d)s前补充代表。") % {"d": n.vacancy_due.isoformat()}
            )
    return redirect("bargaining:detail", pk=n.consultation_id)


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def round_add_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.RoundForm,
        lambda c, d: services.round_add(actor=request.user, consultation=c, **d),
        lambda r: _("已登记第%(n)d次协商会议。") % {"n": r.number},
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def draft_add_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.DraftForm,
        lambda c, d: services.draft_add(actor=request.user, consultation=c, **d),
        lambda v: _("已保存草案第%(n)d稿。") % {"n": v.number},
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def submit_draft_view(request, pk: int):
    return _act(
        request,
        pk,
        None,
        lambda c, d: services.consultation_submit_draft(actor=request.user, consultation=c),
        _("草案已提交职工代表大会审议。"),
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def vote_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.VoteForm,
        lambda c, d: services.consultation_record_vote(actor=request.user, consultation=c, **d),
        _vote_outcome,
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def vote_from_poll_view(request, pk: int):
    c = selectors.consultation_get(request.user, pk, BARGAINING_CHANGE)
    form = forms.PollVoteForm(request.POST, polls=services.congress_polls(c))
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("bargaining:detail", pk=c.pk)
    try:
        passed = services.consultation_vote_from_poll(
            actor=request.user, consultation=c, poll_id=form.cleaned_data["poll"]
        )
    except ValidationError as e:
        flash_error(request, e)
    else:
        outcome = _vote_outcome(passed)
        if isinstance(outcome, tuple):
            messages.add_message(request, *outcome)
        else:
            messages.success(request, outcome)
    return redirect("bargaining:detail", pk=c.pk)


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def sign_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.SignForm,
        lambda c, d: services.consultation_sign(actor=request.user, consultation=c, **d),
        lambda c: _("双方首席代表已签字，应在%(d)s前报送劳动行政部门。") % {"d": c.filing_due.isoformat()},
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def file_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.FileForm,
        lambda c, d: services.consultation_file(actor=request.user, consultation=c, **d),
        lambda c: (
            _("已登记报送。审查期至%(d)s，届时无异议的，合同自该日起生效。") % {"d": c.review_due.isoformat()}
        ),
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def objection_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.ObjectionForm,
        lambda c, d: services.consultation_record_objection(actor=request.user, consultation=c, **d),
        _("已登记审查异议，请就异议条款重新协商。"),
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def take_effect_view(request, pk: int):
    return _act(
        request,
        pk,
        None,
        lambda c, d: services.consultation_take_effect(actor=request.user, consultation=c),
        _("集体合同已生效。"),
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def renew_view(request, pk: int):
    c = selectors.consultation_get(request.user, pk, BARGAINING_CHANGE)
    form = forms.RenewForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("bargaining:detail", pk=c.pk)
    try:
        new = services.consultation_renew(actor=request.user, consultation=c, **form.cleaned_data)
    except ValidationError as e:
        flash_error(request, e)
        return redirect("bargaining:detail", pk=c.pk)
    messages.success(
        request, _("已提出续签要求，对方应在%(d)s前书面回应。") % {"d": new.answer_due.isoformat()}
    )
    return redirect("bargaining:detail", pk=new.pk)


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def expire_view(request, pk: int):
    return _act(
        request,
        pk,
        None,
        lambda c, d: services.consultation_expire(actor=request.user, consultation=c),
        _("已标记为到期。"),
    )


@require_POST
@access.permission_required(BARGAINING_CHANGE)
def check_add_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.CheckForm,
        lambda c, d: services.check_add(actor=request.user, consultation=c, **d),
        lambda chk: _("已登记%(y)d年度履约检查。") % {"y": chk.year},
    )


@access.permission_required(BARGAINING_VIEW)
def diff_view(request, pk: int):
    c = selectors.consultation_get(request.user, pk)
    versions = {v.number: v for v in c.versions.all()}
    if len(versions) < 2:
        raise Http404
    numbers = sorted(versions)
    try:
        a = int(request.GET.get("a", numbers[-2]))
        b = int(request.GET.get("b", numbers[-1]))
    except ValueError:
        raise Http404 from None
    if a not in versions or b not in versions:
        raise Http404
    mode = "inline" if request.GET.get("mode") == "inline" else "side"
    rows = rules.diff_rows(versions[a].text, versions[b].text)
    ctx = {
        "c": c,
        "a": versions[a],
        "b": versions[b],
        "rows": rows,
        "numbers": numbers,
        "mode": mode,
        "changed": sum(1 for r in rows if r.kind != "same"),
    }
    return render(request, "bargaining/diff.html", ctx)


@access.permission_required(BARGAINING_VIEW)
def print_view(request, pk: int):
    c = selectors.consultation_get(request.user, pk)
    versions = list(c.versions.all())
    if not versions:
        raise Http404
    negotiators = [n for n in c.negotiators.all() if n.left_on is None]
    return render(
        request,
        "bargaining/print.html",
        {
            "c": c,
            "text": versions[-1],
            "workers": [n for n in negotiators if n.side == "workers"],
            "employer": [n for n in negotiators if n.side == "employer"],
        },
    )
