"""Demo congress for the largest union: a term with constituencies and all seats filled, a past
session with published results, and an upcoming session with a motion and an election."""

from datetime import date, timedelta

from core.seed import SeedContext, chinese_name

from . import services
from .models import Category

CONSTITUENCIES = [("研发中心", 250), ("一车间", 400), ("二车间", 350), ("质量部", 150), ("行政后勤", 200)]


def seed(ctx: SeedContext) -> None:
    if not ctx.unions:
        return
    union = ctx.unions[0]
    actor = ctx.users.get("secretariat_1") or ctx.users.get("chair_1")
    employees = union.employee_count or 1350
    scale = employees / sum(n for _name, n in CONSTITUENCIES)
    term = services.term_create(
        actor=actor,
        org=union,
        number=3,
        starts_on=date(2023, 6, 1),
        ends_on=date(2028, 5, 31),
        employees=employees,
        women_employees=int(employees * 0.42),
        members=union.member_count or employees,
        seat_formula_key="national",
    )
    cons = [
        services.constituency_add(actor=actor, term=term, name=name, employees=max(1, int(n * scale)))
        for name, n in CONSTITUENCIES
    ]
    rng = ctx.rng
    delegates = []
    used: set[str] = set()
    me = ctx.users.get("delegate_1")
    for c in cons:
        c.refresh_from_db()
        for i in range(c.seats):
            sex = "f" if rng.random() < 0.45 else "m"
            name = chinese_name(rng, sex)
            while name in used:
                name = chinese_name(rng, sex)
            used.add(name)
            n = len(delegates)
            category = (
                Category.MANAGER
                if n % 8 == 0
                else (Category.TECHNICAL if c.name == "研发中心" else Category.FRONT_LINE)
            )
            user = None
            if me is not None and not delegates:
                user, name = me, me.get_full_name() or name
                sex = "f"  # the demo delegate login is 周海燕
            delegates.append(
                services.delegate_add(
                    actor=actor,
                    term=term,
                    constituency=c,
                    name=name,
                    sex=sex,
                    category=category,
                    is_presidium=(i < 2 and category != Category.MANAGER)
                    or (i == 2 and c.name == "行政后勤"),
                    since=date(2023, 6, 1),
                    user=user,
                )
            )
    # a delegate who left, replaced with history
    services.delegate_replace(
        actor=actor,
        delegate=delegates[-3],
        name=chinese_name(rng, "f") + "新",
        sex="f",
        reason="调离本单位",
        on=date(2025, 4, 1),
    )

    past = services.session_create(
        actor=actor, term=term, title="第三届职代会第二次会议", held_on=date(2026, 3, 20), venue="公司大礼堂"
    )
    for t in ["审议行政工作报告", "审议2026年工资专项集体合同草案", "增补工会委员"]:
        services.agenda_add(actor=actor, session=past, title=t)
    services.document_add(
        actor=actor, session=past, title="2026年工资专项集体合同（草案）", distributed_on=date(2026, 3, 10)
    )
    services.document_add(actor=actor, session=past, title="行政工作报告", distributed_on=date(2026, 3, 16))
    services.session_open(actor=actor, session=past)
    active = list(term.delegates.filter(status="active").order_by("number"))
    for d in active:
        if rng.random() < 0.9:
            services.checkin_manual(actor=actor, session=past, delegate=d)
    present = list(past.attendance.filter(checked_in_at__isnull=False).values_list("delegate_id", flat=True))
    by_id = {d.pk: d for d in active}
    motion = services.poll_create(
        actor=actor,
        session=past,
        kind="motion",
        title="2026年工资专项集体合同草案",
        text="同意将草案提交双方首席代表签字。",
    )
    services.poll_open(actor=actor, poll=motion)
    for pk in present:
        r = rng.random()
        services.ballot_cast(
            actor=by_id[pk].user,
            poll=motion,
            delegate=by_id[pk],
            choices=["yes" if r < 0.85 else ("no" if r < 0.93 else "abstain")],
        )
    services.poll_close(actor=actor, poll=motion)
    services.poll_publish(actor=actor, poll=motion)
    election = services.poll_create(
        actor=actor,
        session=past,
        kind="election",
        title="增补工会委员",
        seats=2,
        candidates=[chinese_name(rng) for _ in range(3)],
    )
    services.poll_open(actor=actor, poll=election)
    for pk in present:
        picks = rng.sample(["c1", "c2", "c3"], 2)
        services.ballot_cast(actor=by_id[pk].user, poll=election, delegate=by_id[pk], choices=picks)
    services.poll_close(actor=actor, poll=election)
    services.poll_publish(actor=actor, poll=election)
    services.session_close(actor=actor, session=past)
    services.session_report(actor=actor, session=past)

    upcoming = services.session_create(
        actor=actor,
        term=term,
        title="第三届职代会第三次会议",
        held_on=ctx.today + timedelta(days=10),
        venue="公司大礼堂",
    )
    for t in [
        "审议2027年度福利费使用方案",
        "审议《员工考勤与休假管理办法》修订稿",
        "选举劳动法律监督委员会委员",
    ]:
        services.agenda_add(actor=actor, session=upcoming, title=t)
    services.document_add(
        actor=actor, session=upcoming, title="2027年度福利费使用方案", distributed_on=ctx.today
    )
    services.document_add(
        actor=actor, session=upcoming, title="《员工考勤与休假管理办法》修订稿", distributed_on=None
    )
    services.poll_create(
        actor=actor,
        session=upcoming,
        kind="motion",
        title="《员工考勤与休假管理办法》修订稿",
        text="同意自2027年1月1日起施行。",
    )
    services.poll_create(
        actor=actor,
        session=upcoming,
        kind="election",
        title="选举劳动法律监督委员会委员",
        seats=4,
        candidates=[chinese_name(rng) for _ in range(5)],
    )
    ctx.log.append(f"congress: {union.name} 第3届职代会，{len(active)} 名代表，2 次会议")
