"""Reads of the open-affairs module, scoped through orgs.access."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from accounts.models import Role, RoleAssignment, User
from orgs import access
from orgs.models import Organization, OrgKind, subtree_upper

from . import clock, rules
from .models import (
    AffairItem,
    Category,
    Question,
    QuestionStatus,
    Rating,
    ReadReceipt,
    Survey,
    SurveyResponse,
)
from .permissions import AFFAIRS_MANAGE, AFFAIRS_VIEW

# Readers a read rate is measured against: the union's workers with an account on the platform.
AUDIENCE_ROLES = {Role.MEMBER, Role.DELEGATE}


def _count(qs) -> Subquery:
    return Subquery(qs.order_by().values("org").annotate(n=Count("pk")).values("n")[:1])


def boards_for(user) -> QuerySet[Organization]:
    """Organizations whose board the user may open (unions and branches), with what is on them:
    items published today, open questions and overdue ones (one query, no join fan-out)."""
    today = clock.today()
    org = OuterRef("pk")
    return (
        access.orgs_for(user, AFFAIRS_VIEW)
        .filter(kind__in=[OrgKind.UNION, OrgKind.BRANCH])
        .annotate(
            n_current=_count(
                AffairItem.objects.filter(org=org, publish_from__lte=today, publish_until__gte=today)
            ),
            n_open=_count(Question.objects.filter(org=org, status=QuestionStatus.OPEN)),
            n_overdue=_count(Question.objects.filter(org=org, status=QuestionStatus.OPEN, due_on__lt=today)),
        )
        .order_by("path")
    )


def home_board(user) -> Organization | None:
    """The one board a user lands on: the organization of their single grant, if they have one."""
    paths = access.scope_paths(user, AFFAIRS_VIEW)
    if len(paths) != 1:
        return None
    org = Organization.objects.filter(path=paths[0]).first()
    if org is None or org.kind not in (OrgKind.UNION, OrgKind.BRANCH):
        return None
    return org


def current_items(org, user) -> QuerySet[AffairItem]:
    today = clock.today()
    return (
        AffairItem.objects.filter(org=org, publish_from__lte=today, publish_until__gte=today)
        .annotate(read=Exists(ReadReceipt.objects.filter(item=OuterRef("pk"), user=user)))
        .order_by("category", "-publish_from", "-pk")
    )


def board(org, user) -> dict:
    """What a worker sees on the board: current items by category, their own questions,
    answered questions, the open survey."""
    today = clock.today()
    items = list(current_items(org, user))
    groups = [(value, label, [i for i in items if i.category == value]) for value, label in Category.choices]
    mine = list(
        Question.objects.filter(org=org, asker=user).select_related("item").order_by("-asked_on", "-pk")[:20]
    )
    for q in mine:
        q.overdue = rules.is_overdue(q.status, q.due_on, today)
    answered = list(
        Question.objects.filter(org=org, status=QuestionStatus.ANSWERED)
        .exclude(asker=user)
        .select_related("item")
        .order_by("-answered_on", "-pk")[:10]
    )
    survey = (
        Survey.objects.filter(org=org, opens_on__lte=today, closes_on__gte=today)
        .annotate(done=Exists(SurveyResponse.objects.filter(survey=OuterRef("pk"), user=user)))
        .order_by("-opens_on")
        .first()
    )
    return {
        "groups": [g for g in groups if g[2]],
        "n_items": len(items),
        "unread": sum(1 for i in items if not i.read),
        "mine": mine,
        "answered": answered,
        "survey": survey,
        "today": today,
    }


def audience(org) -> QuerySet[User]:
    """Workers with an account in the organization's subtree (members and delegates)."""
    return User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.filter(
            role__in=AUDIENCE_ROLES, org__path__gte=org.path, org__path__lt=subtree_upper(org.path)
        ).values("user_id"),
    )


