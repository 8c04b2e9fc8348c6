from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assistance import selectors, services
from assistance.models import Category, Fund, Household, HouseholdMember, Payment, PaymentReversal, Status
from audit.models import AuditEvent
from core import crypto
from deadlines.calendar import frozen_today
from deadlines.models import Deadline

from .factories import id_number, make_household, make_payment, standard


def open_deadlines(h):
    return {
        d.slot: d.due_on
        for d in Deadline.objects.filter(
            source_type="assistance.household", source_id=str(h.pk), done_at__isnull=True
        )
    }


def test_apply_encrypts_masks_and_classifies(world):
    h = make_household(world)
    assert h.category == Category.DEEP
    assert h.standard_amount == Decimal("1000.00") and h.standard_year == 2026
    assert crypto.decrypt(h.per_capita_cipher) == "500.00"
    assert h.id_masked == "110105********" + id_number()[-4:]
    assert crypto.decrypt(h.id_cipher) == id_number()
    assert crypto.decrypt(h.bank_cipher) == "6222020200112233445"
    assert h.bank_masked == "**** 3445"
    assert crypto.decrypt(h.health_cipher) == "慢性肾病"
    assert "6222" not in h.bank_cipher and "慢性" not in h.health_cipher
    assert h.members.count() == 3
    assert crypto.decrypt(h.members.get(name="李秀英").income_cipher) == "6000.00"
    # nothing sensitive in the audit trail
    details = " ".join(str(e.details) for e in AuditEvent.objects.filter(action__startswith="assistance."))
    assert "6222020200112233445" not in details and "慢性肾病" not in details and "18000" not in details


def test_relative_hardship_from_incomes_and_local_standard(world):
    h = make_household(world)
    with frozen_today(date(2026, 3, 3)):
        services.member_add(
            actor=world.staff_a, household=h, name="王大爷", relation="parent", annual_income="30000"
        )
    h.refresh_from_db()
    # (54 000 − 6 000) ÷ 12 ÷ 4 = 1 000.00: not below 低保 → relative
    assert h.category == Category.RELATIVE
    assert crypto.decrypt(h.per_capita_cipher) == "1000.00"


def test_no_local_standard_means_unknown_and_review_refused(world):
    with frozen_today(date(2026, 3, 2)):
        h = services.household_apply(
            actor=world.staff_a,
            org=world.union_a,
            head_name="赵六",
            id_number=id_number("11010519800101002"),
            employer="甲公司",
            applied_on=date(2026, 3, 2),
            annual_income="1000",
            main_cause="low_income",
        )
    assert h.category == Category.UNKNOWN
    with frozen_today(date(2026, 3, 3)), pytest.raises(ValidationError, match="低保标准尚未设置"):
        services.household_review(actor=world.staff_a, household=h, reviewed_on=date(2026, 3, 3))
    standard(world)
    with frozen_today(date(2026, 3, 3)):
        services.household_reclassify(actor=world.staff_a, household=h)
    h.refresh_from_db()
    assert h.category == Category.DEEP


def test_one_household_one_file(world):
    make_household(world)
    with frozen_today(date(2026, 3, 4)), pytest.raises(ValidationError) as e:
        services.household_apply(
            actor=world.staff_b,
            org=world.union_b,
            head_name="王建国",
            id_number=id_number(),
            employer="乙公司",
            applied_on=date(2026, 3, 4),
            annual_income="1",
            main_cause="other",
        )
    assert e.value.message_dict == {
        "id_number": ["该申请人已有困难职工家庭档案（一户一档），请在原档案中办理。"]
    }
    assert Household.objects.count() == 1


def test_simultaneous_applications_for_one_person_file_once(world, monkeypatch):
    """Two clerks filing the same worker at once: the second one's pre-check still sees nothing,
    the unique blind index refuses its row with the same message and nothing else is written."""
    first = make_household(world)
    events = AuditEvent.objects.count()
    monkeypatch.setattr(services.Household.objects, "filter", lambda **kw: Household.objects.none())
    with frozen_today(date(2026, 3, 4)), pytest.raises(ValidationError) as e:
        services.household_apply(
            actor=world.staff_a,
            org=world.union_a,
            head_name="王建国",
            id_number=id_number(),
            employer="甲公司",
            applied_on=date(2026, 3, 4),
            annual_income="1",
            main_cause="other",
        )
    monkeypatch.undo()
    assert e.value.message_dict == {
        "id_number": ["该申请人已有困难职工家庭档案（一户一档），请在原档案中办理。"]
    }
    assert list(Household.objects.values_list("pk", flat=True)) == [first.pk]
    assert HouseholdMember.objects.count() == 3
    assert AuditEvent.objects.count() == events


