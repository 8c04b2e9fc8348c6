from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import apply_errors, flash_error, flash_form_errors
from core.services import sensitive_reveal
from deadlines import calendar
from orgs import access
from orgs.models import OrgKind

from . import forms, selectors, services
from .models import Category, HouseholdMember, Status
from .permissions import (
    ASSISTANCE_CHANGE,
    ASSISTANCE_NOTICE,
    ASSISTANCE_PAY,
    ASSISTANCE_SENSITIVE,
    ASSISTANCE_STANDARDS,
    ASSISTANCE_VIEW,
)

# Sensitive fields that may be revealed, by URL name: (ciphertext attribute, label)
REVEALABLE = {
    "id_number": ("id_cipher", gettext_lazy("身份证号")),
    "bank_account": ("bank_cipher", gettext_lazy("银行账号")),
    "health": ("health_cipher", gettext_lazy("健康状况")),
    "rigid_expenses": ("rigid_cipher", gettext_lazy("家庭年刚性支出")),
    "medical_costs": ("medical_cipher", gettext_lazy("当年突发医疗费用")),
    "per_capita": ("per_capita_cipher", gettext_lazy("家庭人均月收入")),
}


@access.permission_required(ASSISTANCE_VIEW)
def home_view(request):
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    q = request.GET.get("q", "").strip()
    page = Paginator(
        selectors.household_list(request.user, status=status, category=category, q=q), 25
    ).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "status": status,
        "category": category,
        "q": q,
        "statuses": Status.choices,
        "categories": Category.choices,
        "counts": selectors.household_counts(request.user),
        "may_change": access.has_any(request.user, ASSISTANCE_CHANGE),
        "today": calendar.today(),
    }
    return render(request, "assistance/home.html", ctx)


@access.permission_required(ASSISTANCE_CHANGE)
def create_view(request):
    orgs = access.orgs_for(request.user, ASSISTANCE_CHANGE).exclude(kind=OrgKind.FEDERATION)
    form = forms.ApplyForm(request.POST or None, orgs=orgs, initial={"applied_on": calendar.today()})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            h = services.household_apply(actor=request.user, **data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request, _("已建立家庭档案，当前认定为：%(c)s。") % {"c": h.get_category_display()}
            )
            return redirect("assistance:detail", pk=h.pk)
    return render(request, "assistance/create.html", {"form": form})


@access.permission_required(ASSISTANCE_VIEW)
def detail_view(request, pk: int):
    h = selectors.household_get(request.user, pk)
    today = calendar.today()
    may_change = access.can(request.user, ASSISTANCE_CHANGE, h.org)
    may_pay = access.can(request.user, ASSISTANCE_PAY, h.org)
    funds = selectors.funds_for(request.user, ASSISTANCE_PAY) if may_pay else None
    ctx = {
        "h": h,
        "members": list(h.members.all()),
        "payments": selectors.household_payments(h),
        "paid": selectors.household_paid(h),
        "may_change": may_change,
        "may_pay": may_pay,
        "may_reveal": access.can(request.user, ASSISTANCE_SENSITIVE, h.org),
        "editable": h.status in (Status.APPLIED, Status.REVIEWED, Status.VISITED),
        "today": today,
        "steps": _steps(h),
        "forms": {
            "member": forms.MemberForm(),
            "consent": forms.ConsentForm(
                initial={"signed_on": today, "income_check": True, "category": True, "amount": True}
            ),
            "review": forms.ReviewForm(initial={"reviewed_on": today}),
            "visit": forms.VisitForm(initial={"visited_on": today}),
            "notice": forms.NoticeForm(initial={"start_on": today}),
            "approve": forms.ApproveForm(initial={"approved_on": today}),
            "archive": forms.ArchiveForm(initial={"archived_on": today}),
            "recheck": forms.RecheckForm(initial={"checked_on": today}),
            "close": forms.CloseForm(initial={"closed_on": today}),
            "payment": forms.PaymentForm(funds=funds, initial={"budget_year": today.year, "paid_on": today})
            if may_pay
            else None,
        },
    }
    return render(request, "assistance/detail.html", ctx)


