"""Demo open-affairs boards: items in every category (one scheduled, one ended), read receipts,
questions answered on time, late and still open (one overdue), and a satisfaction survey."""

from datetime import timedelta

from core.seed import SeedContext, workers

from . import clock, services
from .models import Question

# category, title, body, starts (days from today), lasts (days)
# Both demo unions have a collective contract and a women workers' special contract on their board.
CONTRACT_ITEMS = [
    (
        "contracts",
        "2026—2028年集体合同文本",
        "集体合同经职代会审议通过，已报人社部门审查，现全文公开。",
        -55,
        120,
    ),
    ("contracts", "女职工权益保护专项集体合同", "明确孕期、哺乳期职工的工作时间和岗位调整安排。", -60, 30),
]
ITEMS = [
    (
        "operations",
        "2026年度生产经营情况通报",
        "2026年公司实现营业收入12.6亿元，同比增长8.3%；新产线二期工程预计明年三月投产。",
        -20,
        60,
    ),
    (
        "vital_interests",
        "2027年度职工工资调整方案",
        "经职工代表大会审议通过，自2027年1月起一线职工岗位工资平均上调5%，劳务派遣职工同步调整。",
        -10,
        30,
    ),
    (
        "vital_interests",
        "职工食堂承包经营调整方案",
        "食堂自12月起由新供应商承包经营，餐标不变，增加夜宵窗口。",
        -5,
        30,
    ),
    (
        "rules",
        "考勤与休假管理办法（修订）",
        "修订后的办法明确：年休假可分段休；加班需事先审批；迟到15分钟以内不扣工资。全文见附件。",
        -15,
        45,
    ),
    *CONTRACT_ITEMS,
    ("rules", "安全生产奖惩规定（征求意见稿）", "征求意见稿，欢迎职工提出意见。", 5, 20),
]
QUESTIONS = [
    # asked (days ago), item title or None, question, answered after N days with this answer, or None
    (
        50,
        "2026—2028年集体合同文本",
        "集体合同中的年度工资增长幅度是如何确定的？",
        12,
        "工资增长幅度由双方首席代表参照本市工资指导线和公司经营情况协商确定，2027年为5%，详见合同第十二条。",
    ),
    (
        45,
        None,
        "公司今年的职工福利费使用情况什么时候公开？",
        38,
        "2026年职工福利费使用情况将在年度职代会上报告，会后在公开栏全文公开。答复晚于规定期限，向您致歉。",
    ),
    (35, None, "年休假分段休最少可以休几天？", None, ""),
    (8, "2027年度职工工资调整方案", "上调5%是否包括试用期职工？", None, ""),
    (3, None, "夜班津贴标准今年会调整吗？", None, ""),
]

# The logistics group's own board: the same kinds of items, about its own business.
LOGISTICS_ITEMS = [
    (
        "operations",
        "2026年度经营情况通报",
        "2026年集团完成货运量1,860万吨，营业收入9.4亿元，同比增长6.1%；城东智能分拣中心二期明年投用。",
        -20,
        60,
    ),
    (
        "vital_interests",
        "2027年度驾驶员及分拣员薪酬调整方案",
        "经职工代表大会审议通过，自2027年1月起驾驶员趟次补贴提高10%，分拣员夜班津贴每班增加20元。",
        -10,
        30,
    ),
    (
        "vital_interests",
        "城东园区司机之家改造方案",
        "司机之家自12月起改造，增设淋浴间、洗衣房和休息室；改造期间在北门设临时休息点。",
        -5,
        30,
    ),
    (
        "rules",
        "驾驶员安全行车与休息管理办法（修订）",
        "修订后的办法明确：连续驾驶4小时须停车休息不少于20分钟；长途任务实行双驾；"
        "因交通拥堵超时不作为考核扣分理由。全文见附件。",
        -15,
        45,
    ),
    *CONTRACT_ITEMS,
    ("rules", "冬季道路运输安全规定（征求意见稿）", "征求意见稿，欢迎职工提出意见。", 5, 20),
]
LOGISTICS_QUESTIONS = [
    (
        50,
        "2026—2028年集体合同文本",
        "集体合同对驾驶员的工作时间是怎么约定的？",
        12,
        "驾驶员实行经人社部门批准的综合计算工时制，每日累计驾驶不超过8小时，详见合同第九条。",
    ),
    (
        45,
        None,
        "今年的高温津贴什么时候发放？",
        38,
        "2026年高温津贴已随10月工资发放，明细可在工资条中查看。答复晚于规定期限，向您致歉。",
    ),
    (35, None, "夜班分拣员可以申请调到白班吗？", None, ""),
    (8, "2027年度驾驶员及分拣员薪酬调整方案", "趟次补贴提高10%是否包括外包车队的司机？", None, ""),
    (3, None, "司机之家改造期间车辆停在哪里？", None, ""),
]


