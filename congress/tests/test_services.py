from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from congress import services
from congress.models import Attendance, Ballot, Delegate, Participation, PollStatus, SessionStatus

from .factories import make_term, open_session


def test_term_for_600_employees_gets_30_seats_split_by_constituency(world):
    term, cons, dels = make_term(world, employees=600)
    assert term.kind == "congress"
    assert term.seats == 30
    assert [c.seats for c in term.constituencies.order_by("id")] == [10, 10, 10]
    assert len(dels) == 30
    assert AuditEvent.objects.filter(action="congress.term_create").count() == 1


def test_small_workforce_holds_assembly_of_all_workers(world):
    term = services.term_create(
        actor=world.staff_a,
        org=world.union_a,
        number=1,
        starts_on=date(2025, 1, 1),
        ends_on=date(2028, 1, 1),
        employees=80,
    )
    assert term.kind == "assembly"
    assert term.seats == 80


def test_term_errors(world):
    with pytest.raises(ValidationError) as e:
        services.term_create(
            actor=world.staff_a,
            org=world.union_a,
            number=1,
            starts_on=date(2025, 1, 1),
            ends_on=date(2026, 1, 1),
            employees=300,
        )
    assert e.value.message_dict["ends_on"] == ["职代会每届任期为三至五年。"]
    with pytest.raises(ValidationError) as e:
        services.term_create(
            actor=world.staff_a,
            org=world.union_a,
            number=1,
            starts_on=date(2025, 1, 1),
            ends_on=date(2028, 1, 1),
            employees=300,
            women_employees=301,
        )
    assert "women_employees" in e.value.message_dict


def test_constituency_full_refuses_extra_delegate(world):
    term, cons, dels = make_term(world, employees=600)
    with pytest.raises(ValidationError) as e:
        services.delegate_add(actor=world.staff_a, term=term, constituency=cons[0], name="多余", sex="m")
    assert "名额已满" in e.value.messages[0]


def test_delegate_replacement_keeps_history(world):
    term, cons, dels = make_term(world, employees=600)
    old = dels[3]
    new = services.delegate_replace(
        actor=world.staff_a, delegate=old, name="接班人", sex="f", reason="调离本单位"
    )
    old.refresh_from_db()
    assert old.status == "replaced"
    assert old.end_reason == "调离本单位"
    assert new.replaces_id == old.pk
    assert new.constituency_id == old.constituency_id
    assert Delegate.objects.filter(term=term, status="active").count() == 30
    assert old.user.is_active is False
    with pytest.raises(ValidationError):
        services.delegate_replace(actor=world.staff_a, delegate=old, name="再换", sex="f", reason="x")


def test_composition_checks(world):
    from congress import selectors

    term, cons, dels = make_term(world, employees=600)
    checks = {c.code: c.passed for c in selectors.composition(term)}
    assert checks == {"seats": True, "managers": True, "women": True, "presidium": True}


def test_card_checkin_is_one_time_and_stores_only_hash(world):
    term, cons, dels = make_term(world, employees=600)
    s = services.session_create(actor=world.staff_a, term=term, title="会", held_on=date(2026, 3, 20))
    cards = services.cards_issue(actor=world.staff_a, session=s)
    assert len(cards) == 30
    a = Attendance.objects.get(session=s, delegate=cards[0].delegate)
    assert a.token_hash == services.token_hash(cards[0].token)
    assert cards[0].token not in a.token_hash
    services.checkin_by_token(token=cards[0].token)
    a.refresh_from_db()
    assert a.checked_in_at is not None
    assert a.token_hash is None
    with pytest.raises(ValidationError) as e:
        services.checkin_by_token(token=cards[0].token)
    assert e.value.code == "invalid"


def test_poll_needs_quorum_and_session_in_progress(world):
    term, cons, dels = make_term(world, employees=600)
    s = open_session(world, term, present=19)  # 2/3 of 30 is 20
    poll = services.poll_create(actor=world.staff_a, session=s, kind="motion", title="工资集体协议草案")
    with pytest.raises(ValidationError) as e:
        services.poll_open(actor=world.staff_a, poll=poll)
    assert "未达到全体代表 30 名的三分之二（20 名）" in e.value.messages[0]
    services.checkin_manual(actor=world.staff_a, session=s, delegate=dels[25])
    services.poll_open(actor=world.staff_a, poll=poll)
    poll.refresh_from_db()
    assert (poll.status, poll.electorate, poll.present) == ("open", 30, 20)


