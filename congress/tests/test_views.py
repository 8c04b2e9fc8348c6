from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress import services
from congress.models import Ballot, Participation

from .factories import make_term, open_session


def test_card_token_checks_in_and_logs_the_delegate_in_without_password(world, django_assert_max_num_queries):
    term, cons, dels = make_term(world, employees=600)
    s = services.session_create(actor=world.staff_a, term=term, title="一届一次", held_on=date(2026, 3, 20))
    cards = services.cards_issue(actor=world.staff_a, session=s)
    phone = Client()
    url = reverse("congress:checkin", args=[cards[0].token])
    r = phone.get(url)
    assert r.status_code == 200
    assert cards[0].delegate.name in r.content.decode()
    with django_assert_max_num_queries(20):  # constant: login signal handlers (axes) included
        r = phone.post(url)
    assert r.status_code == 302
    assert r["Location"] == reverse("congress:vote", args=[s.pk])
    r = phone.get(r["Location"])
    assert r.status_code == 200
    assert "已签到" in r.content.decode()
    # the token is spent: a second phone is sent to the login page
    r = Client().post(url)
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_delegate_votes_from_phone_and_a_repeat_is_answered_clearly(world):
    term, cons, dels = make_term(world, employees=600)
    s = open_session(world, term)
    poll = services.poll_create(actor=world.staff_a, session=s, kind="motion", title="工资协议")
    services.poll_open(actor=world.staff_a, poll=poll)
    c = Client()
    c.force_login(dels[0].user)
    r = c.get(reverse("congress:vote", args=[s.pk]))
    assert "工资协议" in r.content.decode()
    r = c.post(reverse("congress:ballot", args=[poll.pk]), {"choice": "yes"}, headers={"HX-Request": "true"})
    assert "投票成功，您的选票已计入。" in r.content.decode()
    r = c.post(reverse("congress:ballot", args=[poll.pk]), {"choice": "no"}, headers={"HX-Request": "true"})
    assert "您已在本事项中投过票，本次提交没有重复计票。" in r.content.decode()
    r = c.post(
        f"/api/v1/congress/polls/{poll.pk}/ballot", {"choices": ["no"]}, content_type="application/json"
    )
    assert r.status_code == 409
    assert r.json()["status"] == "already_voted"
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert Participation.objects.filter(poll=poll).count() == 1
    c2 = Client()
    c2.force_login(dels[1].user)
    r = c2.post(
        f"/api/v1/congress/polls/{poll.pk}/ballot", {"choices": ["maybe"]}, content_type="application/json"
    )
    assert r.status_code == 422
    r = c2.post(
        f"/api/v1/congress/polls/{poll.pk}/ballot", {"choices": ["no"]}, content_type="application/json"
    )
    assert r.status_code == 201


def test_tally_api_gives_no_counts_while_voting_is_open(world):
    term, cons, dels = make_term(world)
    s = open_session(world, term)
    poll = services.poll_create(actor=world.staff_a, session=s, kind="motion", title="工资协议")
    services.poll_open(actor=world.staff_a, poll=poll)
    voter = Client()
    voter.force_login(dels[0].user)
    r = voter.post(
        f"/api/v1/congress/polls/{poll.pk}/ballot", {"choices": ["no"]}, content_type="application/json"
    )
    assert r.status_code == 201
    staff = Client()
    staff.force_login(world.staff_a)
    body = staff.get(f"/api/v1/congress/polls/{poll.pk}/tally").json()
    assert (body["status"], body["voted"], body["result"]) == ("open", 1, {})
    # nor the printable result
    assert staff.get(reverse("congress:result_print", args=[poll.pk])).status_code == 404
    services.poll_close(actor=world.staff_a, poll=poll)
    assert staff.get(reverse("congress:result_print", args=[poll.pk])).status_code == 200
    body = staff.get(f"/api/v1/congress/polls/{poll.pk}/tally").json()
    assert body["status"] == "closed" and body["result"]["ballots"] == 1
    assert {o["key"]: o["votes"] for o in body["result"]["options"]}["no"] == 1


