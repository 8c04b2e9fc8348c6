"""Demo proposals: last year's collection (handled and archived) and this year's, with a proposal
in every state of the workflow, in the largest union."""

from datetime import date, timedelta

from core.seed import SeedContext, workers

from . import clock, services
from .models import Cosign, Proposal

# title, reason, suggestion, how far it got, department
PROPOSALS = [
    (
        "在二号厂区增设夜班职工休息室",
        "二号厂区夜班职工约120人，现无固定休息场所，职工只能在车间角落休息。",
        "将二号楼一层闲置仓库改造为休息室，配备空调、饮水机和储物柜。",
        "satisfied",
        "行政部",
    ),
    (
        "食堂增加夜宵供应窗口",
        "夜班职工22点后下班，食堂已关闭，只能点外卖。",
        "食堂晚上22:00至23:30开设夜宵窗口，实行成本价。",
        "replied",
        "后勤保障部",
    ),
    (
        "开通城西至新厂区的职工班车",
        "新厂区投产后约300名住在城西的职工通勤单程超过1小时。",
        "早晚高峰各开通一班城西—新厂区班车。",
        "overdue",
        "行政部",
    ),
    (
        "提高高温津贴发放标准",
        "SMT车间夏季室温常超过33℃，现行高温津贴低于省定标准上限。",
        "按浙江省标准上限发放高温津贴，并延长发放月份至10月。",
        "assigned",
        "人力资源部",
    ),
    (
        "设立职工技能等级晋升补贴",
        "取得高级工证书的职工没有相应待遇，学技术积极性不高。",
        "取得中级工、高级工、技师证书的分别给予每月100、200、400元补贴。",
        "accepted",
        "",
    ),
    (
        "厂区内增划电动自行车停车位",
        "电动车停放拥挤，充电插座不足，存在安全隐患。",
        "在东门增设带充电桩的停车棚。",
        "opinion",
        "",
    ),
    ("请求调整本人岗位", "本人因身体原因希望从装配岗调到检验岗。", "请人力资源部安排调岗。", "returned", ""),
    (
        "更衣柜数量不足",
        "总装车间新进员工80人，更衣柜不够用，两人共用一个。",
        "增购更衣柜100个。",
        "review",
        "",
    ),
    (
        "增设母婴室",
        "公司女职工占比六成，哺乳期职工没有合适的哺乳场所。",
        "在行政楼二层设立母婴室。",
        "cosigning",
        "",
    ),
    (
        "改进夜班交接班制度",
        "交接班时间只有5分钟，经常交接不清导致质量问题。",
        "交接班时间延长为15分钟并计入工时。",
        "reopened",
        "生产管理部",
    ),
]
LAST_YEAR = [
    ("车间增设饮水机", "SMT车间只有一台饮水机。", "每条产线增设一台饮水机。", "satisfied", "行政部"),
    (
        "完善带薪年休假安排",
        "旺季年休假难以安排。",
        "淡季集中安排年休假并可分段休。",
        "basically",
        "人力资源部",
    ),
    ("职工体检增加项目", "现有体检项目少。", "增加甲状腺和颈椎检查项目。", "unsatisfied", "人力资源部"),
]