def _steps(h):
    flow = [s for s in Status.choices if s[0] != Status.CLOSED]
    order = [s for s, _l in flow]
    here = order.index(h.status) if h.status in order else len(order)
    return [{"label": label, "done": i < here, "current": i == here} for i, (_s, label) in enumerate(flow)]


def _act(request, pk: int, form_class, call, ok, perm=ASSISTANCE_CHANGE):
    h = selectors.household_get(request.user, pk, perm)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        flash_form_errors(request, form)
        return redirect("assistance:detail", pk=h.pk)
    try:
        result = call(h, form.cleaned_data if form is not None else {})
    except ValidationError as e:
        flash_error(request, e)
    else:
        messages.success(request, ok(result) if callable(ok) else ok)
    return redirect("assistance:detail", pk=h.pk)


def _category_msg(h):
    return _("已保存。当前认定为：%(c)s。") % {"c": h.get_category_display()}


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def member_add_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.MemberForm,
        # The new member's household is the locked, reclassified row the service saved.
        lambda h, d: services.member_add(actor=request.user, household=h, **d).household,
        _category_msg,
    )


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def member_remove_view(request, pk: int):
    m = access.get_for_user(
        HouseholdMember.objects.select_related("household"), request.user, ASSISTANCE_CHANGE, pk=pk
    )
    try:
        services.member_remove(actor=request.user, member=m)
    except ValidationError as e:
        flash_error(request, e)
    else:
        messages.success(request, _("已移除家庭成员 %(name)s。") % {"name": m.name})
    return redirect("assistance:detail", pk=m.household_id)


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def reclassify_view(request, pk: int):
    return _act(
        request,
        pk,
        None,
        lambda h, d: services.household_reclassify(actor=request.user, household=h),
        _category_msg,
    )


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def consent_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.ConsentForm,
        lambda h, d: services.consent_record(actor=request.user, household=h, **d),
        _("已登记申请书与授权书。"),
    )


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def review_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.ReviewForm,
        lambda h, d: services.household_review(actor=request.user, household=h, **d),
        lambda h: _("审核通过，认定为%(c)s。") % {"c": h.get_category_display()},
    )


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def visit_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.VisitForm,
        lambda h, d: services.household_visit(actor=request.user, household=h, **d),
        _("已登记入户走访。"),
    )


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def notice_start_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.NoticeForm,
        lambda h, d: services.household_notice(actor=request.user, household=h, **d),
        lambda h: _("已开始公示，公示期至%(d)s。") % {"d": h.notice_end.isoformat()},
    )


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def approve_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.ApproveForm,
        lambda h, d: services.household_approve(actor=request.user, household=h, **d),
        _("已审批。"),
    )


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def archive_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.ArchiveForm,
        lambda h, d: services.household_archive(actor=request.user, household=h, **d),
        lambda h: (
            _("已建档立卡，档案编号%(no)s，下次复核%(d)s。")
            % {"no": h.file_no, "d": h.next_recheck.isoformat()}
        ),
    )


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def recheck_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.RecheckForm,
        lambda h, d: services.household_recheck(actor=request.user, household=h, **d),
        lambda h: (
            _("已复核，认定为%(c)s，下次复核%(d)s。")
            % {"c": h.get_category_display(), "d": h.next_recheck.isoformat()}
        ),
    )


@require_POST
@access.permission_required(ASSISTANCE_CHANGE)
def close_view(request, pk: int):
    return _act(
        request,
        pk,
        forms.CloseForm,
        lambda h, d: services.household_close(actor=request.user, household=h, **d),
        _("档案已退出。"),
    )


@require_POST
@access.permission_required(ASSISTANCE_PAY)
def payment_add_view(request, pk: int):
    h = selectors.household_get(request.user, pk, ASSISTANCE_PAY)
    form = forms.PaymentForm(request.POST, funds=selectors.funds_for(request.user, ASSISTANCE_PAY))
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            services.payment_record(actor=request.user, household=h, **form.cleaned_data)
        except ValidationError as e:
            flash_error(request, e)
        else:
            messages.success(request, _("已登记发放。"))
    return redirect("assistance:detail", pk=h.pk)


