"""Demo collective contracts: one in effect, one special wage contract in negotiation with two draft
versions, one written request awaiting its answer, and a regional contract at the federation."""

import datetime as dt

from core.seed import SeedContext, chinese_name
from deadlines import calendar

from . import services

TEXT = """第一章 总则
第一条 为维护职工和企业的合法权益，根据《劳动法》《劳动合同法》《工会法》和《集体合同规定》，经平等协商，订立本合同。
第二条 本合同对企业和全体职工具有约束力。
第二章 劳动报酬
第三条 职工月工资不低于当地最低工资标准的{floor}%。
第四条 企业每年根据经济效益和物价水平调整职工工资，平均增幅不低于{raise_}%。
第三章 工作时间与休息休假
第五条 实行标准工时制度，每日工作不超过八小时，每周不超过四十小时。
第四章 劳动安全卫生
第六条 企业每年组织一次职工健康检查。
第五章 附则
第七条 本合同期限届满前三个月内，任何一方均可提出续订要求。"""


def _team(c, actor, on, rng, workers_chief):
    taken = {workers_chief}

    def name() -> str:
        """A demo name not yet on either side (one person cannot sit on both)."""
        while (n := chinese_name(rng)) in taken:
            pass
        taken.add(n)
        return n

    services.negotiator_add(
        actor=actor,
        consultation=c,
        side="workers",
        name=workers_chief,
        position="工会主席",
        appointed_on=on,
        is_chief=True,
    )
    for _ in range(2):
        services.negotiator_add(
            actor=actor,
            consultation=c,
            side="workers",
            name=name(),
            position="职工代表",
            appointed_on=on,
        )
    services.negotiator_add(
        actor=actor,
        consultation=c,
        side="employer",
        name=name(),
        position="总经理",
        appointed_on=on,
        is_chief=True,
    )
    for pos in ("人力资源部经理", "财务部经理"):
        services.negotiator_add(
            actor=actor,
            consultation=c,
            side="employer",
            name=name(),
            position=pos,
            appointed_on=on,
        )


def _at(day):
    return calendar.frozen_today(day)


def seed(ctx: SeedContext) -> None:
    staff = ctx.users.get("staff_1")
    admin = ctx.users.get("fed_admin")
    if staff is None or len(ctx.unions) < 3:
        return
    rng = ctx.rng
    union = ctx.unions[0]
    chair_name = ctx.users.get("chair_1").get_full_name() if ctx.users.get("chair_1") else "工会主席"
    today = ctx.today

    # 1. A comprehensive contract in effect since spring 2025.
    start = dt.date(2025, 2, 10)
    with _at(start):
        c = services.consultation_request(
            actor=staff,
            org=union,
            title=f"{union.unit_name or union.name}集体合同（2025—2027）",
            employer_name=union.unit_name or union.name,
            requested_on=start,
        )
        _team(c, staff, start, rng, chair_name)
    with _at(start + dt.timedelta(days=12)):
        services.consultation_answer(actor=staff, consultation=c, answered_on=start + dt.timedelta(days=12))
        services.round_add(
            actor=staff,
            consultation=c,
            held_on=start + dt.timedelta(days=12),
            minutes="双方就工资调整、工时和劳动安全卫生条款交换意见。",
            place="公司三楼会议室",
        )
        services.draft_add(actor=staff, consultation=c, text=TEXT.format(floor=115, raise_=4), note="初稿")
    with _at(start + dt.timedelta(days=26)):
        services.round_add(
            actor=staff,
            consultation=c,
            held_on=start + dt.timedelta(days=26),
            minutes="企业方同意将最低工资倍数提高到120%。",
        )
        services.draft_add(
            actor=staff, consultation=c, text=TEXT.format(floor=120, raise_=5), note="第二轮协商后修改"
        )
        services.consultation_submit_draft(actor=staff, consultation=c)
    with _at(dt.date(2025, 3, 20)):
        services.consultation_record_vote(
            actor=staff, consultation=c, total=85, present=78, agree=74, voted_on=dt.date(2025, 3, 20)
        )
    with _at(dt.date(2025, 3, 24)):
        services.consultation_sign(
            actor=staff,
            consultation=c,
            signed_on=dt.date(2025, 3, 24),
            term_start=dt.date(2025, 4, 1),
            term_years=3,
        )
    with _at(dt.date(2025, 3, 28)):
        services.consultation_file(actor=staff, consultation=c, filed_on=dt.date(2025, 3, 28))
    with _at(dt.date(2025, 4, 15)):
        services.consultation_take_effect(actor=staff, consultation=c)
    with _at(dt.date(2025, 12, 15)):
        services.check_add(
            actor=staff,
            consultation=c,
            year=2025,
            checked_on=dt.date(2025, 12, 15),
            findings="工资调整和健康检查条款已落实；加班审批制度需完善。",
            fulfilled=True,
        )

    # 2. A special wage contract in negotiation, two draft versions to compare.
    start = today - dt.timedelta(days=40)
    with _at(start):
        w = services.consultation_request(
            actor=staff,
            org=union,
            title="2027年度工资专项集体合同",
            kind="wages",
            employer_name=union.unit_name or union.name,
            requested_on=start,
        )
        _team(w, staff, start, rng, chair_name)
    with _at(start + dt.timedelta(days=10)):
        services.consultation_answer(actor=staff, consultation=w, answered_on=start + dt.timedelta(days=10))
        services.round_add(
            actor=staff,
            consultation=w,
            held_on=start + dt.timedelta(days=10),
            minutes="职工方提出2027年工资平均增长8%，企业方提出4%。",
        )
        services.draft_add(
            actor=staff, consultation=w, text=TEXT.format(floor=120, raise_=4), note="企业方方案"
        )
    with _at(start + dt.timedelta(days=30)):
        services.round_add(
            actor=staff, consultation=w, held_on=start + dt.timedelta(days=30), minutes="双方同意平均增长6%。"
        )
        services.draft_add(
            actor=staff, consultation=w, text=TEXT.format(floor=125, raise_=6), note="第二轮协商后修改"
        )

    # 3. A written request from the second union, awaiting the employer's answer.
    with _at(today - dt.timedelta(days=6)):
        services.consultation_request(
            actor=ctx.users.get("staff_2") or staff,
            org=ctx.unions[1],
            title="女职工权益保护专项集体合同",
            kind="women",
            employer_name=ctx.unions[1].unit_name or ctx.unions[1].name,
            requested_on=today - dt.timedelta(days=6),
        )

    # 4. A regional wage contract at the federation covering three unions.
    if admin is not None:
        with _at(today - dt.timedelta(days=15)):
            services.consultation_request(
                actor=admin,
                org=ctx.federation,
                title="东湖街道区域性工资集体合同",
                kind="wages",
                level="regional",
                employer_name="东湖街道企业联合会",
                requested_on=today - dt.timedelta(days=15),
                covered_orgs=ctx.unions[:3],
            )
    ctx.log.append("bargaining: 4 consultations (1 in effect, 1 negotiating, 1 requested, 1 regional)")
