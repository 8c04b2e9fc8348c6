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
        f"会议定于{later.held_on.isoformat()}召开，还不能宣布开会。会议提前召开的，请先点“编辑”把会议日期改为实际日期。"
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


# ---- Editing a planned meeting ------------------------------------------------------------------


def _planned(world, term, days_ahead=9):
    import datetime as dt

    from django.utils import timezone

    return services.session_create(
        actor=world.secretariat_a,
        term=term,
        title="一届二次职代会",
        held_on=timezone.localdate() + dt.timedelta(days=days_ahead),
        venue="大礼堂",
    )


def _row(session):
    from congress.models import Session

    return Session.objects.filter(pk=session.pk).values("title", "held_on", "venue", "status").get()


def test_a_meeting_held_earlier_is_moved_to_its_day_and_then_opened(world):
    from django.utils import timezone

    term, _cons, _dels = make_term(world)
    s = _planned(world, term)
    planned_on = s.held_on
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.session_open(actor=world.secretariat_a, session=s)
    s = services.session_update(
        actor=world.secretariat_a,
        session=s,
        title=" 一届二次职代会（提前） ",
        held_on=today,
        venue="三楼会议室",
    )
    assert _row(s) == {
        "title": "一届二次职代会（提前）",  # normalized as at creation (spaces; Chinese brackets kept)
        "held_on": today,
        "venue": "三楼会议室",
        "status": "planned",
    }
    ev = AuditEvent.objects.get(action="congress.session_update")
    assert (ev.actor_id, ev.org_id, ev.target_type, ev.target_id) == (
        world.secretariat_a.pk,
        world.union_a.pk,
        "congress.session",
        str(s.pk),
    )
    assert ev.details == {
        "changes": {
            "title": ["一届二次职代会", "一届二次职代会（提前）"],
            "held_on": [planned_on.isoformat(), today.isoformat()],
            "venue": ["大礼堂", "三楼会议室"],
        }
    }
    # saving the same values again changes nothing and records nothing
    services.session_update(
        actor=world.secretariat_a,
        session=s,
        title="一届二次职代会（提前）",
        held_on=today,
        venue="三楼会议室",
    )
    assert AuditEvent.objects.filter(action="congress.session_update").count() == 1
    s = services.session_open(actor=world.secretariat_a, session=s)
    assert s.status == SessionStatus.IN_PROGRESS


def test_an_opened_or_closed_meeting_cannot_be_edited(world):
    term, _cons, _dels = make_term(world)
    s = open_session(world, term)
    before = _row(s)
    with pytest.raises(ValidationError) as e:
        services.session_update(
            actor=world.staff_a, session=s, title="改名", held_on=date(2026, 3, 21), venue=""
        )
    assert e.value.messages == ["只有筹备中的会议可以修改会议信息（当前：会议进行中）。"]
    assert e.value.code == "not_planned"
    services.session_close(actor=world.staff_a, session=s)
    with pytest.raises(ValidationError) as e:
        services.session_update(actor=world.staff_a, session=s, title="改名", held_on=date(2026, 3, 21))
    assert e.value.messages == ["只有筹备中的会议可以修改会议信息（当前：已闭会）。"]
    assert _row(s) == {**before, "status": "closed"}
    assert not AuditEvent.objects.filter(action="congress.session_update").exists()


def test_a_stale_planned_copy_is_refused_once_the_meeting_has_opened(world):
    from congress.models import Session

    term, _cons, _dels = make_term(world)
    s = services.session_create(actor=world.staff_a, term=term, title="会", held_on=date(2026, 3, 20))
    stale = Session.objects.get(pk=s.pk)
    services.session_open(actor=world.staff_a, session=s)
    assert stale.status == "planned"
    with pytest.raises(ValidationError) as e:
        services.session_update(actor=world.staff_a, session=stale, title="会", held_on=date(2026, 3, 19))
    assert e.value.code == "not_planned"
    assert _row(s)["held_on"] == date(2026, 3, 20)


def test_edit_checks_the_title_and_the_term_as_creation_does(world):
    term, _cons, _dels = make_term(world)  # term 2025-01-01 .. 2028-01-01
    s = services.session_create(actor=world.staff_a, term=term, title="会", held_on=date(2026, 3, 20))
    before = _row(s)
    for bad in (date(2024, 12, 31), date(2028, 1, 2)):
        with pytest.raises(ValidationError) as e:
            services.session_update(actor=world.staff_a, session=s, title="会", held_on=bad)
        assert e.value.message_dict == {"held_on": ["会议日期不在本届任期内。"]}
    with pytest.raises(ValidationError) as e:
        services.session_update(actor=world.staff_a, session=s, title="  ", held_on=date(2026, 3, 21))
    assert e.value.message_dict == {"title": ["请填写会议名称。"]}
    assert _row(s) == before
    # the term's first and last days are within it
    services.session_update(actor=world.staff_a, session=s, title="会", held_on=date(2025, 1, 1))
    services.session_update(actor=world.staff_a, session=s, title="会", held_on=date(2028, 1, 1))
    assert _row(s)["held_on"] == date(2028, 1, 1)


