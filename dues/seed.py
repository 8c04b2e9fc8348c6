"""Demo dues and union funds: wage bases for every member, the last two months' statements (six
for the second union, three of whose members were never deducted: lapse candidates), payroll
deductions and a few individual payments (some arrears left on purpose), the employers' payroll
totals with the 2% levy, and the federation's policy."""

import time
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from core import crypto
from core.db import ForeignKeysCheckedOnce
from core.seed import SeedContext
from members.models import Member, MemberStatus

from . import rules, services
from .models import DuesLine, LineKind, WageBase, WageSource

POOL = 997  # distinct wages; each member gets one by id, every value encrypted once


def wage_bases_bulk(*, month: date, rng, base_step: int = 10, missing_every: int = 50) -> int:
    """Give every active or retained member without a wage base for `month` one, in one
    INSERT … SELECT. Every `missing_every`-th member is left without one (they show as missing)."""
    pool = []
    for k in range(POOL):
        wage = Decimal(rng.randint(2600, 16000)) + Decimal(rng.randint(0, 99)) / 100
        pool.append((k, crypto.encrypt(str(wage)), rules.dues_base(wage, base_step)))
    values = ", ".join(["(%s, %s, %s)"] * len(pool))
    params: list = [v for row in pool for v in row]
    adapt = connection.ops.adapt_datefield_value
    sql = (
        f"WITH p(k, enc, base) AS (VALUES {values}) "  # noqa: S608 - placeholders only
        "INSERT INTO dues_wagebase (org_id, member_id, month, wage_enc, base, source, created_at) "
        "SELECT m.org_id, m.id, %s, p.enc, p.base, %s, %s FROM members_member m "
        f"JOIN p ON p.k = m.id %% {POOL} "
        "WHERE m.status IN (%s, %s) AND m.id %% %s <> 0 "
        "AND NOT EXISTS (SELECT 1 FROM dues_wagebase w WHERE w.member_id = m.id AND w.month = %s)"
    )
    params += [
        adapt(month),
        WageSource.IMPORTED,
        connection.ops.adapt_datetimefield_value(timezone.now()),
        MemberStatus.ACTIVE,
        MemberStatus.RETAINED,
        missing_every,
        adapt(month),
    ]
    with transaction.atomic(), ForeignKeysCheckedOnce(WageBase), connection.cursor() as cur:
        cur.execute(sql, params)
    return WageBase.objects.filter(month=month).count()


def _never_paying(union, *, since: date, rng) -> list[str]:
    """Member numbers of three active members of `union` who joined before `since` and have a wage
    base: left out of every payroll deduction of the demo."""
    nos = list(
        Member.objects.filter(org=union, status=MemberStatus.ACTIVE, joined_on__lt=since)
        .exclude(member_no="")
        .filter(pk__in=WageBase.objects.values("member_id"))
        .order_by("pk")
        .values_list("member_no", flat=True)[:200]
    )
    return sorted(rng.sample(nos, min(3, len(nos))))


def seed(ctx: SeedContext) -> None:
    started = time.perf_counter()
    fed_admin = ctx.users.get("fed_admin")
    finance = ctx.users.get("finance_1")
    if fed_admin is not None:
        services.policy_update(
            org=ctx.federation,
            rate=rules.DEFAULTS["rate"],
            base_step=rules.DEFAULTS["base_step"],
            levy_rate=rules.DEFAULTS["levy_rate"],
            grassroots_share=rules.DEFAULTS["grassroots_share"],
            actor=fed_admin,
        )
    this_month = rules.month_start(ctx.today)
    sep, octo = rules.add_months(this_month, -2), rules.add_months(this_month, -1)
    lapse_months = rules.setting("lapse_months")  # what the lapse list asks for (6 by default)
    first_base = min(date(ctx.today.year, 1, 1), rules.add_months(this_month, -lapse_months))
    n = wage_bases_bulk(month=first_base, rng=ctx.rng)
    if ctx.members_n > 0:
        ctx.log.append(
            f"dues: {n} wage bases in {time.perf_counter() - started:.1f}s (runs left to bench/dues_run.py)"
        )
        return
    runs = 0
    for i, union in enumerate(ctx.unions):
        actor = finance if i == 0 else ctx.users.get(f"chair_{i + 1}") or fed_admin
        avg_wage = Decimal(ctx.rng.randint(5200, 9800))
        months, not_deducted = (sep, octo), ""
        if i == 1:
            # Statements for the lapse rule's months, three members never deducted (on unpaid
            # leave, say): the lapse list (members: months without dues) has something to show.
            # Up to the last full month of the real date, which the lapse list reads (the demo's
            # own date is fixed).
            last = max(octo, rules.add_months(rules.month_start(timezone.localdate()), -1))
            months = [rules.add_months(this_month, -lapse_months)]
            while months[-1] < last:
                months.append(rules.add_months(months[-1], 1))
            not_deducted = " ".join(_never_paying(union, since=months[0], rng=ctx.rng))
        for month in months:
            run = services.dues_run(org=union, month=month, actor=actor)
            runs += 1
            if month not in (sep, octo):
                services.dues_batch_record(
                    run=run, paid_on=month.replace(day=25), skip=not_deducted, actor=actor
                )
                continue
            payroll = (avg_wage * union.employee_count * Decimal(ctx.rng.randint(97, 103)) / 100).quantize(
                rules.FEN
            )
            fa = services.funds_assess(org=union, month=month, payroll_total=payroll, actor=actor)
            if month == sep:
                if run.charged_count:
                    services.dues_batch_record(
                        run=run, paid_on=month.replace(day=25), skip=not_deducted, actor=actor
                    )
                services.funds_payment_record(
                    assessment=fa,
                    amount=fa.levy,
                    paid_on=rules.add_months(month, 1).replace(day=10),
                    actor=actor,
                )
                continue
            # October: union 0 left for the demo user's own payroll batch; others mixed.
            if i == 0 or not run.charged_count:
                continue
            if not_deducted:
                services.dues_batch_record(
                    run=run, paid_on=month.replace(day=25), skip=not_deducted, actor=actor
                )
            elif i % 2 == 0:
                services.dues_batch_record(run=run, paid_on=month.replace(day=25), actor=actor)
                services.funds_payment_record(
                    assessment=fa,
                    amount=(fa.levy / 2).quantize(rules.FEN),
                    paid_on=this_month,
                    note="首笔",
                    actor=actor,
                )
            else:
                lines = DuesLine.objects.filter(run=run, kind=LineKind.CHARGED).order_by("id")[:3]
                for line in lines:
                    services.dues_payment_record(
                        line=line, paid_on=month.replace(day=28), method="cash", actor=actor
                    )
    ctx.log.append(f"dues: {n} wage bases, {runs} monthly runs in {time.perf_counter() - started:.1f}s")
