from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_errors, flash_error, flash_form_errors, local_page, with_label, year_param
from core.validators import normalize_text
from members import selectors as member_selectors
from members import services as member_services
from members.models import Member
from orgs import access
from orgs.models import Organization, OrgKind

from . import rules, selectors, services
from .forms import (
    BatchForm,
    FundsForm,
    FundsPaymentForm,
    PaymentForm,
    PolicyForm,
    RunForm,
    WageForm,
    WageImportForm,
    last_month,
    this_month,
)
from .models import DuesLine, DuesPayment, DuesRun, FundsAssessment, FundsPayment, LineKind, PayrollBatch
from .permissions import DUES_MANAGE, DUES_POLICY, DUES_VIEW

RUN_ORG_KINDS = [OrgKind.UNION, OrgKind.FEDERATION]


def _union(request, pk: int, perm=DUES_VIEW) -> Organization:
    return access.get_for_user(
        Organization.objects.filter(kind__in=RUN_ORG_KINDS), request.user, perm, org_field="", pk=pk
    )


@access.permission_required(DUES_VIEW)
def home_view(request):
    unions = list(selectors.unions_for(request.user))
    summaries = selectors.union_summaries(unions)
    rows = [(u, summaries[u.pk]) for u in unions]
    feds = [u for u in unions if u.kind == OrgKind.FEDERATION and access.can(request.user, DUES_POLICY, u)]
    total = selectors.summaries_total(summaries) if len(rows) > 1 else None
    return render(request, "dues/home.html", {"rows": rows, "total": total, "policy_orgs": feds})


@access.permission_required(DUES_VIEW)
def union_view(request, pk: int):
    org = _union(request, pk)
    may_manage = access.can(request.user, DUES_MANAGE, org)
    runs = list(selectors.runs_for(org))
    next_month = rules.next_run_month(runs[0].month if runs else None, timezone.localdate())
    ctx = {
        "org": org,
        "runs": runs,
        "funds": selectors.funds_for(org),
        "summary": selectors.union_summaries([org])[org.pk],
        "policy": selectors.policy_for(org),
        "may_manage": may_manage,
        "run_form": RunForm(initial={"month": f"{next_month:%Y-%m}"}),
        "funds_form": FundsForm(initial={"month": last_month()}),
    }
    return render(request, "dues/union.html", ctx)


@require_POST
@access.permission_required(DUES_MANAGE)
def run_create_view(request, pk: int):
    org = _union(request, pk, DUES_MANAGE)
    form = RunForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("dues:union", pk=org.pk)
    try:
        run = services.dues_run(org=org, month=form.cleaned_data["month"], actor=request.user)
    except ValidationError as e:
        flash_error(request, e)
        existing = selectors.runs_for(org).filter(month=form.cleaned_data["month"]).first()
        return redirect("dues:run", pk=existing.pk) if existing else redirect("dues:union", pk=org.pk)
    if run.outcome == "created":
        text = _("已核定%(m)s会费：应缴%(c)d人，合计%(t)s元；保留会籍免缴%(e)d人；缺工资基数%(x)d人。")
    elif run.outcome == "supplemented":
        text = _("已补计%(m)s会费：现应缴%(c)d人，合计%(t)s元；保留会籍免缴%(e)d人；缺工资基数%(x)d人。")
    else:
        text = _(
            "已重新核定%(m)s会费，原明细已替换：应缴%(c)d人，合计%(t)s元；保留会籍免缴%(e)d人；缺工资基数%(x)d人。"
        )
    text %= {
        "m": rules.month_text(run.month),
        "c": run.charged_count,
        "t": rules.yuan(run.total_amount),
        "e": run.exempt_count,
        "x": run.missing_count,
    }
    if kept := getattr(run, "kept", 0):
        text += _("其中%(n)d人已离开本会或会籍有变，按原明细保留（他们该月的会费在本会缴纳）。") % {"n": kept}
    messages.success(request, text)
    return redirect("dues:run", pk=run.pk)


