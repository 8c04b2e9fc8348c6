"""Demo hardship files: the local 低保, two funds, households at every workflow step, payments (one of
them reversed)."""

import datetime as dt
from decimal import Decimal

from core.seed import SeedContext, chinese_name
from core.validators import id_check_char
from deadlines import calendar

from . import services
from .models import LocalMinimumStandard


def _id(rng) -> str:
    birth = dt.date(1968, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 22))
    body = f"330106{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + id_check_char(body)


# applicant income, rigid expenses, medical costs, other members (relation, income), cause, target status
HOUSEHOLDS = [
    ("16800", "6000", "0", [("spouse", "0"), ("child", "0")], "illness", "archived"),
    (
        "48000",
        "4000",
        "0",
        [("spouse", "12000"), ("child", "0"), ("parent", "6000")],
        "education",
        "archived",
    ),
    ("45000", "0", "60000", [("spouse", "20000")], "accident", "approved"),
    ("20400", "3600", "0", [("child", "0")], "low_income", "noticed"),
    ("26000", "2000", "0", [("spouse", "30000"), ("child", "0")], "disability", "visited"),
    ("14000", "0", "0", [], "unemployment", "applied"),
]
ORDER = ["applied", "reviewed", "visited", "noticed", "approved", "archived"]


def seed(ctx: SeedContext) -> None:
    staff = ctx.users.get("staff_1")
    admin = ctx.users.get("fed_admin")
    finance = ctx.users.get("finance_1") or staff
    if staff is None or admin is None or not ctx.unions:
        return
    rng = ctx.rng
    today = ctx.today
    for year, amount in ((2025, "1230.00"), (2026, "1280.00")):
        LocalMinimumStandard.objects.get_or_create(
            org=ctx.federation, year=year, defaults={"monthly_amount": Decimal(amount)}
        )
    fed_fund = services.fund_create(actor=admin, org=ctx.federation, name="东湖街道困难职工帮扶资金")
    own_fund = services.fund_create(actor=staff, org=ctx.unions[0], name="职工互助保障金")
    union = ctx.unions[0]
    for i, (income, rigid, medical, others, cause, target) in enumerate(HOUSEHOLDS):
        base = (
            today - dt.timedelta(days=120 - i * 12)
            if target in ("archived", "approved")
            else today - dt.timedelta(days=20 - i)
        )
        name = chinese_name(rng)
        with calendar.frozen_today(base):
            h = services.household_apply(
                actor=staff,
                org=union,
                head_name=name,
                id_number=_id(rng),
                employer=union.unit_name or union.name,
                applied_on=base,
                annual_income=income,
                rigid_expenses=rigid,
                sudden_medical_costs=medical,
                main_cause=cause,
                health="慢性病，需长期服药" if cause == "illness" else "",
                bank_name="杭州银行",
                bank_account=f"6228{rng.randint(10**14, 10**15 - 1)}",
            )
            for relation, member_income in others:
                relative = chinese_name(rng)
                if relation in ("child", "parent"):
                    relative = name[0] + relative[1:]  # the family's surname
                services.member_add(
                    actor=staff,
                    household=h,
                    name=relative,
                    relation=relation,
                    annual_income=member_income,
                )
        steps = ORDER.index(target)
        day = base
        if steps >= 1:
            day += dt.timedelta(days=2)
            with calendar.frozen_today(day):
                services.household_review(
                    actor=staff, household=h, reviewed_on=day, note="材料齐全，符合条件"
                )
        if steps >= 2:
            day += dt.timedelta(days=3)
            with calendar.frozen_today(day):
                services.household_visit(
                    actor=staff,
                    household=h,
                    visited_on=day,
                    visitors="张伟、李红梅",
                    note="入户核实家庭情况属实。",
                )
                services.consent_record(
                    actor=staff, household=h, signed_on=day, income_check=True, publish=True
                )
        if steps >= 3:
            day = (
                max(day, today - dt.timedelta(days=2)) if target == "noticed" else day + dt.timedelta(days=1)
            )
            with calendar.frozen_today(day):
                services.household_notice(
                    actor=staff, household=h, start_on=day, proposed_amount=Decimal(3000 + 1000 * (i % 3))
                )
        if steps >= 4:
            h.refresh_from_db()
            day = h.notice_end + dt.timedelta(days=1)
            with calendar.frozen_today(day):
                services.household_approve(actor=staff, household=h, approved_on=day)
        if steps >= 5:
            day += dt.timedelta(days=1)
            with calendar.frozen_today(day):
                services.household_archive(actor=staff, household=h, archived_on=day)
            pay_day = day + dt.timedelta(days=3)
            with calendar.frozen_today(pay_day):
                services.payment_record(
                    actor=finance,
                    household=h,
                    fund=fed_fund,
                    budget_year=pay_day.year,
                    kind="living",
                    amount="2000",
                    paid_on=pay_day,
                )
                services.payment_record(
                    actor=finance,
                    household=h,
                    fund=own_fund,
                    budget_year=pay_day.year,
                    kind="education" if cause == "education" else "medical",
                    amount="800",
                    paid_on=pay_day,
                )
            if i == 0:  # a payment entered twice, and its reversal (冲销) the next day
                with calendar.frozen_today(pay_day):
                    twice = services.payment_record(
                        actor=finance,
                        household=h,
                        fund=fed_fund,
                        budget_year=pay_day.year,
                        kind="living",
                        amount="2000",
                        paid_on=pay_day,
                    )
                with calendar.frozen_today(pay_day + dt.timedelta(days=1)):
                    services.payment_reverse(actor=finance, payment=twice, reason="重复登记，银行未实际发放")
    ctx.log.append(f"assistance: {len(HOUSEHOLDS)} household files, 低保 2025/2026, 2 funds, 1 reversal")
