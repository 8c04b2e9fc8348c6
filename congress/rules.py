"""Pure rules of the workers' congress (DOMAIN.md §4, §5). No database access here.

Seat formulas, the kind of assembly, composition checks, quorum, the competitive ratio of an
election, and the tally of a poll under a pass rule. Local or unconfirmed numbers are arguments
with defaults; the services read overrides from settings.GONGHUI_CONGRESS.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

# ---- Kind of assembly -------------------------------------------------------------------------

CONGRESS = "congress"  # 职工代表大会
ASSEMBLY = "assembly"  # 职工大会
MEMBERS_CONGRESS = "members_congress"  # 会员代表大会
MEMBERS_ASSEMBLY = "members_assembly"  # 会员大会

KIND_LABELS = {
    CONGRESS: _("职工代表大会"),
    ASSEMBLY: _("职工大会"),
    MEMBERS_CONGRESS: _("会员代表大会"),
    MEMBERS_ASSEMBLY: _("会员大会"),
}


def session_kind(*, purpose: str, employees: int, members: int, threshold: int = 100) -> str:
    """Enterprises with >= 100 employees hold a workers' congress, smaller ones a meeting of all
    workers. A union's own business (purpose "union") goes to a members' congress when the union
    has >= `threshold` members, else to a meeting of all members."""
    if purpose == "union":
        return MEMBERS_CONGRESS if members >= threshold else MEMBERS_ASSEMBLY
    return CONGRESS if employees >= threshold else ASSEMBLY


def is_representative(kind: str) -> bool:
    return kind in (CONGRESS, MEMBERS_CONGRESS)


# ---- Seats ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    """From `lower` employees (inclusive): `base` seats plus `per` seats for every started `step`
    employees above `lower`. `fixed` tiers give `base` regardless of size."""

    lower: int
    base: int
    per: int = 0
    step: int = 100


@dataclass(frozen=True)
class SeatFormula:
    key: str
    label: str
    tiers: tuple[Tier, ...] = ()
    percent: Fraction | None = None  # share of employees (national summary)
    minimum: int = 30


SEAT_PRESETS: dict[str, SeatFormula] = {
    # National summary: >= 5% of employees, at least 30.
    "national": SeatFormula(
        "national", _("全国通行：不少于职工人数 5%，最少 30 名"), percent=Fraction(5, 100), minimum=30
    ),
    # Shanghai: 100–3000 employees -> 30 + at least 5 per extra 100; > 3000 -> at least 175.
    "shanghai": SeatFormula(
        "shanghai",
        _("上海：100–3000 人 30 名起每增 100 人增 5 名，3000 人以上不少于 175 名"),
        tiers=(Tier(0, 30), Tier(100, 30, 5, 100), Tier(3001, 175)),
        minimum=30,
    ),
    # Zhejiang: < 100 -> 30; 100–1000 -> 40 + 7 per extra 100; 1000–5000 -> 100 + 20 per extra
    # 1000; >= 5000 -> 200.
    "zhejiang": SeatFormula(
        "zhejiang",
        _(
            "浙江：100 人以下 30 名；100–1000 人 40 名起每增 100 人增 7 名；1000–5000 人 100 名起每增 1000 人增 20 名；5000 人以上 200 名"
        ),
        tiers=(Tier(0, 30), Tier(100, 40, 7, 100), Tier(1000, 100, 20, 1000), Tier(5000, 200)),
        minimum=30,
    ),
}


def formula_from_config(config: dict) -> SeatFormula:
    """A custom formula from settings: {"tiers": [[lower, base, per, step], ...], "percent": 5,
    "minimum": 30, "label": "..."}."""
    tiers = tuple(Tier(*t) for t in config.get("tiers", ()))
    pct = config.get("percent")
    return SeatFormula(
        "custom",
        config.get("label", _("自定义名额公式")),
        tiers=tiers,
        percent=Fraction(str(pct)) / 100 if pct is not None else None,
        minimum=int(config.get("minimum", 30)),
    )


def seat_count(formula: SeatFormula, employees: int) -> int:
    """Delegate seats for a workforce of `employees`, never more than the workforce itself."""
    if employees <= 0:
        return 0
    seats = 0
    if formula.percent is not None:
        seats = math.ceil(employees * formula.percent)
    tier = None
    for t in formula.tiers:
        if employees >= t.lower:
            tier = t
    if tier is not None:
        extra = employees - tier.lower
        steps = math.ceil(extra / tier.step) if tier.per and extra > 0 else 0
        seats = max(seats, tier.base + tier.per * steps)
    seats = max(seats, formula.minimum)
    return min(seats, employees)


def allocate_seats(total: int, sizes: Sequence[int]) -> list[int]:
    """Split `total` seats among constituencies in proportion to their sizes (largest remainder,
    Hamilton). Each non-empty constituency gets at least one seat when seats allow. Deterministic:
    ties go to the larger constituency, then the earlier one."""
    n = len(sizes)
    if n == 0 or total <= 0:
        return [0] * n
    whole = sum(s for s in sizes if s > 0)
    if whole == 0:
        return [0] * n
    quotas = [Fraction(total * max(s, 0), whole) for s in sizes]
    seats = [math.floor(q) for q in quotas]
    left = total - sum(seats)
    order = sorted(range(n), key=lambda i: (-(quotas[i] - seats[i]), -sizes[i], i))
    for i in order[:left]:
        seats[i] += 1
    # at least one seat each, taken from the constituency with the most seats per head
    for i in range(n):
        if sizes[i] > 0 and seats[i] == 0:
            donors = [j for j in range(n) if seats[j] > 1]
            if not donors:
                break
            j = max(donors, key=lambda k: (Fraction(seats[k], sizes[k]), seats[k], -k))
            seats[j] -= 1
            seats[i] += 1
    return seats


# ---- Composition ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Composition:
    seats: int  # seats the formula requires
    delegates: int  # delegates in office
    managers: int  # middle and senior managers among them
    women: int
    presidium: int
    presidium_front_line: int
    employees: int
    women_employees: int


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    passed: bool
    detail: str


def composition_checks(
    c: Composition, *, manager_max: Fraction = Fraction(1, 5), presidium_front_min: Fraction = Fraction(1, 2)
) -> list[Check]:
    checks = [
        Check(
            "seats",
            str(_("代表人数达到名额")),
            c.delegates >= c.seats,
            str(_("在任代表 %(d)d 名，应选名额 %(s)d 名")) % {"d": c.delegates, "s": c.seats},
        ),
        Check(
            "managers",
            str(_("中层以上管理人员不超过代表总数的 %(p)s%%")) % {"p": _pct(manager_max)},
            c.delegates > 0 and Fraction(c.managers, c.delegates) <= manager_max,
            str(_("管理人员 %(m)d 名，占 %(r)s")) % {"m": c.managers, "r": _ratio(c.managers, c.delegates)},
        ),
    ]
    needed_women = math.ceil(Fraction(c.delegates * c.women_employees, c.employees)) if c.employees else 0
    # "in proportion": allow rounding down by one seat
    needed_women = max(0, needed_women - 1) if needed_women else 0
    checks.append(
        Check(
            "women",
            str(_("女职工代表与女职工比例相当")),
            c.women >= needed_women,
            str(_("女代表 %(w)d 名（%(r)s），女职工占职工 %(e)s，至少应有 %(n)d 名"))
            % {
                "w": c.women,
                "r": _ratio(c.women, c.delegates),
                "e": _ratio(c.women_employees, c.employees),
                "n": needed_women,
            },
        )
    )
    checks.append(
        Check(
            "presidium",
            str(_("主席团中一线职工不少于 %(p)s%%")) % {"p": _pct(presidium_front_min)},
            c.presidium > 0 and Fraction(c.presidium_front_line, c.presidium) >= presidium_front_min,
            str(_("主席团 %(p)d 人，一线职工 %(f)d 人（%(r)s）"))
            % {
                "p": c.presidium,
                "f": c.presidium_front_line,
                "r": _ratio(c.presidium_front_line, c.presidium),
            },
        )
    )
    return checks


def _pct(f: Fraction) -> str:
    v = f * 100
    return str(int(v)) if v.denominator == 1 else f"{float(v):.1f}"


def _ratio(a: int, b: int) -> str:
    if not b:
        return "—"
    return f"{a * 100 / b:.1f}%"


# ---- Session ----------------------------------------------------------------------------------


def quorum_needed(delegates: int, quorum: Fraction = Fraction(2, 3)) -> int:
    """Delegates who must be present: at least 2/3 of all delegates."""
    return math.ceil(delegates * quorum)


def has_quorum(present: int, delegates: int, quorum: Fraction = Fraction(2, 3)) -> bool:
    return delegates > 0 and present >= quorum_needed(delegates, quorum)


def distribution_late(distributed_on: date | None, session_on: date, days: int = 7) -> bool:
    """Documents must reach delegates at least `days` days before the session."""
    if distributed_on is None:
        return True
    return (session_on - distributed_on).days < days


def add_working_days(start: date, days: int) -> date:
    """`days` working days (Monday–Friday) after `start`. Public holidays live in the deadlines app."""
    d = start
    left = days
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def competitive_ok(candidates: int, seats: int, min_ratio: Fraction = Fraction(5, 100)) -> bool:
    """Candidates must exceed seats by at least `min_ratio` (差额率): (m - n) / n >= ratio."""
    if seats <= 0 or candidates < seats:
        return False
    return Fraction(candidates - seats, seats) >= min_ratio and candidates > seats


def competitive_minimum(seats: int, min_ratio: Fraction = Fraction(5, 100)) -> int:
    return max(seats + 1, math.ceil(seats * (1 + min_ratio)))


# ---- Pass rules and tallies -------------------------------------------------------------------

RULE_ALL = "all_majority"
RULE_PRESENT = "present_majority"
RULE_TWO_THIRDS_ALL = "all_two_thirds"

RULE_LABELS = {
    RULE_ALL: _("超过全体代表的半数"),
    RULE_PRESENT: _("超过到会代表的半数"),
    RULE_TWO_THIRDS_ALL: _("达到全体代表的三分之二"),
}


def threshold(rule: str, *, electorate: int, present: int) -> tuple[int, str]:
    """The smallest number of votes that passes, and the sentence that states the rule."""
    if rule == RULE_ALL:
        need = electorate // 2 + 1
        text = _("通过规则：赞成票超过全体代表（%(n)d 名）的半数，即至少 %(k)d 票。")
        base = electorate
    elif rule == RULE_PRESENT:
        need = present // 2 + 1
        text = _("通过规则：赞成票超过到会代表（%(n)d 名）的半数，即至少 %(k)d 票。")
        base = present
    elif rule == RULE_TWO_THIRDS_ALL:
        need = math.ceil(Fraction(electorate * 2, 3))
        text = _("通过规则：赞成票达到全体代表（%(n)d 名）的三分之二，即至少 %(k)d 票。")
        base = electorate
    else:
        raise ValueError(rule)
    return need, str(text) % {"n": base, "k": need}


YES, NO, ABSTAIN = "yes", "no", "abstain"


@dataclass
class OptionResult:
    key: str
    label: str
    votes: int
    passed: bool = False


@dataclass
class Tally:
    kind: str  # "motion" | "election"
    ballots: int
    electronic: int
    paper: int
    invalid: int
    electorate: int
    present: int
    rule: str
    needed: int
    rule_text: str
    options: list[OptionResult] = field(default_factory=list)
    passed: bool = False  # motion passed / election filled all seats
    elected: list[str] = field(default_factory=list)
    tie: list[str] = field(default_factory=list)  # candidates tied at the last seat

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "ballots": self.ballots,
            "electronic": self.electronic,
            "paper": self.paper,
            "invalid": self.invalid,
            "electorate": self.electorate,
            "present": self.present,
            "rule": self.rule,
            "needed": self.needed,
            "rule_text": self.rule_text,
            "options": [
                {"key": o.key, "label": o.label, "votes": o.votes, "passed": o.passed} for o in self.options
            ],
            "passed": self.passed,
            "elected": self.elected,
            "tie": self.tie,
        }


def tally(
    *,
    kind: str,
    options: Sequence[tuple[str, str]],
    ballots: Iterable[tuple[Sequence[str], str]],
    electorate: int,
    present: int,
    rule: str,
    seats: int = 1,
) -> Tally:
    """Count `ballots` (each: the chosen option keys, and the source "electronic"/"paper").

    Motion: options are yes/no/abstain, a valid ballot names exactly one; it passes when yes votes
    reach the rule's threshold. Election: a valid ballot names 0..seats distinct candidates; a
    candidate is elected when their votes reach the threshold and they rank within the seats; a
    tie at the last seat elects nobody at that rank (a further round is needed)."""
    keys = [k for k, _label in options]
    valid_keys = set(keys)
    counts: Counter[str] = Counter()
    n = electronic = paper = invalid = 0
    for chosen, source in ballots:
        n += 1
        if source == "paper":
            paper += 1
        else:
            electronic += 1
        chosen = list(chosen)
        ok = len(set(chosen)) == len(chosen) and all(c in valid_keys for c in chosen)
        ok = ok and (len(chosen) == 1 if kind == "motion" else len(chosen) <= seats)
        if not ok:
            invalid += 1
            continue
        counts.update(chosen)
    needed, text = threshold(rule, electorate=electorate, present=present)
    results = [OptionResult(k, label, counts[k]) for k, label in options]
    t = Tally(kind, n, electronic, paper, invalid, electorate, present, rule, needed, text, results)
    if kind == "motion":
        yes = counts[YES]
        t.passed = yes >= needed
        for o in results:
            o.passed = o.key == YES and t.passed
        return t
    qualified = sorted((o for o in results if o.votes >= needed), key=lambda o: (-o.votes, keys.index(o.key)))
    elected: list[OptionResult] = []
    i = 0
    while i < len(qualified) and len(elected) < seats:
        group = [o for o in qualified if o.votes == qualified[i].votes]
        if len(elected) + len(group) <= seats:
            elected.extend(group)
        else:
            t.tie = [o.key for o in group]
            break
        i += len(group)
    for o in elected:
        o.passed = True
    t.elected = [o.key for o in elected]
    t.passed = len(elected) == seats
    return t


# ---- Delegate elections in constituencies -----------------------------------------------------


@dataclass
class ConstituencyResult:
    valid: bool  # turnout reached
    turnout_needed: int
    majority_needed: int
    elected: list[str]
    reason: str


def constituency_election(
    *, electors: int, participants: int, votes: dict[str, int], seats: int, turnout: Fraction = Fraction(2, 3)
) -> ConstituencyResult:
    """Delegates elected by a constituency (Shanghai rule): at least 2/3 of the constituency's
    electors take part, and a winner needs more than half of ALL its electors. At most `seats`
    winners, highest votes first; a tie at the last seat elects neither."""
    t_need = math.ceil(electors * turnout)
    m_need = electors // 2 + 1
    if participants < t_need:
        return ConstituencyResult(
            False,
            t_need,
            m_need,
            [],
            str(_("参加选举 %(p)d 人，不足选区职工 %(e)d 人的三分之二（%(n)d 人），选举无效。"))
            % {"p": participants, "e": electors, "n": t_need},
        )
    ranked = sorted(((v, name) for name, v in votes.items() if v >= m_need), key=lambda x: -x[0])
    elected: list[str] = []
    i = 0
    while i < len(ranked) and len(elected) < seats:
        group = [name for v, name in ranked if v == ranked[i][0]]
        if len(elected) + len(group) > seats:
            break
        elected.extend(group)
        i += len(group)
    return ConstituencyResult(
        True,
        t_need,
        m_need,
        elected,
        str(_("当选须获得超过选区全体职工（%(e)d 人）半数的选票，即至少 %(m)d 票。"))
        % {"e": electors, "m": m_need},
    )