def test_pages_query_counts(world, django_assert_max_num_queries):
    term, cons, dels = make_term(world, employees=600)
    s = open_session(world, term)
    poll = services.poll_create(actor=world.staff_a, session=s, kind="motion", title="工资协议")
    services.poll_open(actor=world.staff_a, poll=poll)
    c = Client()
    c.force_login(world.staff_a)
    for name, pk, limit in [
        ("congress:home", None, 12),
        ("congress:term", term.pk, 20),
        ("congress:session", s.pk, 25),
        ("congress:poll", poll.pk, 20),
        ("congress:projector", s.pk, 12),
        ("congress:delegates_print", term.pk, 14),
        ("congress:minutes_print", s.pk, 16),
    ]:
        url = reverse(name, args=[pk] if pk else [])
        with django_assert_max_num_queries(limit):
            r = c.get(url)
        assert r.status_code == 200, name
    r = c.get(reverse("congress:term", args=[term.pk]))
    body = r.content.decode()
    assert "代表名额" in body and ">30<" in body
    assert "✔ 通过" in body


def test_projector_partial_shows_quorum(world):
    term, cons, dels = make_term(world, employees=600)
    s = open_session(world, term, present=20)
    c = Client()
    c.force_login(world.secretariat_a)
    r = c.get(reverse("congress:projector", args=[s.pk]), headers={"HX-Request": "true"})
    body = r.content.decode()
    assert 'id="live"' in body
    assert "到会代表 20 名，超过全体代表 30 名的三分之二，会议有效。" in body


def test_check_in_credential_votes_without_a_login_session(world):
    term, cons, dels = make_term(world, employees=600)
    s = services.session_create(actor=world.staff_a, term=term, title="一届一次", held_on=date(2026, 3, 20))
    cards = services.cards_issue(actor=world.staff_a, session=s)
    services.session_open(actor=world.staff_a, session=s)
    for c in cards[:20]:
        services.checkin_by_token(token=c.token)
    phone = Client()
    r = phone.post(reverse("congress:checkin", args=[cards[20].token]))
    cred = r["X-Delegate-Credential"]
    poll = services.poll_create(actor=world.staff_a, session=s, kind="motion", title="工资协议")
    services.poll_open(actor=world.staff_a, poll=poll)
    url = f"/api/v1/congress/polls/{poll.pk}/ballot"
    bare = Client()
    r = bare.post(
        url, {"choices": ["yes"]}, content_type="application/json", headers={"X-Delegate-Credential": cred}
    )
    assert r.status_code == 201
    r = bare.post(
        url, {"choices": ["no"]}, content_type="application/json", headers={"X-Delegate-Credential": cred}
    )
    assert r.status_code == 409
    r = bare.post(
        url,
        {"choices": ["no"]},
        content_type="application/json",
        headers={"X-Delegate-Credential": cred + "x"},
    )
    assert r.status_code == 401
    other = services.poll_create(
        actor=world.staff_a,
        session=services.session_create(
            actor=world.staff_a, term=term, title="二次", held_on=date(2026, 9, 1)
        ),
        kind="motion",
        title="别的会",
    )
    r = bare.post(
        f"/api/v1/congress/polls/{other.pk}/ballot",
        {"choices": ["no"]},
        content_type="application/json",
        headers={"X-Delegate-Credential": cred},
    )
    assert r.status_code == 404
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_credential_ballot_is_one_checked_write_with_its_audit_event(world):
    """The credential path (one SQL statement on PostgreSQL) stores exactly what the login path
    stores, and refuses exactly what it refuses."""
    from audit.models import AuditEvent

    term, cons, dels = make_term(world, employees=600)
    s = services.session_create(actor=world.staff_a, term=term, title="一届一次", held_on=date(2026, 3, 20))
    cards = services.cards_issue(actor=world.staff_a, session=s)
    services.session_open(actor=world.staff_a, session=s)
    phone = Client()
    creds = [
        phone.post(reverse("congress:checkin", args=[c.token]))["X-Delegate-Credential"] for c in cards[:3]
    ]
    for c in cards[3:21]:
        services.checkin_by_token(token=c.token)
    bare = Client()

    def cast(poll, cred, choices):
        return bare.post(
            f"/api/v1/congress/polls/{poll.pk}/ballot",
            {"choices": choices},
            content_type="application/json",
            headers={"X-Delegate-Credential": cred},
        )

    def voter(poll):
        return Participation.objects.get(poll=poll).delegate

    secret = services.poll_create(actor=world.staff_a, session=s, kind="motion", title="工资协议")
    r = cast(secret, creds[0], ["yes"])  # still a draft
    assert (r.status_code, r.json()["code"]) == (422, "not_open")
    services.poll_open(actor=world.staff_a, poll=secret)
    assert cast(secret, creds[0], ["yes"]).status_code == 201
    b = Ballot.objects.get(poll=secret)
    assert (b.choices, b.delegate_id, b.source) == (["yes"], None, "electronic")
    ev = AuditEvent.objects.get(action="congress.ballot_cast", target_id=str(secret.pk))
    d0 = voter(secret)
    assert (ev.actor_id, ev.org_id, ev.target_type, ev.target_label) == (
        d0.user_id,
        world.union_a.pk,
        "congress.poll",
        "工资协议",
    )
    assert ev.details == {"delegate": d0.number, "via": "electronic"}
    services.poll_close(actor=world.staff_a, poll=secret)
    r = cast(secret, creds[1], ["yes"])  # closed
    assert (r.status_code, r.json()["code"]) == (422, "not_open")

    named = services.poll_create(actor=world.staff_a, session=s, kind="motion", title="食堂", secret=False)
    services.poll_open(actor=world.staff_a, poll=named)
    assert cast(named, creds[1], ["no"]).status_code == 201
    b = Ballot.objects.get(poll=named)
    d1 = voter(named)
    assert (b.choices, b.delegate_id) == (["no"], d1.pk)
    ev = AuditEvent.objects.get(action="congress.ballot_cast", target_id=str(named.pk))
    assert ev.details == {"delegate": d1.number, "via": "electronic", "choices": ["no"]}
    services.poll_close(actor=world.staff_a, poll=named)

    election = services.poll_create(
        actor=world.staff_a, session=s, kind="election", title="补选", seats=1, candidates=["甲", "乙"]
    )
    services.poll_open(actor=world.staff_a, poll=election)
    r = cast(election, creds[2], ["x"])
    assert (r.status_code, r.json()["code"]) == (422, "invalid_choice")
    keys = sorted(election.options.values_list("key", flat=True))
    r = cast(election, creds[2], keys)  # two names for one seat
    assert (r.status_code, r.json()["detail"]) == (422, "最多选 1 名候选人。")
    with CaptureQueriesContext(connection) as q:
        assert cast(election, creds[2], keys[:1]).status_code == 201
    if connection.vendor == "postgresql":
        assert len(q.captured_queries) == 1  # the whole ballot, with its audit event, is one statement
    assert cast(election, creds[2], keys[1:]).status_code == 409

    # a deactivated user's credential no longer votes
    user = voter(election).user
    user.is_active = False
    user.save(update_fields=["is_active"])
    services.poll_close(actor=world.staff_a, poll=election)
    late = services.poll_create(actor=world.staff_a, session=s, kind="motion", title="补充事项")
    services.poll_open(actor=world.staff_a, poll=late)
    assert cast(late, creds[2], ["yes"]).status_code == 404
    assert Ballot.objects.filter(poll__session=s).count() == 3
    assert Participation.objects.filter(poll__session=s).count() == 3
    assert AuditEvent.objects.filter(action="congress.ballot_cast").count() == 3


