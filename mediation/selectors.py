from django.db.models import Case as DbCase
from django.db.models import Count, Prefetch, Q, QuerySet, Value, When

from accounts.models import User
from orgs import access
from orgs.models import Organization, OrgKind

from .models import Case, CaseStatus, Cause, Claim, Committee, CommitteeMember, Party, Position, Session
from .permissions import MEDIATION_CHANGE, MEDIATION_VIEW


def cases_for(
    user, *, status: str = "", q: str = "", year: int | None = None, with_parties: bool = True
) -> QuerySet[Case]:
    qs = access.scope(Case.objects.all(), user, MEDIATION_VIEW)
    if with_parties:  # the list page shows the parties and the organization; the API list does not
        qs = qs.select_related("org", "mediator").prefetch_related(
            Prefetch("parties", queryset=Party.objects.order_by("-side", "id"))
        )
    if status == "overdue":
        from deadlines import calendar

        qs = qs.filter(status=CaseStatus.OPEN, due_on__lt=calendar.today())
    elif status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(parties__name__icontains=q) | Q(number__icontains=q)).distinct()
    if year:
        qs = qs.filter(received_on__year=year)
    return qs.order_by("-received_on", "-id")


def case_detail(case: Case) -> dict:
    return {
        "parties": list(Party.objects.filter(case=case).order_by("-side", "id")),
        "claims": list(Claim.objects.filter(case=case).order_by("id")),
        "sessions": list(Session.objects.filter(case=case).order_by("held_on", "id")),
    }


def case_stats(user, *, year: int | None = None) -> dict:
    """Counts by cause (rows) and outcome (columns) over the cases the user may see."""
    qs = access.scope(Case.objects.all(), user, MEDIATION_VIEW)
    if year:
        qs = qs.filter(received_on__year=year)
    counts = {(r["cause"], r["status"]): r["n"] for r in qs.values("cause", "status").annotate(n=Count("id"))}
    statuses = list(CaseStatus)
    rows = []
    for cause in Cause:
        cells = [counts.get((cause.value, s.value), 0) for s in statuses]
        rows.append({"cause": cause, "cells": cells, "total": sum(cells)})
    totals = [sum(r["cells"][i] for r in rows) for i in range(len(statuses))]
    total = sum(totals)
    agreed = totals[statuses.index(CaseStatus.AGREEMENT)]
    closed = total - totals[statuses.index(CaseStatus.OPEN)]
    return {
        "statuses": statuses,
        "rows": rows,
        "totals": totals,
        "total": total,
        "success_rate": round(agreed * 100 / closed) if closed else None,
    }


def orgs_for_cases(user) -> QuerySet[Organization]:
    return (
        access.orgs_for(user, MEDIATION_CHANGE)
        .filter(kind__in=[OrgKind.UNION, OrgKind.BRANCH])
        .order_by("path")
    )


def mediators_for(user) -> QuerySet[User]:
    orgs = orgs_for_cases(user)
    return (
        User.objects.filter(
            roles__org__in=orgs,
            roles__role__in=MEDIATION_CHANGE.roles,  # the people who may work cases
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def committees_for(user) -> QuerySet[Committee]:
    """Committees with their members listed chair first, then vice-chairs, then members (workers'
    representatives before the employer's within each)."""
    rank = DbCase(
        When(position=Position.CHAIR, then=Value(0)),
        When(position=Position.VICE_CHAIR, then=Value(1)),
        default=Value(2),
    )
    members = CommitteeMember.objects.annotate(rank=rank).order_by("rank", "-side", "id")
    return (
        access.scope(Committee.objects.all(), user, MEDIATION_VIEW)
        .select_related("org")
        .prefetch_related(Prefetch("members", queryset=members))
    )
