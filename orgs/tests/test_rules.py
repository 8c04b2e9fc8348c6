from datetime import date

import pytest

from orgs.rules import OrgFacts, check, committee_size_range, warning_text

TODAY = date(2026, 11, 25)


def facts(**kw):
    base = {
        "kind": "union",
        "member_count": 120,
        "employee_count": 150,
        "term_start": date(2023, 1, 1),
        "term_end": date(2028, 1, 1),
        "committee_size": 5,
        "has_chair": True,
    }
    base.update(kw)
    return OrgFacts(**base)


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (5, (1, 1)),
        (20, (3, 3)),
        (26, (3, 5)),
        (100, (3, 5)),
        (101, (5, 7)),
        (600, (9, 15)),
        (60000, (37, 45)),
    ],
)
def test_committee_size_table(members, expected):
    assert committee_size_range(members) == expected


def test_a_healthy_union_has_no_findings():
    assert check(facts(), TODAY) == []


def test_term_overdue():
    found = check(facts(term_start=date(2020, 1, 1), term_end=date(2025, 1, 1)), TODAY)
    assert [(f.code, f.params) for f in found] == [("term_overdue", {"term_end": "2025-01-01"})]
    assert warning_text("term_overdue", found[0].params) == "委员会任期已于 2025-01-01 届满，应及时换届。"


def test_term_length_not_three_or_five_years():
    found = check(facts(term_start=date(2024, 1, 1), term_end=date(2028, 1, 1)), TODAY)
    assert [f.code for f in found] == ["term_length"]


def test_no_committee_from_25_members():
    assert [f.code for f in check(facts(committee_size=0, has_chair=False, member_count=25), TODAY)] == [
        "no_committee"
    ]
    assert check(facts(committee_size=0, has_chair=False, member_count=24), TODAY) == []


def test_committee_size_out_of_range_and_no_chair():
    found = check(facts(committee_size=2, has_chair=False), TODAY)
    assert [(f.code, f.params) for f in found] == [
        ("committee_size", {"size": 2, "members": 120, "low": 5, "high": 7}),
        ("no_chair", {}),
    ]


def test_branches_are_not_checked():
    assert check(facts(kind="branch", committee_size=0, member_count=300), TODAY) == []
