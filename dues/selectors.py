"""Reads of dues and union funds, scoped to what the user may see."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from members.models import EventKind, Member, MemberEvent, MemberStatus
from members.selectors import AFTER_JOINING, JOINING
from orgs import access
from orgs.models import Organization, OrgKind, subtree_upper

from . import rules
from .models import (
    DuesLine,
    DuesPayment,
    DuesPolicy,
    DuesRun,
    FundsAssessment,
    FundsPayment,
    LineKind,
    PayrollBatch,
    WageBase,
)
from .permissions import DUES_VIEW

ZERO = Decimal("0.00")


# ---- policy -------------------------------------------------------------------------------------------


def policy_for(org: Organization) -> rules.Policy:
    """The policy of the nearest federation above (or at) `org` that has one, else the defaults."""
    policy = DuesPolicy.objects.filter(org__path__in=org.ancestor_paths()).order_by("-org__depth").first()
    return policy.as_rules() if policy else rules.Policy.defaults()


def policy_federation(org: Organization) -> Organization | None:
    """The federation whose policy applies to `org`: the nearest federation at or above it."""
    return (
        Organization.objects.filter(path__in=org.ancestor_paths(), kind=OrgKind.FEDERATION)
        .order_by("-depth")
        .first()
    )


# ---- members a run covers -----------------------------------------------------------------------------


def run_member_orgs(org: Organization) -> list[int]:
    """Organizations whose members belong on `org`'s statement: a union and its branches and groups;
    for a federation only the members it holds directly (workers whose employer has no union)."""
    if org.kind == OrgKind.FEDERATION:
        return [org.pk]
    return list(
        Organization.objects.filter(path__gte=org.path, path__lt=subtree_upper(org.path)).values_list(
            "pk", flat=True
        )
    )


def union_of(member: Member) -> Organization:
    """The union (or holding federation) whose statement carries `member`."""
    org = member.org
    if org.kind in (OrgKind.UNION, OrgKind.FEDERATION):
        return org
    return Organization.objects.get(path__in=org.ancestor_paths(), kind=OrgKind.UNION)


def dues_members(org: Organization) -> QuerySet[Member]:
    return Member.objects.filter(
        org_id__in=run_member_orgs(org), status__in=[MemberStatus.ACTIVE, MemberStatus.RETAINED]
    )


# ---- home and union pages ------------------------------------------------------------------------------


def unions_for(user) -> QuerySet[Organization]:
    """The unions (and federations) whose dues the user may see, with the arrears of each."""
    qs = access.scope(
        Organization.objects.filter(kind__in=[OrgKind.UNION, OrgKind.FEDERATION]),
        user,
        DUES_VIEW,
        org_field="",
    )
    return qs.order_by("path")


def union_summaries(orgs: list[Organization]) -> dict[int, dict]:
    """Dues and funds totals per union (two aggregate queries for the whole list)."""
    ids = [o.pk for o in orgs]
    out: dict[int, dict] = {
        i: {
            "runs": 0,
            "last_month": None,
            "due": ZERO,
            "paid": ZERO,
            "levy": ZERO,
            "levy_paid": ZERO,
            "remitted": ZERO,
            "up_owed": ZERO,
        }
        for i in ids
    }
    for row in (
        DuesRun.objects.filter(org_id__in=ids)
        .values("org_id")
        .annotate(n=Count("pk"), last=Max("month"), due=Sum("total_amount"), paid=Sum("paid_amount"))
    ):
        out[row["org_id"]].update(
            runs=row["n"], last_month=row["last"], due=rules.fen(row["due"]), paid=rules.fen(row["paid"])
        )
    for org_id, levy, paid, remitted, share in FundsAssessment.objects.filter(org_id__in=ids).values_list(
        "org_id", "levy", "paid", "remitted", "grassroots_share"
    ):
        s = out[org_id]
        s["levy"] += rules.fen(levy)
        s["levy_paid"] += rules.fen(paid)
        s["remitted"] += rules.fen(remitted)
        # what the higher level is still owed of the month: its part of the whole levy, less what
        # reached it (a month's levy splits as if paid at once: rules.split_next)
        s["up_owed"] += rules.split(rules.fen(levy), share)[1] - rules.fen(remitted)
    for v in out.values():
        v["arrears"] = v["due"] - v["paid"]
        v["levy_arrears"] = v["levy"] - v["levy_paid"]
    return out


SUMMED = ("due", "paid", "arrears", "levy", "levy_paid", "levy_arrears", "remitted", "up_owed")


def summaries_total(summaries: dict[int, dict]) -> dict:
    """The column sums of union_summaries (the federation's overview)."""
    return {k: sum((v[k] for v in summaries.values()), ZERO) for k in SUMMED}


def runs_for(org: Organization) -> QuerySet[DuesRun]:
    return DuesRun.objects.filter(org=org).order_by("-month")


def runs_scoped(user) -> QuerySet[DuesRun]:
    return access.scope(DuesRun.objects.select_related("org"), user, DUES_VIEW)


def run_lines(run: DuesRun, kind: str = "", q: str = "") -> QuerySet[DuesLine]:
    """A statement's lines; `q` finds members as the registry's search box does (name, pinyin or
    initials, member number, last digits)."""
    qs = DuesLine.objects.filter(run=run).select_related("member").order_by("kind", "member__name_sort", "id")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        from members.selectors import search_q

        qs = qs.filter(member__in=Member.objects.filter(search_q(q)).values("pk"))
    return qs


def with_payments(lines: QuerySet[DuesLine]) -> QuerySet[DuesLine]:
    """Lines with their payments and each payment's reversal, if any (two queries for a page)."""
    return lines.prefetch_related(
        Prefetch(
            "payments", queryset=DuesPayment.objects.select_related("reversal").order_by("paid_on", "id")
        )
    )


def run_batches(run: DuesRun) -> list[PayrollBatch]:
    """The payroll deductions recorded against a run, newest first, with their reversal if any, and
    what of each is still in effect (`effective_count`, `effective_total`) once payments reversed
    one by one are left out (`reversed_alone_n`, `reversed_alone_total`)."""
    # Payments of a batch reversed one by one (the batch itself still in effect for the others).
    alone = Q(payments__reversal__isnull=False, payments__reversal__batch_reversal__isnull=True)
    qs = (
        PayrollBatch.objects.filter(run=run)
        .select_related("recorded_by", "reversal", "reversal__reversed_by")
        .annotate(
            reversed_alone_n=Count("payments", filter=alone),
            reversed_alone_total=Sum("payments__amount", filter=alone),
        )
        .order_by("-created_at", "-id")
    )
    batches = list(qs)
    for b in batches:
        b.reversed_alone_total = rules.fen(b.reversed_alone_total)
        b.effective_count = b.line_count - b.reversed_alone_n
        b.effective_total = b.total - b.reversed_alone_total
    return batches


def run_kind_counts(run: DuesRun) -> dict[str, int]:
    rows = DuesLine.objects.filter(run=run).values("kind").annotate(n=Count("pk"))
    return {r["kind"]: r["n"] for r in rows}


def run_unpaid_count(run: DuesRun) -> int:
    return DuesLine.objects.filter(run=run, kind=LineKind.CHARGED, paid__lt=F("amount")).count()


# ---- arrears ----------------------------------------------------------------------------------------


@dataclass
class ArrearsRow:
    member: Member
    months: int
    amount: Decimal
    first_month: date
    last_month: date
    month_list: list[date] | None = None  # the months themselves, where they are not one run (arrears_months)
    still_member: bool = True  # False: left the union since (transferred, withdrawn, …); what is owed stays

    @property
    def unbroken(self) -> bool:
        """The months owed run from first_month to last_month without a month paid between."""
        span = (
            (self.last_month.year - self.first_month.year) * 12
            + self.last_month.month
            - self.first_month.month
        )
        return span + 1 == self.months


def arrears_months(org: Organization, rows: list[ArrearsRow]) -> None:
    """Fill in the months owed of the rows whose months are not one run (a paid month between), so
    that a range "October – December" never hides a November paid: one query for the rows given."""
    broken = {r.member.pk: r for r in rows if not r.unbroken}
    if not broken:
        return
    owed = (
        DuesLine.objects.filter(
            org=org, kind=LineKind.CHARGED, paid__lt=F("amount"), member_id__in=list(broken)
        )
        .order_by("member_id", "month")
        .values_list("member_id", "month")
    )
    for r in broken.values():
        r.month_list = []
    for member_id, month in owed:
        broken[member_id].month_list.append(month)


def member_arrears(org: Organization, limit: int | None = None) -> list[ArrearsRow]:
    """Members of `org` with unpaid dues, most owed first."""
    rows = (
        DuesLine.objects.filter(org=org, kind=LineKind.CHARGED, paid__lt=F("amount"))
        .values("member_id")
        .annotate(
            months=Count("pk"),
            due=Sum("amount"),
            paid=Sum("paid"),
            first=Min("month"),
            last=Max("month"),
        )
        .order_by("-due", "member_id")
    )
    found = list(rows[:limit] if limit else rows)
    members = Member.objects.select_related("org").in_bulk([r["member_id"] for r in found])
    own = set(run_member_orgs(org))
    return [
        ArrearsRow(
            member=(m := members[r["member_id"]]),
            months=r["months"],
            amount=rules.fen(r["due"]) - rules.fen(r["paid"]),
            first_month=r["first"],
            last_month=r["last"],
            still_member=m.status in (MemberStatus.ACTIVE, MemberStatus.RETAINED) and m.org_id in own,
        )
        for r in found
    ]


def union_arrears(org: Organization) -> Decimal:
    agg = DuesRun.objects.filter(org=org).aggregate(due=Sum("total_amount"), paid=Sum("paid_amount"))
    return rules.fen(agg["due"]) - rules.fen(agg["paid"])


def member_dues(member: Member) -> list[DuesLine]:
    """A member's own statement lines, newest first (for the self-service page)."""
    return list(DuesLine.objects.filter(member=member).select_related("run").order_by("-month"))


def member_payment(member: Member, pk: int) -> DuesPayment | None:
    """One of the member's own payments (their receipt), or None: another member's is not theirs."""
    return (
        DuesPayment.objects.select_related("member", "org", "line", "recorded_by", "reversal__reversed_by")
        .filter(member=member, pk=pk)
        .first()
    )


def member_arrears_total(member: Member) -> Decimal:
    agg = DuesLine.objects.filter(member=member, kind=LineKind.CHARGED).aggregate(
        due=Sum("amount"), paid=Sum("paid")
    )
    return rules.fen(agg["due"]) - rules.fen(agg["paid"])


def last_paid_month(member: Member) -> date | None:
    """The latest month for which the member paid dues (in full or in part); None if never."""
    return DuesLine.objects.filter(member=member, paid__gt=0).aggregate(m=Max("month"))["m"]


def lapse_dues(
    member_ids: list[int], first_month: date, last_month: date
) -> dict[int, tuple[int, date | None]]:
    """For the lapse list (6 months without dues, Charter art. 6): per member with any statement line, the months from `first_month` to
    `last_month` whose dues were charged and of which nothing was paid, and the last month with a
    payment (None: never). A month without a wage base was never charged, so it does not count."""
    out: dict[int, tuple[int, date | None]] = {}
    ids = list(member_ids)
    # months, not lines (a member moved between unions mid-month has a line in each); a line of
    # nothing due (a wage under the base step) asks nothing
    window = Q(kind=LineKind.CHARGED, amount__gt=0, paid=0, month__gte=first_month, month__lte=last_month)
    for i in range(0, len(ids), 5000):
        for mid, unpaid, last in (
            DuesLine.objects.filter(member_id__in=ids[i : i + 5000])
            .values("member_id")
            .annotate(
                unpaid=Count("month", filter=window, distinct=True), last=Max("month", filter=Q(paid__gt=0))
            )
            .values_list("member_id", "unpaid", "last")
        ):
            out[mid] = (unpaid, last)
    return out


def lapse_window(member_id: int, first_month: date, last_month: date) -> tuple[int, int]:
    """(months charged with something due, months of those with nothing paid) for one member from
    `first_month` to `last_month`: whether the union billed the member through this system then, and
    how much of it went unpaid (the lapse rule's check for one member)."""
    due = Q(kind=LineKind.CHARGED, amount__gt=0, month__gte=first_month, month__lte=last_month)
    row = DuesLine.objects.filter(due, member_id=member_id).aggregate(
        charged=Count("month", distinct=True), unpaid=Count("month", filter=Q(paid=0), distinct=True)
    )
    return row["charged"], row["unpaid"]


# ---- wage bases ---------------------------------------------------------------------------------------


def charged_elsewhere(
    run: DuesRun, org_ids: list[int] | None = None, *, member_ids: list[int] | None = None
) -> list[int]:
    """Members of these organizations (or these members) already charged for the run's month on
    another statement: a member pays one union a month, whichever statement charged them first."""
    lines = DuesLine.objects.filter(month=run.month, kind=LineKind.CHARGED).exclude(run=run)
    if member_ids is not None:
        lines = lines.filter(member_id__in=member_ids)
    else:
        lines = lines.filter(member__org_id__in=org_ids or [])
    return list(lines.values_list("member_id", flat=True))


# Membership changes that put a member on a statement or off it, or change what they owe: those that
# make someone a member (a transfer in too) count by the joining date, the others by their own date.
JOIN_EVENTS = (*JOINING, EventKind.TRANSFERRED)
LEAVE_EVENTS = AFTER_JOINING


def changed_since_assessed(run: DuesRun) -> int:
    """How many members had a wage for the month or a membership change for it recorded after the
    statement was computed, which computing it again would take in. A statement with payments is
    only supplemented: there only members not on it, and wages of its lines without one, count.
    One count, read by (org, updated_at) and by event id (not the union's whole history)."""
    if run.assessed_at is None:
        return 0
    org_ids = run_member_orgs(run.org)
    month_end = rules.month_end(run.month)
    wages = WageBase.objects.filter(org_id__in=org_ids, updated_at__gt=run.assessed_at, month__lte=run.month)
    if run.assessed_event_id is None:  # stamped before membership events were recorded with it
        events = MemberEvent.objects.none()
    else:
        events = MemberEvent.objects.filter(
            Q(kind__in=JOIN_EVENTS, member__joined_on__lte=month_end)
            | Q(kind__in=JOIN_EVENTS, member__joined_on__isnull=True)
            | Q(kind__in=LEAVE_EVENTS, on__lte=month_end),
            pk__gt=run.assessed_event_id,
            org_id__in=org_ids,
        )
    if run_has_payments(run):
        on_run = DuesLine.objects.filter(run=run, member_id=OuterRef("member_id"))
        wages = wages.filter(Exists(on_run.filter(kind=LineKind.MISSING)))
        events = events.exclude(Exists(on_run))
    return wages.order_by().values("member_id").union(events.order_by().values("member_id")).count()


def next_wage_month(member: Member, month: date) -> date | None:
    """The month of the member's next wage after `month` (from which that one counts instead)."""
    later = WageBase.objects.filter(member=member, month__gt=month).order_by("month")
    return later.values_list("month", flat=True).first()


def assessed_months(
    org: Organization, since: date, until: date | None = None
) -> tuple[list[date], list[date]]:
    """The months from `since` on (and before `until`) that `org` has a statement for: (without
    payments, with payments).
    A wage entered for them counts only once a statement is computed again (or supplemented)."""
    unpaid: list[date] = []
    paid: list[date] = []
    runs = with_payment_flag(DuesRun.objects.filter(org=org, month__gte=since, month__lt=until or date.max))
    for run in runs.order_by("month"):
        (paid if run_has_payments(run) else unpaid).append(run.month)
    return unpaid, paid


def run_member_ids(run: DuesRun) -> list[int]:
    return list(DuesLine.objects.filter(run=run).values_list("member_id", flat=True))


def run_has_payments(run: DuesRun) -> bool:
    """A statement with payments (reversed ones too) is only ever supplemented, never recomputed.
    Reads `has_payments` where a list annotated it (`with_payment_flag`) instead of asking again."""
    if run.paid_amount > 0:
        return True
    known = getattr(run, "has_payments", None)
    return known if known is not None else DuesPayment.objects.filter(line__run=run).exists()


def with_payment_flag(runs: QuerySet[DuesRun]) -> QuerySet[DuesRun]:
    return runs.annotate(has_payments=Exists(DuesPayment.objects.filter(line__run=OuterRef("pk"))))


def wage_rows(
    org: Organization, q: str = "", *, month: date | None = None, missing: bool = False
) -> QuerySet[Member]:
    """Members of `org`'s statement with the wage base a statement of `month` would use (the latest
    from that month or before; the latest of all without a month), annotated as `base` and
    `base_month`. With `missing`, only those without one."""
    latest = WageBase.objects.filter(member=OuterRef("pk")).order_by("-month")
    if month is not None:
        latest = latest.filter(month__lte=month)
    qs = dues_members(org).annotate(
        base=Subquery(latest.values("base")[:1]), base_month=Subquery(latest.values("month")[:1])
    )
    if missing:
        qs = qs.filter(base__isnull=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(member_no__icontains=q))
    return qs.order_by("name_sort", "id")


# ---- ledger -------------------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    month: date
    dues_due: Decimal = ZERO
    dues_paid: Decimal = ZERO
    payroll_total: Decimal = ZERO
    levy: Decimal = ZERO
    levy_paid: Decimal = ZERO
    kept: Decimal = ZERO
    remitted: Decimal = ZERO
    has_dues: bool = False  # a statement was made for the month
    has_funds: bool = False  # the employer's payroll total was entered for the month

    @property
    def dues_arrears(self) -> Decimal:
        return self.dues_due - self.dues_paid

    @property
    def levy_arrears(self) -> Decimal:
        return self.levy - self.levy_paid


@dataclass
class Ledger:
    org: Organization
    rows: list[LedgerRow] = field(default_factory=list)
    total: LedgerRow = field(default_factory=lambda: LedgerRow(month=date(1900, 1, 1)))


LEDGER_FIELDS = ("dues_due", "dues_paid", "payroll_total", "levy", "levy_paid", "kept", "remitted")


def union_ledger(org: Organization, year: int | None = None) -> Ledger:
    """Month by month: dues charged and paid, the payroll total, the 2% levy, what arrived and how it
    was split. The totals row is the sum of the rows (the parts always add up exactly)."""
    runs = DuesRun.objects.filter(org=org)
    funds = FundsAssessment.objects.filter(org=org)
    if year:
        runs, funds = runs.filter(month__year=year), funds.filter(month__year=year)
    by_month: dict[date, LedgerRow] = {}
    for r in runs.values("month", "total_amount", "paid_amount"):
        row = by_month.setdefault(r["month"], LedgerRow(month=r["month"]))
        row.dues_due, row.dues_paid, row.has_dues = r["total_amount"], r["paid_amount"], True
    for f in funds.values("month", "payroll_total", "levy", "paid", "kept", "remitted"):
        row = by_month.setdefault(f["month"], LedgerRow(month=f["month"]))
        row.payroll_total, row.levy, row.levy_paid = f["payroll_total"], f["levy"], f["paid"]
        row.kept, row.remitted, row.has_funds = f["kept"], f["remitted"], True
    ledger = Ledger(org=org, rows=[by_month[m] for m in sorted(by_month, reverse=True)])
    for name in LEDGER_FIELDS:
        setattr(ledger.total, name, sum((getattr(r, name) for r in ledger.rows), ZERO))
    return ledger


def funds_for(org: Organization) -> QuerySet[FundsAssessment]:
    return FundsAssessment.objects.filter(org=org).order_by("-month")


def funds_payments(assessment: FundsAssessment) -> QuerySet[FundsPayment]:
    return FundsPayment.objects.filter(assessment=assessment).order_by("-paid_on", "-id")


def ledger_payments(org: Organization, limit: int = 50) -> QuerySet[FundsPayment]:
    """The latest funds payments of a union, each with its reversal if it was reversed."""
    return (
        FundsPayment.objects.filter(org=org)
        .select_related("assessment", "reversal", "reversal__reversed_by")
        .order_by("-paid_on", "-id")[:limit]
    )


def payments_for_line(line: DuesLine) -> QuerySet[DuesPayment]:
    return DuesPayment.objects.filter(line=line).order_by("paid_on", "id")


def recent_payments(org: Organization, limit: int = 20) -> QuerySet[DuesPayment]:
    return DuesPayment.objects.filter(org=org).select_related("member").order_by("-created_at", "-id")[:limit]
