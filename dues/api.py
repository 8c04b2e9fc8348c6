from datetime import date
from decimal import Decimal

from ninja import Query, Router, Schema, Status

from core.forms import MAX_YEAR, MIN_YEAR
from orgs import access
from orgs.models import Organization, OrgKind

from . import selectors, services
from .models import DuesPayment, DuesRun, FundsAssessment, FundsPayment, PayrollBatch
from .permissions import DUES_MANAGE, DUES_VIEW

router = Router(tags=["dues"])


class RunOut(Schema):
    id: int
    org_id: int
    month: date
    rate: Decimal
    base_step: int
    charged_count: int
    exempt_count: int
    missing_count: int
    total_base: Decimal
    total_amount: Decimal
    paid_amount: Decimal
    arrears: Decimal


class LedgerTotalOut(Schema):
    dues_due: Decimal
    dues_paid: Decimal
    dues_arrears: Decimal
    payroll_total: Decimal
    levy: Decimal
    levy_paid: Decimal
    levy_arrears: Decimal
    kept: Decimal
    remitted: Decimal


class LedgerRowOut(LedgerTotalOut):
    month: date


class LedgerOut(Schema):
    org_id: int
    org_name: str
    rows: list[LedgerRowOut]
    total: LedgerTotalOut


def _union(request, org_id: int) -> Organization:
    return access.get_for_user(
        Organization.objects.filter(kind__in=[OrgKind.UNION, OrgKind.FEDERATION]),
        request.user,
        DUES_VIEW,
        org_field="",
        pk=org_id,
    )


def _figures(r) -> dict:
    return dict(
        dues_due=r.dues_due,
        dues_paid=r.dues_paid,
        dues_arrears=r.dues_arrears,
        payroll_total=r.payroll_total,
        levy=r.levy,
        levy_paid=r.levy_paid,
        levy_arrears=r.levy_arrears,
        kept=r.kept,
        remitted=r.remitted,
    )


@router.get(
    "/orgs/{org_id}/runs",
    response=list[RunOut],
    operation_id="dues_runs",
    summary="Monthly dues runs of a union",
)
def dues_runs(request, org_id: int):
    org = _union(request, org_id)
    return list(selectors.runs_for(org))


@router.get("/runs/{run_id}", response=RunOut, operation_id="dues_run_get", summary="One monthly dues run")
def dues_run_get(request, run_id: int):
    return access.get_for_user(DuesRun.objects.all(), request.user, DUES_VIEW, pk=run_id)


@router.get(
    "/orgs/{org_id}/ledger", response=LedgerOut, operation_id="dues_ledger", summary="Dues and funds ledger"
)
def dues_ledger(request, org_id: int, year: int | None = Query(None, ge=MIN_YEAR, le=MAX_YEAR)):
    org = _union(request, org_id)
    ledger = selectors.union_ledger(org, year)
    return LedgerOut(
        org_id=org.pk,
        org_name=org.name,
        rows=[LedgerRowOut(month=r.month, **_figures(r)) for r in ledger.rows],
        total=LedgerTotalOut(**_figures(ledger.total)),
    )


# ---- reversals (红字冲正) ------------------------------------------------------------------------------


class ReversalIn(Schema):
    reason: str
    reversed_on: date | None = None  # default: today


class ConflictOut(Schema):
    detail: str
    code: str = "already_reversed"


class FundsOut(Schema):
    id: int
    org_id: int
    month: date
    payroll_total: Decimal
    levy: Decimal
    paid: Decimal
    kept: Decimal
    remitted: Decimal
    arrears: Decimal


class PaymentReversalOut(Schema):
    id: int
    payment_id: int
    receipt_no: str
    amount: Decimal
    reversed_on: date
    reason: str
    reversed_by_id: int | None
    run: RunOut


class BatchReversalOut(Schema):
    id: int
    batch_id: int
    line_count: int
    total: Decimal
    reversed_on: date
    reason: str
    reversed_by_id: int | None
    run: RunOut


