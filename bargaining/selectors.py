from typing import cast

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from orgs import access
from orgs.models import Organization

from .models import Consultation, DraftVersion, Negotiator
from .permissions import BARGAINING_VIEW


def _visible(user, perm=BARGAINING_VIEW) -> QuerySet[Consultation]:
    """Consultations of the user's organizations, and regional/sector contracts that cover them."""
    own = access.scope(Consultation.objects.all(), user, perm)
    if getattr(user, "is_superuser", False):
        return own
    paths = access.scope_paths(user, perm)
    covering = Consultation.covered_orgs.through.objects.filter(
        Q(consultation_id=OuterRef("pk")) & access.subtree_q(paths, "organization__")
    )
    return Consultation.objects.filter(Q(pk__in=own.values("pk")) | Exists(covering))


def consultation_list(user, *, status: str = "", kind: str = "") -> QuerySet[Consultation]:
    qs = (
        _visible(user)
        .select_related("org")
        .annotate(rounds_n=Count("rounds", distinct=True), versions_n=Count("versions", distinct=True))
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-requested_on", "-id")


def consultation_get(user, pk, perm=BARGAINING_VIEW) -> Consultation:
    """One consultation the user may see with `perm` (404 for missing and not yours). Writes need the
    consultation's own organization; covered unions may only read."""
    qs = (
        access.scope(Consultation.objects.all(), user, perm)
        if perm is not BARGAINING_VIEW
        else _visible(user)
    )
    try:
        return (
            qs.select_related("org")
            .prefetch_related(
                Prefetch("negotiators", queryset=Negotiator.objects.order_by("side", "-is_chief", "id")),
                "rounds",
                Prefetch("versions", queryset=DraftVersion.objects.order_by("number")),
                "checks",
                Prefetch("covered_orgs", queryset=Organization.objects.order_by("path")),
            )
            .get(pk=pk)
        )
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def negotiator_get(user, pk, perm) -> Negotiator:
    return cast(
        Negotiator,
        access.get_for_user(Negotiator.objects.select_related("consultation", "org"), user, perm, pk=pk),
    )
