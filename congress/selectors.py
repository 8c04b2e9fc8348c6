"""Reads of the workers' congress, scoped to what the user may see."""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, QuerySet

from orgs import access

from . import rules
from .models import (
    Attendance,
    Ballot,
    Category,
    Constituency,
    Delegate,
    DelegateStatus,
    Participation,
    Poll,
    PollStatus,
    Session,
    Term,
)
from .permissions import CONGRESS_VIEW
from .services import _fraction, compute_tally, conf


def terms_for(user) -> QuerySet[Term]:
    return access.scope(Term.objects.select_related("org"), user, CONGRESS_VIEW).order_by(
        "org__name", "-number"
    )


def sessions_for(user) -> QuerySet[Session]:
    return access.scope(Session.objects.select_related("org", "term"), user, CONGRESS_VIEW).order_by(
        "-held_on", "-id"
    )


def my_delegacies(user) -> QuerySet[Delegate]:
    if not user.is_authenticated:
        return Delegate.objects.none()
    return Delegate.objects.filter(user=user, status=DelegateStatus.ACTIVE).select_related("term", "org")


def constituencies(term: Term) -> QuerySet[Constituency]:
    return term.constituencies.annotate(
        in_office=Count("delegates", filter=Q(delegates__status=DelegateStatus.ACTIVE))
    ).order_by("id")


def delegates(term: Term, *, include_past: bool = False) -> QuerySet[Delegate]:
    qs = term.delegates.select_related("constituency", "replaces")
    if not include_past:
        qs = qs.filter(status=DelegateStatus.ACTIVE)
    return qs.order_by("number")


def composition(term: Term) -> list[rules.Check]:
    agg = Delegate.objects.filter(term=term, status=DelegateStatus.ACTIVE).aggregate(
        n=Count("id"),
        managers=Count("id", filter=Q(category=Category.MANAGER)),
        women=Count("id", filter=Q(sex="f")),
        presidium=Count("id", filter=Q(is_presidium=True)),
        presidium_front=Count("id", filter=Q(is_presidium=True, category=Category.FRONT_LINE)),
    )
    c = rules.Composition(
        seats=term.seats,
        delegates=agg["n"],
        managers=agg["managers"],
        women=agg["women"],
        presidium=agg["presidium"],
        presidium_front_line=agg["presidium_front"],
        employees=term.employees,
        women_employees=term.women_employees,
    )
    return rules.composition_checks(
        c,
        manager_max=_fraction("manager_max", "1/5"),
        presidium_front_min=_fraction("presidium_front_min", "1/2"),
    )


@dataclass
class Live:
    electorate: int
    present: int
    quorum: int
    has_quorum: bool
    poll: Poll | None
    voted: int
    percent: int


def live(session: Session) -> Live:
    electorate = Delegate.objects.filter(term_id=session.term_id, status=DelegateStatus.ACTIVE).count()
    present = Attendance.objects.filter(
        session=session, checked_in_at__isnull=False, delegate__status=DelegateStatus.ACTIVE
    ).count()
    quorum_f = _fraction("quorum", "2/3")
    need = rules.quorum_needed(electorate, quorum_f)
    poll = (
        Poll.objects.filter(
            session=session, status__in=[PollStatus.OPEN, PollStatus.CLOSED, PollStatus.PUBLISHED]
        )
        .order_by("-opened_at", "-id")
        .first()
    )
    voted = 0
    if poll is not None:
        voted = Participation.objects.filter(poll=poll).count()
    pct = int(present * 100 / electorate) if electorate else 0
    return Live(electorate, present, need, rules.has_quorum(present, electorate, quorum_f), poll, voted, pct)


def attendance(session: Session) -> list[tuple[Delegate, Attendance | None]]:
    rows = {a.delegate_id: a for a in Attendance.objects.filter(session=session)}
    return [(d, rows.get(d.pk)) for d in delegates(session.term)]


def documents(session: Session) -> list[dict]:
    days = conf("document_days", 7)
    return [
        {"doc": d, "late": rules.distribution_late(d.distributed_on, session.held_on, days)}
        for d in session.documents.all()
    ]


def poll_participants(poll: Poll) -> dict[int, str]:
    return dict(Participation.objects.filter(poll=poll).values_list("delegate_id", "via"))


def poll_result(poll: Poll) -> dict:
    """The stored result when the poll is closed or published; a live count otherwise (never shown
    to delegates while a secret poll is open)."""
    if poll.status in (PollStatus.CLOSED, PollStatus.PUBLISHED) and poll.result:
        return poll.result
    return compute_tally(poll).as_dict()


def ballots_count(poll: Poll) -> int:
    return Ballot.objects.filter(poll=poll).count()


def turnout_percent(voted: int, electorate: int) -> int:
    return int(Fraction(voted * 100, electorate)) if electorate else 0


def constituency_elections(term: Term):
    from .models import ConstituencyElection

    return ConstituencyElection.objects.filter(constituency__term=term).select_related("constituency")
