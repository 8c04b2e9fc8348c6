"""Pure rules of labour dispute mediation (劳动争议调解仲裁法)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
# The largest amount the amount columns hold (12 digits, 2 after the point).
MAX_AMOUNT = Decimal("9999999999.99")


def money(value) -> Decimal | None:
    """Parse an amount in yuan to a Decimal rounded half-up to the fen; None for empty.
    Raises ValueError for text that is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        d = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(value) from None
    if not d.is_finite():
        raise ValueError(value)
    try:
        return d.quantize(FEN, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the decimal context holds: far beyond MAX_AMOUNT,
        return d  # which the caller compares against and names ("too large"), not "not a number"


def duplicate_names(names: list[str]) -> list[str]:
    """Names appearing more than once (after trimming and ignoring full/half-width spaces)."""
    seen: set[str] = set()
    dups: list[str] = []
    for n in names:
        key = "".join(n.split())
        if key in seen and key not in dups:
            dups.append(key)
        seen.add(key)
    return dups