def _run_call(ctx, *, org, title, session_label, opens_on, closes_on, rows, office, people, chair):
    with clock.frozen(opens_on - timedelta(days=3)):
        call = services.call_create(
            org=org,
            title=title,
            session_label=session_label,
            opens_on=opens_on,
            closes_on=closes_on,
            actor=office,
        )
    for i, (name, reason, suggestion, stage, department) in enumerate(rows):
        proposer = people[i % len(people)]
        others = [p for p in people if p != proposer]
        cosigners = [others[(i + 1) % len(others)], others[(i + 3) % len(others)]]
        if stage == "cosigning":  # the demo member finds a co-sign request waiting for them
            proposer, cosigners = people[2], [people[1], people[0]]
        day = opens_on + timedelta(days=1 + i)
        with clock.frozen(day):
            p = services.proposal_submit(
                call=call,
                title=name,
                reason=reason,
                suggestion=suggestion,
                cosigners=cosigners,
                actor=proposer,
            )
            first, second = list(Cosign.objects.filter(proposal=p).select_related("user").order_by("pk"))
            services.cosign_confirm(cosign=first, actor=first.user)
            if stage == "cosigning":
                continue
            services.cosign_confirm(cosign=second, actor=second.user)
        review = day + timedelta(days=2)
        with clock.frozen(review):
            if stage == "review":
                continue
            if stage == "opinion":
                services.proposal_convert(proposal=p, note="属日常管理建议，转行政部参考办理。", actor=office)
                continue
            if stage == "returned":
                services.proposal_return(
                    proposal=p,
                    reasons="属个人事项，不符合“涉及职工整体利益”的提案要求，请通过职工诉求渠道反映。",
                    actor=office,
                )
                continue
            services.proposal_accept(proposal=p, note="符合立案条件，同意立案。", actor=office)
            if stage == "accepted":
                continue
            due = (
                review + timedelta(days=15)
                if stage == "overdue"
                else max(review, ctx.today) + timedelta(days=20)
            )
            services.proposal_assign(proposal=p, department=department, due_on=due, actor=office)
        if stage in ("assigned", "overdue"):
            with clock.frozen(review + timedelta(days=10)):
                services.proposal_follow_up(
                    proposal=p, note=f"已电话督促{department}，要求按期答复。", actor=chair
                )
            continue
        with clock.frozen(review + timedelta(days=12)):
            services.proposal_reply(
                proposal=p,
                reply=f"{department}已研究，{suggestion.rstrip('。')}的建议已列入年度计划并组织实施。",
                actor=office,
            )
        if stage == "replied":
            continue
        with clock.frozen(review + timedelta(days=14)):
            rating = {"satisfied": "satisfied", "basically": "basically"}.get(stage, "unsatisfied")
            services.proposal_evaluate(
                proposal=p,
                satisfaction=rating,
                note="" if rating != "unsatisfied" else "答复笼统，没有具体时间表。",
                actor=proposer,
            )
        if stage == "reopened":
            with clock.frozen(review + timedelta(days=15)):
                services.proposal_reopen(
                    proposal=p, due_on=review + timedelta(days=45), note="请提出具体实施时间表。", actor=chair
                )
            continue
        if rows is LAST_YEAR:
            with clock.frozen(review + timedelta(days=20)):
                services.proposal_archive(proposal=p, actor=office)
    return call


def seed(ctx: SeedContext) -> None:
    office = ctx.users.get("secretariat_1")
    chair = ctx.users.get("chair_1")
    if office is None or chair is None or not ctx.unions:
        return
    org = ctx.unions[0]
    people = [ctx.users["member_1"], ctx.users["delegate_1"], *workers(ctx, 0, 6)]
    last = date(ctx.today.year - 1, 11, 1)
    _run_call(
        ctx,
        org=org,
        title=f"{last.year}年职工提案征集",
        session_label="第三届职工代表大会第二次会议",
        opens_on=last,
        closes_on=last + timedelta(days=29),
        rows=LAST_YEAR,
        office=office,
        people=people,
        chair=chair,
    )
    opens = ctx.today - timedelta(days=40)
    call = _run_call(
        ctx,
        org=org,
        title=f"{ctx.today.year}年职工提案征集",
        session_label="第三届职工代表大会第三次会议",
        opens_on=opens,
        closes_on=ctx.today + timedelta(days=10),
        rows=PROPOSALS,
        office=office,
        people=people,
        chair=chair,
    )
    ctx.log.append(
        f"proposals: {Proposal.objects.filter(org=org).count()} proposals in 2 collections at {org.name} "
        f"(handling report: /proposals/calls/{call.pk}/report/)"
    )