def test_a_new_date_keeps_the_documents_on_or_before_the_meeting(world):
    term, _cons, _dels = make_term(world)
    s = services.session_create(actor=world.staff_a, term=term, title="会", held_on=date(2026, 3, 20))
    services.document_add(
        actor=world.staff_a, session=s, title="行政工作报告", distributed_on=date(2026, 3, 10)
    )
    services.document_add(
        actor=world.staff_a, session=s, title="工资协议草案", distributed_on=date(2026, 3, 13)
    )
    services.document_add(actor=world.staff_a, session=s, title="尚未送达", distributed_on=None)
    with pytest.raises(ValidationError) as e:
        services.session_update(actor=world.staff_a, session=s, title="会", held_on=date(2026, 3, 12))
    assert e.value.message_dict == {"held_on": ["已有会议文件于2026-03-13送达代表，会议日期不能早于这一天。"]}
    assert _row(s)["held_on"] == date(2026, 3, 20)
    moved = services.session_update(actor=world.staff_a, session=s, title="会", held_on=date(2026, 3, 13))
    assert moved.held_on == date(2026, 3, 13)
    # a document registered through an older copy of the meeting is checked against the new date
    with pytest.raises(ValidationError) as e:
        services.document_add(
            actor=world.staff_a, session=s, title="补充材料", distributed_on=date(2026, 3, 15)
        )
    assert s.held_on == date(2026, 3, 20)
    assert e.value.message_dict == {"distributed_on": ["送达日期不能晚于会议日期。"]}
    assert s.documents.count() == 3


def test_once_delegates_have_checked_in_the_date_can_only_become_that_day(world):
    import datetime as dt

    from django.utils import timezone

    from congress.models import Attendance

    term, _cons, dels = make_term(world)
    today = timezone.localdate()
    s = _planned(world, term)
    planned_on = s.held_on
    services.checkin_manual(actor=world.staff_a, session=s, delegate=dels[0])
    with pytest.raises(ValidationError) as e:
        services.session_update(
            actor=world.staff_a, session=s, title="一届二次职代会", held_on=today + dt.timedelta(days=5)
        )
    assert e.value.message_dict == {
        "held_on": [f"已有代表在{today.isoformat()}签到，会议日期只能改为这一天。"]
    }
    # the name and the venue can still change while the date stays
    services.session_update(actor=world.staff_a, session=s, title="一届二次", held_on=planned_on, venue="")
    assert _row(s) == {"title": "一届二次", "held_on": planned_on, "venue": "", "status": "planned"}
    services.session_update(actor=world.staff_a, session=s, title="一届二次", held_on=today)
    assert _row(s)["held_on"] == today
    # check-ins on two different days: no day fits them all
    services.checkin_manual(actor=world.staff_a, session=s, delegate=dels[1])
    yesterday = today - dt.timedelta(days=1)
    Attendance.objects.filter(session=s, delegate=dels[1]).update(
        checked_in_at=timezone.now() - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as e:
        services.session_update(actor=world.staff_a, session=s, title="一届二次", held_on=yesterday)
    assert e.value.message_dict == {
        "held_on": [
            f"已有代表在{yesterday.isoformat()}至{today.isoformat()}的不同日期签到，会议日期不能再修改。"
        ]
    }
    assert _row(s)["held_on"] == today


def test_session_date_limits(world):
    from django.utils import timezone

    term, _cons, dels = make_term(world)
    s = services.session_create(actor=world.staff_a, term=term, title="会", held_on=date(2026, 3, 20))
    assert services.session_date_limits(s) == services.SessionDateLimits(
        term_starts=date(2025, 1, 1), term_ends=date(2028, 1, 1), last_distributed=None, checked_in=()
    )
    services.document_add(actor=world.staff_a, session=s, title="报告", distributed_on=date(2026, 3, 2))
    services.checkin_manual(actor=world.staff_a, session=s, delegate=dels[0])
    assert services.session_date_limits(s) == services.SessionDateLimits(
        term_starts=date(2025, 1, 1),
        term_ends=date(2028, 1, 1),
        last_distributed=date(2026, 3, 2),
        checked_in=(timezone.localdate(),),
    )