def test_bad_input_saves_nothing(world):
    standard(world)
    with frozen_today(date(2026, 3, 2)), pytest.raises(ValidationError) as e:
        services.household_apply(
            actor=world.staff_a,
            org=world.union_a,
            head_name="",
            id_number="123",
            employer="甲公司",
            applied_on=date(2026, 3, 9),
            annual_income="-5",
            rigid_expenses="abc",
            main_cause="illness",
            bank_account="6222-abc",
        )
    assert e.value.message_dict == {
        "head_name": ["请填写申请人姓名。"],
        "id_number": ["身份证号应为18位，当前为3位。"],
        "applied_on": ["申请日期不能晚于今天。"],
        "annual_income": ["金额不能为负数。"],
        "rigid_expenses": ["请输入正确的金额。"],
        "bank_account": ["银行账号只能包含数字。"],
    }
    assert Household.objects.count() == 0 and HouseholdMember.objects.count() == 0


def test_duplicate_member_and_negative_income(world):
    h = make_household(world)
    with frozen_today(date(2026, 3, 3)):
        with pytest.raises(ValidationError) as e:
            services.member_add(
                actor=world.staff_a, household=h, name="李秀英", relation="spouse", annual_income="1"
            )
        assert e.value.message_dict == {"name": ["李秀英 已在家庭成员中。"]}
        with pytest.raises(ValidationError) as e:
            services.member_add(
                actor=world.staff_a, household=h, name="新人", relation="child", annual_income="-1"
            )
        assert e.value.message_dict == {"annual_income": ["金额不能为负数。"]}
    assert h.members.count() == 3


def test_migrant_needs_a_year_of_employment(world):
    standard(world)
    with frozen_today(date(2026, 3, 2)), pytest.raises(ValidationError) as e:
        services.household_apply(
            actor=world.staff_a,
            org=world.union_a,
            head_name="农民工",
            id_number=id_number("11010519800101003"),
            employer="甲公司",
            applied_on=date(2026, 3, 2),
            annual_income="1",
            main_cause="low_income",
            is_migrant=True,
            employed_since=date(2025, 6, 1),
        )
    assert e.value.message_dict == {"employed_since": ["农民工在本单位工作满1年方可申请。"]}


def test_workflow_to_archive_with_notice_and_recheck_clock(world):
    h = make_household(world, Status.ARCHIVED)
    assert h.status == Status.ARCHIVED
    assert h.notice_start == date(2026, 3, 10)
    assert h.notice_end == date(2026, 3, 17)  # 5 working days
    assert h.proposed_amount == Decimal("3000.00")
    assert h.file_no == f"KN2026-{world.union_a.pk:04d}-{h.pk:05d}"
    assert h.next_recheck == date(2027, 3, 19)
    assert open_deadlines(h) == {"recheck": date(2027, 3, 19)}
    with frozen_today(date(2027, 3, 15)):
        services.household_recheck(actor=world.staff_a, household=h, checked_on=date(2027, 3, 15))
    h.refresh_from_db()
    assert h.next_recheck == date(2028, 3, 14) and h.last_recheck == date(2027, 3, 15)
    assert open_deadlines(h) == {"recheck": date(2028, 3, 14)}


def test_notice_requires_consent_to_publish(world):
    h = make_household(world, Status.VISITED, publish=False)
    with frozen_today(date(2026, 3, 10)), pytest.raises(ValidationError) as e:
        services.household_notice(
            actor=world.staff_a, household=h, start_on=date(2026, 3, 10), proposed_amount="100"
        )
    assert e.value.messages == ["申请人未同意公示，不能公示。"]
    h.refresh_from_db()
    assert h.status == Status.VISITED


