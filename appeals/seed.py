import datetime as dt

from django.db.models import Max
from django.utils import timezone

from core.seed import SeedContext
from deadlines import calendar
from deadlines.models import Notification
from deadlines.services import notify_run

from . import services
from .models import AppealEvent, EventKind

APPEALS = [
    # days ago, anonymous, category, title, content, then: None | "accept" | "answer" | "rate"
    (40, False, "wages", "六月份绩效工资迟发", "六月份绩效工资到现在还没有发，车间很多人都在问。", "rate"),
    (
        25,
        True,
        "safety",
        "冲压车间防护罩损坏",
        "冲压车间 3 号线防护罩损坏一周了，没有人修，担心出事故。",
        "answer",
    ),
    (
        14,
        True,
        "hours",
        "连续两周每天加班四小时",
        "最近两周每天都要加班四小时，周末也要上班，身体吃不消。",
        None,
    ),
    (
        6,
        False,
        "social_insurance",
        "公积金基数是否按实际工资",
        "想了解公司公积金缴存基数是不是按实际工资计算的。",
        "accept",
    ),
    (2, False, "contracts", "劳动合同到期是否续签", "我的劳动合同下月到期，公司还没有通知是否续签。", None),
]


def _date_events(appeal, kind: str, day: dt.date, hour: int) -> None:
    """Demo only: the services stamp events with the real clock; put them on the simulated day so the
    timeline agrees with the submission and answer dates."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 20)))
    AppealEvent.objects.filter(appeal=appeal, kind=kind).update(at=at)


def seed(ctx: SeedContext) -> None:
    member = ctx.users.get("member_1")
    staff = ctx.users.get("staff_1")
    if member is None or staff is None:
        return
    for ago, anonymous, category, title, content, step in APPEALS:
        day = ctx.today - dt.timedelta(days=ago)
        with calendar.frozen_today(day):
            appeal = services.appeal_submit(
                actor=member, category=category, title=title, content=content, anonymous=anonymous
            )
        _date_events(appeal, EventKind.SUBMITTED, day, 9)
        if step is None:
            continue
        with calendar.frozen_today(day + dt.timedelta(days=1)):
            services.appeal_accept(actor=staff, appeal=appeal)
            if step in ("answer", "rate"):
                services.appeal_answer(
                    actor=staff, appeal=appeal, answer="工会已与公司人力资源部沟通，将于本周内处理并答复。"
                )
        _date_events(appeal, EventKind.ACCEPTED, day + dt.timedelta(days=1), 10)
        _date_events(appeal, EventKind.ANSWERED, day + dt.timedelta(days=1), 16)
        if step == "rate":
            services.appeal_rate(actor=member, appeal=appeal, satisfaction="satisfied", comment="处理及时")
            _date_events(appeal, EventKind.RATED, day + dt.timedelta(days=2), 12)
    with calendar.frozen_today(ctx.today):
        escalated = services.appeal_escalate_overdue()
        before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        notified = notify_run()
    # The daily run of the simulated day: its notices are dated that day (the services stamp them
    # with the real clock), as the daily job would have sent them.
    Notification.objects.filter(pk__gt=before, deadline__isnull=False).update(
        created_at=timezone.make_aware(dt.datetime.combine(ctx.today, dt.time(7, 15)))
    )
    ctx.log.append(
        f"appeals: {len(APPEALS)} requests, {escalated['escalated']} escalated; notices {notified}"
    )
