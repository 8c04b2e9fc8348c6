"""Rules an organization is checked against (DOMAIN.md §1). Pure functions: facts in, warnings out."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from .models import OrgKind, WarningLevel


@dataclass(frozen=True)
class OrgFacts:
    kind: str
    member_count: int
    employee_count: int
    term_start: date | None
    term_end: date | None
    committee_size: int
    has_chair: bool
    has_past_committee: bool = False  # members whose terms have all ended (the term warning covers it)


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    params: dict = field(default_factory=dict)


def rate_pct(rate: float | None) -> float | None:
    """A membership rate (members / employees) as the pages show it: a percentage, one decimal."""
    return round(rate * 100, 1) if rate is not None else None


def committee_size_range(member_count: int) -> tuple[int, int]:
    for upper, low, high in settings.GONGHUI["COMMITTEE_SIZE_TABLE"]:
        if upper is None or member_count <= upper:
            return low, high
    raise ValueError("COMMITTEE_SIZE_TABLE must end with an open row")


def check(facts: OrgFacts, today: date) -> list[Finding]:
    if facts.kind != OrgKind.UNION:
        return []
    found: list[Finding] = []
    threshold = settings.GONGHUI["COMMITTEE_REQUIRED_FROM_MEMBERS"]
    if facts.term_end and facts.term_end < today:
        found.append(Finding("term_overdue", WarningLevel.DANGER, {"term_end": facts.term_end.isoformat()}))
    if facts.term_start and facts.term_end:
        years = round((facts.term_end - facts.term_start).days / 365.25)
        if years not in settings.GONGHUI["COMMITTEE_TERM_YEARS"]:
            found.append(Finding("term_length", WarningLevel.WARNING, {"years": years}))
    if facts.committee_size == 0:
        if facts.member_count >= threshold and not facts.has_past_committee:
            found.append(
                Finding(
                    "no_committee",
                    WarningLevel.DANGER,
                    {"members": facts.member_count, "threshold": threshold},
                )
            )
    else:
        low, high = committee_size_range(facts.member_count)
        if not low <= facts.committee_size <= high:
            found.append(
                Finding(
                    "committee_size",
                    WarningLevel.WARNING,
                    {"size": facts.committee_size, "members": facts.member_count, "low": low, "high": high},
                )
            )
        if not facts.has_chair:
            found.append(Finding("no_chair", WarningLevel.DANGER, {}))
    return found


def warning_text(code: str, params: dict) -> str:
    texts = {
        "term_overdue": _("委员会任期已于 %(term_end)s 届满，应及时换届。"),
        "term_length": _("委员会任期为 %(years)s 年，工会法规定为3年或5年。"),
        "no_committee": _("会员 %(members)s 人（≥%(threshold)s 人），尚未建立工会委员会。"),
        "committee_size": _("委员会 %(size)s 人，按会员 %(members)s 人应为 %(low)s–%(high)s 人。"),
        "no_chair": _("委员会没有主席。"),
    }
    template = texts.get(code)
    if template is None:
        return code
    try:
        return template % params
    except (KeyError, TypeError):
        return code
