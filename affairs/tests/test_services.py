from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role
from affairs import clock, selectors, services
from affairs.models import AffairItem, Question, ReadReceipt, SurveyResponse
from audit.models import AuditEvent
from core.testing.world import make_user

from .factories import TODAY, make_item, make_question, make_survey


def _actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


# ---- items ------------------------------------------------------------------------------------


def test_publish_item(world):
    item = services.item_publish(
        org=world.union_a,
        category="rules",
        title=" 考勤管理办法（修订） ",
        body="第一条……",
        publish_from=TODAY,
        publish_until=TODAY + timedelta(days=30),
        actor=world.staff_a,
    )
    assert (item.title, item.category, item.created_by) == ("考勤管理办法（修订）", "rules", world.staff_a)
    assert _actions() == ["affairs.item_publish"]


def test_publish_validates_the_period_order(world):
    with pytest.raises(ValidationError) as e:
        services.item_publish(
            org=world.union_a,
            category="nope",
            title="",
            body="",
            publish_from=TODAY,
            publish_until=TODAY - timedelta(days=1),
            actor=world.staff_a,
        )
    assert e.value.message_dict == {
        "category": ["请选择公开类别。"],
        "title": ["请填写标题。"],
        "body": ["请填写公开内容。"],
        "publish_until": ["公开截止日期不能早于开始日期。"],
    }
    assert AffairItem.objects.count() == 0


def test_a_period_or_survey_already_over_is_refused(world):
    with pytest.raises(ValidationError) as e:
        services.item_publish(
            org=world.union_a,
            category="rules",
            title="过去",
            body="内容",
            publish_from=date(2000, 1, 1),
            publish_until=date(2000, 1, 31),
            actor=world.staff_a,
        )
    assert e.value.message_dict == {"publish_until": ["公开截止日期已过，发布后职工也看不到，请核对日期。"]}
    with pytest.raises(ValidationError) as e:
        services.survey_create(
            org=world.union_a,
            title="调查",
            opens_on=date(2001, 12, 1),
            closes_on=date(2001, 12, 31),
            actor=world.staff_a,
        )
    assert e.value.message_dict == {"closes_on": ["调查结束日期已过，职工无法参加，请核对日期。"]}
    assert not AffairItem.objects.exists()