def test_approval_waits_for_the_notice_period(world):
    h = make_household(world, Status.NOTICED)
    with frozen_today(date(2026, 3, 17)), pytest.raises(ValidationError) as e:
        services.household_approve(actor=world.staff_a, household=h, approved_on=date(2026, 3, 17))
    assert e.value.messages == ["公示期至2026-03-17，期满后方可审批。"]


def test_illegal_transitions(world):
    h = make_household(world)
    with frozen_today(date(2026, 3, 9)):
        with pytest.raises(ValidationError, match="当前状态为“已申请”，不能登记入户走访"):
            services.household_visit(
                actor=world.staff_a, household=h, visited_on=date(2026, 3, 9), visitors="甲", note="x"
            )
        with pytest.raises(ValidationError, match="不能建档立卡"):
            services.household_archive(actor=world.staff_a, household=h, archived_on=date(2026, 3, 9))
        with pytest.raises(ValidationError) as e:
            services.household_review(actor=world.staff_a, household=h, reviewed_on=date(2026, 3, 1))
        assert e.value.message_dict == {"reviewed_on": ["审核日期不能早于申请日期。"]}


def test_close_with_reason_stops_the_recheck_clock(world):
    h = make_household(world, Status.CLOSED)
    assert (h.status, h.close_reason, h.closed_on) == (Status.CLOSED, "out", date(2026, 6, 1))
    assert open_deadlines(h) == {}
    with frozen_today(date(2026, 6, 2)), pytest.raises(ValidationError, match="已退出"):
        services.household_close(actor=world.staff_a, household=h, closed_on=date(2026, 6, 2), reason="out")
    with frozen_today(date(2026, 6, 2)), pytest.raises(ValidationError) as e:
        services.household_close(
            actor=world.staff_a,
            household=make_household(world, body17="11010519800101009"),
            closed_on=date(2026, 6, 2),
            reason="",
        )
    assert e.value.message_dict == {"reason": ["请选择退出原因。"]}


def test_payments_and_totals_per_fund(world):
    h = make_household(world, Status.ARCHIVED)
    fed_fund = services.fund_create(actor=world.fed_admin, org=world.fed, name="街道帮扶资金")
    own = services.fund_create(actor=world.staff_a, org=world.union_a, name="甲公司互助金")
    other = services.fund_create(actor=world.staff_b, org=world.union_b, name="乙公司互助金")
    with frozen_today(date(2026, 4, 1)):
        services.payment_record(
            actor=world.finance_a,
            household=h,
            fund=fed_fund,
            budget_year=2026,
            kind="living",
            amount="1500",
            paid_on=date(2026, 4, 1),
        )
        services.payment_record(
            actor=world.finance_a,
            household=h,
            fund=fed_fund,
            budget_year=2026,
            kind="festival",
            amount="500.005",
            paid_on=date(2026, 4, 1),
        )
        services.payment_record(
            actor=world.staff_a,
            household=h,
            fund=own,
            budget_year=2026,
            kind="education",
            amount="800",
            paid_on=date(2026, 4, 1),
        )
        with pytest.raises(ValidationError) as e:
            services.payment_record(
                actor=world.staff_a,
                household=h,
                fund=own,
                budget_year=2026,
                kind="living",
                amount="-1",
                paid_on=date(2026, 4, 1),
            )
        assert e.value.message_dict == {"amount": ["金额必须大于0。"]}
        with pytest.raises(ValidationError) as e:
            services.payment_record(
                actor=world.staff_a,
                household=h,
                fund=own,
                budget_year=2026,
                kind="living",
                amount="99999999",
                paid_on=date(2026, 4, 1),
            )
        assert e.value.message_dict == {"amount": ["金额超过上限 50000 元，请核对。"]}
        with pytest.raises(ValidationError) as e:
            services.payment_record(
                actor=world.staff_a,
                household=h,
                fund=other,
                budget_year=2026,
                kind="living",
                amount="1",
                paid_on=date(2026, 4, 1),
            )
        assert e.value.message_dict == {"fund": ["该资金不属于本组织或其上级组织。"]}
        with pytest.raises(ValidationError) as e:
            services.payment_record(
                actor=world.staff_a,
                household=h,
                fund=own,
                budget_year=2026,
                kind="living",
                amount="1",
                paid_on=date(2026, 3, 1),
            )
        assert e.value.message_dict == {"paid_on": ["发放日期不能早于建档日期。"]}
    assert Payment.objects.count() == 3
    totals = {
        (t["fund__name"], t["budget_year"]): (t["n"], str(t["total"]))
        for t in selectors.fund_totals(world.staff_a)
    }
    assert totals == {
        ("街道帮扶资金", 2026): (2, "2000.01"),
        ("甲公司互助金", 2026): (1, "800.00"),
    }
    assert selectors.fund_totals(world.staff_b) == []


