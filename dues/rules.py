"""Pure dues and union-funds arithmetic (DOMAIN.md §3). No database access.

Money is Decimal, rounded ROUND_HALF_UP to the fen. The dues base is the monthly wage rounded down to a
whole multiple of `base_step` yuan (default 10: "the part below 10 yuan is dropped")."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings

FEN = Decimal("0.01")
YUAN = Decimal("1")

# Documented defaults (DOMAIN.md §3; rate and rounding unconfirmed, the split is local to Zhejiang).
DEFAULTS = {
    "rate": Decimal("0.005"),  # dues: 0.5% of the monthly wage base (Charter art. 4)
    "base_step": 10,  # base rounded down to whole 10 yuan
    "levy_rate": Decimal("0.02"),  # union funds: 2% of the employer's payroll total (TUL art. 43)
    "grassroots_share": Decimal("0.60"),  # kept by the grassroots union; the rest goes up
    "lapse_months": 6,  # months without dues before a member is a lapse candidate (Charter art. 6)
    # A monthly wage below this (but above 0: no pay that month) is taken for a typing slip
    # (3.5 for 3500) and refused with a request to check. Local, not from a rule.
    "min_wage": Decimal("100"),
}


def month_text(d: date) -> str:
    """A month as the user's language writes it: 2026年11月, or November 2026."""
    from django.utils.formats import date_format

    return date_format(d, "YEAR_MONTH_FORMAT")


def setting(key: str):
    """A dues setting: settings.GONGHUI_DUES[key] if present, else the documented default."""
    value = getattr(settings, "GONGHUI_DUES", {}).get(key, DEFAULTS[key])
    if isinstance(DEFAULTS[key], Decimal):
        return Decimal(str(value))
    return int(value)


@dataclass(frozen=True)
class Policy:
    rate: Decimal
    base_step: int
    levy_rate: Decimal
    grassroots_share: Decimal

    @property
    def rate_pct(self) -> str:
        return pct(self.rate)

    @property
    def levy_pct(self) -> str:
        return pct(self.levy_rate)

    @property
    def kept_pct(self) -> str:
        return pct(self.grassroots_share)

    @property
    def up_pct(self) -> str:
        return pct(1 - self.grassroots_share)

    @classmethod
    def defaults(cls) -> "Policy":
        return cls(
            rate=setting("rate"),
            base_step=setting("base_step"),
            levy_rate=setting("levy_rate"),
            grassroots_share=setting("grassroots_share"),
        )


def pct(rate: Decimal) -> str:
    """0.005 → '0.5%', 0.6 → '60%'."""
    text = f"{(rate * 100).normalize():f}"
    return f"{text}%"


def money(value, *, exact: bool = False) -> Decimal:
    """Parse a money amount (str/int/Decimal) to a Decimal in fen, half up (`exact`: not rounded,
    as written). Raises ValueError."""
    if isinstance(value, float):
        # A spreadsheet's number: binary noise (7000 * 1.1 = 7700.000000000001) is not a fraction
        # of a fen.
        value = repr(round(value, 6))
    try:
        d = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise ValueError(value) from None
    if not d.is_finite():
        raise ValueError(value)
    return d if exact else d.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan(amount) -> str:
    """An amount of money for a message: two decimals, thousands grouped (1,234,567.89)."""
    from django.utils.formats import number_format

    return number_format(amount, 2, force_grouping=True)


