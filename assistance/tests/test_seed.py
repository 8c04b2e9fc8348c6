from decimal import Decimal

from assistance.models import Household, Payment
from bargaining.tests.test_seed import make_ctx


def test_seed_builds_household_files(world):
    from assistance.seed import seed

    seed(make_ctx(world))
    assert sorted(Household.objects.values_list("status", flat=True)) == [
        "applied",
        "approved",
        "archived",
        "archived",
        "noticed",
        "visited",
    ]
    assert Payment.objects.count() == 5
    reversed_ = Payment.objects.get(reversal__isnull=False)
    assert (reversed_.amount, reversed_.reversal.reason) == (Decimal("2000.00"), "重复登记，银行未实际发放")
    assert sum(p.amount for p in Payment.objects.filter(reversal__isnull=True)) == Decimal("5600.00")
    categories = dict(Household.objects.values_list("main_cause", "category"))
    assert categories == {
        "illness": "deep",
        "education": "relative",
        "accident": "accident",
        "low_income": "deep",
        "disability": "relative",
        "unemployment": "deep",
    }
