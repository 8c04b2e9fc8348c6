import datetime as dt

from deadlines import calendar
from deadlines.holidays import install
from mediation import services


def make_case(world, *, received_on=dt.date(2026, 2, 13), org=None, actor=None, **kw):
    install()
    data = {
        "cause": "wages",
        "application_form": "written",
        "dispute_arose_on": dt.date(2026, 1, 31),
        "summary": "拖欠 2025 年 12 月工资",
        "parties": [
            {"side": "worker", "name": "张三", "detail": "装配车间 操作工"},
            {"side": "employer", "name": "甲公司", "detail": "委托代理人 李经理"},
        ],
        "claims": [{"item": "支付拖欠工资", "amount": "6800.00"}],
    }
    data.update(kw)
    with calendar.frozen_today(max(received_on, dt.date(2026, 2, 13))):
        return services.case_create(
            actor=actor or world.staff_a, org=org or world.union_a, received_on=received_on, **data
        )


def case_payload(world, **over) -> dict:
    """The JSON body of `POST /api/v1/mediation/cases` for a plain wage case at union A."""
    payload = {
        "org_id": world.union_a.pk,
        "cause": "wages",
        "application_form": "written",
        "received_on": "2026-02-13",
        "dispute_arose_on": "2026-02-01",
        "summary": "欠薪",
        "parties": [{"side": "worker", "name": "张三"}, {"side": "employer", "name": "甲公司"}],
    }
    payload.update(over)
    return payload
