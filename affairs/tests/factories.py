from datetime import timedelta

from django.utils import timezone

from affairs.models import AffairItem, Question, Survey

TODAY = timezone.localdate()


def make_item(world, org=None, *, start: int = -3, end: int = 27, **fields) -> AffairItem:
    defaults = {
        "category": "vital_interests",
        "title": "2027年度工资调整方案",
        "body": "经职代会审议通过，2027年起一线职工工资平均上调5%。",
    }
    defaults.update(fields)
    return AffairItem.objects.create(
        org=org or world.union_a,
        publish_from=TODAY + timedelta(days=start),
        publish_until=TODAY + timedelta(days=end),
        **defaults,
    )


def make_question(world, *, asked: int = 0, item=None, asker=None, **fields) -> Question:
    asked_on = TODAY + timedelta(days=asked)
    return Question.objects.create(
        org=fields.pop("org", world.union_a),
        item=item,
        asker=asker or world.member_a,
        body=fields.pop("body", "加班费的计算基数是多少？"),
        asked_on=asked_on,
        due_on=asked_on + timedelta(days=30),
        **fields,
    )


def make_survey(world, org=None, *, start: int = -1, end: int = 13) -> Survey:
    return Survey.objects.create(
        org=org or world.union_a,
        title="2026年第四季度厂务公开满意度调查",
        opens_on=TODAY + timedelta(days=start),
        closes_on=TODAY + timedelta(days=end),
    )
