from decimal import Decimal

import pytest

from assistance import rules

D = Decimal


def test_per_capita_monthly_rounds_half_up_to_the_fen():
    assert rules.per_capita_monthly(
        annual_income=D("24000"), rigid_expenses=D("6000"), household_size=3
    ) == D("500.00")
    assert rules.per_capita_monthly(annual_income=D("10000"), rigid_expenses=D("0"), household_size=3) == D(
        "277.78"
    )
    assert rules.per_capita_monthly(annual_income=D("1000"), rigid_expenses=D("2000"), household_size=1) == D(
        "-83.33"
    )
    with pytest.raises(ValueError, match="household_size"):
        rules.per_capita_monthly(annual_income=D(1), rigid_expenses=D(0), household_size=0)


@pytest.mark.parametrize(
    ("income", "rigid", "size", "medical", "disaster", "category", "pc"),
    [
        ("35988", "0", 3, "0", False, "deep", "999.67"),  # just below 低保 1 000
        ("36000", "0", 3, "0", False, "relative", "1000.00"),  # exactly 低保 is not "below"
        ("71964", "0", 3, "0", False, "relative", "1999.00"),
        ("72000", "0", 3, "0", False, "none", "2000.00"),  # exactly 2 × 低保
        ("72000", "0", 3, "57601", False, "accident", "2000.00"),  # medical > 80% of income
        ("72000", "0", 3, "57600", False, "none", "2000.00"),  # exactly 80% is not "more than"
        ("90000", "0", 3, "0", True, "accident", "2500.00"),
        ("90000", "60000", 3, "0", False, "deep", "833.33"),  # rigid expenses count
    ],
)
def test_classify(income, rigid, size, medical, disaster, category, pc):
    result = rules.classify(
        annual_income=D(income),
        rigid_expenses=D(rigid),
        household_size=size,
        minimum_monthly=D("1000"),
        sudden_medical_costs=D(medical),
        disaster=disaster,
    )
    assert result == rules.Classification(category, D(pc))


def test_public_notice_row_honours_consent():
    kw = {"name": "王建国", "employer": "甲公司", "category_label": "深度困难", "amount": D("3000.00")}
    assert rules.public_notice_row(**kw, consent=rules.Consent(publish=False)) is None
    assert rules.public_notice_row(**kw, consent=rules.Consent(publish=True)) == {
        "name": "王**",
        "employer": None,
        "category": "深度困难",
        "amount": D("3000.00"),
    }
    full = rules.Consent(publish=True, full_name=True, employer=True, category=False, amount=False)
    assert rules.public_notice_row(**kw, consent=full) == {
        "name": "王建国",
        "employer": "甲公司",
        "category": None,
        "amount": None,
    }