@access.permission_required(DUES_VIEW)
def run_view(request, pk: int):
    run = access.get_for_user(DuesRun.objects.select_related("org"), request.user, DUES_VIEW, pk=pk)
    kind = request.GET.get("kind", "")
    if kind not in LineKind.values:
        kind = ""
    q = normalize_text(request.GET.get("q", ""))[:40]
    lines = selectors.run_lines(run, kind, q)
    if member_selectors.whole_number(q):  # a person found by a whole ID or mobile number: recorded
        member_services.member_lookup_record(
            actor=request.user, q=q, found=[line.member for line in lines.select_related("member__org")[:20]]
        )
    printing = request.GET.get("print") == "1"
    may_manage = access.can(request.user, DUES_MANAGE, run.org)
    refused = request.session.pop(_batch_key(run), {}) if may_manage else {}  # a payroll batch turned down
    page = None
    if not printing:
        page = Paginator(selectors.with_payments(lines), 100).get_page(request.GET.get("page"))
        lines = page.object_list
    ctx = {
        "run": run,
        "org": run.org,
        "lines": lines,
        "page": page,
        "kind": kind,
        "q": q,
        "kinds": LineKind.choices,
        "printing": printing,
        "unpaid": selectors.run_unpaid_count(run),
        "may_manage": may_manage,
        "batch_form": BatchForm(initial={"skip": refused.get("skip", "")}),
        "batch_errors": refused.get("errors", []),
        "pay_form": PaymentForm(),
        "batches": [] if printing else selectors.run_batches(run),
        "changed_since": selectors.changed_since_assessed(run) if may_manage and not printing else 0,
    }
    return render(request, "dues/run.html", ctx)


def _batch_key(run: DuesRun) -> str:
    return f"dues.batch_refused.{run.pk}"


@require_POST
@access.permission_required(DUES_MANAGE)
def batch_view(request, pk: int):
    run = access.get_for_user(DuesRun.objects.select_related("org"), request.user, DUES_MANAGE, pk=pk)
    form = BatchForm(request.POST)
    if form.is_valid():
        try:
            batch = services.dues_batch_record(
                run=run,
                paid_on=form.cleaned_data["paid_on"],
                skip=form.cleaned_data["skip"],
                actor=request.user,
            )
        except ValidationError as e:
            if not selectors.run_unpaid_count(run):  # nothing left to deduct: no form to go back to
                flash_error(request, e)
                return redirect("dues:run", pk=run.pk)
            # Back to the form, the reasons beside it and what was typed kept (in the session, not
            # the address: names), to mend one entry instead of typing them all again.
            request.session[_batch_key(run)] = {"skip": form.cleaned_data["skip"], "errors": e.messages}
            return redirect(f"{_url('dues:run', run.pk)}#batch")
        else:
            done = _("已登记工资代扣：%(n)d人，合计%(t)s元。") % {
                "n": batch.line_count,
                "t": rules.yuan(batch.total),
            }
            if left := selectors.run_unpaid_count(run):
                done += " " + _("仍有%(k)d人未缴。") % {"k": left}
            messages.success(request, done)
    else:
        flash_form_errors(request, form)
    return redirect("dues:run", pk=run.pk)