@require_POST
@access.permission_required(ASSISTANCE_PAY)
def payment_reverse_view(request, pk: int):
    payment = selectors.payment_get(request.user, pk, ASSISTANCE_PAY)
    page = reverse("assistance:detail", args=[payment.household_id])
    form = forms.PaymentReverseForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect(f"{page}#reverse-{payment.pk}")  # the form stays open, as it was sent
    try:
        services.payment_reverse(actor=request.user, payment=payment, **form.cleaned_data)
    except services.AlreadyReversed as e:
        flash_error(request, e)
    except ValidationError as e:
        flash_error(request, e)
        return redirect(f"{page}#reverse-{payment.pk}")
    else:
        paid = selectors.household_paid(payment.household)
        messages.success(
            request,
            _("已冲销%(d)s发放的%(a)s元。该户发放合计现为%(t)s元。")
            % {"d": payment.paid_on.isoformat(), "a": payment.amount, "t": paid["total"]},
        )
    return redirect(f"{page}#payments")


@require_POST
@access.permission_required(ASSISTANCE_SENSITIVE)
def reveal_view(request, pk: int, field: str):
    if field not in REVEALABLE:
        raise Http404
    h = selectors.household_get(request.user, pk, ASSISTANCE_SENSITIVE)
    attr, label = REVEALABLE[field]
    value = sensitive_reveal(
        actor=request.user,
        obj=h,
        field=f"assistance.household.{field}",
        ciphertext=getattr(h, attr),
        org=h.org,
        label=str(label),
    )
    return render(request, "assistance/detail.html#revealed", {"value": value, "label": label})


@require_POST
@access.permission_required(ASSISTANCE_SENSITIVE)
def member_reveal_view(request, pk: int):
    m = access.get_for_user(
        HouseholdMember.objects.select_related("org"), request.user, ASSISTANCE_SENSITIVE, pk=pk
    )
    value = sensitive_reveal(
        actor=request.user,
        obj=m,
        field="assistance.member.income",
        ciphertext=m.income_cipher,
        org=m.org,
        label=_("家庭成员年收入"),
    )
    return render(request, "assistance/detail.html#revealed", {"value": value, "label": _("年收入")})


@access.permission_required(ASSISTANCE_NOTICE)
def notice_view(request):
    rows = selectors.public_notice(request.user)
    return render(request, "assistance/notice.html", {"rows": rows, "today": calendar.today()})


@access.permission_required(ASSISTANCE_VIEW)
def print_view(request, pk: int):
    h = selectors.household_get(request.user, pk)
    return render(request, "assistance/print.html", {"h": h, "members": list(h.members.all())})


@access.permission_required(ASSISTANCE_VIEW)
def funds_view(request):
    may_manage = access.has_any(request.user, ASSISTANCE_CHANGE)
    orgs = access.orgs_for(request.user, ASSISTANCE_CHANGE)
    form = forms.FundForm(request.POST or None, orgs=orgs)
    if request.method == "POST":
        if not may_manage:
            raise Http404
        if form.is_valid():
            try:
                services.fund_create(actor=request.user, **form.cleaned_data)
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("已新建资金。"))
                return redirect("assistance:funds")
    ctx = {
        "totals": selectors.fund_totals(request.user),
        "funds": selectors.funds_for(request.user),
        "payments": selectors.payments_list(request.user)[:50],
        "form": form if may_manage else None,
    }
    return render(request, "assistance/funds.html", ctx)


@access.permission_required(ASSISTANCE_STANDARDS)
def standards_view(request):
    orgs = access.orgs_for(request.user, ASSISTANCE_STANDARDS).filter(kind=OrgKind.FEDERATION)
    form = forms.StandardForm(request.POST or None, orgs=orgs, initial={"year": calendar.today().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_set(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存低保标准。"))
            return redirect("assistance:standards")
    return render(
        request,
        "assistance/standards.html",
        {"form": form, "standards": selectors.standards_list(request.user, ASSISTANCE_STANDARDS)},
    )
