from datetime import date
from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from core.api import Pagination, choice_of
from orgs import access

from . import selectors, services
from .models import Household
from .permissions import ASSISTANCE_NOTICE, ASSISTANCE_PAY, ASSISTANCE_VIEW

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


# Schema class names are global in the OpenAPI document: a name another app uses (MemberOut,
# PaymentReversalOut, ...) would silently replace that app's schema there.
class HouseholdMemberOut(Schema):
    id: int
    name: str
    relation: str


class AidReversalOut(Schema):
    reversed_on: date
    reason: str
    reversed_by_id: int | None


class PaymentOut(Schema):
    id: int
    fund_id: int
    budget_year: int
    kind: str
    amount: Decimal
    paid_on: date
    reversal: AidReversalOut | None  # a reversed payment counts in no total

    @staticmethod
    def resolve_reversal(obj):
        # A payment without one raises RelatedObjectDoesNotExist, an AttributeError.
        return getattr(obj, "reversal", None)


class HouseholdDetailOut(HouseholdOut):
    members: list[HouseholdMemberOut]
    payments: list[PaymentOut]
    paid_total: Decimal  # the payments not reversed


class AidReversalIn(Schema):
    reason: str
    reversed_on: date | None = None  # default: today


class AidPaymentReversalOut(AidReversalOut):
    payment_id: int
    household_id: int
    amount: Decimal
    paid_total: Decimal  # what the household has received once this payment no longer counts


class AidConflictOut(Schema):
    detail: str
    code: str = "already_reversed"


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
@paginate(Pagination)
def assistance_list(
    request, status: choice_of(Household, "status") = "", category: choice_of(Household, "category") = ""
):
    access.require(request.user, ASSISTANCE_VIEW)
    return selectors.household_list(request.user, status=status, category=category)


@router.get(
    "/households/{pk}", response=HouseholdDetailOut, operation_id="assistance_get", summary="One household"
)
def assistance_get(request, pk: int):
    h = selectors.household_get(request.user, pk)
    return HouseholdDetailOut(
        **HouseholdOut.from_orm(h).dict(),
        members=[HouseholdMemberOut.from_orm(m) for m in h.members.all()],
        payments=[PaymentOut.from_orm(p) for p in selectors.household_payments(h)],
        paid_total=selectors.household_paid(h)["total"],
    )


@router.post(
    "/payments/{payment_id}/reversal",
    response={201: AidPaymentReversalOut, 409: AidConflictOut},
    operation_id="assistance_payment_reverse",
    summary="Reverse (冲销) an aid payment recorded in error; it stays in the history and leaves every total. "
    "A second reversal answers 409",
)
def assistance_payment_reverse(request, payment_id: int, payload: AidReversalIn):
    access.require(request.user, ASSISTANCE_PAY)
    payment = selectors.payment_get(request.user, payment_id, ASSISTANCE_PAY)
    try:
        rev = services.payment_reverse(
            actor=request.user, payment=payment, reason=payload.reason, reversed_on=payload.reversed_on
        )
    except services.AlreadyReversed as e:
        return Status(409, {"detail": e.messages[0], "code": "already_reversed"})
    return Status(
        201,
        {
            "payment_id": payment.pk,
            "household_id": payment.household_id,
            "amount": payment.amount,
            "reversed_on": rev.reversed_on,
            "reason": rev.reason,
            "reversed_by_id": rev.reversed_by_id,
            "paid_total": selectors.household_paid(payment.household)["total"],
        },
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