def items_for_manager(org) -> list[AffairItem]:
    """Every item of the board with its read count and read rate, newest first."""
    today = clock.today()
    size = audience(org).count()
    items = list(
        AffairItem.objects.filter(org=org)
        .annotate(
            n_read=Count("receipts", filter=Q(receipts__user__in=audience(org)), distinct=True),
            n_questions=Count("questions", distinct=True),
        )
        .order_by("-publish_from", "-pk")[:200]
    )
    for i in items:
        i.state = rules.publication_state(i.publish_from, i.publish_until, today)
        i.read_rate = rules.percent(i.n_read, size)
    return items


def item_readers(item) -> dict:
    readers = list(ReadReceipt.objects.filter(item=item).select_related("user").order_by("read_at"))
    people = audience(item.org)
    size = people.count()
    read_ids = {r.user_id for r in readers}
    in_audience = people.filter(pk__in=read_ids).count()
    return {
        "readers": readers,
        "audience": size,
        "read": in_audience,
        "rate": rules.percent(in_audience, size),
        "unread": people.exclude(pk__in=read_ids).order_by("full_name", "username")[:500],
    }


def questions_for_manager(org, *, state: str = "") -> list[Question]:
    today = clock.today()
    qs = Question.objects.filter(org=org).select_related("asker", "item", "answered_by")
    if state == "open":
        qs = qs.filter(status=QuestionStatus.OPEN)
    elif state == "overdue":
        qs = qs.filter(status=QuestionStatus.OPEN, due_on__lt=today)
    elif state == "answered":
        qs = qs.filter(status=QuestionStatus.ANSWERED)
    rows = list(qs.order_by("status", "due_on", "pk")[:500])
    for q in rows:
        q.overdue = rules.is_overdue(q.status, q.due_on, today)
        q.days_left = rules.days_left(q.due_on, today)
        q.days_over = -q.days_left
        q.late = bool(q.answered_on and q.answered_on > q.due_on)
    return rows


def overdue_questions(user) -> QuerySet[Question]:
    return access.scope(Question.objects.all(), user, AFFAIRS_MANAGE).filter(
        status=QuestionStatus.OPEN, due_on__lt=clock.today()
    )


def question_for_user(user, pk) -> Question:
    """A question: the asker sees their own, the union's managers see all; 404 otherwise."""
    qs = Question.objects.select_related("org", "item", "asker", "answered_by")
    managed = access.scope(qs, user, AFFAIRS_MANAGE)
    own = access.scope(qs, user, AFFAIRS_VIEW).filter(asker=user)
    return access.get_for_user(managed | own, user, AFFAIRS_VIEW, pk=pk)


def survey_results(survey: Survey) -> dict:
    counts = dict.fromkeys(Rating.values, 0)
    for row in survey.responses.order_by().values("rating").annotate(n=Count("pk")):
        counts[row["rating"]] = row["n"]
    total = sum(counts.values())
    size = audience(survey.org).count()
    return {
        "total": total,
        "audience": size,
        "participation": rules.percent(total, size),
        "rows": [(Rating(k).label, k, n, rules.percent(n, total)) for k, n in counts.items()],
        "satisfied_rate": rules.percent(counts[Rating.SATISFIED] + counts[Rating.BASICALLY], total),
        "comments": list(
            survey.responses.exclude(comment="")
            .order_by("-submitted_at")
            .values_list("comment", flat=True)[:100]
        ),
    }


def manager_summary(org) -> dict:
    today = clock.today()
    qs = Question.objects.filter(org=org, status=QuestionStatus.OPEN)
    return {
        "open_questions": qs.count(),
        "overdue_questions": qs.filter(due_on__lt=today).count(),
        "current_items": AffairItem.objects.filter(
            org=org, publish_from__lte=today, publish_until__gte=today
        ).count(),
        "surveys": list(
            Survey.objects.filter(org=org).annotate(n=Count("responses")).order_by("-opens_on")[:10]
        ),
    }