def test_motion_state_machine_and_pass_rule_of_all_delegates(world):
    term, cons, dels = make_term(world, employees=600)
    s = open_session(world, term, present=25)
    poll = services.poll_create(
        actor=world.staff_a, session=s, kind="motion", title="工资集体协议草案", secret=True
    )
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=dels[0].user, poll=poll, delegate=dels[0], choices=["yes"])  # draft
    services.poll_open(actor=world.staff_a, poll=poll)
    for d in dels[:15]:
        services.ballot_cast(actor=d.user, poll=poll, delegate=d, choices=["yes"])
    for d in dels[15:22]:
        services.ballot_cast(actor=d.user, poll=poll, delegate=d, choices=["no"])
    with pytest.raises(services.AlreadyVoted):
        services.ballot_cast(actor=dels[0].user, poll=poll, delegate=dels[0], choices=["no"])
    with pytest.raises(ValidationError) as e:
        services.ballot_cast(actor=dels[26].user, poll=poll, delegate=dels[26], choices=["yes"])
    assert e.value.code == "not_present"
    with pytest.raises(ValidationError):
        services.poll_publish(actor=world.staff_a, poll=poll)
    services.poll_close(actor=world.staff_a, poll=poll)
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=dels[23].user, poll=poll, delegate=dels[23], choices=["yes"])
    services.poll_publish(actor=world.staff_a, poll=poll)
    poll.refresh_from_db()
    # 15 yes of 30 delegates is not MORE than half: fails though 15 of 22 voters said yes
    assert poll.result["passed"] is False
    assert poll.result["needed"] == 16
    assert poll.result["rule_text"] == "通过规则：赞成票超过全体代表（30 名）的半数，即至少 16 票。"
    assert [o["votes"] for o in poll.result["options"]] == [15, 7, 0]
    assert Ballot.objects.filter(poll=poll).count() == 22
    assert Participation.objects.filter(poll=poll).count() == 22
    t, same = services.poll_recount(actor=world.staff_a, poll=poll)
    assert same is True
    with pytest.raises(ValidationError):
        services.poll_open(actor=world.staff_a, poll=poll)


def test_election_competitive_ratio_and_paper_ballots(world):
    term, cons, dels = make_term(world, employees=600)
    s = open_session(world, term, present=30)
    poll = services.poll_create(
        actor=world.staff_a,
        session=s,
        kind="election",
        title="选举工会委员",
        seats=3,
        candidates=["甲", "乙", "丙"],
    )
    with pytest.raises(ValidationError) as e:
        services.poll_open(actor=world.staff_a, poll=poll)
    assert "候选人至少 4 名" in e.value.messages[0]
    poll = services.poll_create(
        actor=world.staff_a,
        session=s,
        kind="election",
        title="选举工会委员（差额）",
        seats=3,
        candidates=["甲", "乙", "丙", "丁"],
    )
    services.poll_open(actor=world.staff_a, poll=poll)
    for d in dels[:20]:
        services.ballot_cast(actor=d.user, poll=poll, delegate=d, choices=["c1", "c2", "c3"])
    with pytest.raises(ValidationError):
        services.ballot_cast(
            actor=dels[21].user, poll=poll, delegate=dels[21], choices=["c1", "c2", "c3", "c4"]
        )
    services.paper_issue(actor=world.staff_a, poll=poll, delegate=dels[25])
    services.paper_issue(actor=world.staff_a, poll=poll, delegate=dels[26])
    with pytest.raises(services.AlreadyVoted):
        services.ballot_cast(actor=dels[25].user, poll=poll, delegate=dels[25], choices=["c4"])
    services.poll_close(actor=world.staff_a, poll=poll)
    with pytest.raises(ValidationError):
        services.poll_publish(actor=world.staff_a, poll=poll)  # paper ballots not entered
    services.paper_enter(actor=world.staff_a, poll=poll, choices=["c4"])
    services.paper_enter(actor=world.staff_a, poll=poll, choices=[], invalid=True)
    with pytest.raises(ValidationError):
        services.paper_enter(actor=world.staff_a, poll=poll, choices=["c4"])
    services.poll_publish(actor=world.staff_a, poll=poll)
    poll.refresh_from_db()
    r = poll.result
    assert (r["ballots"], r["electronic"], r["paper"], r["invalid"]) == (22, 20, 2, 1)
    assert [o["votes"] for o in r["options"]] == [20, 20, 20, 1]
    assert r["elected"] == ["c1", "c2", "c3"]
    assert r["passed"] is True


def test_session_state_machine(world):
    term, cons, dels = make_term(world, employees=600)
    s = services.session_create(actor=world.staff_a, term=term, title="会", held_on=date(2026, 3, 20))
    with pytest.raises(ValidationError):
        services.session_close(actor=world.staff_a, session=s)
    with pytest.raises(ValidationError):
        services.session_report(actor=world.staff_a, session=s)
    services.session_open(actor=world.staff_a, session=s)
    services.session_close(actor=world.staff_a, session=s)
    s = services.session_report(actor=world.staff_a, session=s)
    assert s.status == SessionStatus.REPORTED
    ev = AuditEvent.objects.filter(action="congress.session_report").get()
    assert ev.details["to"] == "测试街道总工会"