class FundsReversalOut(Schema):
    id: int
    payment_id: int
    receipt_no: str
    amount: Decimal
    kept: Decimal
    remitted: Decimal
    reversed_on: date
    reason: str
    reversed_by_id: int | None
    assessment: FundsOut


def _conflict(e: services.AlreadyReversed):
    return Status(409, {"detail": e.messages[0], "code": "already_reversed"})


@router.post(
    "/payments/{payment_id}/reversal",
    response={201: PaymentReversalOut, 409: ConflictOut},
    operation_id="dues_payment_reverse",
    summary="Reverse a dues payment (red-ink entry); the month is owed again. A second reversal answers 409",
)
def dues_payment_reverse(request, payment_id: int, payload: ReversalIn):
    access.require(request.user, DUES_MANAGE)
    payment = access.get_for_user(DuesPayment.objects.all(), request.user, DUES_MANAGE, pk=payment_id)
    try:
        rev = services.dues_payment_reverse(
            payment=payment, reason=payload.reason, reversed_on=payload.reversed_on, actor=request.user
        )
    except services.AlreadyReversed as e:
        return _conflict(e)
    run = DuesRun.objects.get(lines__payments=payment)
    return Status(
        201,
        {
            "id": rev.pk,
            "payment_id": payment.pk,
            "receipt_no": payment.receipt_no,
            "amount": rev.amount,
            "reversed_on": rev.reversed_on,
            "reason": rev.reason,
            "reversed_by_id": rev.reversed_by_id,
            "run": run,
        },
    )


@router.post(
    "/batches/{batch_id}/reversal",
    response={201: BatchReversalOut, 409: ConflictOut},
    operation_id="dues_batch_reverse",
    summary="Reverse a payroll deduction batch (every payment of it not reversed alone). A second reversal answers 409",
)
def dues_batch_reverse(request, batch_id: int, payload: ReversalIn):
    access.require(request.user, DUES_MANAGE)
    batch = access.get_for_user(PayrollBatch.objects.all(), request.user, DUES_MANAGE, pk=batch_id)
    try:
        rev = services.dues_batch_reverse(
            batch=batch, reason=payload.reason, reversed_on=payload.reversed_on, actor=request.user
        )
    except services.AlreadyReversed as e:
        return _conflict(e)
    return Status(
        201,
        {
            "id": rev.pk,
            "batch_id": batch.pk,
            "line_count": rev.line_count,
            "total": rev.total,
            "reversed_on": rev.reversed_on,
            "reason": rev.reason,
            "reversed_by_id": rev.reversed_by_id,
            "run": DuesRun.objects.get(pk=batch.run_id),
        },
    )


@router.post(
    "/funds/payments/{payment_id}/reversal",
    response={201: FundsReversalOut, 409: ConflictOut},
    operation_id="dues_funds_payment_reverse",
    summary="Reverse a union-funds payment; paid, kept and remitted drop by its parts. A second reversal answers 409",
)
def dues_funds_payment_reverse(request, payment_id: int, payload: ReversalIn):
    access.require(request.user, DUES_MANAGE)
    payment = access.get_for_user(FundsPayment.objects.all(), request.user, DUES_MANAGE, pk=payment_id)
    try:
        rev = services.funds_payment_reverse(
            payment=payment, reason=payload.reason, reversed_on=payload.reversed_on, actor=request.user
        )
    except services.AlreadyReversed as e:
        return _conflict(e)
    return Status(
        201,
        {
            "id": rev.pk,
            "payment_id": payment.pk,
            "receipt_no": payment.receipt_no,
            "amount": rev.amount,
            "kept": rev.kept,
            "remitted": rev.remitted,
            "reversed_on": rev.reversed_on,
            "reason": rev.reason,
            "reversed_by_id": rev.reversed_by_id,
            "assessment": FundsAssessment.objects.get(pk=payment.assessment_id),
        },
    )
