from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from bargaining import services
from bargaining.models import Consultation, Negotiator, Status
from deadlines.calendar import frozen_today
from deadlines.models import CalendarDay, Deadline

from .factories import TEXT_V2, make_consultation


def open_deadlines(c):
    return {
        d.slot: d.due_on
        for d in Deadline.objects.filter(
            source_type="bargaining.consultation", source_id=str(c.pk), done_at__isnull=True
        )
    }


def test_request_starts_the_20_day_answer_clock(world):
    with frozen_today(date(2026, 3, 2)):
        c = services.consultation_request(
            actor=world.staff_a,
            org=world.union_a,
            title="集体合同",
            employer_name="甲公司",
            requested_on=date(2026, 3, 2),
        )
    assert c.status == Status.REQUESTED
    assert c.answer_due == date(2026, 3, 23)  # 22 March is a Sunday: rolled to Monday
    assert open_deadlines(c) == {"answer": date(2026, 3, 23)}
    assert (
        AuditEvent.objects.filter(action="bargaining.consultation_request", target_id=str(c.pk)).count() == 1
    )


def test_answer_due_on_a_holiday_rolls_to_the_next_working_day(world):
    CalendarDay.objects.update_or_create(
        date=date(2026, 10, 1), defaults={"kind": "holiday", "name": "国庆节"}
    )
    for d in range(2, 8):
        CalendarDay.objects.update_or_create(
            date=date(2026, 10, d), defaults={"kind": "holiday", "name": "国庆节"}
        )
    with frozen_today(date(2026, 9, 11)):
        c = services.consultation_request(
            actor=world.staff_a,
            org=world.union_a,
            title="集体合同",
            employer_name="甲公司",
            requested_on=date(2026, 9, 11),
        )
    assert c.answer_due == date(2026, 10, 8)


def test_full_journey_computes_filing_review_and_effective_dates(world):
    c = make_consultation(world, Status.IN_EFFECT)
    assert c.status == Status.IN_EFFECT
    assert c.signed_on == date(2026, 3, 27)
    assert c.filing_due == date(
        2026, 4, 7
    )  # 6 April 2026 (清明 observed) — see calendar; 10 days after signing
    assert c.filed_on == date(2026, 4, 3)
    assert c.review_due == date(2026, 4, 20)  # 18 April is a Saturday: rolled to Monday
    assert c.effective_on == date(2026, 4, 20)  # the contract takes effect when the period ends
    assert (c.term_start, c.term_end, c.term_years) == (date(2026, 4, 1), date(2028, 3, 31), 2)
    assert c.renewal_opens == date(2027, 12, 31)
    assert open_deadlines(c) == {"renewal": date(2027, 12, 31)}
    assert c.workers_signatory == "张主席" and c.employer_signatory == "赵总"
    actions = list(
        AuditEvent.objects.filter(
            target_id=str(c.pk), action__startswith="bargaining.consultation"
        ).values_list("action", flat=True)
    )
    assert sorted(set(actions)) == sorted(
        {
            "bargaining.consultation_request",
            "bargaining.consultation_answer",
            "bargaining.consultation_submit_draft",
            "bargaining.consultation_approve",
            "bargaining.consultation_sign",
            "bargaining.consultation_file",
            "bargaining.consultation_take_effect",
        }
    )


def test_take_effect_refused_before_the_review_period_ends(world):
    # Filed 3 April: day 15 is Saturday 18 April, so the period (and the contract) runs to Monday.
    # An objection may still come on the period's last day; effect is confirmed from the day after.
    c = make_consultation(world, Status.FILED)
    for day in (date(2026, 4, 18), date(2026, 4, 20)):
        with frozen_today(day), pytest.raises(ValidationError) as e:
            services.consultation_take_effect(actor=world.staff_a, consultation=c)
        assert e.value.messages == [
            "审查期至2026-04-20届满，当天仍可能收到异议；届满次日起可确认生效，合同自2026-04-20起生效。"
        ]
    c.refresh_from_db()
    assert c.status == Status.FILED
    with frozen_today(date(2026, 4, 21)):
        services.consultation_take_effect(actor=world.staff_a, consultation=c)
    c.refresh_from_db()
    assert (c.status, c.effective_on) == (Status.IN_EFFECT, date(2026, 4, 20))