@require_POST
@access.permission_required(DUES_MANAGE)
def pay_view(request, pk: int):
    line = access.get_for_user(DuesLine.objects.select_related("member"), request.user, DUES_MANAGE, pk=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = services.dues_payment_record(
                line=line,
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                paid_on=form.cleaned_data["paid_on"],
                actor=request.user,
            )
        except ValidationError as e:
            for msg in e.messages:  # which member: the statement has hundreds of rows
                messages.error(
                    request, msg if msg.startswith(line.member.name) else with_label(line.member.name, msg)
                )
        else:
            messages.success(
                request,
                _("已登记%(name)s缴费%(a)s元，收据号%(no)s。")
                % {"name": line.member.name, "a": payment.amount, "no": payment.receipt_no},
            )
            if request.POST.get("next") == "receipt":
                return redirect("dues:receipt", pk=payment.pk)
    else:
        flash_form_errors(request, form, about=line.member.name)
    back = {k: request.POST[k] for k in ("q", "kind", "page") if request.POST.get(k)}
    return redirect(reverse("dues:run", args=[line.run_id]) + (f"?{urlencode(back)}" if back else ""))


@access.permission_required(DUES_VIEW)
def receipt_view(request, pk: int):
    payment = access.get_for_user(
        DuesPayment.objects.select_related(
            "member", "org", "line", "recorded_by", "reversal", "reversal__reversed_by"
        ),
        request.user,
        DUES_VIEW,
        pk=pk,
    )
    ctx = {
        "payment": payment,
        "org": payment.org,
        "may_manage": access.can(request.user, DUES_MANAGE, payment.org),
    }
    return render(request, "dues/receipt.html", ctx)


@access.login_required
def my_receipt_view(request, pk: int):
    """A member's own receipt, from their dues page: to print, or to show the finance office."""
    member = member_selectors.my_member(request.user)
    if member is None:
        return render(request, "members/not_linked.html", status=404)
    payment = selectors.member_payment(member, pk)
    if payment is None:
        raise Http404
    return render(request, "dues/receipt.html", {"payment": payment, "org": payment.org, "own": True})


def _reversal_reason(request) -> str:
    """The reversal form has one field; the service checks it (required, at most 200 characters) so
    the page and the API give the same message."""
    return request.POST.get("reason", "")


@require_POST
@access.permission_required(DUES_MANAGE)
def payment_reverse_view(request, pk: int):
    payment = access.get_for_user(
        DuesPayment.objects.select_related("member", "line"), request.user, DUES_MANAGE, pk=pk
    )
    try:
        services.dues_payment_reverse(payment=payment, reason=_reversal_reason(request), actor=request.user)
    except ValidationError as e:
        flash_error(request, e)
    else:
        messages.success(
            request,
            _("已冲销%(name)s%(m)s会费%(a)s元（收据号%(no)s），该月已缴金额相应减少。")
            % {
                "name": payment.member.name,
                "m": rules.month_text(payment.month),
                "a": payment.amount,
                "no": payment.receipt_no,
            },
        )
    if request.POST.get("next") == "receipt":
        return redirect("dues:receipt", pk=payment.pk)
    return redirect("dues:run", pk=payment.line.run_id)


@require_POST
@access.permission_required(DUES_MANAGE)
def batch_reverse_view(request, pk: int):
    batch = access.get_for_user(PayrollBatch.objects.all(), request.user, DUES_MANAGE, pk=pk)
    try:
        br = services.dues_batch_reverse(batch=batch, reason=_reversal_reason(request), actor=request.user)
    except ValidationError as e:
        flash_error(request, e)
    else:
        messages.success(
            request,
            _("已冲销%(d)s的工资代扣：%(n)d人，合计%(t)s元，这些会员的会费恢复为未缴。")
            % {"d": f"{batch.paid_on:%Y-%m-%d}", "n": br.line_count, "t": rules.yuan(br.total)},
        )
    return redirect(f"{_url('dues:run', batch.run_id)}#batches")


@access.permission_required(DUES_VIEW)
def arrears_view(request, pk: int):
    org = _union(request, pk)
    rows = selectors.member_arrears(org)
    total = sum((r.amount for r in rows), selectors.ZERO)
    printing = request.GET.get("print") == "1"  # the whole list, as its totals count it
    page = None if printing else Paginator(rows, 100).get_page(request.GET.get("page"))
    items = rows if printing else list(page)
    selectors.arrears_months(org, items)
    ctx = {
        "org": org,
        "page": page,
        "items": items,
        "printing": printing,
        "total": total,
        "count": len(rows),
    }
    return render(request, "dues/arrears.html", ctx)


def _wage_month(request) -> date:
    """The month the wage page shows and enters bases from (?month=2026-10; this month by default)."""
    try:
        return rules.parse_month(request.GET.get("month") or this_month())
    except ValueError:
        messages.error(request, _("月份格式不正确，已显示本月。"))
        return rules.parse_month(this_month())


def _wages_context(request, org, *, month: date, q: str = "", missing: bool = False, page=None) -> dict:
    rows = selectors.wage_rows(org, q, month=month, missing=missing)
    return {
        "org": org,
        "page": Paginator(rows, 50).get_page(page),
        "q": q,
        "month": month,
        "missing": missing,
        "paging": urlencode({"q": q, "month": f"{month:%Y-%m}", **({"missing": "1"} if missing else {})}),
        "policy": selectors.policy_for(org),
        "may_manage": access.can(request.user, DUES_MANAGE, org),
        "import_form": WageImportForm(initial={"month": f"{month:%Y-%m}"}),
    }


@access.permission_required(DUES_VIEW)
def wages_view(request, pk: int):
    org = _union(request, pk)
    ctx = _wages_context(
        request,
        org,
        month=_wage_month(request),
        q=request.GET.get("q", "").strip(),
        missing=request.GET.get("missing") == "1",
        page=request.GET.get("page"),
    )
    return render(request, "dues/wages.html", ctx)


def _months_text(months) -> str:
    shown = _("、").join(rules.month_text(m) for m in months[:3])
    if len(months) > 3:
        shown += _("等%(n)d个月") % {"n": len(months)}
    return shown


def _assessed_note(org, since, until=None) -> str:
    """What a wage entered from `since` (until the member's next wage, `until`) does to statements
    already computed: nothing until one is computed again, and nothing to what a paid statement
    charged."""
    unpaid, paid = selectors.assessed_months(org, since, until)
    note = ""
    if unpaid:
        note += _("%(months)s的会费已经核定，请重新核定后按新基数计算。") % {"months": _months_text(unpaid)}
    if paid:
        note += _("%(months)s的会费已有缴费记录：已计费的会员不再重算，尚未计费的可以补计会费。") % {
            "months": _months_text(paid)
        }
    return note


@require_POST
@access.permission_required(DUES_MANAGE)
def wage_set_view(request, pk: int):
    member = access.get_for_user(Member.objects.select_related("org"), request.user, DUES_MANAGE, pk=pk)
    union = selectors.union_of(member)
    form = WageForm(request.POST)
    if form.is_valid():
        try:
            wb = services.wage_set(
                member=member,
                month=form.cleaned_data["month"],
                wage=form.cleaned_data["wage"],
                actor=request.user,
            )
        except ValidationError as e:
            flash_error(request, e)
        else:
            messages.success(
                request,
                _("已保存%(name)s的工资基数：从%(m)s起按%(base)s元计缴。")
                % {
                    "name": member.name,
                    "m": rules.month_text(wb.month),
                    "base": number_format(wb.base, 0, force_grouping=True),
                }
                + _assessed_note(union, wb.month, selectors.next_wage_month(member, wb.month)),
            )
    else:
        flash_form_errors(request, form)
    back = request.POST.get("back", "")
    if local_page(request, back, _url("dues:wages", union.pk)):
        return redirect(back)
    return redirect("dues:wages", pk=union.pk)


@access.permission_required(DUES_MANAGE)
def wage_template_view(request, pk: int):
    org = _union(request, pk, DUES_MANAGE)
    month = _wage_month(request)
    try:
        content = services.wage_template(
            org=org, month=month, actor=request.user, missing=request.GET.get("missing") == "1"
        )
    except ValidationError as e:
        flash_error(request, e)
        return redirect("dues:wages", pk=org.pk)
    resp = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{_('工资表')}-{month:%Y-%m}.xlsx"
    resp["Content-Disposition"] = (
        f"attachment; filename=\"payroll-{month:%Y-%m}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return resp


@require_POST
@access.permission_required(DUES_MANAGE)
def wage_import_view(request, pk: int):
    org = _union(request, pk, DUES_MANAGE)
    form = WageImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            errors = [_("文件超过20MB，请分批导入。")]
        else:
            try:
                result = services.wage_import(
                    org=org,
                    month=form.cleaned_data["month"],
                    content=upload.read(),
                    filename=upload.name,
                    actor=request.user,
                )
            except ValidationError as e:
                errors = e.messages
            else:
                # "updated": members whose wage for this very month was entered before (replaced)
                text = _("工资表导入成功：%(n)d人的工资从%(m)s起按新填的金额计缴。") % {
                    "n": result["rows"],
                    "m": rules.month_text(form.cleaned_data["month"]),
                }
                if result["updated"]:
                    text += _("其中%(u)d人该月原已登记工资，已替换。") % {"u": result["updated"]}
                text += _assessed_note(org, form.cleaned_data["month"])
                if result["skipped"]:
                    text += _("%(s)d行没有填写工资，已跳过（这些会员的基数不变）。") % {
                        "s": result["skipped"]
                    }
                messages.success(request, text)
                return redirect(f"{_url('dues:wages', org.pk)}?month={form.cleaned_data['month']:%Y-%m}")
    else:
        errors = [e for errs in form.errors.values() for e in errs]
    month = form.cleaned_data.get("month") if form.is_valid() else None
    ctx = _wages_context(request, org, month=month or rules.parse_month(this_month()))
    ctx.update(import_form=form, import_errors=errors)
    return render(request, "dues/wages.html", ctx, status=200)


@require_POST
@access.permission_required(DUES_MANAGE)
def funds_assess_view(request, pk: int):
    org = _union(request, pk, DUES_MANAGE)
    form = FundsForm(request.POST)
    if form.is_valid():
        try:
            fa = services.funds_assess(org=org, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            flash_error(request, e)
        else:
            text = _("%(m)s工会经费：工资总额%(p)s元，应拨缴%(l)s元。") % {
                "m": rules.month_text(fa.month),
                "p": rules.yuan(fa.payroll_total),
                "l": rules.yuan(fa.levy),
            }
            if fa.previous_total is not None and fa.previous_total != fa.payroll_total:
                text += _("原登记的工资总额%(o)s元已替换。") % {"o": rules.yuan(fa.previous_total)}
            messages.success(request, text)
    else:
        flash_form_errors(request, form)
    return redirect(f"{_url('dues:union', org.pk)}#funds")


@require_POST
@access.permission_required(DUES_MANAGE)
def funds_pay_view(request, pk: int):
    fa = access.get_for_user(FundsAssessment.objects.select_related("org"), request.user, DUES_MANAGE, pk=pk)
    form = FundsPaymentForm(request.POST)
    if form.is_valid():
        try:
            p = services.funds_payment_record(assessment=fa, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            flash_error(request, e)
        else:
            messages.success(
                request,
                _("已登记经费到账%(a)s元：基层留成%(k)s元，上解%(r)s元。")
                % {"a": rules.yuan(p.amount), "k": rules.yuan(p.kept), "r": rules.yuan(p.remitted)},
            )
    else:
        flash_form_errors(request, form)
    return redirect(f"{_url('dues:union', fa.org_id)}#funds")


@access.permission_required(DUES_VIEW)
def funds_receipt_view(request, pk: int):
    payment = access.get_for_user(
        FundsPayment.objects.select_related(
            "org", "assessment", "recorded_by", "reversal", "reversal__reversed_by"
        ),
        request.user,
        DUES_VIEW,
        pk=pk,
    )
    ctx = {
        "payment": payment,
        "org": payment.org,
        "may_manage": access.can(request.user, DUES_MANAGE, payment.org),
    }
    return render(request, "dues/funds_receipt.html", ctx)


@require_POST
@access.permission_required(DUES_MANAGE)
def funds_payment_reverse_view(request, pk: int):
    payment = access.get_for_user(FundsPayment.objects.all(), request.user, DUES_MANAGE, pk=pk)
    try:
        rev = services.funds_payment_reverse(
            payment=payment, reason=_reversal_reason(request), actor=request.user
        )
    except ValidationError as e:
        flash_error(request, e)
    else:
        messages.success(
            request,
            _("已冲销经费到账%(a)s元（凭证号%(no)s）：基层留成冲减%(k)s元，上解冲减%(r)s元。")
            % {
                "a": rules.yuan(rev.amount),
                "no": payment.receipt_no,
                "k": rules.yuan(rev.kept),
                "r": rules.yuan(rev.remitted),
            },
        )
    if request.POST.get("next") == "receipt":
        return redirect("dues:funds_receipt", pk=payment.pk)
    return redirect(f"{_url('dues:ledger', payment.org_id)}#payments")


@require_POST
@access.permission_required(DUES_MANAGE)
def funds_official_no_view(request, pk: int):
    payment = access.get_for_user(FundsPayment.objects.all(), request.user, DUES_MANAGE, pk=pk)
    try:
        payment = services.funds_payment_official_no(
            payment=payment, official_no=request.POST.get("official_no", ""), actor=request.user
        )
    except ValidationError as e:
        flash_error(request, e)
    else:
        if payment.official_no:
            messages.success(
                request,
                _("已登记专用收据号码%(no)s（凭证号%(r)s）。")
                % {"no": payment.official_no, "r": payment.receipt_no},
            )
        else:
            messages.success(request, _("已清除凭证%(r)s的专用收据号码。") % {"r": payment.receipt_no})
    return redirect("dues:funds_receipt", pk=payment.pk)


@access.permission_required(DUES_VIEW)
def ledger_view(request, pk: int):
    org = _union(request, pk)
    year = year_param(request.GET.get("year"))
    ledger = selectors.union_ledger(org, year)
    ctx = {
        "org": org,
        "ledger": ledger,
        "year": year,
        "payments": selectors.ledger_payments(org),
        "may_manage": access.can(request.user, DUES_MANAGE, org),
    }
    return render(request, "dues/ledger.html", ctx)


@access.permission_required(DUES_POLICY)
def policy_view(request, pk: int):
    org = access.get_for_user(
        Organization.objects.filter(kind=OrgKind.FEDERATION), request.user, DUES_POLICY, org_field="", pk=pk
    )
    current = selectors.policy_for(org)
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(org=org, actor=request.user, **form.to_policy())
        except ValidationError as e:
            apply_errors(form, _percent_errors(e))
        else:
            messages.success(request, _("已保存会费与经费标准，之后的核定按新标准计算。"))
            return redirect("dues:policy", pk=org.pk)
    return render(request, "dues/policy.html", {"org": org, "form": form, "policy": current})


def _percent_errors(e: ValidationError) -> ValidationError:
    names = {"rate": "rate_pct", "levy_rate": "levy_pct", "grassroots_share": "share_pct"}
    if hasattr(e, "error_dict"):
        return ValidationError({names.get(k, k): v for k, v in e.error_dict.items()})
    return e


def _url(name: str, pk: int) -> str:
    from django.urls import reverse

    return reverse(name, args=[pk])
