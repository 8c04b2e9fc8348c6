"""Pure rules of hardship assistance (DOMAIN.md §8, §11). No database access here."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.validators import mask_text

FEN = Decimal("0.01")

DEEP = "deep"
RELATIVE = "relative"
ACCIDENT = "accident"
NONE = "none"


def money(value) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def per_capita_monthly(*, annual_income: Decimal, rigid_expenses: Decimal, household_size: int) -> Decimal:
    """(annual disposable income − rigid expenses) ÷ 12 ÷ household size, to the fen."""
    if household_size <= 0:
        raise ValueError("household_size must be positive")
    return money((Decimal(annual_income) - Decimal(rigid_expenses)) / Decimal(12) / Decimal(household_size))


@dataclass(frozen=True)
class Classification:
    category: str
    per_capita: Decimal


def classify(
    *,
    annual_income: Decimal,
    rigid_expenses: Decimal,
    household_size: int,
    minimum_monthly: Decimal,
    sudden_medical_costs: Decimal = Decimal(0),
    disaster: bool = False,
    medical_share: Decimal = Decimal("0.8"),
) -> Classification:
    """Deep hardship below the local 低保, relative hardship below twice it; otherwise accident-caused
    when a disaster struck or the year's sudden medical costs exceed 80% of the household's income."""
    pc = per_capita_monthly(
        annual_income=annual_income, rigid_expenses=rigid_expenses, household_size=household_size
    )
    if pc < minimum_monthly:
        return Classification(DEEP, pc)
    if pc < 2 * minimum_monthly:
        return Classification(RELATIVE, pc)
    if disaster or Decimal(sudden_medical_costs) > Decimal(annual_income) * medical_share:
        return Classification(ACCIDENT, pc)
    return Classification(NONE, pc)


# What a public notice (公示) may show. ID number, income details, health and bank details are never
# publishable, whatever the consent says.
NEVER_PUBLISHED = ("id_number", "income", "health", "bank_account")


@dataclass(frozen=True)
class Consent:
    publish: bool = False
    full_name: bool = False
    employer: bool = False
    category: bool = True
    amount: bool = True


def public_notice_row(
    *, name: str, employer: str, category_label: str, amount, consent: Consent
) -> dict | None:
    """The fields of one household on the public notice, as consent allows (None: not publishable)."""
    if not consent.publish:
        return None
    return {
        "name": name if consent.full_name else mask_text(name, 1),
        "employer": employer if consent.employer else None,
        "category": category_label if consent.category else None,
        "amount": amount if consent.amount else None,
    }