def test_the_database_refuses_a_reversed_period(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_item(world, start=5, end=1)


def test_publish_needs_a_manager_of_the_union(world):
    for actor in (world.member_a, world.staff_b):
        with pytest.raises(PermissionDenied):
            services.item_publish(
                org=world.union_a,
                category="rules",
                title="t",
                body="b",
                publish_from=TODAY,
                publish_until=TODAY,
                actor=actor,
            )


# ---- read receipts ----------------------------------------------------------------------------


def test_receipt_recorded_once(world):
    item = make_item(world)
    assert services.receipt_record(item=item, actor=world.member_a) is not None
    assert services.receipt_record(item=item, actor=world.member_a) is None
    assert ReadReceipt.objects.filter(item=item).count() == 1
    assert _actions() == ["affairs.item_read"]


def test_managers_and_out_of_period_openings_are_not_receipts(world):
    item = make_item(world)
    assert services.receipt_record(item=item, actor=world.staff_a) is None
    ended = make_item(world, start=-30, end=-1)
    assert services.receipt_record(item=ended, actor=world.member_a) is None
    assert ReadReceipt.objects.count() == 0


def test_read_rate(world):
    item = make_item(world)
    member2 = make_user("member2_a", Role.MEMBER, world.branch_a, full_name="乙会员")
    make_user("member3_a", Role.MEMBER, world.union_a, full_name="丙会员")
    services.receipt_record(item=item, actor=world.member_a)
    services.receipt_record(item=item, actor=member2)
    services.receipt_record(item=item, actor=world.finance_a)  # reads, but is not in the audience
    r = selectors.item_readers(item)
    # audience: member_a, delegate_a, member2_a (branch), member3_a
    assert (r["read"], r["audience"], str(r["rate"])) == (2, 4, "50.0")
    assert [x.user.username for x in r["readers"]] == ["member_a", "member2_a", "finance_a"]
    assert sorted(u.username for u in r["unread"]) == ["delegate_a", "member3_a"]
    [row] = selectors.items_for_manager(world.union_a)
    assert (row.n_read, str(row.read_rate), row.state) == (2, "50.0", "current")


# ---- questions --------------------------------------------------------------------------------


def test_ask_sets_the_thirty_day_clock(world):
    item = make_item(world)
    q = services.question_ask(
        org=world.union_a, item=item, body="  涨幅包括劳务派遣职工吗？ ", actor=world.member_a
    )
    assert (q.body, q.asked_on, q.due_on, q.status) == (
        "涨幅包括劳务派遣职工吗？",
        TODAY,
        TODAY + timedelta(days=30),
        "open",
    )
    assert AuditEvent.objects.get(action="affairs.question_ask").details == {
        "item": item.pk,
        "due_on": (TODAY + timedelta(days=30)).isoformat(),
    }


def test_ask_errors(world):
    with pytest.raises(ValidationError) as e:
        services.question_ask(org=world.union_a, body=" ", actor=world.member_a)
    assert e.value.message_dict == {"body": ["请填写您的问题。"]}
    with pytest.raises(ValidationError) as e:
        services.question_ask(org=world.union_a, body="问" * 1001, actor=world.member_a)
    assert e.value.message_dict == {"body": ["问题请控制在 1000 字以内。"]}
    other = make_item(world, org=world.union_b)
    with pytest.raises(ValidationError) as e:
        services.question_ask(org=world.union_a, item=other, body="问", actor=world.member_a)
    assert e.value.message_dict == {"item": ["该公开事项不属于本工会。"]}
    with pytest.raises(PermissionDenied):
        services.question_ask(org=world.union_a, body="问", actor=world.staff_b)
    assert Question.objects.count() == 0


def test_question_turns_overdue_after_thirty_days(world, monkeypatch):
    q = services.question_ask(org=world.union_a, body="食堂承包合同何时公开？", actor=world.member_a)
    monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=30))
    assert list(selectors.overdue_questions(world.staff_a)) == []
    monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=31))
    assert list(selectors.overdue_questions(world.staff_a)) == [q]
    assert list(selectors.overdue_questions(world.staff_b)) == []
    [row] = selectors.questions_for_manager(world.union_a, state="overdue")
    assert (row.overdue, row.days_over) == (True, 1)
    services.question_answer(question=q, answer="将于下月公开。", actor=world.staff_a)
    q.refresh_from_db()
    assert (q.status, q.answered_on, q.answered_by) == ("answered", TODAY + timedelta(days=31), world.staff_a)
    assert AuditEvent.objects.get(action="affairs.question_answer").details["late"] is True
    assert list(selectors.overdue_questions(world.staff_a)) == []


def test_answer_errors(world):
    q = make_question(world)
    with pytest.raises(ValidationError) as e:
        services.question_answer(question=q, answer="", actor=world.staff_a)
    assert e.value.message_dict == {"answer": ["请填写答复内容。"]}
    with pytest.raises(PermissionDenied):
        services.question_answer(question=q, answer="答", actor=world.member_a)
    services.question_answer(question=q, answer="答", actor=world.staff_a)
    with pytest.raises(ValidationError) as e:
        services.question_answer(question=q, answer="再答", actor=world.staff_a)
    assert e.value.messages == ["该问题已经答复过了。"]


def test_question_visibility(world):
    q = make_question(world)
    assert selectors.question_for_user(world.member_a, q.pk) == q
    assert selectors.question_for_user(world.staff_a, q.pk) == q
    from django.http import Http404

    for user in (world.delegate_a, world.staff_b):
        with pytest.raises(Http404):
            selectors.question_for_user(user, q.pk)


# ---- survey -----------------------------------------------------------------------------------