# ---- Editing a planned meeting ------------------------------------------------------------------


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_edit_link_is_shown_to_managers_while_the_meeting_is_planned(world):
    term, cons, dels = make_term(world)
    s = services.session_create(actor=world.staff_a, term=term, title="一届一次", held_on=date(2026, 3, 20))
    edit = reverse("congress:session_edit", args=[s.pk])
    link = f'href="{edit}">编辑</a>'
    secretariat, delegate = Client(), Client()
    secretariat.force_login(world.secretariat_a)
    delegate.force_login(dels[0].user)
    assert link in secretariat.get(reverse("congress:session", args=[s.pk])).content.decode()
    r = delegate.get(reverse("congress:session", args=[s.pk]))
    assert r.status_code == 200
    assert edit not in r.content.decode()
    services.session_open(actor=world.staff_a, session=s)
    assert edit not in secretariat.get(reverse("congress:session", args=[s.pk])).content.decode()


def test_the_edit_page_changes_the_meeting_and_shows_the_new_date(world):
    from audit.models import AuditEvent

    term, cons, dels = make_term(world)
    s = services.session_create(
        actor=world.staff_a, term=term, title="一届一次", held_on=date(2026, 3, 20), venue="大礼堂"
    )
    services.document_add(actor=world.staff_a, session=s, title="工作报告", distributed_on=date(2026, 3, 2))
    c = Client()
    c.force_login(world.secretariat_a)
    url = reverse("congress:session_edit", args=[s.pk])
    r = c.get(url)
    assert r.status_code == 200
    body = r.content.decode()
    assert "<h1>编辑会议信息</h1>" in body
    assert 'name="title" value="一届一次"' in body
    assert 'name="venue" value="大礼堂"' in body
    assert 'type="date" name="held_on" value="2026-03-20"' in body
    assert 'min="2026-03-02"' in body and 'max="2028-01-01"' in body
    assert (
        "须在本届任期内（2025-01-01 至 2028-01-01）。已有会议文件于2026-03-02送达代表，不能早于这一天。"
        in body
    )
    r = c.post(url, {"title": "一届一次（提前）", "held_on": "2026-03-06", "venue": "三楼会议室"})
    assert r.status_code == 302
    assert r["Location"] == reverse("congress:session", args=[s.pk])
    s.refresh_from_db()
    assert (s.title, s.held_on, s.venue) == ("一届一次（提前）", date(2026, 3, 6), "三楼会议室")
    assert AuditEvent.objects.filter(action="congress.session_update", target_id=str(s.pk)).count() == 1
    r = c.get(r["Location"])
    # the document went out 4 days before the new date: the clerk is told at once
    assert _messages(r) == ["已保存会议信息。", "按新的会议日期，有 1 份会议文件送达不足 7 天。"]
    assert "<dt>日期</dt><dd>2026-03-06</dd>" in r.content.decode()
    assert "送达过晚（不足 7 天）" in r.content.decode()


