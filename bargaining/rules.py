"""Pure rules of collective consultation (DOMAIN.md §6). No database access here."""

import difflib
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

WORKERS = "workers"
EMPLOYER = "employer"


@dataclass(frozen=True)
class Seat:
    side: str
    name: str
    is_chief: bool = False
    is_expert: bool = False


def team_problems(seats: list[Seat], *, min_per_side: int = 3) -> list[str]:
    """What is wrong with the two negotiating teams (CCR art. 19, 23, 24). Empty when valid.
    `seats` are the negotiators currently sitting (vacated seats left out)."""
    problems: list[str] = []
    sides = {
        WORKERS: [s for s in seats if s.side == WORKERS],
        EMPLOYER: [s for s in seats if s.side == EMPLOYER],
    }
    labels = {WORKERS: _("职工方"), EMPLOYER: _("用人单位方")}
    n_w, n_e = len(sides[WORKERS]), len(sides[EMPLOYER])
    if n_w != n_e:
        problems.append(
            _("双方协商代表人数应相等（职工方%(w)d人，用人单位方%(e)d人）。") % {"w": n_w, "e": n_e}
        )
    for side, members in sides.items():
        label = labels[side]
        if len(members) < min_per_side:
            problems.append(
                _("%(side)s协商代表不少于%(min)d人，现有%(n)d人。")
                % {"side": label, "min": min_per_side, "n": len(members)}
            )
        chiefs = [s for s in members if s.is_chief]
        if len(chiefs) != 1:
            problems.append(
                _("%(side)s应有且只有一名首席代表，现有%(n)d名。") % {"side": label, "n": len(chiefs)}
            )
        experts = [s for s in members if s.is_expert]
        if experts and len(experts) * 3 > len(members):
            problems.append(
                _("%(side)s委托的外部专家不得超过本方代表的三分之一（%(x)d/%(n)d）。")
                % {"side": label, "x": len(experts), "n": len(members)}
            )
        if any(s.is_chief and s.is_expert for s in members):
            problems.append(_("%(side)s的首席代表不得由外部专家担任。") % {"side": label})
    both = {s.name for s in sides[WORKERS]} & {s.name for s in sides[EMPLOYER]}
    for name in sorted(both):
        problems.append(_("%(name)s 不得同时担任双方协商代表。") % {"name": name})
    return problems


def congress_passes(*, present: int, total: int, agree: int) -> bool:
    """CCR art. 36: at least 2/3 of all delegates present, and more than half of ALL agree."""
    if total <= 0:
        return False
    return present * 3 >= total * 2 and agree * 2 > total


def congress_vote_errors(*, present: int, total: int, agree: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if total <= 0:
        errors["total"] = [_("代表总数必须大于0。")]
    if present < 0 or present > max(total, 0):
        errors["present"] = [_("到会人数应在0到代表总数之间。")]
    if agree < 0 or agree > max(present, 0):
        errors["agree"] = [_("同意人数应在0到到会人数之间。")]
    return errors


def term_end(start: date, years: int) -> date:
    """Last day of a term of `years` years starting on `start`."""
    from datetime import timedelta

    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = date(start.year + years, 3, 1)
    return end - timedelta(days=1)


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "add", "del", "change"
    old_no: int | None
    new_no: int | None
    old: list[tuple[str, str]]  # segments (kind, text) with kind "", "del"
    new: list[tuple[str, str]]  # segments (kind, text) with kind "", "ins"


def _char_segments(a: str, b: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    old: list[tuple[str, str]] = []
    new: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            old.append(("", a[i1:i2]))
            new.append(("", b[j1:j2]))
        else:
            if i2 > i1:
                old.append(("del", a[i1:i2]))
            if j2 > j1:
                new.append(("ins", b[j1:j2]))
    return old, new


def diff_rows(old_text: str, new_text: str) -> list[DiffRow]:
    """A side-by-side diff of two versions, line by line, with changed characters marked inside
    changed lines (Chinese text has no word boundaries, so characters are the unit)."""
    a = old_text.splitlines()
    b = new_text.splitlines()
    rows: list[DiffRow] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                rows.append(DiffRow("same", i1 + k + 1, j1 + k + 1, [("", a[i1 + k])], [("", b[j1 + k])]))
        elif tag == "delete":
            for k in range(i1, i2):
                rows.append(DiffRow("del", k + 1, None, [("del", a[k])], []))
        elif tag == "insert":
            for k in range(j1, j2):
                rows.append(DiffRow("add", None, k + 1, [], [("ins", b[k])]))
        else:
            n = max(i2 - i1, j2 - j1)
            for k in range(n):
                ia, jb = i1 + k, j1 + k
                if ia < i2 and jb < j2:
                    old, new = _char_segments(a[ia], b[jb])
                    rows.append(DiffRow("change", ia + 1, jb + 1, old, new))
                elif ia < i2:
                    rows.append(DiffRow("del", ia + 1, None, [("del", a[ia])], []))
                else:
                    rows.append(DiffRow("add", None, jb + 1, [], [("ins", b[jb])]))
    return rows
