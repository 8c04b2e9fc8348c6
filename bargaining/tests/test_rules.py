from datetime import date

import pytest

from bargaining import rules
from bargaining.rules import Seat
from deadlines import calendar


def seats(w=3, e=3, *, w_experts=0, extra=()):
    out = [Seat("workers", f"W{i}", is_chief=(i == 0), is_expert=(0 < i <= w_experts)) for i in range(w)]
    out += [Seat("employer", f"E{i}", is_chief=(i == 0)) for i in range(e)]
    return out + list(extra)


def test_valid_team_has_no_problems():
    assert rules.team_problems(seats()) == []


def test_unequal_and_too_small():
    problems = rules.team_problems(seats(2, 3))
    assert problems == [
        "双方协商代表人数应相等（职工方2人，用人单位方3人）。",
        "职工方协商代表不少于3人，现有2人。",
    ]


def test_chief_missing_and_double():
    s = [Seat("workers", f"W{i}") for i in range(3)] + [
        Seat("employer", f"E{i}", is_chief=True) for i in range(3)
    ]
    assert rules.team_problems(s) == [
        "职工方应有且只有一名首席代表，现有0名。",
        "用人单位方应有且只有一名首席代表，现有3名。",
    ]


def test_experts_at_most_a_third():
    assert rules.team_problems(seats(3, 3, w_experts=1)) == []
    assert rules.team_problems(seats(3, 3, w_experts=2)) == [
        "职工方委托的外部专家不得超过本方代表的三分之一（2/3）。"
    ]
    assert rules.team_problems(seats(6, 6, w_experts=2)) == []


def test_expert_never_chief_and_nobody_on_both_sides():
    s = [Seat("workers", "W0", is_chief=True, is_expert=True), Seat("workers", "W1"), Seat("workers", "X")]
    s += [Seat("employer", "E0", is_chief=True), Seat("employer", "E1"), Seat("employer", "X")]
    assert rules.team_problems(s) == ["职工方的首席代表不得由外部专家担任。", "X 不得同时担任双方协商代表。"]


@pytest.mark.parametrize(
    ("present", "total", "agree", "passes"),
    [
        (40, 60, 31, True),  # exactly 2/3 present, more than half of ALL agree
        (39, 60, 31, False),  # below 2/3 present
        (60, 60, 30, False),  # exactly half of all is not "more than half"
        (45, 60, 31, True),
        (45, 60, 30, False),  # > half of those present but not of all
        (3, 3, 2, True),
        (0, 0, 0, False),
    ],
)
def test_congress_passes(present, total, agree, passes):
    assert rules.congress_passes(present=present, total=total, agree=agree) is passes


def test_congress_vote_errors():
    assert rules.congress_vote_errors(present=10, total=5, agree=3) == {
        "present": ["到会人数应在0到代表总数之间。"]
    }
    assert rules.congress_vote_errors(present=5, total=5, agree=6) == {
        "agree": ["同意人数应在0到到会人数之间。"]
    }
    assert rules.congress_vote_errors(present=0, total=0, agree=0)["total"] == ["代表总数必须大于0。"]


def test_term_end_and_renewal_window():
    assert rules.term_end(date(2026, 4, 1), 2) == date(2028, 3, 31)
    assert rules.term_end(date(2024, 2, 29), 1) == date(2025, 2, 28)
    # The renewal window opens on the shared calendar's corresponding day, months counted backwards.
    assert calendar.add_months(date(2028, 3, 31), -3) == date(2027, 12, 31)
    assert calendar.add_months(date(2028, 5, 31), -3) == date(2028, 2, 29)
    assert calendar.add_months(date(2028, 1, 15), -3) == date(2027, 10, 15)


def test_diff_rows_marks_changed_characters():
    rows = rules.diff_rows("甲\n工资120%\n丙", "甲\n工资130%\n丙\n丁")
    assert [r.kind for r in rows] == ["same", "change", "same", "add"]
    change = rows[1]
    assert change.old == [("", "工资1"), ("del", "2"), ("", "0%")]
    assert change.new == [("", "工资1"), ("ins", "3"), ("", "0%")]
    assert rows[3].new == [("ins", "丁")]
    assert rules.diff_rows("a\nb", "a")[1].kind == "del"
