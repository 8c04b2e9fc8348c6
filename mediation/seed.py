import datetime as dt

from core.seed import SeedContext, chinese_name
from deadlines import calendar

from . import services

CASES = [
    # days before today received, cause, form, summary, claim, amount, outcome
    (80, "wages", "written", "拖欠 2026 年 7、8 月工资", "支付拖欠工资", "12600.00", "agreement"),
    (64, "overtime", "oral", "周末加班未安排补休也未支付加班费", "支付加班工资", "3450.00", "no_agreement"),
    (50, "social_insurance", "written", "入职三个月未缴纳社会保险", "补缴社会保险", "", "agreement"),
    (
        41,
        "termination",
        "written",
        "未提前三十日通知解除劳动合同",
        "支付代通知金和经济补偿",
        "18900.00",
        "withdrawn",
    ),
    (30, "injury", "oral", "工伤停工留薪期工资未足额发放", "补发停工留薪期工资", "7200.00", "agreement"),
    (12, "wages", "written", "绩效工资无故扣减", "返还扣减的绩效工资", "2400.00", None),
    (9, "contract", "oral", "调岗降薪未经协商", "恢复原岗位原工资", "", None),
    (3, "benefits", "written", "高温津贴未发放", "支付高温津贴", "900.00", None),
    (17, "overtime", "written", "连续三个月每月加班超过 36 小时", "支付加班工资", "5100.00", None),
]


def seed(ctx: SeedContext) -> None:
    staff = ctx.users.get("staff_1")
    chair = ctx.users.get("chair_1") or staff
    mediator = ctx.users.get("mediator_1")
    if staff is None or not ctx.unions:
        return
    union = ctx.unions[0]
    with calendar.frozen_today(ctx.today):
        committee = services.committee_create(
            actor=chair,
            org=union,
            name=f"{union.unit_name or union.name}劳动争议调解委员会",
            established_on=dt.date(2019, 3, 1),
        )
        services.committee_member_add(
            actor=chair,
            committee=committee,
            name=chair.get_full_name(),
            side="worker",
            position="chair",
            is_union_member=True,
            user=chair,
        )
        if mediator:
            services.committee_member_add(
                actor=chair,
                committee=committee,
                name=mediator.get_full_name(),
                side="worker",
                position="member",
                is_union_member=True,
                user=mediator,
            )
        services.committee_member_add(
            actor=chair,
            committee=committee,
            name=chinese_name(ctx.rng),
            side="employer",
            position="vice_chair",
        )
        services.committee_member_add(
            actor=chair, committee=committee, name=chinese_name(ctx.rng), side="employer", position="member"
        )
    for ago, cause, form, summary, item, amount, outcome in CASES:
        received = ctx.today - dt.timedelta(days=ago)
        worker = chinese_name(ctx.rng)
        with calendar.frozen_today(received):
            case = services.case_create(
                actor=staff,
                org=union,
                cause=cause,
                application_form=form,
                received_on=received,
                dispute_arose_on=received - dt.timedelta(days=ctx.rng.randint(5, 60)),
                summary=summary,
                oral_record=f"申请人{worker}到工会口头申请：{summary}。" if form == "oral" else "",
                mediator=mediator,
                parties=[
                    {
                        "side": "worker",
                        "name": worker,
                        "detail": ctx.rng.choice(["SMT车间 操作工", "总装车间 技术员", "仓储 叉车司机"]),
                    },
                    {
                        "side": "employer",
                        "name": union.unit_name or union.name,
                        "detail": "委托代理人 人力资源部经理",
                    },
                ],
                claims=[{"item": item, "amount": amount}],
            )
        if outcome is None:
            continue
        held = received + dt.timedelta(days=4)
        closed = received + dt.timedelta(days=ctx.rng.randint(6, 13))
        with calendar.frozen_today(closed):
            services.session_add(
                actor=staff,
                case=case,
                held_on=held,
                place="工会调解室",
                mediators=mediator.get_full_name() if mediator else staff.get_full_name(),
                notes="双方陈述争议事实，调解员释明相关法律规定。",
            )
            if outcome == "agreement":
                services.case_agree(
                    actor=staff,
                    case=case,
                    closed_on=closed,
                    agreement_terms=f"用人单位同意{item}，双方就本争议再无其他纠纷。",
                    performance_due_on=calendar.add_days(closed, 10, working=True),
                    performance_method="银行转账至职工工资卡",
                )
            elif outcome == "no_agreement":
                services.case_fail(
                    actor=staff, case=case, closed_on=closed, outcome_note="用人单位不同意支付。"
                )
            else:
                services.case_withdraw(
                    actor=staff, case=case, closed_on=closed, outcome_note="双方已自行和解。"
                )
    ctx.log.append(f"mediation: 1 committee, {len(CASES)} cases")
