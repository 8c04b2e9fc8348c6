from datetime import date
from decimal import Decimal

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from core.api import Pagination, choice_of
from core.forms import MAX_YEAR, MIN_YEAR
from deadlines import calendar
from orgs import access

from . import selectors, services
from .models import Case
from .permissions import MEDIATION_CHANGE, MEDIATION_VIEW

router = Router(tags=["mediation"])


class PartyIn(Schema):
    side: str
    name: str
    detail: str = ""


class ClaimIn(Schema):
    item: str
    amount: Decimal | None = None


class CaseIn(Schema):
    org_id: int
    cause: str
    application_form: str
    received_on: date
    dispute_arose_on: date
    summary: str
    oral_record: str = ""
    parties: list[PartyIn]
    claims: list[ClaimIn] = []


class PartyOut(Schema):
    side: str
    name: str
    detail: str


class ClaimOut(Schema):
    item: str
    amount: Decimal | None
    agreed_amount: Decimal | None


class CaseOut(Schema):
    id: int
    org_id: int
    number: str
    cause: str
    application_form: str
    received_on: date
    dispute_arose_on: date
    due_on: date
    days_left: int
    status: str
    closed_on: date | None
    arbitration_limit_on: date | None

    @staticmethod
    def resolve_days_left(obj) -> int:
        due = obj["due_on"] if isinstance(obj, dict) else obj.due_on
        return calendar.days_left(due)


class CaseDetailOut(CaseOut):
    summary: str
    parties: list[PartyOut]
    claims: list[ClaimOut]


class StatsRow(Schema):
    cause: str
    counts: dict[str, int]
    total: int


def _out(case: Case) -> dict:
    return {
        "id": case.pk,
        "org_id": case.org_id,
        "number": case.number,
        "cause": case.cause,
        "application_form": case.application_form,
        "received_on": case.received_on,
        "dispute_arose_on": case.dispute_arose_on,
        "due_on": case.due_on,
        "status": case.status,
        "closed_on": case.closed_on,
        "arbitration_limit_on": case.arbitration_limit_on,
    }


@router.get("/cases", response=list[CaseOut], operation_id="mediation_cases", summary="Mediation cases")
@paginate(Pagination)
def mediation_cases(request, status: choice_of(Case, "status", "overdue") = ""):
    """The queryset goes to the paginator as is: only the requested page is read."""
    access.require(request.user, MEDIATION_VIEW)
    return selectors.cases_for(request.user, status=status, with_parties=False)


@router.get("/cases/{case_id}", response=CaseDetailOut, operation_id="mediation_case_get")
def mediation_case_get(request, case_id: int):
    case = access.get_for_user(Case.objects.all(), request.user, MEDIATION_VIEW, pk=case_id)
    d = selectors.case_detail(case)
    return {**_out(case), "summary": case.summary, "parties": d["parties"], "claims": d["claims"]}


@router.post("/cases", response={201: CaseOut}, operation_id="mediation_case_create")
def mediation_case_create(request, payload: CaseIn):
    org = access.get_org_for_user(request.user, MEDIATION_CHANGE, payload.org_id)
    case = services.case_create(
        actor=request.user,
        org=org,
        cause=payload.cause,
        application_form=payload.application_form,
        received_on=payload.received_on,
        dispute_arose_on=payload.dispute_arose_on,
        summary=payload.summary,
        oral_record=payload.oral_record,
        parties=[p.dict() for p in payload.parties],
        claims=[c.dict() for c in payload.claims],
    )
    return Status(201, _out(case))


@router.get(
    "/stats", response=list[StatsRow], operation_id="mediation_stats", summary="Cases by cause and outcome"
)
def mediation_stats(request, year: int | None = Query(None, ge=MIN_YEAR, le=MAX_YEAR)):
    access.require(request.user, MEDIATION_VIEW)
    s = selectors.case_stats(request.user, year=year)
    return [
        {
            "cause": r["cause"].value,
            "counts": {st.value: n for st, n in zip(s["statuses"], r["cells"], strict=True)},
            "total": r["total"],
        }
        for r in s["rows"]
    ]
