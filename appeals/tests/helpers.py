import datetime as dt

from appeals import services
from deadlines import calendar
from deadlines.holidays import install

SUBMIT_DAY = dt.date(2026, 3, 2)  # a Monday


def submit(world, *, anonymous=True, user=None, on=SUBMIT_DAY, **kw):
    install()
    data = {
        "category": "wages",
        "title": "三月份加班费未发放",
        "content": "车间三月份加班费至今未发放，请工会过问。",
    }
    data.update(kw)
    with calendar.frozen_today(on):
        return services.appeal_submit(actor=user or world.member_a, anonymous=anonymous, **data)
