from datetime import date

from django.urls import reverse

from core.testing.authz import AuthzCase


def _setup(w):
    from congress import services

    term = services.term_create(
        actor=w.staff_a,
        org=w.union_a,
        number=1,
        starts_on=date(2025, 1, 1),
        ends_on=date(2028, 1, 1),
        employees=150,
        women_employees=60,
    )
    cons = services.constituency_add(actor=w.staff_a, term=term, name="一车间", employees=150)
    w.dlg = services.delegate_add(
        actor=w.staff_a, term=term, constituency=cons, name="代表甲", sex="f", user=w.delegate_a
    )
    w.dlg2 = services.delegate_add(actor=w.staff_a, term=term, constituency=cons, name="代表乙", sex="m")
    w.dlg3 = services.delegate_add(
        actor=w.staff_a, term=term, constituency=cons, name="代表丙", sex="m", is_presidium=True
    )
    w.term = term
    w.session = services.session_create(
        actor=w.staff_a, term=term, title="一届一次职代会", held_on=date(2026, 3, 20)
    )
    w.planned = services.session_create(
        actor=w.staff_a, term=term, title="一届二次职代会", held_on=date(2026, 9, 20)
    )
    services.session_open(actor=w.staff_a, session=w.session)
    services.checkin_manual(actor=w.staff_a, session=w.session, delegate=w.dlg)
    services.checkin_manual(actor=w.staff_a, session=w.session, delegate=w.dlg2)
    w.closed_poll = services.poll_create(actor=w.staff_a, session=w.session, kind="motion", title="食堂方案")
    services.poll_open(actor=w.staff_a, poll=w.closed_poll)
    services.poll_close(actor=w.staff_a, poll=w.closed_poll)
    w.open_poll = services.poll_create(
        actor=w.staff_a, session=w.session, kind="motion", title="工资协议草案"
    )
    services.poll_open(actor=w.staff_a, poll=w.open_poll)
    w.draft_poll = services.poll_create(actor=w.staff_a, session=w.planned, kind="motion", title="福利制度")


def _no_union_a(w, r):
    assert "甲公司工会" not in r.content.decode()


DELEGATE = dict(allowed="delegate_a", other_org_status=(403, 404))

