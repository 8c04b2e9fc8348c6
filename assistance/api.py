from datetime import date
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from orgs import access

from . import selectors
from .permissions import ASSISTANCE_NOTICE, ASSISTANCE_VIEW

router = Router(tags=["assistance"])


class HouseholdOut(Schema):
    """Masked fields only: the API never returns income, health, bank or ID numbers in clear."""

    id: int
    org_id: int
    head_name: str
    id_masked: str
    employer: str
    category: str
    status: str
    applied_on: date
    notice_start: date | None
    notice_end: date | None
    approved_on: date | None
    archived_on: date | None
    file_no: str
    next_recheck: date | None
    closed_on: date | None
    close_reason: str


class MemberOut(Schema):
    id: int
    name: str
    relation: str


class PaymentOut(Schema):
    id: int
    fund_id: int
    budget_year: int
    kind: str
    amount: Decimal
    paid_on: date


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]
    payments: list[PaymentOut]


class NoticeRowOut(Schema):
    org: str
    name: str
    employer: str | None
    category: str | None
    amount: Decimal | None
    notice_start: date
    notice_end: date


class FundTotalOut(Schema):
    fund: str
    fund_org: str
    budget_year: int
    payments: int
    total: Decimal


@router.get(
    "/households", response=list[HouseholdOut], operation_id="assistance_list", summary="Household files"
)
@paginate(LimitOffsetPagination)
def assistance_list(request, status: str = "", category: str = ""):
    access.require(request.user, ASSISTANCE_VIEW)
    return selectors.household_list(request.user, status=status, category=category)


@router.get(
    "/households/{pk}", response=HouseholdDetailOut, operation_id="assistance_get", summary="One household"
)
def assistance_get(request, pk: int):
    h = selectors.household_get(request.user, pk)
    return HouseholdDetailOut(
        **HouseholdOut.from_orm(h).dict(),
        members=[MemberOut.from_orm(m) for m in h.members.all()],
        payments=[PaymentOut.from_orm(p) for p in h.payments.all()],
    )


@router.get("/notice", response=list[NoticeRowOut], operation_id="assistance_notice", summary="Public notice")
def assistance_notice(request):
    access.require(request.user, ASSISTANCE_NOTICE)
    return selectors.public_notice(request.user)


@router.get(
    "/fund-totals",
    response=list[FundTotalOut],
    operation_id="assistance_fund_totals",
    summary="Totals per fund",
)
def assistance_fund_totals(request):
    access.require(request.user, ASSISTANCE_VIEW)
    return [
        FundTotalOut(
            fund=t["fund__name"],
            fund_org=t["fund__org__name"],
            budget_year=t["budget_year"],
            payments=t["n"],
            total=t["total"],
        )
        for t in selectors.fund_totals(request.user)
    ]
