from datetime import date

from ninja import Router, Schema
from ninja.pagination import paginate

from core.api import Pagination, choice_of

from . import access, selectors
from .models import Organization
from .permissions import ORG_VIEW

router = Router(tags=["organizations"])


class OrgOut(Schema):
    id: int
    kind: str
    name: str
    unit_name: str
    parent_id: int | None
    depth: int
    credit_code: str
    ownership: str
    sector: str
    employee_count: int
    member_count: int
    founded_on: date | None
    term_start: date | None
    term_end: date | None


class WarningOut(Schema):
    code: str
    level: str
    text: str


class OrgDetailOut(OrgOut):
    address: str
    warnings: list[WarningOut]


@router.get("/", response=list[OrgOut], operation_id="orgs_list", summary="Organizations the caller may see")
@paginate(Pagination)
def orgs_list(request, q: str = "", kind: choice_of(Organization, "kind") = ""):
    access.require(request.user, ORG_VIEW)
    qs = access.orgs_for(request.user, ORG_VIEW).order_by("path")
    if q:
        qs = qs.filter(name__icontains=q)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@router.get("/{org_id}", response=OrgDetailOut, operation_id="orgs_get", summary="One organization")
def orgs_get(request, org_id: int):
    org = access.get_org_for_user(request.user, ORG_VIEW, org_id)
    warnings = [WarningOut(code=w.code, level=w.level, text=w.text) for w in org.warnings.all()]
    return OrgDetailOut(**OrgOut.from_orm(org).dict(), address=org.address, warnings=warnings)


@router.get(
    "/{org_id}/children", response=list[OrgOut], operation_id="orgs_children", summary="Direct children"
)
def orgs_children(request, org_id: int):
    org = access.get_org_for_user(request.user, ORG_VIEW, org_id)
    return list(selectors.org_children(request.user, org))
