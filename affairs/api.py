from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate

from core.api import Pagination, choice_of
from orgs import access

from . import clock, rules
from .models import AffairItem, Question
from .permissions import AFFAIRS_MANAGE, AFFAIRS_VIEW

router = Router(tags=["open affairs"])


class ItemOut(Schema):
    id: int
    org_id: int
    category: str
    category_label: str
    title: str
    publish_from: date
    publish_until: date

    @staticmethod
    def resolve_category_label(obj) -> str:
        return str(obj.get_category_display())


class ItemDetailOut(ItemOut):
    body: str


class QuestionOut(Schema):
    id: int
    org_id: int
    item_id: int | None
    body: str
    asked_on: date
    due_on: date
    status: str
    overdue: bool
    answer: str
    answered_on: date | None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return rules.is_overdue(obj.status, obj.due_on, clock.today())


@router.get(
    "/items",
    response=list[ItemOut],
    operation_id="affairs_items",
    summary="Items on the boards the caller sees, published today",
)
@paginate(Pagination)
def affairs_items(request, org: int | None = None, category: choice_of(AffairItem, "category") = ""):
    access.require(request.user, AFFAIRS_VIEW)
    today = clock.today()
    qs = access.scope(AffairItem.objects.all(), request.user, AFFAIRS_VIEW).filter(
        publish_from__lte=today, publish_until__gte=today
    )
    if org:
        qs = qs.filter(org_id=org)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("-publish_from", "-pk")


@router.get(
    "/items/{item_id}", response=ItemDetailOut, operation_id="affairs_item_get", summary="One published item"
)
def affairs_item_get(request, item_id: int):
    today = clock.today()
    qs = AffairItem.objects.filter(publish_from__lte=today, publish_until__gte=today)
    return access.get_for_user(qs, request.user, AFFAIRS_VIEW, pk=item_id)


@router.get(
    "/questions",
    response=list[QuestionOut],
    operation_id="affairs_questions",
    summary="The caller's own questions, or all of the unions they manage",
)
@paginate(Pagination)
def affairs_questions(request, overdue: bool = False):
    access.require(request.user, AFFAIRS_VIEW)
    managed = access.scope(Question.objects.all(), request.user, AFFAIRS_MANAGE)
    own = access.scope(Question.objects.all(), request.user, AFFAIRS_VIEW).filter(asker=request.user)
    qs = managed | own
    if overdue:
        qs = qs.filter(status="open", due_on__lt=clock.today())
    return qs.order_by("-asked_on", "-pk")