def fen(value) -> Decimal:
    """An aggregate from the database, exact to the fen (SQLite sums decimals as binary floats)."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)


def dues_base(wage: Decimal, step: int) -> Decimal:
    """The dues base: the wage rounded down to a whole multiple of `step` yuan."""
    if wage <= 0:
        return Decimal("0")
    whole = (wage / step).to_integral_value(rounding=ROUND_DOWN)
    return (whole * step).quantize(YUAN)


def dues_amount(base: Decimal, rate: Decimal) -> Decimal:
    return (base * rate).quantize(FEN, rounding=ROUND_HALF_UP)


def levy_amount(payroll_total: Decimal, levy_rate: Decimal) -> Decimal:
    return (payroll_total * levy_rate).quantize(FEN, rounding=ROUND_HALF_UP)


def split(amount: Decimal, grassroots_share: Decimal) -> tuple[Decimal, Decimal]:
    """Split `amount` between the grassroots union and the higher level. The grassroots part is
    rounded half up to the fen and the higher level gets the remainder, so the parts always add up."""
    kept = (amount * grassroots_share).quantize(FEN, rounding=ROUND_HALF_UP)
    return kept, amount - kept


def split_next(
    amount: Decimal, *, paid: Decimal, kept: Decimal, grassroots_share: Decimal
) -> tuple[Decimal, Decimal]:
    """Split one more payment of a month that already has `paid` in, `kept` of it by the grassroots
    union: the part kept is what brings the month's total kept to the split of its total paid, so
    that a month paid in instalments divides exactly as if paid at once (rounding each instalment
    on its own could leave the higher level a fen short). Within [0, amount]; the parts add up."""
    target, _up = split(paid + amount, grassroots_share)
    part = min(max(target - kept, Decimal(0)), amount)
    return part, amount - part


def next_run_month(latest: date | None, today: date) -> date:
    """The month a union's next statement is most likely for: the one after its latest statement,
    up to the current month (a month skipped is then offered first); the current month if it has
    none."""
    this = today.replace(day=1)
    return this if latest is None else min(this, add_months(latest, 1))


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(d: date) -> date:
    nxt = add_months(month_start(d), 1)
    return date.fromordinal(nxt.toordinal() - 1)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.year * 12 + (d.month - 1) + n, 12)
    return date(y, m + 1, 1)


def parse_month(value: str) -> date:
    """'2026-11', '2026/11', '202611' or '2026年11月' → date(2026, 11, 1). Raises ValueError."""
    s = str(value).strip().replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    if len(s) == 6 and s.isdigit():
        s = f"{s[:4]}-{s[4:]}"
    parts = s.split("-")
    if len(parts) < 2 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ValueError(value)
    year, month = int(parts[0]), int(parts[1])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError(value)
    return date(year, month, 1)


def rate_e4(rate: Decimal) -> int:
    """A rate in units of 1/10000 (0.5% → 50), for exact integer arithmetic in SQL."""
    return int((rate * 10000).to_integral_value(rounding=ROUND_HALF_UP))


DIGITS = "零壹贰叁肆伍陆柒捌玖"


def rmb_upper(amount: Decimal) -> str:
    """An amount in capital Chinese numerals for receipts (人民币大写): 1234.56 → 壹仟贰佰叁拾肆元伍角陆分."""
    fen_total = int((abs(amount) * 100).quantize(YUAN, rounding=ROUND_HALF_UP))
    if fen_total == 0:
        return "零元整"
    yuan, rest = divmod(fen_total, 100)
    jiao, fen_digit = divmod(rest, 10)
    out, zero = "", False
    groups = []
    while yuan:
        yuan, g = divmod(yuan, 10000)
        groups.append(g)
    for gi in range(len(groups) - 1, -1, -1):
        g = groups[gi]
        if g == 0:
            zero = bool(out)
            continue
        for pos, unit in ((3, "仟"), (2, "佰"), (1, "拾"), (0, "")):
            d = g // 10**pos % 10
            if d == 0:
                zero = zero or bool(out)
                continue
            if zero:
                out += "零"
            out += DIGITS[d] + unit
            zero = False
        out += ("", "万", "亿", "万亿")[gi]
        zero = False  # zeros at the end of a group are absorbed by its unit (壹拾万壹仟)
    if out:
        out += "元"
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen_digit and out:
        out += "零"
    if fen_digit:
        out += DIGITS[fen_digit] + "分"
    else:
        out += "整"
    return ("负" if amount < 0 else "") + out
