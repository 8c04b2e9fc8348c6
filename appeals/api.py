from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from core.api import Pagination, choice_of
from orgs import access

from . import selectors, services
from .models import Appeal
from .permissions import APPEALS_HANDLE

router = Router(tags=["appeals"])


class AppealOut(Schema):
    """Staff view: `submitter` is "匿名职工" for anonymous requests; no submitter id is ever sent."""

    id: int
    org_id: int
    origin_org_id: int
    category: str
    title: str
    status: str
    submitted_on: date
    due_on: date
    escalation_level: int
    anonymous: bool
    submitter: str
    satisfaction: str


class AppealDetailOut(AppealOut):
    content: str
    answer: str


class MyAppealOut(Schema):
    id: int
    org_id: int
    category: str
    title: str
    status: str
    submitted_on: date
    due_on: date
    anonymous: bool
    answer: str
    satisfaction: str


class AppealIn(Schema):
    category: str
    title: str
    content: str
    anonymous: bool = False


def _out(a: Appeal, label: str) -> dict:
    return {
        "id": a.pk,
        "org_id": a.org_id,
        "origin_org_id": a.origin_org_id,
        "category": a.category,
        "title": a.title,
        "status": a.status,
        "submitted_on": a.submitted_on,
        "due_on": a.due_on,
        "escalation_level": a.escalation_level,
        "anonymous": a.anonymous,
        "submitter": label,
        "satisfaction": a.satisfaction,
    }


class _LabelledPages:
    """Hands the paginator a queryset whose slices come back labelled: only the requested page is
    read, and only that page's named submitters are looked up."""

    def __init__(self, qs):
        self.qs = qs

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [_out(a, a.submitter_label) for a in selectors.attach_submitters(self.qs[page])]


@router.get("/", response=list[AppealOut], operation_id="appeals_list", summary="Requests the caller handles")
@paginate(Pagination)
def appeals_list(request, status: choice_of(Appeal, "status", "open", "overdue") = ""):
    access.require(request.user, APPEALS_HANDLE)
    return _LabelledPages(selectors.appeals_for_staff(request.user, status=status))


@router.get(
    "/mine", response=list[MyAppealOut], operation_id="appeals_mine", summary="The caller's own requests"
)
def appeals_mine(request):
    return list(selectors.appeals_of_submitter(request.user))


@router.post("/mine", response={201: MyAppealOut}, operation_id="appeals_submit", summary="Submit a request")
def appeals_submit(request, payload: AppealIn):
    appeal = services.appeal_submit(actor=request.user, **payload.dict())
    return Status(201, appeal)


@router.get("/{appeal_id}", response=AppealDetailOut, operation_id="appeals_get")
def appeals_get(request, appeal_id: int):
    a = access.get_for_user(Appeal.objects.all(), request.user, APPEALS_HANDLE, pk=appeal_id)
    return {**_out(a, selectors.submitter_label(a)), "content": a.content, "answer": a.answer}
