import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_errors, flash_form_errors, once_done, once_spend, once_token
from deadlines import calendar
from orgs import access

from . import selectors, services
from .forms import AcceptForm, AnswerForm, RateForm, SubmitForm
from .models import Appeal, AppealStatus, Category
from .permissions import APPEALS_HANDLE, APPEALS_VIEW

FILTERS = [
    ("open", _("未答复")),
    ("overdue", _("已逾期")),
    ("answered", _("已答复")),
    ("closed", _("已办结")),
    ("", _("全部")),
]


def _decorate(appeals, today):
    for a in appeals:
        a.days_left = calendar.days_left(a.due_on, today)
        a.is_overdue = a.is_open and calendar.is_overdue(a.due_on, today)
    return appeals


@access.permission_required(APPEALS_VIEW)
def home_view(request):
    if not access.has_any(request.user, APPEALS_HANDLE):
        return redirect("appeals:mine")
    status = request.GET.get("status", "open")
    if status not in dict(FILTERS):
        status = "open"
    category = request.GET.get("category", "")
    page = Paginator(
        selectors.appeals_for_staff(request.user, status=status, category=category), 30
    ).get_page(request.GET.get("page"))
    today = calendar.today()
    rows = _decorate(selectors.attach_submitters(page.object_list), today)
    ctx = {
        "page": page,
        "rows": rows,
        "status": status,
        "category": category,
        "filters": FILTERS,
        "categories": Category.choices,
        "today": today,
    }
    return render(request, "appeals/home.html", ctx)


@access.login_required
def mine_view(request):
    today = calendar.today()
    rows = _decorate(list(selectors.appeals_of_submitter(request.user)), today)
    return render(request, "appeals/mine.html", {"rows": rows, "today": today})


@access.login_required
def submit_view(request):
    form = SubmitForm(request.POST or None)
    org = services.home_org_for(request.user)
    if request.method == "POST" and (done := once_done(request)):
        messages.info(request, _("这份诉求已经提交过，没有重复提交。"))
        return redirect(done)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_submit(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request,
                _("已提交给 %(org)s，答复期限 %(due)s。")
                % {"org": appeal.org.name, "due": appeal.due_on.isoformat()},
            )
            url = reverse("appeals:my_detail", args=[appeal.pk])
            once_spend(request, url)
            return redirect(url)
    return render(request, "appeals/submit.html", {"form": form, "org": org, "once": once_token(request)})


@access.login_required
def my_detail_view(request, pk: int):
    appeal = get_object_or_404(Appeal.objects.select_related("org"), pk=pk, submitter=request.user)
    events = selectors.events_for_staff(appeal)
    for e in events:
        if e.by_submitter:
            e.actor_label = _("本人")
    ctx = {
        "appeal": _decorate([appeal], calendar.today())[0],
        "events": events,
        "rate_form": RateForm() if appeal.status == AppealStatus.ANSWERED else None,
    }
    return render(request, "appeals/my_detail.html", ctx)


@require_POST
@access.login_required
def rate_view(request, pk: int):
    appeal = get_object_or_404(Appeal, pk=pk, submitter=request.user)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_rate(
                actor=request.user,
                appeal=appeal,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as e:
            apply_errors(form, e)
    _flash(request, form, _("感谢您的评价。"))
    return redirect("appeals:my_detail", pk=appeal.pk)


def _staff_appeal(request, pk: int) -> Appeal:
    return access.get_for_user(
        Appeal.objects.select_related("org", "origin_org"), request.user, APPEALS_HANDLE, pk=pk
    )


@access.permission_required(APPEALS_HANDLE)
def detail_view(request, pk: int):
    appeal = _staff_appeal(request, pk)
    today = calendar.today()
    ctx = {
        "appeal": _decorate([appeal], today)[0],
        "submitter": selectors.submitter_label(appeal),
        "events": selectors.events_for_staff(appeal),
        "accept_form": AcceptForm() if appeal.status == AppealStatus.SUBMITTED else None,
        "answer_form": AnswerForm() if appeal.is_open else None,
    }
    return render(request, "appeals/detail.html", ctx)


@require_POST
@access.permission_required(APPEALS_HANDLE)
def accept_view(request, pk: int):
    appeal = _staff_appeal(request, pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_accept(actor=request.user, appeal=appeal, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
    _flash(request, form, _("已受理。"))
    return redirect("appeals:detail", pk=appeal.pk)


@require_POST
@access.permission_required(APPEALS_HANDLE)
def answer_view(request, pk: int):
    appeal = _staff_appeal(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_answer(actor=request.user, appeal=appeal, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
    _flash(request, form, _("已答复，职工可在手机上查看并评价。"))
    return redirect("appeals:detail", pk=appeal.pk)


@access.permission_required(APPEALS_HANDLE)
def export_view(request):
    """CSV of the requests the user handles. The submitter appears only for non-anonymous ones."""
    rows = selectors.attach_submitters(
        selectors.appeals_for_staff(
            request.user, status=request.GET.get("status", ""), category=request.GET.get("category", "")
        )
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appeals.csv"'
    response.write("\ufeff")
    w = csv.writer(response)
    w.writerow(
        ["编号", "提交日期", "类别", "标题", "提交人", "承办组织", "状态", "答复期限", "升级次数", "满意度"]
    )
    for a in rows:
        w.writerow(
            _cell(v)
            for v in [
                a.pk,
                a.submitted_on.isoformat(),
                a.get_category_display(),
                a.title,
                a.submitter_label,
                a.org.name,
                a.get_status_display(),
                a.due_on.isoformat(),
                a.escalation_level,
                a.get_satisfaction_display(),
            ]
        )
    return response


def _cell(value) -> str:
    """Neutralize spreadsheet formulas in text a worker typed (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _flash(request, form, ok: str) -> None:
    if form.errors:
        flash_form_errors(request, form)
    else:
        messages.success(request, ok)