def test_public_notice_shows_only_consented_fields(world):
    h = make_household(world, Status.NOTICED)
    with frozen_today(date(2026, 3, 12)):
        rows = selectors.public_notice(world.member_a)
        assert rows == [
            {
                "name": "王**",
                "employer": None,
                "category": "深度困难",
                "amount": Decimal("3000.00"),
                "org": "甲公司工会",
                "notice_start": date(2026, 3, 10),
                "notice_end": date(2026, 3, 17),
            }
        ]
        assert selectors.public_notice(world.staff_b) == []
    with frozen_today(date(2026, 3, 18)):
        assert selectors.public_notice(world.member_a) == []
    assert h.pk


def test_standard_set_only_at_federation(world):
    with pytest.raises(ValidationError) as e:
        services.standard_set(actor=world.staff_a, org=world.union_a, year=2026, monthly_amount="1000")
    assert e.value.message_dict == {"org": ["低保标准在总工会（地区）一级设置。"]}
    with pytest.raises(ValidationError) as e:
        services.standard_set(actor=world.fed_admin, org=world.fed, year=2026, monthly_amount="-3")
    assert e.value.message_dict == {"monthly_amount": ["金额必须大于0。"]}
    for bad, message in (
        ("NaN", "请输入正确的金额。"),
        ("1e40", "请输入正确的金额。"),
        ("100000000", "金额超过上限 99999999.99 元，请核对。"),
    ):
        with pytest.raises(ValidationError) as e:
            services.standard_set(actor=world.fed_admin, org=world.fed, year=2026, monthly_amount=bad)
        assert e.value.message_dict == {"monthly_amount": [message]}
    assert not services.LocalMinimumStandard.objects.filter(org=world.fed).exists()
    s = services.standard_set(actor=world.fed_admin, org=world.fed, year=2026, monthly_amount="1080.5")
    assert s.monthly_amount == Decimal("1080.50")
    s = services.standard_set(actor=world.fed_admin, org=world.fed, year=2026, monthly_amount="1100")
    assert s.monthly_amount == Decimal("1100.00")


def test_consent_without_the_income_check_is_not_recorded(world):
    h = make_household(world, Status.APPLIED)
    with pytest.raises(ValidationError) as e:
        services.consent_record(
            actor=world.staff_a, household=h, signed_on=h.applied_on, income_check=False, publish=False
        )
    assert e.value.message_dict == {
        "income_check": ["核查家庭收入须经申请人书面同意，未同意的不能认定困难职工。请勾选后登记。"]
    }
    h.refresh_from_db()
    assert h.consent_signed_on is None


# ---------------------------------------------------------------- reversals (冲销)


@pytest.fixture
def paid(world):
    """An archived household with four payments: 1500 + 500.01 from the federation's fund and 800 from
    the union's own fund for 2026, and 300 from the union's fund for budget year 2025."""
    h = make_household(world, Status.ARCHIVED)
    fed = Fund.objects.create(org=world.fed, name="街道帮扶资金")
    own = Fund.objects.create(org=world.union_a, name="甲公司互助金")
    return {
        "h": h,
        "living": make_payment(world, h, fed, "1500"),
        "festival": make_payment(world, h, fed, "500.005", kind="festival"),
        "education": make_payment(world, h, own, "800", kind="education"),
        "last_year": make_payment(world, h, own, "300", budget_year=2025),
    }


def _fund_totals(user):
    return {
        (t["fund__name"], t["budget_year"]): (t["n"], str(t["total"])) for t in selectors.fund_totals(user)
    }


