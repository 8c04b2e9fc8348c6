from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congress import rules
from congress.rules import SEAT_PRESETS, seat_count


@pytest.mark.parametrize(
    ("employees", "expected"),
    [(50, 30), (100, 30), (600, 30), (601, 31), (1000, 50), (5000, 250), (20, 20)],
)
def test_national_seats(employees, expected):
    assert seat_count(SEAT_PRESETS["national"], employees) == expected


@pytest.mark.parametrize(
    ("employees", "expected"),
    [(80, 30), (100, 30), (150, 35), (200, 35), (600, 55), (3000, 175), (8000, 175)],
)
def test_shanghai_seats(employees, expected):
    assert seat_count(SEAT_PRESETS["shanghai"], employees) == expected


@pytest.mark.parametrize(
    ("employees", "expected"),
    [(60, 30), (100, 40), (600, 75), (999, 103), (1000, 100), (2500, 140), (5000, 200), (9000, 200)],
)
def test_zhejiang_seats(employees, expected):
    assert seat_count(SEAT_PRESETS["zhejiang"], employees) == expected


def test_custom_formula_from_settings():
    f = rules.formula_from_config({"tiers": [[0, 20], [200, 25, 3, 100]], "minimum": 20})
    assert seat_count(f, 150) == 20
    assert seat_count(f, 450) == 25 + 3 * 3


def test_session_kind():
    assert rules.session_kind(purpose="workers", employees=100, members=10) == "congress"
    assert rules.session_kind(purpose="workers", employees=99, members=99) == "assembly"
    assert rules.session_kind(purpose="union", employees=500, members=120) == "members_congress"
    assert rules.session_kind(purpose="union", employees=500, members=60) == "members_assembly"


def test_allocate_seats_largest_remainder_and_one_each():
    assert rules.allocate_seats(30, [200, 200, 200]) == [10, 10, 10]
    assert rules.allocate_seats(30, [350, 150, 100]) == [18, 7, 5]
    assert rules.allocate_seats(5, [1000, 1, 1]) == [3, 1, 1]
    assert rules.allocate_seats(0, [5]) == [0]


@given(st.integers(1, 300), st.lists(st.integers(1, 5000), min_size=1, max_size=12))
def test_allocate_seats_sums_to_total(total, sizes):
    seats = rules.allocate_seats(total, sizes)
    assert sum(seats) == total
    if total >= len(sizes):
        assert min(seats) >= 1


def _comp(**kw):
    base = dict(
        seats=30,
        delegates=30,
        managers=6,
        women=12,
        presidium=8,
        presidium_front_line=4,
        employees=600,
        women_employees=240,
    )
    base.update(kw)
    return {c.code: c.passed for c in rules.composition_checks(rules.Composition(**base))}


def test_composition_checks_boundaries():
    assert _comp() == {"seats": True, "managers": True, "women": True, "presidium": True}
    assert _comp(managers=7)["managers"] is False
    assert _comp(women=10)["women"] is False  # 40% of 30 = 12, one short allowed
    assert _comp(women=11)["women"] is True
    assert _comp(presidium_front_line=3)["presidium"] is False
    assert _comp(delegates=29)["seats"] is False


def test_quorum_and_competitive_ratio():
    assert rules.quorum_needed(30) == 20
    assert rules.has_quorum(20, 30) is True
    assert rules.has_quorum(19, 30) is False
    assert rules.competitive_ok(4, 3) is True
    assert rules.competitive_ok(3, 3) is False
    assert rules.competitive_ok(21, 20) is True  # exactly 5%
    assert rules.competitive_ok(20, 19) is True
    assert rules.competitive_minimum(20) == 21
    assert rules.competitive_minimum(30) == 32


def test_distribution_and_working_days():
    assert rules.distribution_late(date(2026, 3, 13), date(2026, 3, 20)) is False
    assert rules.distribution_late(date(2026, 3, 14), date(2026, 3, 20)) is True
    assert rules.distribution_late(None, date(2026, 3, 20)) is True
    assert rules.add_working_days(date(2026, 3, 20), 7) == date(2026, 3, 31)  # Friday + 7 working days