def test_illegal_transitions_are_refused(world):
    c = make_consultation(world, Status.REQUESTED)
    with frozen_today(date(2026, 3, 5)):
        with pytest.raises(ValidationError, match="当前状态为“已提出书面要约”，不能签字"):
            services.consultation_sign(
                actor=world.staff_a,
                consultation=c,
                signed_on=date(2026, 3, 5),
                term_start=date(2026, 3, 5),
                term_years=1,
            )
        with pytest.raises(ValidationError, match="不能提交职代会审议"):
            services.consultation_submit_draft(actor=world.staff_a, consultation=c)
        with pytest.raises(ValidationError, match="不能确认生效"):
            services.consultation_take_effect(actor=world.staff_a, consultation=c)


def test_failed_vote_stays_at_draft(world):
    c = make_consultation(world, Status.DRAFT)
    with frozen_today(date(2026, 3, 25)):
        passed = services.consultation_record_vote(
            actor=world.staff_a, consultation=c, total=60, present=39, agree=35, voted_on=date(2026, 3, 25)
        )
    c.refresh_from_db()
    assert passed is False
    assert c.status == Status.DRAFT
    assert (c.congress_total, c.congress_present, c.congress_agree) == (60, 39, 35)
    assert AuditEvent.objects.filter(action="bargaining.consultation_vote_failed").count() == 1


def test_bad_vote_counts_save_nothing(world):
    c = make_consultation(world, Status.DRAFT)
    with frozen_today(date(2026, 3, 25)), pytest.raises(ValidationError) as e:
        services.consultation_record_vote(
            actor=world.staff_a, consultation=c, total=60, present=61, agree=-1, voted_on=date(2026, 3, 25)
        )
    assert e.value.message_dict == {
        "present": ["到会人数应在0到代表总数之间。"],
        "agree": ["同意人数应在0到到会人数之间。"],
    }
    c.refresh_from_db()
    assert c.congress_total is None


@pytest.mark.parametrize("years", [0, 4, -1])
def test_term_out_of_range(world, years):
    c = make_consultation(world, Status.APPROVED)
    with frozen_today(date(2026, 3, 27)), pytest.raises(ValidationError) as e:
        services.consultation_sign(
            actor=world.staff_a,
            consultation=c,
            signed_on=date(2026, 3, 27),
            term_start=date(2026, 4, 1),
            term_years=years,
        )
    assert e.value.message_dict == {"term_years": ["集体合同期限为1至3年。"]}
    c.refresh_from_db()
    assert c.status == Status.APPROVED and c.signed_on is None


def test_dates_out_of_order(world):
    c = make_consultation(world, Status.REQUESTED)
    with frozen_today(date(2026, 3, 10)), pytest.raises(ValidationError) as e:
        services.consultation_answer(actor=world.staff_a, consultation=c, answered_on=date(2026, 3, 1))
    assert e.value.message_dict == {"answered_on": ["书面回应日期不能早于书面要约日期。"]}
    c2 = make_consultation(world, Status.SIGNED)
    with frozen_today(date(2026, 4, 3)), pytest.raises(ValidationError) as e:
        services.consultation_file(actor=world.staff_a, consultation=c2, filed_on=date(2026, 3, 26))
    assert e.value.message_dict == {"filed_on": ["报送日期不能早于签字日期。"]}
    with frozen_today(date(2026, 4, 3)), pytest.raises(ValidationError) as e:
        services.consultation_sign(
            actor=world.staff_a,
            consultation=make_consultation(world, Status.APPROVED),
            signed_on=date(2026, 3, 27),
            term_start=date(2026, 3, 20),
            term_years=1,
        )
    assert e.value.message_dict == {"term_start": ["合同期限开始日期不能早于签字日期。"]}