def test_the_edit_page_shows_refusals_beside_the_fields_and_changes_nothing(world):
    from audit.models import AuditEvent

    term, cons, dels = make_term(world)
    s = services.session_create(actor=world.staff_a, term=term, title="一届一次", held_on=date(2026, 3, 20))
    services.document_add(actor=world.staff_a, session=s, title="工作报告", distributed_on=date(2026, 3, 10))
    c = Client()
    c.force_login(world.staff_a)
    url = reverse("congress:session_edit", args=[s.pk])
    for data, error in [
        ({"title": "一届一次", "held_on": "2029-03-20"}, "会议日期不在本届任期内。"),
        (
            {"title": "一届一次", "held_on": "2026-03-09"},
            "已有会议文件于2026-03-10送达代表，会议日期不能早于这一天。",
        ),
        ({"title": "", "held_on": "2026-03-21"}, "此项必填。"),
        ({"title": "一届一次", "held_on": "20.3.2026"}, "请输入正确的日期。"),
    ]:
        r = c.post(url, data)
        assert r.status_code == 200, data
        assert f'<ul class="errorlist"><li>{error}</li></ul>' in r.content.decode(), data
    s.refresh_from_db()
    assert (s.title, s.held_on) == ("一届一次", date(2026, 3, 20))
    assert not AuditEvent.objects.filter(action="congress.session_update").exists()


def test_the_edit_page_of_an_opened_meeting_says_why_and_changes_nothing(world):
    term, cons, dels = make_term(world)
    s = open_session(world, term)
    c = Client()
    c.force_login(world.staff_a)
    url = reverse("congress:session_edit", args=[s.pk])
    for send in (lambda: c.get(url), lambda: c.post(url, {"title": "改名", "held_on": "2026-03-21"})):
        r = send()
        assert r.status_code == 302
        assert r["Location"] == reverse("congress:session", args=[s.pk])
        assert _messages(c.get(r["Location"])) == ["只有筹备中的会议可以修改会议信息（当前：会议进行中）。"]
    s.refresh_from_db()
    assert (s.title, s.held_on) == ("一届一次职代会", date(2026, 3, 20))


def test_opening_too_early_points_to_the_edit(world):
    import datetime as dt

    from django.utils import timezone

    term, cons, dels = make_term(world)
    later = timezone.localdate() + dt.timedelta(days=9)
    s = services.session_create(actor=world.staff_a, term=term, title="一届二次", held_on=later)
    c = Client()
    c.force_login(world.staff_a)
    r = c.post(reverse("congress:session_action", args=[s.pk, "open"]), follow=True)
    assert _messages(r) == [
        f"会议定于{later.isoformat()}召开，还不能宣布开会。会议提前召开的，请先点“编辑”把会议日期改为实际日期。"
    ]
    assert f'href="{reverse("congress:session_edit", args=[s.pk])}">编辑</a>' in r.content.decode()
