"""Drive a consultation through its services to a wanted status (tests only)."""

from datetime import date

from bargaining import services
from bargaining.models import Status
from deadlines.calendar import frozen_today

TEXT_V1 = "第一条 本合同适用于甲公司全体职工。\n第二条 职工月工资不低于当地最低工资标准的120%。\n第三条 每年调整一次工资。"
TEXT_V2 = "第一条 本合同适用于甲公司全体职工。\n第二条 职工月工资不低于当地最低工资标准的130%。\n第三条 每年调整一次工资。\n第四条 女职工享受特殊劳动保护。"

ORDER = [s for s, _ in Status.choices]


def team(c, actor, on: date) -> None:
    for side, names in (
        ("workers", ["张主席", "李代表", "王代表"]),
        ("employer", ["赵总", "钱经理", "孙经理"]),
    ):
        for i, name in enumerate(names):
            services.negotiator_add(
                actor=actor, consultation=c, side=side, name=name, appointed_on=on, is_chief=(i == 0)
            )


def make_consultation(world, status: str = Status.REQUESTED, *, org=None, actor=None):
    actor = actor or world.staff_a
    org = org or world.union_a
    target = ORDER.index(status)
    with frozen_today(date(2026, 3, 2)):
        c = services.consultation_request(
            actor=actor,
            org=org,
            title="2026年甲公司工资专项集体合同",
            employer_name="甲公司",
            requested_on=date(2026, 3, 2),
            kind="wages",
        )
        team(c, actor, date(2026, 3, 2))
    if target >= 1:
        with frozen_today(date(2026, 3, 10)):
            services.consultation_answer(actor=actor, consultation=c, answered_on=date(2026, 3, 10))
            services.round_add(
                actor=actor, consultation=c, held_on=date(2026, 3, 10), minutes="双方就工资标准交换意见。"
            )
            services.draft_add(actor=actor, consultation=c, text=TEXT_V1, note="初稿")
    if target >= 2:
        with frozen_today(date(2026, 3, 20)):
            services.draft_add(actor=actor, consultation=c, text=TEXT_V2, note="提高工资标准")
            services.consultation_submit_draft(actor=actor, consultation=c)
    if target >= 3:
        with frozen_today(date(2026, 3, 25)):
            services.consultation_record_vote(
                actor=actor, consultation=c, total=60, present=50, agree=45, voted_on=date(2026, 3, 25)
            )
    if target >= 4:
        with frozen_today(date(2026, 3, 27)):
            services.consultation_sign(
                actor=actor,
                consultation=c,
                signed_on=date(2026, 3, 27),
                term_start=date(2026, 4, 1),
                term_years=2,
            )
    if target >= 5:
        with frozen_today(date(2026, 4, 3)):
            services.consultation_file(actor=actor, consultation=c, filed_on=date(2026, 4, 3))
    if target >= 6:
        with frozen_today(date(2026, 4, 21)):
            services.consultation_take_effect(actor=actor, consultation=c)
    if target >= 7:
        with frozen_today(date(2028, 4, 1)):
            services.consultation_expire(actor=actor, consultation=c)
    c.refresh_from_db()
    return c


def make_poll(world, *, electorate=60, present=50, yes=40, status="closed", org=None):
    """A closed motion of union A's congress (congress module rows, built directly)."""
    from congress.models import Poll, Session, Term

    org = org or world.union_a
    term = Term.objects.create(
        org=org,
        number=Term.objects.filter(org=org).count() + 1,
        kind="congress",
        starts_on=date(2025, 1, 1),
        ends_on=date(2030, 1, 1),
        employees=150,
    )
    session = Session.objects.create(
        org=org, term=term, number=1, title="第一届第一次职工代表大会", held_on=date(2026, 3, 25)
    )
    return Poll.objects.create(
        org=org,
        session=session,
        kind="motion",
        title="审议《工资专项集体合同（草案）》",
        status=status,
        electorate=electorate,
        present=present,
        result={
            "electorate": electorate,
            "present": present,
            "options": [
                {"key": "yes", "label": "赞成", "votes": yes, "passed": True},
                {"key": "no", "label": "反对", "votes": present - yes, "passed": False},
            ],
        },
    )