def test_a_negotiator_cannot_be_appointed_in_the_future(world):
    c = make_consultation(world, Status.REQUESTED)
    before = Negotiator.objects.count()
    with frozen_today(date(2026, 3, 3)), pytest.raises(ValidationError) as e:
        services.negotiator_add(
            actor=world.staff_a,
            consultation=c,
            side="workers",
            name="未来代表",
            appointed_on=date(2030, 11, 20),
        )
    assert e.value.message_dict == {"appointed_on": ["产生日期不能晚于今天。"]}
    assert Negotiator.objects.count() == before


def test_duplicate_negotiators_are_refused(world):
    c = make_consultation(world, Status.REQUESTED)
    before = Negotiator.objects.count()
    with frozen_today(date(2026, 3, 3)):
        with pytest.raises(ValidationError) as e:
            services.negotiator_add(
                actor=world.staff_a,
                consultation=c,
                side="workers",
                name="李代表",
                appointed_on=date(2026, 3, 3),
            )
        assert e.value.message_dict == {"name": ["李代表 已是本方协商代表。"]}
        with pytest.raises(ValidationError) as e:
            services.negotiator_add(
                actor=world.staff_a,
                consultation=c,
                side="employer",
                name="李代表",
                appointed_on=date(2026, 3, 3),
            )
        assert e.value.message_dict == {"name": ["李代表 已是对方协商代表，同一人不得同时担任双方代表。"]}
        with pytest.raises(ValidationError) as e:
            services.negotiator_add(
                actor=world.staff_a,
                consultation=c,
                side="workers",
                name="周",
                appointed_on=date(2026, 3, 3),
                is_chief=True,
            )
        assert e.value.message_dict == {"is_chief": ["本方已有首席代表。"]}
        with pytest.raises(ValidationError) as e:
            services.negotiator_add(
                actor=world.staff_a,
                consultation=c,
                side="workers",
                name="专家",
                appointed_on=date(2026, 3, 3),
                is_chief=True,
                is_expert=True,
            )
        assert e.value.message_dict == {"is_expert": ["首席代表不得由外部专家担任。"]}
    assert Negotiator.objects.count() == before


def test_vacancy_clock_and_refill(world):
    c = make_consultation(world, Status.NEGOTIATING)
    wang = Negotiator.objects.get(consultation=c, name="王代表")
    with frozen_today(date(2026, 3, 12)):
        services.negotiator_vacate(
            actor=world.staff_a, negotiator=wang, left_on=date(2026, 3, 12), reason="离职"
        )
    wang.refresh_from_db()
    assert wang.vacancy_due == date(2026, 3, 27)
    assert open_deadlines(c) == {f"vacancy:{wang.pk}": date(2026, 3, 27)}
    assert services.team_problems(c) == [
        "双方协商代表人数应相等（职工方2人，用人单位方3人）。",
        "职工方协商代表不少于3人，现有2人。",
    ]
    with frozen_today(date(2026, 3, 13)), pytest.raises(ValidationError, match="协商代表不符合规定"):
        services.round_add(actor=world.staff_a, consultation=c, held_on=date(2026, 3, 13), minutes="x")
    with frozen_today(date(2026, 3, 14)):
        n = services.negotiator_add(
            actor=world.staff_a, consultation=c, side="workers", name="周代表", appointed_on=date(2026, 3, 14)
        )
    wang.refresh_from_db()
    assert wang.replaced_by == n
    assert open_deadlines(c) == {}
    assert services.team_problems(c) == []


def test_new_draft_in_draft_state_clears_the_vote_and_diff_versions(world):
    c = make_consultation(world, Status.DRAFT)
    with frozen_today(date(2026, 3, 21)):
        with pytest.raises(ValidationError, match="与上一稿内容相同"):
            services.draft_add(actor=world.staff_a, consultation=c, text=TEXT_V2)
        v = services.draft_add(actor=world.staff_a, consultation=c, text=TEXT_V2 + "\n第五条 附则。")
    assert v.number == 3