def test_threshold_texts():
    assert rules.threshold(rules.RULE_ALL, electorate=30, present=25) == (
        16,
        "通过规则：赞成票超过全体代表（30 名）的半数，即至少 16 票。",
    )
    assert rules.threshold(rules.RULE_PRESENT, electorate=30, present=25)[0] == 13
    assert rules.threshold(rules.RULE_TWO_THIRDS_ALL, electorate=30, present=25)[0] == 20


def test_election_tie_at_last_seat_elects_nobody_at_that_rank():
    t = rules.tally(
        kind="election",
        options=[("a", "甲"), ("b", "乙"), ("c", "丙")],
        ballots=[(["a", "b"], "electronic")] * 10 + [(["a", "c"], "electronic")] * 10,
        electorate=15,
        present=15,
        rule=rules.RULE_ALL,
        seats=2,
    )
    assert t.elected == ["a"]
    assert t.tie == ["b", "c"]
    assert t.passed is False


MOTION = [(rules.YES, "赞成"), (rules.NO, "反对"), (rules.ABSTAIN, "弃权")]


@st.composite
def polls(draw):
    kind = draw(st.sampled_from(["motion", "election"]))
    if kind == "motion":
        options = MOTION
        seats = 1
    else:
        m = draw(st.integers(1, 8))
        options = [(f"c{i}", f"候选人{i}") for i in range(m)]
        seats = draw(st.integers(1, m))
    keys = [k for k, _ in options]
    electorate = draw(st.integers(1, 120))
    present = draw(st.integers(0, electorate))
    ballot = st.lists(st.sampled_from(keys + ["bogus"]), max_size=seats + 1).map(list)
    ballots = draw(st.lists(st.tuples(ballot, st.sampled_from(["electronic", "paper"])), max_size=present))
    rule = draw(st.sampled_from([rules.RULE_ALL, rules.RULE_PRESENT, rules.RULE_TWO_THIRDS_ALL]))
    return kind, options, seats, electorate, present, ballots, rule


@settings(max_examples=300, deadline=None)
@given(polls())
def test_tally_equals_the_ballots(p):
    kind, options, seats, electorate, present, ballots, rule = p
    t = rules.tally(
        kind=kind,
        options=options,
        ballots=ballots,
        electorate=electorate,
        present=present,
        rule=rule,
        seats=seats,
    )
    keys = {k for k, _ in options}

    def valid(chosen):
        if len(set(chosen)) != len(chosen) or not set(chosen) <= keys:
            return False
        return len(chosen) == 1 if kind == "motion" else len(chosen) <= seats

    good = [c for c, _s in ballots if valid(c)]
    assert t.ballots == len(ballots)
    assert t.invalid == len(ballots) - len(good)
    assert t.paper + t.electronic == len(ballots)
    for o in t.options:
        assert o.votes == sum(1 for c in good if o.key in c)
    base = electorate if rule != rules.RULE_PRESENT else present
    need = t.needed
    if rule == rules.RULE_TWO_THIRDS_ALL:
        assert Fraction(need, 1) >= Fraction(2 * base, 3) > need - 1
    else:
        assert need * 2 > base >= (need - 1) * 2
    if kind == "motion":
        assert t.passed == (t.options[0].votes >= need)
    else:
        assert len(t.elected) <= seats
        assert all(o.votes >= need for o in t.options if o.passed)
        losers = [o.votes for o in t.options if not o.passed]
        if t.elected and losers and not t.tie:
            assert min(o.votes for o in t.options if o.passed) >= max(losers) or max(losers) < need


def test_constituency_election_turnout_and_majority_of_all_electors():
    r = rules.constituency_election(electors=200, participants=133, votes={"甲": 150}, seats=1)
    assert (r.valid, r.turnout_needed, r.elected) == (False, 134, [])
    r = rules.constituency_election(
        electors=200, participants=180, votes={"甲": 150, "乙": 101, "丙": 100, "丁": 120}, seats=2
    )
    assert (r.valid, r.majority_needed, r.elected) == (True, 101, ["甲", "丁"])
    r = rules.constituency_election(
        electors=200, participants=180, votes={"甲": 120, "乙": 120, "丙": 150}, seats=2
    )
    assert r.elected == ["丙"]  # 甲 and 乙 tie for the last seat