def _household_paid(h):
    paid = selectors.household_paid(h)
    return str(paid["total"]), paid["n"], [(y["budget_year"], y["n"], str(y["total"])) for y in paid["years"]]


def test_reversal_takes_the_payment_out_of_every_total(world, paid):
    h = paid["h"]
    assert _household_paid(h) == ("3100.01", 4, [(2026, 3, "2800.01"), (2025, 1, "300.00")])
    assert _fund_totals(world.staff_a) == {
        ("街道帮扶资金", 2026): (2, "2000.01"),
        ("甲公司互助金", 2026): (1, "800.00"),
        ("甲公司互助金", 2025): (1, "300.00"),
    }
    before = list(Payment.objects.order_by("pk").values())

    with frozen_today(date(2026, 4, 3)):
        rev = services.payment_reverse(
            actor=world.finance_a,
            payment=paid["living"],
            reason="  重复登记，银行未实际发放 ",
            reversed_on=date(2026, 4, 2),
        )
    assert (rev.payment, rev.org, rev.reversed_on, rev.reason, rev.reversed_by) == (
        paid["living"],
        world.union_a,
        date(2026, 4, 2),
        "重复登记，银行未实际发放",
        world.finance_a,
    )
    assert _household_paid(h) == ("1600.01", 3, [(2026, 2, "1300.01"), (2025, 1, "300.00")])
    assert _fund_totals(world.staff_a) == {
        ("街道帮扶资金", 2026): (1, "500.01"),
        ("甲公司互助金", 2026): (1, "800.00"),
        ("甲公司互助金", 2025): (1, "300.00"),
    }
    # The last payment of a budget year: the year leaves the figures, the payment stays in the history.
    with frozen_today(date(2026, 4, 3)):
        services.payment_reverse(actor=world.staff_a, payment=paid["last_year"], reason="预算年度录错")
    assert _household_paid(h) == ("1300.01", 2, [(2026, 2, "1300.01")])
    assert _fund_totals(world.staff_a) == {
        ("街道帮扶资金", 2026): (1, "500.01"),
        ("甲公司互助金", 2026): (1, "800.00"),
    }
    # Nothing was edited or deleted: the payments are as recorded, and the history lists all four.
    assert list(Payment.objects.order_by("pk").values()) == before
    assert [(p.amount, p.is_reversed) for p in selectors.household_payments(h)] == [
        (Decimal("300.00"), True),
        (Decimal("800.00"), False),
        (Decimal("500.01"), False),
        (Decimal("1500.00"), True),
    ]
    assert PaymentReversal.objects.get(payment=paid["last_year"]).reversed_on == date(2026, 4, 3)  # today

    ev = AuditEvent.objects.filter(action="assistance.payment_reverse").order_by("pk").first()
    assert (ev.actor, ev.org, ev.target_id) == (world.finance_a, world.union_a, str(h.pk))
    assert ev.details == {
        "payment": paid["living"].pk,
        "fund": "街道帮扶资金",
        "budget_year": 2026,
        "kind": "living",
        "amount": "1500.00",
        "paid_on": "2026-04-01",
        "reversed_on": "2026-04-02",
        "reason": "重复登记，银行未实际发放",
    }


def test_second_reversal_refused(world, paid):
    with frozen_today(date(2026, 4, 2)):
        services.payment_reverse(actor=world.finance_a, payment=paid["living"], reason="重复登记")
    events = AuditEvent.objects.count()
    with frozen_today(date(2026, 5, 6)), pytest.raises(services.AlreadyReversed) as e:
        services.payment_reverse(actor=world.chair_a, payment=paid["living"], reason="再冲一次")
    assert e.value.messages == ["这笔发放已于2026-04-02冲销，不能重复冲销。"]
    assert e.value.code == "already_reversed"
    # Said before any other check of the second request.
    with frozen_today(date(2026, 5, 6)), pytest.raises(services.AlreadyReversed):
        services.payment_reverse(
            actor=world.chair_a, payment=paid["living"], reason="再冲", reversed_on=date(2026, 3, 1)
        )
    rev = PaymentReversal.objects.get()
    assert (rev.reason, rev.reversed_by, rev.reversed_on) == ("重复登记", world.finance_a, date(2026, 4, 2))
    assert AuditEvent.objects.count() == events
    assert _household_paid(paid["h"])[0] == "1600.01"