def test_regional_contract_at_federation_level(world):
    with frozen_today(date(2026, 3, 2)):
        with pytest.raises(ValidationError) as e:
            services.consultation_request(
                actor=world.fed_admin,
                org=world.union_a,
                title="区域合同",
                employer_name="街道企业联合会",
                requested_on=date(2026, 3, 2),
                level="regional",
                covered_orgs=[world.union_a],
            )
        assert e.value.message_dict == {
            "level": ["区域性、行业性集体合同只能由总工会（联合会）发起。"],
            "covered_orgs": ["区域性、行业性集体合同应覆盖至少两个基层工会。"],
        }
        c = services.consultation_request(
            actor=world.fed_admin,
            org=world.fed,
            title="街道区域性工资集体合同",
            employer_name="街道企业联合会",
            requested_on=date(2026, 3, 2),
            level="regional",
            kind="wages",
            covered_orgs=[world.union_a, world.union_b],
        )
    assert set(c.covered_orgs.values_list("name", flat=True)) == {"甲公司工会", "乙公司工会"}
    # the covered unions see it (read only)
    from bargaining import selectors

    assert list(selectors.consultation_list(world.staff_b)) == [c]
    assert Consultation.objects.count() == 1


def test_yearly_check(world):
    c = make_consultation(world, Status.IN_EFFECT)
    with frozen_today(date(2026, 12, 20)):
        chk = services.check_add(
            actor=world.staff_a,
            consultation=c,
            year=2026,
            checked_on=date(2026, 12, 20),
            findings="工资已按约调整。",
        )
        assert chk.year == 2026
        with pytest.raises(ValidationError) as e:
            services.check_add(
                actor=world.staff_a, consultation=c, year=2026, checked_on=date(2026, 12, 20), findings="重复"
            )
        assert e.value.message_dict == {"year": ["2026年度已登记履约检查。"]}


def test_expire_after_term(world):
    c = make_consultation(world, Status.IN_EFFECT)
    with frozen_today(date(2028, 3, 31)), pytest.raises(ValidationError, match="尚未到期"):
        services.consultation_expire(actor=world.staff_a, consultation=c)
    c = make_consultation(world, Status.EXPIRED)
    assert c.status == Status.EXPIRED
    assert open_deadlines(c) == {}


def test_objection_sends_the_contract_back_to_negotiation(world):
    c = make_consultation(world, Status.FILED)
    with frozen_today(date(2026, 4, 10)):
        with pytest.raises(ValidationError) as e:
            services.consultation_record_objection(
                actor=world.staff_a, consultation=c, objection_on=date(2026, 4, 10), note=" "
            )
        assert e.value.message_dict == {"note": ["请填写异议内容。"]}
        services.consultation_record_objection(
            actor=world.staff_a, consultation=c, objection_on=date(2026, 4, 10), note="第二条工资标准表述不清"
        )
    c.refresh_from_db()
    assert c.status == Status.NEGOTIATING
    assert (c.filed_on, c.review_due, c.effective_on, c.congress_total) == (None, None, None, None)
    assert open_deadlines(c) == {}
    with frozen_today(date(2026, 4, 12)):
        services.draft_add(actor=world.staff_a, consultation=c, text=TEXT_V2 + "\n第五条 工资标准以月计。")
        services.consultation_submit_draft(actor=world.staff_a, consultation=c)
        services.consultation_record_vote(
            actor=world.staff_a, consultation=c, total=60, present=45, agree=40, voted_on=date(2026, 4, 12)
        )
        services.consultation_sign(
            actor=world.staff_a,
            consultation=c,
            signed_on=date(2026, 4, 12),
            term_start=date(2026, 5, 1),
            term_years=1,
        )
        services.consultation_file(actor=world.staff_a, consultation=c, filed_on=date(2026, 4, 12))
    c.refresh_from_db()
    assert (c.status, c.effective_on, c.term_end) == (Status.FILED, date(2026, 4, 27), date(2027, 4, 30))