def _board(ctx: SeedContext, union_index: int, office, people, item_rows, questions) -> None:
    org = ctx.unions[union_index]
    items = {}
    for category, title, body, start, lasts in item_rows:
        publish_from = ctx.today + timedelta(days=start)
        with clock.frozen(min(publish_from, ctx.today)):
            items[title] = services.item_publish(
                org=org,
                category=category,
                title=title,
                body=body,
                publish_from=publish_from,
                publish_until=publish_from + timedelta(days=lasts),
                actor=office,
            )
    for item in items.values():
        if item.publish_from > ctx.today:
            continue
        for person in people:
            if ctx.rng.random() < 0.6:
                day = max(item.publish_from, ctx.today - timedelta(days=ctx.rng.randint(0, 5)))
                if day <= item.publish_until:
                    with clock.frozen(day):
                        services.receipt_record(item=item, actor=person)
    for i, (ago, title, body, answered_after, answer) in enumerate(questions):
        asked = ctx.today - timedelta(days=ago)
        with clock.frozen(asked):
            q = services.question_ask(
                org=org, item=items.get(title), body=body, actor=people[i % len(people)]
            )
        if answered_after is not None:
            with clock.frozen(asked + timedelta(days=answered_after)):
                services.question_answer(
                    question=q,
                    answer=answer,
                    actor=office,
                )
    with clock.frozen(ctx.today - timedelta(days=7)):
        survey = services.survey_create(
            org=org,
            title=f"{ctx.today.year}年度厂务公开工作满意度调查",
            opens_on=ctx.today - timedelta(days=7),
            closes_on=ctx.today + timedelta(days=14),
            actor=office,
        )
    comments = ["公开内容再细一些", "希望手机上能收到提醒", "", "", "答复比较及时"]
    with clock.frozen(ctx.today):
        for i, person in enumerate(people[:-2]):
            rating = ctx.rng.choices(["satisfied", "basically", "unsatisfied"], weights=[6, 3, 1])[0]
            services.survey_respond(
                survey=survey, rating=rating, comment=comments[i % len(comments)], actor=person
            )


def seed(ctx: SeedContext) -> None:
    if not ctx.unions:
        return
    done = []
    for union_index, office_name, extra, item_rows, questions in (
        (0, "staff_1", ["member_1", "delegate_1"], ITEMS, QUESTIONS),
        (2, "secretariat_3", [], LOGISTICS_ITEMS, LOGISTICS_QUESTIONS),
    ):
        office = ctx.users.get(office_name)
        if office is None or union_index >= len(ctx.unions):
            continue
        people = [ctx.users[u] for u in extra if u in ctx.users] + workers(ctx, union_index, 8)
        _board(ctx, union_index, office, people, item_rows, questions)
        done.append(ctx.unions[union_index].name)
    overdue = Question.objects.filter(status="open", due_on__lt=ctx.today).count()
    ctx.log.append(f"affairs: boards for {'、'.join(done)}; {overdue} overdue question(s)")