def test_document_distribution_late_flag(world):
    from congress import selectors

    term, cons, dels = make_term(world, employees=600)
    s = services.session_create(actor=world.staff_a, term=term, title="会", held_on=date(2026, 3, 20))
    services.document_add(
        actor=world.staff_a, session=s, title="行政工作报告", distributed_on=date(2026, 3, 13)
    )
    services.document_add(
        actor=world.staff_a, session=s, title="工资协议草案", distributed_on=date(2026, 3, 14)
    )
    assert [r["late"] for r in selectors.documents(s)] == [False, True]


def test_named_poll_records_delegate_on_ballot(world):
    term, cons, dels = make_term(world, employees=600)
    s = open_session(world, term)
    poll = services.poll_create(actor=world.staff_a, session=s, kind="motion", title="记名表决", secret=False)
    services.poll_open(actor=world.staff_a, poll=poll)
    services.ballot_cast(actor=dels[0].user, poll=poll, delegate=dels[0], choices=["no"])
    b = Ballot.objects.get(poll=poll)
    assert b.delegate_id == dels[0].pk
    poll.refresh_from_db()
    assert poll.status == PollStatus.OPEN


def test_constituency_election_creates_the_elected_delegates(world):
    term, cons, dels = make_term(world, employees=600, delegates=27)
    c = cons[2]  # 200 electors, 10 seats, 9 in office
    bad = services.constituency_election_record(
        actor=world.staff_a,
        constituency=c,
        held_on=date(2025, 1, 5),
        participants=120,
        candidates=[services.Candidate("赵敏", "f", 110)],
    )
    assert bad.valid is False
    assert bad.elected == []
    e = services.constituency_election_record(
        actor=world.staff_a,
        constituency=c,
        held_on=date(2025, 1, 6),
        participants=180,
        candidates=[services.Candidate("赵敏", "f", 150), services.Candidate("钱进", "m", 100)],
    )
    assert (e.valid, e.elected) == (True, ["赵敏"])
    d = Delegate.objects.get(name="赵敏")
    assert (d.constituency_id, d.sex, d.since) == (c.pk, "f", date(2025, 1, 6))
    with pytest.raises(ValidationError):
        services.constituency_election_record(
            actor=world.staff_a,
            constituency=c,
            held_on=date(2025, 1, 7),
            participants=180,
            candidates=[services.Candidate("孙", "m", 150)],
        )


def test_reissued_card_logs_in_again_and_keeps_the_check_in_time(world):
    term, cons, dels = make_term(world, employees=600)
    s = services.session_create(actor=world.staff_a, term=term, title="会", held_on=date(2026, 3, 20))
    cards = services.cards_issue(actor=world.staff_a, session=s)
    a = services.checkin_by_token(token=cards[0].token)
    first = a.checked_in_at
    assert services.cards_issue(actor=world.staff_a, session=s) != []
    assert cards[0].delegate.pk not in {
        c.delegate.pk for c in services.cards_issue(actor=world.staff_a, session=s)
    }
    again = services.cards_issue(actor=world.staff_a, session=s, delegates=[cards[0].delegate])
    assert len(again) == 1
    a = services.checkin_by_token(token=again[0].token)
    assert a.checked_in_at == first
    assert AuditEvent.objects.filter(action="congress.checkin", details__again=True).count() == 1


def test_a_meeting_opens_on_its_day_and_documents_go_out_within_the_term(world):
    import datetime as dt

    from django.utils import timezone

    term, _cons, _dels = make_term(world)
    later = services.session_create(
        actor=world.staff_a, term=term, title="一届二次", held_on=timezone.localdate() + dt.timedelta(days=9)
    )
    with pytest.raises(ValidationError) as e:
        services.session_open(actor=world.staff_a, session=later)
    assert e.value.messages == [
        f"会议定于{later.held_on.isoformat()}召开，还不能宣布开会。会议提前召开的，请按实际日期新建一次会议。"
    ]
    with pytest.raises(ValidationError) as e:
        services.document_add(
            actor=world.staff_a, session=later, title="工作报告", distributed_on=dt.date(1999, 1, 1)
        )
    assert e.value.message_dict == {
        "distributed_on": [f"送达日期不能早于本届任期开始（{term.starts_on.isoformat()}）。"]
    }
    later.refresh_from_db()
    assert later.status == "planned" and not later.documents.exists()