def test_objection_after_the_review_period_is_refused(world):
    c = make_consultation(world, Status.FILED)
    with frozen_today(date(2026, 4, 25)), pytest.raises(ValidationError) as e:
        services.consultation_record_objection(
            actor=world.staff_a, consultation=c, objection_on=date(2026, 4, 21), note="x"
        )
    assert e.value.message_dict == {"objection_on": ["审查期已于2026-04-20届满，逾期异议不影响合同生效。"]}


def test_renewal_in_the_three_months_before_expiry(world):
    c = make_consultation(world, Status.IN_EFFECT)
    assert c.renewal_opens == date(2027, 12, 31)
    with frozen_today(date(2027, 12, 30)), pytest.raises(ValidationError) as e:
        services.consultation_renew(actor=world.staff_a, consultation=c, requested_on=date(2027, 12, 30))
    assert e.value.message_dict == {"requested_on": ["续签要求可在2027-12-31（期满前3个月）起提出。"]}
    with frozen_today(date(2028, 1, 5)):
        new = services.consultation_renew(actor=world.staff_a, consultation=c, requested_on=date(2028, 1, 5))
        with pytest.raises(ValidationError, match="已就本合同提出续签"):
            services.consultation_renew(actor=world.staff_a, consultation=c, requested_on=date(2028, 1, 5))
    assert (new.status, new.renews, new.kind, new.answer_due) == (
        Status.REQUESTED,
        c,
        "wages",
        date(2028, 1, 25),
    )
    assert new.title == "2026年甲公司工资专项集体合同（续签）"  # Chinese brackets kept
    assert open_deadlines(c) == {}


def test_vote_taken_from_a_congress_poll(world):
    from .factories import make_poll

    c = make_consultation(world, Status.DRAFT)
    other = make_poll(world, org=world.union_b)
    open_poll = make_poll(world, status="open")
    poll = make_poll(world, electorate=60, present=41, yes=31)
    assert [p.pk for p in services.congress_polls(c)] == [poll.pk]
    with frozen_today(date(2026, 3, 26)):
        for bad in (other.pk, open_poll.pk, 999999):
            with pytest.raises(ValidationError) as e:
                services.consultation_vote_from_poll(actor=world.staff_a, consultation=c, poll_id=bad)
            assert e.value.message_dict == {"poll": ["请选择本单位职代会已截止的表决事项。"]}
        assert (
            services.consultation_vote_from_poll(actor=world.staff_a, consultation=c, poll_id=poll.pk) is True
        )
    c.refresh_from_db()
    assert (
        c.status,
        c.congress_total,
        c.congress_present,
        c.congress_agree,
        c.congress_on,
        c.congress_poll_id,
    ) == (
        Status.APPROVED,
        60,
        41,
        31,
        date(2026, 3, 25),
        poll.pk,
    )


def test_congress_poll_below_the_thresholds_does_not_approve(world):
    from .factories import make_poll

    c = make_consultation(world, Status.DRAFT)
    poll = make_poll(world, electorate=60, present=50, yes=30)  # 30 is not more than half of 60
    with frozen_today(date(2026, 3, 26)):
        assert (
            services.consultation_vote_from_poll(actor=world.staff_a, consultation=c, poll_id=poll.pk)
            is False
        )
    c.refresh_from_db()
    assert c.status == Status.DRAFT and c.congress_poll_id == poll.pk


def test_renewal_window_follows_the_local_setting(world, settings):
    settings.GONGHUI_BARGAINING = {"RENEWAL_MONTHS": 6}
    c = make_consultation(world, Status.IN_EFFECT)
    assert c.renewal_opens == date(2027, 9, 30)
    with frozen_today(date(2027, 9, 29)), pytest.raises(ValidationError) as e:
        services.consultation_renew(actor=world.staff_a, consultation=c, requested_on=date(2027, 9, 29))
    assert e.value.message_dict == {"requested_on": ["续签要求可在2027-09-30（期满前6个月）起提出。"]}
