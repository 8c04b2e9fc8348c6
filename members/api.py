from datetime import date
from typing import Literal

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from core.api import Pagination, choice_of
from orgs import access

from . import rules, selectors, services
from .models import Member
from .permissions import MEMBER_VIEW

router = Router(tags=["members"])


class MemberOut(Schema):
    id: int
    org_id: int
    name: str
    sex: str
    # The year only: the masked ID number keeps the region and the last four digits, so with the
    # whole birth date it would give the number away without a reveal.
    birth_year: int
    id_number_masked: str
    phone_masked: str
    employer: str
    department: str
    post: str
    member_no: str
    card_no: str
    joined_on: date | None
    status: str
    is_migrant: bool
    erased: bool = Field(
        description="The person's personal data was deleted (a former member): ID number, phone and the "
        "descriptive fields are empty and stay so."
    )

    @staticmethod
    def resolve_birth_year(obj) -> int:
        return obj.birth_date.year

    @staticmethod
    def resolve_erased(obj) -> bool:
        return obj.erased_at is not None


class MemberEventOut(Schema):
    on: date
    kind: str
    org_id: int
    from_status: str
    to_status: str
    from_org_id: int | None
    to_org_id: int | None
    reason: str = Field(description="Empty for an event of a union outside the caller's view.")


class MemberDetailOut(MemberOut):
    events: list[MemberEventOut]

    @staticmethod
    def resolve_events(obj, context) -> list:
        # As the member's page shows them: another union's events without their reason.
        return selectors.member_timeline(obj, context["request"].user)[::-1]


@router.get(
    "/",
    response=list[MemberOut],
    operation_id="members_list",
    summary="Members the caller may see (masked)",
    description=(
        "Without `status`: members in good standing and retained ones, as the registry page lists them. "
        "Applicants (`applied`) and former members (`withdrawn`, `lapsed`, `expelled`, `rejected`) "
        "are listed when their status is asked for."
    ),
)
@paginate(Pagination)
def members_list(
    request,
    q: str = "",
    org: int | None = None,
    status: choice_of(Member, "status") = "",
    sex: choice_of(Member, "sex") = "",
    age: Literal[("", *(k for k, _lo, _hi in rules.AGE_BANDS))] = "",  # noqa: PGH003
    migrant: Literal["", "0", "1"] = "",
):
    access.require(request.user, MEMBER_VIEW)
    params = {"q": q, "status": status, "sex": sex, "age": age, "migrant": migrant}
    if org is not None:
        params["org"] = str(org)
    f = selectors.MemberFilters.from_params(params, request.user)
    qs = selectors.member_filter(request.user, f)
    if selectors.whole_number(f.q):
        services.member_lookup_record(actor=request.user, q=f.q, found=qs.select_related("org")[:20])
    return qs


@router.get(
    "/{member_id}", response=MemberDetailOut, operation_id="members_get", summary="One member with timeline"
)
def members_get(request, member_id: int):
    m = access.get_for_user(Member.objects.all(), request.user, MEMBER_VIEW, pk=member_id)
    return m