def test_concurrent_second_reversal_meets_the_unique_payment(world, paid):
    """Two reversals that both passed the check: the database keeps one, the other is told when."""
    PaymentReversal.objects.create(
        org=world.union_a, payment=paid["living"], reversed_on=date(2026, 4, 2), reason="先到的一笔"
    )
    with transaction.atomic(), pytest.raises(services.AlreadyReversed, match="已于2026-04-02冲销"):
        services._reverse_once(paid["living"], reversed_on=date(2026, 4, 3), reason="后到的一笔")
    assert PaymentReversal.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "today", "errors"),
    [
        ({"reason": ""}, date(2026, 4, 2), {"reason": ["请填写冲销原因。"]}),
        ({"reason": " \n "}, date(2026, 4, 2), {"reason": ["请填写冲销原因。"]}),
        ({"reason": "错" * 201}, date(2026, 4, 2), {"reason": ["冲销原因不能超过200个字。"]}),
        (
            {"reason": "录错", "reversed_on": date(2026, 3, 31)},
            date(2026, 4, 2),
            {"reversed_on": ["冲销日期不能早于发放日期2026-04-01。"]},
        ),
        (
            {"reason": "录错", "reversed_on": date(2026, 4, 3)},
            date(2026, 4, 2),
            {"reversed_on": ["冲销日期不能晚于今天。"]},
        ),
    ],
)
def test_reversal_refused_without_reason_or_with_a_bad_date(world, paid, kwargs, today, errors):
    events = AuditEvent.objects.count()
    with frozen_today(today), pytest.raises(ValidationError) as e:
        services.payment_reverse(actor=world.finance_a, payment=paid["living"], **kwargs)
    assert e.value.message_dict == errors
    assert PaymentReversal.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert _household_paid(paid["h"])[0] == "3100.01"


def test_reversal_on_the_payment_day_and_after_the_household_closed(world, paid):
    h = paid["h"]
    with frozen_today(date(2026, 4, 1)):
        services.payment_reverse(actor=world.finance_a, payment=paid["education"], reason="当日发现录错")
    with frozen_today(date(2026, 6, 1)):
        services.household_close(actor=world.staff_a, household=h, closed_on=date(2026, 6, 1), reason="out")
        services.payment_reverse(actor=world.finance_a, payment=paid["festival"], reason="慰问金未实际发放")
    assert _household_paid(h) == ("1800.00", 2, [(2026, 1, "1500.00"), (2025, 1, "300.00")])


def test_reversal_invariants_held_by_the_database(world, paid):
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentReversal.objects.create(
            org=world.union_a, payment=paid["living"], reversed_on=date(2026, 4, 2), reason=""
        )
    PaymentReversal.objects.create(
        org=world.union_a, payment=paid["living"], reversed_on=date(2026, 4, 2), reason="录错"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentReversal.objects.create(
            org=world.union_a, payment=paid["living"], reversed_on=date(2026, 4, 3), reason="再冲"
        )
    # A reversed payment cannot be deleted from under its reversal.
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=paid["living"].pk).delete()


def test_the_aid_ceiling_is_per_payment_and_reversals_do_not_touch_it(world, paid, settings):
    """MAX_AID caps one amount as typed; no limit adds payments up, so a reversal frees no room and a
    reversed payment is not a way around the ceiling."""
    settings.GONGHUI_ASSISTANCE = {"MAX_AID": "1500"}
    with frozen_today(date(2026, 4, 2)):
        services.payment_reverse(actor=world.finance_a, payment=paid["living"], reason="录错")
    own = Fund.objects.get(name="甲公司互助金")
    with pytest.raises(ValidationError) as e:
        make_payment(world, paid["h"], own, "1500.01")
    assert e.value.message_dict == {"amount": ["金额超过上限 1500 元，请核对。"]}
    assert make_payment(world, paid["h"], own, "1500").amount == Decimal("1500.00")
    assert _household_paid(paid["h"])[0] == "3100.01"
