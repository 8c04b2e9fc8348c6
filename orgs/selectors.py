"""Reads of the organization tree, always scoped to what the user may see."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from . import access
from .models import CommitteeMember, Organization, OrgKind, OrgWarning, Position, subtree_upper
from .permissions import ORG_VIEW
from .rules import rate_pct


def org_roots_for(user) -> QuerySet[Organization]:
    """The top organizations of the user's visible subtrees, with their child counts."""
    paths = access.scope_paths(user, ORG_VIEW)
    if getattr(user, "is_superuser", False):
        qs = Organization.objects.filter(parent__isnull=True)
    else:
        qs = Organization.objects.filter(path__in=paths)
    return qs.annotate(child_count=Count("children")).order_by("path")


def org_children(user, org: Organization) -> QuerySet[Organization]:
    qs = access.scope(Organization.objects.filter(parent=org), user, ORG_VIEW, org_field="")
    return qs.annotate(child_count=Count("children")).order_by("kind", "name")


def org_search(user, q: str, limit: int = 50) -> QuerySet[Organization]:
    qs = access.orgs_for(user, ORG_VIEW)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(unit_name__icontains=q) | Q(credit_code__iexact=q))
    return qs.select_related("parent").order_by("path")[:limit]


def org_ancestors(user, org: Organization) -> list[Organization]:
    """Breadcrumbs: the ancestors the user may see, top first (one query)."""
    paths = org.ancestor_paths()[:-1]
    qs = access.scope(Organization.objects.filter(path__in=paths), user, ORG_VIEW, org_field="")
    return list(qs.order_by("path"))


def holding_union(org: Organization) -> Organization:
    """The union a branch or group belongs to: the nearest union or federation at or above `org`."""
    if org.kind in (OrgKind.UNION, OrgKind.FEDERATION):
        return org
    found = (
        Organization.objects.filter(
            path__in=org.ancestor_paths(), kind__in=[OrgKind.UNION, OrgKind.FEDERATION]
        )
        .order_by("-path")
        .first()
    )
    return found or org


def subtree(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__gte=org.path, path__lt=subtree_upper(org.path))


def org_subtree_summary(org: Organization) -> dict:
    """Counts over the whole subtree in one aggregate query."""
    unions = Q(kind=OrgKind.UNION)
    agg = subtree(org).aggregate(
        orgs=Count("pk"),
        unions=Count("pk", filter=unions),
        branches=Count("pk", filter=Q(kind__in=[OrgKind.BRANCH, OrgKind.GROUP])),
        members=Sum("member_count", filter=unions),
        employees=Sum("employee_count", filter=unions),
    )
    agg["warnings"] = OrgWarning.objects.filter(
        org__path__gte=org.path, org__path__lt=subtree_upper(org.path)
    ).count()
    if org.kind != OrgKind.FEDERATION:
        agg["members"] = org.member_count
        agg["employees"] = org.employee_count
    members, employees = agg["members"] or 0, agg["employees"] or 0
    agg["members"], agg["employees"] = members, employees
    agg["rate"] = (members / employees) if employees else None
    agg["rate_pct"] = rate_pct(agg["rate"])
    return agg


def subtree_warnings(org: Organization, limit: int = 100):
    return (
        OrgWarning.objects.filter(org__path__gte=org.path, org__path__lt=subtree_upper(org.path))
        .select_related("org")
        .order_by("-level", "org__path")[:limit]
    )


# The order a union lists its committee in: chair, vice-chairs, members, then the two committees.
POSITION_RANK = [Position.CHAIR, Position.VICE_CHAIR, Position.MEMBER, Position.FUNDS_AUDITOR, Position.WOMEN]


def committee_of(org: Organization) -> QuerySet[CommitteeMember]:
    rank = Case(
        *(When(position=p, then=Value(i)) for i, p in enumerate(POSITION_RANK)),
        default=Value(len(POSITION_RANK)),
        output_field=IntegerField(),
    )
    return CommitteeMember.objects.filter(org=org).order_by(rank, "name")