def test_survey_once_per_person_with_percentages(world):
    s = make_survey(world)
    services.survey_respond(survey=s, rating="satisfied", actor=world.member_a)
    services.survey_respond(survey=s, rating="satisfied", comment="希望公开更及时", actor=world.delegate_a)
    services.survey_respond(survey=s, rating="unsatisfied", actor=world.staff_a)
    with pytest.raises(ValidationError) as e:
        services.survey_respond(survey=s, rating="basically", actor=world.member_a)
    assert e.value.messages == ["您已参加过本期调查，感谢您的参与。"]
    r = selectors.survey_results(s)
    assert r["total"] == 3
    assert [(k, n, str(p)) for _l, k, n, p in r["rows"]] == [
        ("satisfied", 2, "66.7"),
        ("basically", 0, "0.0"),
        ("unsatisfied", 1, "33.3"),
    ]
    assert str(r["satisfied_rate"]) == "66.7"
    assert r["comments"] == ["希望公开更及时"]
    assert SurveyResponse.objects.count() == 3
    # the audit log knows that someone answered, not what they answered
    assert AuditEvent.objects.filter(action="affairs.survey_respond").first().details == {}


def test_survey_only_during_its_period(world):
    early, late = make_survey(world, start=1, end=5), make_survey(world, start=-10, end=-1)
    with pytest.raises(ValidationError) as e:
        services.survey_respond(survey=early, rating="satisfied", actor=world.member_a)
    assert e.value.messages == ["本期调查尚未开始。"]
    with pytest.raises(ValidationError) as e:
        services.survey_respond(survey=late, rating="satisfied", actor=world.member_a)
    assert e.value.messages == ["本期调查已经结束。"]
    with pytest.raises(ValidationError):
        services.survey_respond(survey=make_survey(world), rating="meh", actor=world.member_a)


def test_survey_create(world):
    with pytest.raises(ValidationError) as e:
        services.survey_create(
            org=world.union_a,
            title="",
            opens_on=TODAY,
            closes_on=TODAY - timedelta(days=1),
            actor=world.staff_a,
        )
    assert e.value.message_dict == {
        "title": ["请填写调查名称。"],
        "closes_on": ["调查结束日期不能早于开始日期。"],
    }
    s = services.survey_create(
        org=world.union_a, title="年度调查", opens_on=TODAY, closes_on=TODAY, actor=world.chair_a
    )
    assert s.org == world.union_a


# ---- board ------------------------------------------------------------------------------------


def test_board_shows_current_items_by_category(world):
    a = make_item(world, category="rules", title="考勤办法")
    b = make_item(world, category="vital_interests", title="工资调整")
    make_item(world, title="未来事项", start=3, end=10)
    make_item(world, title="过期事项", start=-40, end=-10)
    make_item(world, org=world.union_b, title="乙公司事项")
    services.receipt_record(item=a, actor=world.member_a)
    board = selectors.board(world.union_a, world.member_a)
    assert [(v, [i.title for i in items]) for v, _l, items in board["groups"]] == [
        ("vital_interests", ["工资调整"]),
        ("rules", ["考勤办法"]),
    ]
    assert (board["n_items"], board["unread"]) == (2, 1)
    assert b.title == "工资调整"


def test_home_board(world):
    assert selectors.home_board(world.member_a) == world.union_a
    assert selectors.home_board(world.fed_admin) is None
    assert list(selectors.boards_for(world.fed_admin)) == [world.union_a, world.branch_a, world.union_b]


def test_questions_are_on_the_deadline_calendar(world):
    from deadlines.models import Deadline

    q = services.question_ask(org=world.union_a, body="夜班津贴标准今年会调整吗？", actor=world.member_a)
    d = Deadline.objects.get()
    assert (d.org, d.due_on, d.title, d.url, d.done_at) == (
        world.union_a,
        TODAY + timedelta(days=30),
        "答复职工提问：夜班津贴标准今年会调整吗？",
        f"/affairs/questions/{q.pk}/",
        None,
    )
    services.question_answer(question=q, answer="明年一月起上调。", actor=world.staff_a)
    d.refresh_from_db()
    assert d.done_at is not None
