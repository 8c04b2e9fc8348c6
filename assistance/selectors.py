from decimal import Decimal
from typing import cast

from django.db.models import Count, QuerySet, Sum

from deadlines import calendar
from orgs import access

from . import rules
from .models import Fund, Household, LocalMinimumStandard, Payment, Status
from .permissions import ASSISTANCE_NOTICE, ASSISTANCE_VIEW


def household_list(user, *, status: str = "", category: str = "", q: str = "") -> QuerySet[Household]:
    qs = access.scope(Household.objects.all(), user, ASSISTANCE_VIEW).select_related("org")
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(head_name__icontains=q)
    return qs.annotate(members_n=Count("members")).order_by("-applied_on", "-id")


def household_get(user, pk, perm=ASSISTANCE_VIEW) -> Household:
    return cast(
        Household,
        access.get_for_user(
            Household.objects.select_related("org").prefetch_related("members"), user, perm, pk=pk
        ),
    )


def household_counts(user) -> dict:
    qs = access.scope(Household.objects.all(), user, ASSISTANCE_VIEW)
    rows = qs.values("status").annotate(n=Count("id"))
    by = {r["status"]: r["n"] for r in rows}
    return {
        "open": sum(n for s, n in by.items() if s not in (Status.ARCHIVED, Status.CLOSED)),
        "archived": by.get(Status.ARCHIVED, 0),
        "closed": by.get(Status.CLOSED, 0),
        "recheck_due": qs.filter(status=Status.ARCHIVED, next_recheck__lte=calendar.today()).count(),
    }


def funds_for(user, perm=ASSISTANCE_VIEW) -> QuerySet[Fund]:
    """Funds usable by the user's organizations: their own and those of the organizations above."""
    orgs = access.orgs_for(user, perm)
    paths: set[str] = set()
    for o in orgs.only("path"):
        paths.update(o.ancestor_paths())
    return Fund.objects.filter(org__path__in=paths).select_related("org").order_by("org__path", "name")


def not_reversed(qs: QuerySet[Payment]) -> QuerySet[Payment]:
    """The payments that count. Every sum, count, statistic and export of payments goes through here:
    a reversed payment (冲销) stays in the history but no longer in any figure."""
    return qs.filter(reversal__isnull=True)


def fund_totals(user) -> list[dict]:
    """Payments the user may see and that were not reversed, summed per fund and budget year."""
    qs = not_reversed(access.scope(Payment.objects.all(), user, ASSISTANCE_VIEW))
    rows: list[dict] = [
        dict(r)
        for r in qs.values("fund__name", "fund__org__name", "budget_year")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by("-budget_year", "fund__name")
    ]
    for r in rows:  # to the fen, like every other amount (SQLite's SUM drops the trailing zeros)
        r["total"] = rules.money(r["total"])
    return rows


def payments_list(user) -> QuerySet[Payment]:
    """The history of payments, reversed ones included (each with its reversal)."""
    return (
        access.scope(Payment.objects.all(), user, ASSISTANCE_VIEW)
        .select_related("fund", "household", "org", "reversal", "reversal__reversed_by")
        .order_by("-paid_on", "-id")
    )


def payment_get(user, pk, perm=ASSISTANCE_VIEW) -> Payment:
    return cast(Payment, access.get_for_user(Payment.objects.select_related("household"), user, perm, pk=pk))


def household_payments(h: Household) -> list[Payment]:
    """A household's payments, newest first, reversed ones included (each with its reversal)."""
    return list(
        h.payments.select_related("fund", "reversal", "reversal__reversed_by").order_by("-paid_on", "-id")
    )


def household_paid(h: Household) -> dict:
    """What a household has received: the payments not reversed, in all and per budget year (newest
    first), to the fen."""
    rows = list(
        not_reversed(h.payments.all())
        .values("budget_year")
        .annotate(total=Sum("amount"), n=Count("id"))
        .order_by("-budget_year")
    )
    years = [{"budget_year": r["budget_year"], "n": r["n"], "total": rules.money(r["total"])} for r in rows]
    return {
        "total": rules.money(sum((y["total"] for y in years), Decimal(0))),
        "n": sum(y["n"] for y in years),
        "years": years,
    }


def standards_list(user, perm) -> QuerySet[LocalMinimumStandard]:
    return (
        access.scope(LocalMinimumStandard.objects.all(), user, perm)
        .select_related("org")
        .order_by("-year", "org__path")
    )


def public_notice(user) -> list[dict]:
    """Households currently under public notice in the user's organizations, with only the fields
    each household consented to publish."""
    today = calendar.today()
    qs = (
        access.scope(Household.objects.all(), user, ASSISTANCE_NOTICE)
        .filter(status=Status.NOTICED, consent_publish=True, notice_start__lte=today, notice_end__gte=today)
        .select_related("org")
        .order_by("org__path", "notice_start", "id")
    )
    rows = []
    for h in qs:
        row = rules.public_notice_row(
            name=h.head_name,
            employer=h.employer,
            category_label=h.get_category_display(),
            amount=h.proposed_amount,
            consent=rules.Consent(
                publish=h.consent_publish,
                full_name=h.publish_full_name,
                employer=h.publish_employer,
                category=h.publish_category,
                amount=h.publish_amount,
            ),
        )
        if row is not None:
            row.update(org=h.org.name, notice_start=h.notice_start, notice_end=h.notice_end)
            rows.append(row)
    return rows