CASES = [
    AuthzCase(
        "congress:home",
        lambda w: reverse("congress:home"),
        setup=_setup,
        other_org_check=_no_union_a,
        no_perm_status=403,
    ),
    AuthzCase(
        "congress:term_create",
        lambda w: reverse("congress:term_create"),
        other_org_status=200,
        no_perm_status=403,
    ),
    AuthzCase(
        "congress:term_create",
        lambda w: reverse("congress:term_create"),
        method="post",
        data=lambda w: {
            "org": w.union_a.pk,
            "number": 2,
            "purpose": "workers",
            "starts_on": "2028-01-02",
            "ends_on": "2031-01-01",
            "employees": 600,
            "women_employees": 200,
            "members": 500,
            "seat_formula_key": "national",
        },
        ok_status=302,
        other_org_status=200,
        no_perm_status=403,
    ),
    AuthzCase("congress:term", lambda w: reverse("congress:term", args=[w.term.pk]), setup=_setup),
    AuthzCase(
        "congress:constituency_add",
        lambda w: reverse("congress:constituency_add", args=[w.term.pk]),
        method="post",
        data={"name": "二车间", "employees": 10},
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:delegate_add",
        lambda w: reverse("congress:delegate_add", args=[w.term.pk]),
        method="post",
        data=lambda w: {
            "constituency": w.dlg.constituency_id,
            "name": "新代表",
            "sex": "m",
            "category": "front_line",
        },
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:constituency_election",
        lambda w: reverse("congress:constituency_election", args=[w.term.pk]),
        method="post",
        data=lambda w: {
            "constituency": w.dlg.constituency_id,
            "held_on": "2025-01-05",
            "participants": 120,
            "candidates": "赵敏 女 100",
        },
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:delegates_print",
        lambda w: reverse("congress:delegates_print", args=[w.term.pk]),
        setup=_setup,
    ),
    AuthzCase(
        "congress:session_create",
        lambda w: reverse("congress:session_create", args=[w.term.pk]),
        method="post",
        data={"title": "临时会议", "held_on": "2026-12-01"},
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:delegate_replace",
        lambda w: reverse("congress:delegate_replace", args=[w.dlg2.pk]),
        setup=_setup,
    ),
    AuthzCase(
        "congress:delegate_replace",
        lambda w: reverse("congress:delegate_replace", args=[w.dlg2.pk]),
        method="post",
        data={"name": "接替者", "sex": "f", "category": "front_line", "reason": "调离"},
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase("congress:session", lambda w: reverse("congress:session", args=[w.session.pk]), setup=_setup),
    AuthzCase(
        "congress:session_edit", lambda w: reverse("congress:session_edit", args=[w.planned.pk]), setup=_setup
    ),
    # a delegate sees the meeting but may not change it
    AuthzCase(
        "congress:session_edit",
        lambda w: reverse("congress:session_edit", args=[w.planned.pk]),
        method="post",
        data={"title": "一届二次职代会", "held_on": "2026-09-25", "venue": "公司礼堂"},
        ok_status=302,
        no_perm="delegate_a",
        no_perm_status=403,
        setup=_setup,
    ),
    AuthzCase(
        "congress:agenda_add",
        lambda w: reverse("congress:agenda_add", args=[w.planned.pk]),
        method="post",
        data={"title": "审议工资协议"},
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:document_add",
        lambda w: reverse("congress:document_add", args=[w.planned.pk]),
        method="post",
        data={"title": "工作报告", "distributed_on": "2026-09-01"},
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:session_action",
        lambda w: reverse("congress:session_action", args=[w.planned.pk, "open"]),
        method="post",
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:cards",
        lambda w: reverse("congress:cards", args=[w.session.pk]),
        method="post",
        setup=_setup,
    ),
    AuthzCase(
        "congress:checkin_manual",
        lambda w: reverse("congress:checkin_manual", args=[w.session.pk, w.dlg3.pk]),
        method="post",
        ok_status=302,
        setup=_setup,
    ),
    # A card's one-time token is the credential: an unknown token sends anonymous phones to the login
    # page and is a 404 for everyone else (the valid-token journey is in test_views/test_browser).
    AuthzCase("congress:checkin", lambda w: reverse("congress:checkin", args=["not-a-token"]), ok_status=404),
    AuthzCase(
        "congress:projector", lambda w: reverse("congress:projector", args=[w.session.pk]), setup=_setup
    ),
    AuthzCase(
        "congress:poll_create",
        lambda w: reverse("congress:poll_create", args=[w.planned.pk]),
        method="post",
        data={"kind": "motion", "title": "食堂管理办法", "secret": "on", "seats": 1, "rule": "all_majority"},
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:resolutions_print",
        lambda w: reverse("congress:resolutions_print", args=[w.session.pk]),
        setup=_setup,
    ),
    AuthzCase(
        "congress:minutes_print",
        lambda w: reverse("congress:minutes_print", args=[w.session.pk]),
        setup=_setup,
    ),
    AuthzCase(
        "congress:vote", lambda w: reverse("congress:vote", args=[w.session.pk]), setup=_setup, **DELEGATE
    ),
    AuthzCase("congress:poll", lambda w: reverse("congress:poll", args=[w.open_poll.pk]), setup=_setup),
    AuthzCase(
        "congress:poll_action",
        lambda w: reverse("congress:poll_action", args=[w.open_poll.pk, "close"]),
        method="post",
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:paper_issue",
        lambda w: reverse("congress:paper_issue", args=[w.open_poll.pk, w.dlg2.pk]),
        method="post",
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:paper_enter",
        lambda w: reverse("congress:paper_enter", args=[w.open_poll.pk]),
        method="post",
        data={"choice": "yes"},
        ok_status=302,
        setup=_setup,
    ),
    AuthzCase(
        "congress:result_print",
        lambda w: reverse("congress:result_print", args=[w.closed_poll.pk]),
        setup=_setup,
    ),
    AuthzCase(
        "congress:ballot",
        lambda w: reverse("congress:ballot", args=[w.open_poll.pk]),
        method="post",
        data={"choice": "yes"},
        ok_status=302,
        setup=_setup,
        **DELEGATE,
    ),
    AuthzCase(
        "congress_ballot_cast",
        lambda w: f"/api/v1/congress/polls/{w.open_poll.pk}/ballot",
        method="post",
        api=True,
        data={"choices": ["yes"]},
        ok_status=201,
        setup=_setup,
        **DELEGATE,
    ),
    AuthzCase(
        "congress_poll_tally",
        lambda w: f"/api/v1/congress/polls/{w.open_poll.pk}/tally",
        api=True,
        setup=_setup,
    ),
]
