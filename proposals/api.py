from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from core.api import Pagination, choice_of
from orgs import access

from . import selectors
from .models import Proposal
from .permissions import PROPOSALS_VIEW

router = Router(tags=["proposals"])


class CallOut(Schema):
    id: int
    org_id: int
    title: str
    session_label: str
    opens_on: date
    closes_on: date


class ProposalOut(Schema):
    id: int
    org_id: int
    call_id: int
    number: int
    title: str
    proposer: str
    status: str
    status_label: str
    submitted_at: datetime
    department: str
    due_on: date | None
    replied_on: date | None
    satisfaction: str

    @staticmethod
    def resolve_proposer(obj) -> str:
        return obj.proposer.get_full_name()

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())


class ProposalEventOut(Schema):
    kind: str
    at: datetime
    note: str


class ProposalDetailOut(ProposalOut):
    reason: str
    suggestion: str
    review_note: str
    reply: str
    events: list[ProposalEventOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


@router.get("/calls", response=list[CallOut], operation_id="proposals_calls", summary="Collection windows")
@paginate(Pagination)
def proposals_calls(request):
    access.require(request.user, PROPOSALS_VIEW)
    return selectors.calls_for(request.user)


@router.get(
    "/", response=list[ProposalOut], operation_id="proposals_list", summary="Proposals the caller may see"
)
@paginate(Pagination)
def proposals_list(request, call: int | None = None, status: choice_of(Proposal, "status") = ""):
    access.require(request.user, PROPOSALS_VIEW)
    qs = selectors.proposals_for(request.user).order_by("call_id", "number")
    if call:
        qs = qs.filter(call_id=call)
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get(
    "/{proposal_id}",
    response=ProposalDetailOut,
    operation_id="proposals_get",
    summary="One proposal with its timeline",
)
def proposals_get(request, proposal_id: int):
    return selectors.proposal_detail(request.user, proposal_id)
