from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate

from core.api import Pagination, choice_of
from orgs import access

from . import selectors
from .models import Consultation
from .permissions import BARGAINING_VIEW

router = Router(tags=["bargaining"])


class ConsultationOut(Schema):
    id: int
    org_id: int
    title: str
    kind: str
    level: str
    status: str
    employer_name: str
    requested_on: date
    answer_due: date
    answered_on: date | None
    signed_on: date | None
    term_start: date | None
    term_end: date | None
    filing_due: date | None
    filed_on: date | None
    review_due: date | None
    effective_on: date | None
    renewal_opens: date | None


class NegotiatorOut(Schema):
    id: int
    side: str
    name: str
    position: str
    is_chief: bool
    is_expert: bool
    appointed_on: date
    left_on: date | None
    vacancy_due: date | None


class VersionOut(Schema):
    number: int
    note: str
    text: str


class ConsultationDetailOut(ConsultationOut):
    covered_org_ids: list[int]
    congress_total: int | None
    congress_present: int | None
    congress_agree: int | None
    negotiators: list[NegotiatorOut]
    versions: list[VersionOut]


@router.get("/", response=list[ConsultationOut], operation_id="bargaining_list", summary="Consultations")
@paginate(Pagination)
def bargaining_list(
    request, status: choice_of(Consultation, "status") = "", kind: choice_of(Consultation, "kind") = ""
):
    access.require(request.user, BARGAINING_VIEW)
    return selectors.consultation_list(request.user, status=status, kind=kind)


@router.get(
    "/{pk}", response=ConsultationDetailOut, operation_id="bargaining_get", summary="One consultation"
)
def bargaining_get(request, pk: int):
    c = selectors.consultation_get(request.user, pk)
    return ConsultationDetailOut(
        **ConsultationOut.from_orm(c).dict(),
        covered_org_ids=[o.pk for o in c.covered_orgs.all()],
        congress_total=c.congress_total,
        congress_present=c.congress_present,
        congress_agree=c.congress_agree,
        negotiators=[NegotiatorOut.from_orm(n) for n in c.negotiators.all()],
        versions=[VersionOut.from_orm(v) for v in c.versions.all()],
    )
