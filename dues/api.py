from datetime import date
from decimal import Decimal

from ninja import Router, Schema

from orgs import access
from orgs.models import Organization, OrgKind

from . import selectors
from .models import DuesRun
from .permissions import DUES_VIEW

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


class LedgerRowOut(Schema):
    month: date
    dues_due: Decimal
    dues_paid: Decimal
    dues_arrears: Decimal
    payroll_total: Decimal
    levy: Decimal
    levy_paid: Decimal
    levy_arrears: Decimal
    kept: Decimal
    remitted: Decimal


class LedgerOut(Schema):
    org_id: int
    org_name: str
    rows: list[LedgerRowOut]
    total: LedgerRowOut


def _union(request, org_id: int) -> Organization:
    return access.get_for_user(
        Organization.objects.filter(kind__in=[OrgKind.UNION, OrgKind.FEDERATION]),
        request.user,
        DUES_VIEW,
        org_field="",
        pk=org_id,
    )


def _row(r) -> LedgerRowOut:
    return LedgerRowOut(
        month=r.month,
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
def dues_ledger(request, org_id: int, year: int | None = None):
    org = _union(request, org_id)
    ledger = selectors.union_ledger(org, year)
    return LedgerOut(
        org_id=org.pk,
        org_name=org.name,
        rows=[_row(r) for r in ledger.rows],
        total=_row(ledger.total),
    )
