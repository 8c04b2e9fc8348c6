"""Drive a household file through its services (tests only)."""

from datetime import date
from decimal import Decimal

from assistance import services
from assistance.models import LocalMinimumStandard, Status
from core.validators import id_check_char
from deadlines.calendar import frozen_today


def id_number(body17: str = "11010519800101001") -> str:
    return body17 + id_check_char(body17)


ORDER = [s for s, _ in Status.choices]


def standard(world, year: int = 2026, amount: str = "1000.00"):
    return LocalMinimumStandard.objects.update_or_create(
        org=world.fed, year=year, defaults={"monthly_amount": Decimal(amount)}
    )[0]


def make_household(
    world, status: str = Status.APPLIED, *, body17="11010519800101001", publish=True, actor=None
):
    """A household of three: applicant 18 000/yr + spouse 6 000/yr, rigid expenses 6 000 → per capita
    (24 000 − 6 000) ÷ 12 ÷ 3 = 500.00/month: deep hardship against a 低保 of 1 000."""
    actor = actor or world.staff_a
    standard(world)
    target = ORDER.index(status)
    with frozen_today(date(2026, 3, 2)):
        h = services.household_apply(
            actor=actor,
            org=world.union_a,
            head_name="王建国",
            id_number=id_number(body17),
            employer="甲公司",
            applied_on=date(2026, 3, 2),
            annual_income="18000",
            rigid_expenses="6000",
            main_cause="illness",
            health="慢性肾病",
            bank_name="工商银行",
            bank_account="6222020200112233445",
        )
        services.member_add(actor=actor, household=h, name="李秀英", relation="spouse", annual_income="6000")
        services.member_add(actor=actor, household=h, name="王小明", relation="child", annual_income="0")
    if target >= 1:
        with frozen_today(date(2026, 3, 5)):
            services.household_review(actor=actor, household=h, reviewed_on=date(2026, 3, 5), note="材料齐全")
    if target >= 2:
        with frozen_today(date(2026, 3, 9)):
            services.household_visit(
                actor=actor, household=h, visited_on=date(2026, 3, 9), visitors="甲干事、甲主席", note="属实"
            )
            services.consent_record(
                actor=actor, household=h, signed_on=date(2026, 3, 9), income_check=True, publish=publish
            )
    if target >= 3:
        with frozen_today(date(2026, 3, 10)):
            services.household_notice(
                actor=actor, household=h, start_on=date(2026, 3, 10), proposed_amount="3000"
            )
    if target >= 4:
        with frozen_today(date(2026, 3, 18)):
            services.household_approve(actor=actor, household=h, approved_on=date(2026, 3, 18))
    if target >= 5:
        with frozen_today(date(2026, 3, 19)):
            services.household_archive(actor=actor, household=h, archived_on=date(2026, 3, 19))
    if target >= 6:
        with frozen_today(date(2026, 6, 1)):
            services.household_close(actor=actor, household=h, closed_on=date(2026, 6, 1), reason="out")
    h.refresh_from_db()
    return h


def make_payment(world, household, fund, amount: str, *, paid_on=date(2026, 4, 1), budget_year=2026, **kw):
    """A payment recorded by finance on its own date (the household must be archived)."""
    with frozen_today(paid_on):
        return services.payment_record(
            actor=kw.pop("actor", world.finance_a),
            household=household,
            fund=fund,
            budget_year=budget_year,
            kind=kw.pop("kind", "living"),
            amount=amount,
            paid_on=paid_on,
            **kw,
        )
