"""Reads of the proposals module, scoped through orgs.access.

Managers (PROPOSALS_MANAGE) see every proposal of their unions; every other user sees the
proposals they put forward or were asked to co-sign."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import RoleAssignment, User
from orgs import access
from orgs.models import PATH_STEP

from . import clock, rules
from .models import Cosign, CosignStatus, Proposal, ProposalCall, ProposalEvent, Satisfaction
from .models import ProposalStatus as S
from .permissions import PROPOSALS_MANAGE, PROPOSALS_SUBMIT, PROPOSALS_VIEW


def calls_for(user) -> QuerySet[ProposalCall]:
    return (
        access.scope(ProposalCall.objects.select_related("org"), user, PROPOSALS_VIEW)
        .annotate(n_proposals=Count("proposals"))
        .order_by("-opens_on", "-pk")
    )


def proposals_for(user) -> QuerySet[Proposal]:
    qs = Proposal.objects.select_related("call", "proposer", "org")
    if getattr(user, "is_superuser", False) and user.is_active:
        return qs
    managed = access.subtree_q(access.scope_paths(user, PROPOSALS_MANAGE), "org__")
    visible = access.subtree_q(access.scope_paths(user, PROPOSALS_VIEW), "org__")
    own = Q(proposer=user) | Q(pk__in=Cosign.objects.filter(user=user).values("proposal_id"))
    return qs.filter(managed | (visible & own))


def proposal_detail(user, pk) -> Proposal:
    """One proposal with its co-signers and timeline; 404 when missing or not visible."""
    qs = proposals_for(user).prefetch_related(
        Prefetch("cosigns", queryset=Cosign.objects.select_related("user")),
        Prefetch("events", queryset=ProposalEvent.objects.select_related("actor")),
    )
    return access.get_for_user(qs, user, PROPOSALS_VIEW, pk=pk)


def pending_cosigns_for(user) -> QuerySet[Cosign]:
    """Co-sign requests waiting for this user's answer."""
    return (
        access.scope(Cosign.objects.all(), user, PROPOSALS_SUBMIT)
        .filter(user=user, status=CosignStatus.PENDING, proposal__status=S.COSIGNING)
        .select_related("proposal", "proposal__proposer", "proposal__call")
        .order_by("proposal__submitted_at")
    )


def overdue_for(user) -> QuerySet[Proposal]:
    """Assigned proposals whose department has not replied by the due date."""
    return (
        access.scope(Proposal.objects.select_related("call", "proposer", "org"), user, PROPOSALS_MANAGE)
        .filter(status=S.ASSIGNED, due_on__lt=clock.today())
        .order_by("due_on", "pk")
    )


def ancestor_paths(path: str) -> list[str]:
    return [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]


def cosigner_candidates(org, *, exclude) -> QuerySet[User]:
    """Users who may co-sign on `org`: a worker role on the union or above it."""
    user_ids = RoleAssignment.objects.filter(
        org__path__in=ancestor_paths(org.path), role__in=PROPOSALS_SUBMIT.roles
    ).values("user_id")
    return (
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(pk=exclude.pk)
        .order_by("full_name", "username")
    )


def status_counts(qs: QuerySet[Proposal]) -> dict[str, int]:
    counts = dict.fromkeys(S.values, 0)
    for row in qs.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def handling_report(call: ProposalCall) -> dict:
    """The handling report for the next session, computed from the data."""
    proposals = list(
        Proposal.objects.filter(call=call)
        .select_related("proposer")
        .prefetch_related(
            Prefetch(
                "cosigns",
                queryset=Cosign.objects.filter(status=CosignStatus.CONFIRMED).select_related("user"),
            )
        )
        .order_by("number")
    )
    counts = dict.fromkeys(S.values, 0)
    sat = dict.fromkeys(Satisfaction.values, 0)
    today = clock.today()
    for p in proposals:
        counts[p.status] += 1
        if p.satisfaction:
            sat[p.satisfaction] += 1
        p.overdue = rules.is_overdue(p.status, p.due_on, today)
        p.late_reply = bool(p.replied_on and p.due_on and p.replied_on > p.due_on)
    # received: proposals that reached review (still co-signing and withdrawn ones did not)
    received = sum(n for s, n in counts.items() if s not in {S.COSIGNING, S.WITHDRAWN})
    accepted = sum(1 for p in proposals if p.status == S.ACCEPTED or p.department)  # 立案
    replied = sum(1 for p in proposals if p.replied_on)
    evaluated = sum(sat.values())
    return {
        "call": call,
        "proposals": proposals,
        "counts": [(S(s).label, s, n) for s, n in counts.items()],
        "total": len(proposals),
        "received": received,
        "accepted": accepted,
        "opinions": counts[S.OPINION],
        "returned": counts[S.RETURNED],
        "replied": replied,
        "reply_rate": rules.percent(replied, accepted),
        "overdue": sum(1 for p in proposals if p.overdue),
        "satisfaction": [(Satisfaction(k).label, k, n, rules.percent(n, evaluated)) for k, n in sat.items()],
        "evaluated": evaluated,
        "satisfied_rate": rules.percent(sat[Satisfaction.SATISFIED] + sat[Satisfaction.BASICALLY], evaluated),
        "today": today,
    }
