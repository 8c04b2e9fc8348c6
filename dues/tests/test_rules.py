from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from dues import rules

D = Decimal


@pytest.mark.parametrize(
    ("wage", "step", "base"),
    [
        (D("4567.89"), 10, D("4560")),
        (D("4560.00"), 10, D("4560")),
        (D("4569.99"), 10, D("4560")),
        (D("9.99"), 10, D("0")),
        (D("0"), 10, D("0")),
        (D("4567.89"), 1, D("4567")),
        (D("4567.89"), 100, D("4500")),
    ],
)
def test_dues_base_rounds_down_to_the_step(wage, step, base):
    assert rules.dues_base(wage, step) == base


@pytest.mark.parametrize(
    ("base", "rate", "amount"),
    [
        (D("4560"), D("0.005"), D("22.80")),
        (D("4567"), D("0.005"), D("22.84")),  # 22.835 → half up
        (D("4561"), D("0.005"), D("22.81")),  # 22.805 → half up
        (D("0"), D("0.005"), D("0.00")),
        (D("3333"), D("0.0033"), D("11.00")),  # 10.9989 → 11.00
    ],
)
def test_dues_amount_half_up_to_the_fen(base, rate, amount):
    assert rules.dues_amount(base, rate) == amount


def test_levy_and_split_add_up():
    levy = rules.levy_amount(D("123456.78"), D("0.02"))
    assert levy == D("2469.14")  # 2469.1356
    kept, up = rules.split(levy, D("0.60"))
    assert (kept, up) == (D("1481.48"), D("987.66"))
    assert kept + up == levy
    kept, up = rules.split(D("0.05"), D("0.60"))
    assert (kept, up) == (D("0.03"), D("0.02"))


def test_split_always_adds_up_exactly():
    for cents in range(0, 2000, 7):
        amount = D(cents) / 100
        for share in (D("0.6"), D("0.55"), D("0.3333"), D("1"), D("0")):
            kept, up = rules.split(amount, share)
            assert kept + up == amount
            assert kept >= 0
            assert up >= 0


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2026-11", date(2026, 11, 1)),
        ("2026/3", date(2026, 3, 1)),
        ("202603", date(2026, 3, 1)),
        ("2026年3月", date(2026, 3, 1)),
    ],
)
def test_parse_month(text, month):
    assert rules.parse_month(text) == month


@pytest.mark.parametrize("text", ["", "2026-13", "abc", "1999-01"])
def test_parse_month_refuses(text):
    with pytest.raises(ValueError):  # noqa: PT011
        rules.parse_month(text)


def test_month_arithmetic():
    assert rules.add_months(date(2026, 11, 1), 2) == date(2027, 1, 1)
    assert rules.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert rules.month_end(date(2024, 2, 1)) == date(2024, 2, 29)


def test_money_parsing():
    assert rules.money("4,567.891") == D("4567.89")
    assert rules.money(4567.5) == D("4567.50")
    assert rules.money("0.005") == D("0.01")
    with pytest.raises(ValueError):  # noqa: PT011
        rules.money("四千")
    with pytest.raises(ValueError):  # noqa: PT011
        rules.money("nan")


def test_defaults_and_settings_override():
    p = rules.Policy.defaults()
    assert (p.rate, p.base_step, p.levy_rate, p.grassroots_share) == (D("0.005"), 10, D("0.02"), D("0.60"))
    with override_settings(GONGHUI_DUES={"rate": "0.01", "grassroots_share": "0.7"}):
        p = rules.Policy.defaults()
        assert (p.rate, p.base_step, p.grassroots_share) == (D("0.01"), 10, D("0.7"))


def test_rate_e4():
    assert rules.rate_e4(D("0.005")) == 50
    assert rules.rate_e4(D("0.0033")) == 33


def test_policy_percentages_for_display():
    p = rules.Policy.defaults()
    assert (p.rate_pct, p.levy_pct, p.kept_pct, p.up_pct) == ("0.5%", "2%", "60%", "40%")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("10", "壹拾元整"),
        ("22.80", "贰拾贰元捌角整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("10005.05", "壹万零伍元零伍分"),
        ("100000", "壹拾万元整"),
        ("1000100", "壹佰万零壹佰元整"),
        ("2469.14", "贰仟肆佰陆拾玖元壹角肆分"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("0", "零元整"),
        ("100000000", "壹亿元整"),
        ("101010.10", "壹拾万壹仟零壹拾元壹角整"),
    ],
)
def test_rmb_upper(amount, text):
    assert rules.rmb_upper(D(amount)) == text


def test_instalments_split_as_the_whole_month():
    # The helper's case: 216,000.03 paid as 100,000.01 + 0.01 + 116,000.01. Each rounded on its own
    # gives 129,600.03 / 86,400.00; the month as a whole splits 129,600.02 / 86,400.01.
    paid = kept = D("0")
    parts = []
    for amount in (D("100000.01"), D("0.01"), D("116000.01")):
        k, up = rules.split_next(amount, paid=paid, kept=kept, grassroots_share=D("0.60"))
        assert k + up == amount and k >= 0 and up >= 0
        parts.append((k, up))
        paid, kept = paid + amount, kept + k
    assert parts == [(D("60000.01"), D("40000.00")), (D("0.00"), D("0.01")), (D("69600.01"), D("46400.00"))]
    assert (kept, paid - kept) == rules.split(D("216000.03"), D("0.60")) == (D("129600.02"), D("86400.01"))


def test_instalment_split_stays_within_the_payment():
    # After a reversal the month's kept can sit a fen above its share; the next fen is not split
    # into a negative part.
    k, up = rules.split_next(D("0.01"), paid=D("0.01"), kept=D("0.01"), grassroots_share=D("0.60"))
    assert (k, up) == (D("0.00"), D("0.01"))
    k, up = rules.split_next(D("0.01"), paid=D("0"), kept=D("0.02"), grassroots_share=D("0.60"))
    assert (k, up) == (D("0.00"), D("0.01"))
