import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from deadlines import calendar
from deadlines.models import Deadline
from mediation import rules, services
from mediation.models import Case, Claim, CommitteeMember, Party
from mediation.tests.helpers import make_case

D = dt.date.fromisoformat


def test_case_opened_friday_before_spring_festival(world):
    case = make_case(world, received_on=D("2026-02-13"))
    # Day 15 is Saturday 2026-02-28, a make-up working day: no roll forward.
    assert case.due_on == D("2026-02-28")
    assert case.number == "2026-001"
    assert [p.name for p in case.parties.all()] == ["张三", "甲公司"]
    assert Claim.objects.get(case=case).amount == Decimal("6800.00")
    dl = Deadline.objects.get(source_type="mediation.case", source_id=str(case.pk))
    assert dl.due_on == D("2026-02-28")
    assert dl.org == world.union_a
    assert AuditEvent.objects.filter(action="mediation.case_create", target_id=str(case.pk)).count() == 1


def test_case_due_date_rolls_over_national_day(world):
    case = make_case(world, received_on=D("2026-09-18"), dispute_arose_on=D("2026-09-01"))
    assert case.due_on == D("2026-10-08")


def test_numbers_increase_per_org_and_year(world):
    assert make_case(world).number == "2026-001"
    assert make_case(world).number == "2026-002"
    assert make_case(world, org=world.union_b, actor=world.staff_b).number == "2026-001"


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"dispute_arose_on": D("2026-02-20")}, "dispute_arose_on", "争议发生日期不能晚于收到申请日期。"),
        (
            {"application_form": "oral"},
            "oral_record",
            "口头申请应当场记录申请人基本情况、申请调解的争议事项、理由和时间。",
        ),
        ({"claims": [{"item": "工资", "amount": "-1"}]}, "claims", "请求金额不能为负数。"),
        ({"claims": [{"item": "工资", "amount": "abc"}]}, "claims", "金额“abc”不是有效的数字。"),
        ({"claims": [{"item": "工资", "amount": "1e40"}]}, "claims", "请求金额“1e40”过大，请核对。"),
        (
            {"claims": [{"item": "工资", "amount": "10000000000"}]},
            "claims",
            "请求金额“10000000000”过大，请核对。",
        ),
        (
            {"parties": [{"side": "worker", "name": "张三"}, {"side": "employer", "name": "张 三"}]},
            "parties",
            "当事人重复：张三。同一人不能重复登记，也不能同时是双方。",
        ),
        (
            {"parties": [{"side": "worker", "name": "张三"}]},
            "parties",
            "请至少登记一名职工当事人和用人单位。",
        ),
        ({"summary": "  "}, "summary", "请填写申请事项与理由。"),
    ],
)
def test_case_create_rejects_bad_input_and_saves_nothing(world, kw, field, message):
    with pytest.raises(ValidationError) as e:
        make_case(world, **kw)
    assert e.value.message_dict[field] == [message]
    assert Case.objects.count() == 0
    assert Party.objects.count() == 0
    assert Deadline.objects.count() == 0


def test_a_federation_takes_no_mediation_cases(world):
    with pytest.raises(ValidationError) as e:
        make_case(world, org=world.fed, actor=world.fed_admin)
    assert e.value.message_dict["org"] == ["调解案件由企业的劳动争议调解委员会受理，请选择基层工会或分会。"]
    assert Case.objects.count() == 0


def test_received_in_future_rejected(world):
    with calendar.frozen_today(D("2026-02-10")), pytest.raises(ValidationError) as e:
        services.case_create(
            actor=world.staff_a,
            org=world.union_a,
            cause="wages",
            application_form="written",
            received_on=D("2026-02-13"),
            dispute_arose_on=D("2026-02-01"),
            summary="x",
            parties=[{"side": "worker", "name": "a"}, {"side": "employer", "name": "b"}],
        )
    assert e.value.message_dict["received_on"] == ["收到申请日期不能晚于今天。"]


def test_oral_application_recorded(world):
    case = make_case(world, application_form="oral", oral_record="张三于 2 月 13 日到工会口头申请……")
    assert case.get_application_form_display() == "口头申请（当场记录）"


def test_db_constraints_hold(world):
    case = make_case(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(case=case, org=case.org, item="x", amount=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.create(case=case, org=case.org, side="worker", name="张三")
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(dispute_arose_on=D("2026-03-01"))


def test_party_claim_session(world):
    case = make_case(world)
    with calendar.frozen_today(D("2026-02-20")):
        services.party_add(actor=world.staff_a, case=case, side="worker", name="李四")
        with pytest.raises(ValidationError) as e:
            services.party_add(actor=world.staff_a, case=case, side="employer", name="李四")
        assert e.value.message_dict["name"] == ["李四 已是本案当事人，不能重复登记。"]
        services.claim_add(actor=world.staff_a, case=case, item="加班费", amount="1200.555")
        with pytest.raises(ValidationError):
            services.claim_add(actor=world.staff_a, case=case, item="加班费", amount="-5")
        with pytest.raises(ValidationError) as e:
            services.session_add(
                actor=world.staff_a, case=case, held_on=D("2026-02-12"), mediators="王", notes="x"
            )
        assert e.value.message_dict["held_on"] == ["调解日期不能早于收到申请日期。"]
        with pytest.raises(ValidationError) as e:
            services.session_add(
                actor=world.staff_a, case=case, held_on=D("2026-02-21"), mediators="王", notes="x"
            )
        assert e.value.message_dict["held_on"] == ["调解日期不能晚于今天（请在调解后记录）。"]
        services.session_add(
            actor=world.staff_a, case=case, held_on=D("2026-02-14"), mediators="王", notes="陈述"
        )
    assert case.parties.count() == 3
    assert list(case.claims.values_list("amount", flat=True)) == [Decimal("6800.00"), Decimal("1200.56")]
    assert case.sessions.count() == 1


def test_agreement_and_holiday_performance_deadline(world):
    case = make_case(world)
    claim = case.claims.get()
    with calendar.frozen_today(D("2026-02-24")):
        with pytest.raises(ValidationError) as e:
            services.case_agree(
                actor=world.staff_a,
                case=case,
                closed_on=D("2026-02-24"),
                agreement_terms="支付",
                performance_due_on=D("2026-04-05"),
            )
        assert e.value.message_dict["performance_due_on"] == [
            "履行期限 2026-04-05 是法定节假日或休息日，请改为工作日（如 2026-04-07）。"
        ]
        with pytest.raises(ValidationError) as e:
            services.case_agree(
                actor=world.staff_a,
                case=case,
                closed_on=D("2026-02-24"),
                agreement_terms="支付",
                performance_due_on=D("2026-02-23"),
            )
        assert e.value.message_dict["performance_due_on"] == ["履行期限不能早于结案日期。"]
        with pytest.raises(ValidationError) as e:
            services.case_agree(
                actor=world.staff_a,
                case=case,
                closed_on=D("2026-02-24"),
                agreement_terms="支付",
                performance_due_on=D("2026-03-02"),
                agreed_amounts={claim.pk: "-3"},
            )
        assert e.value.message_dict["agreed_amounts"] == ["协议金额不能为负数。"]
        with pytest.raises(ValidationError) as e:
            services.case_agree(
                actor=world.staff_a,
                case=case,
                closed_on=D("2026-02-24"),
                agreement_terms="支付",
                performance_due_on=D("2026-03-02"),
                agreed_amounts={claim.pk: "12345678901"},
            )
        assert e.value.message_dict["agreed_amounts"] == ["协议金额“12345678901”过大，请核对。"]
        case.refresh_from_db()
        assert case.status == "open"
        services.case_agree(
            actor=world.staff_a,
            case=case,
            closed_on=D("2026-02-24"),
            agreement_terms="甲公司于 3 月 2 日前支付",
            performance_due_on=D("2026-03-02"),
            performance_method="转账",
            agreed_amounts={claim.pk: "6000"},
        )
    case.refresh_from_db()
    assert case.status == "agreement"
    assert Claim.objects.get(pk=claim.pk).agreed_amount == Decimal("6000.00")
    assert Deadline.objects.get(source_id=str(case.pk)).done_at is not None
    with pytest.raises(ValidationError) as e:
        services.case_withdraw(actor=world.staff_a, case=case, closed_on=D("2026-02-24"))
    assert e.value.messages == ["案件已结案（达成协议），不能再修改。"]


def test_no_agreement_shows_arbitration_limit(world):
    case = make_case(world, dispute_arose_on=D("2025-10-01"), received_on=D("2026-02-13"))
    with calendar.frozen_today(D("2026-03-01")):
        services.case_fail(
            actor=world.staff_a, case=case, closed_on=D("2026-03-01"), outcome_note="单位不同意"
        )
    case.refresh_from_db()
    assert case.status == "no_agreement"
    # one year from 2025-10-01 is 2026-10-01, National Day: rolled to 2026-10-08
    assert case.arbitration_limit_on == D("2026-10-08")


def test_withdraw_and_closed_on_order(world):
    case = make_case(world)
    with calendar.frozen_today(D("2026-02-20")):
        with pytest.raises(ValidationError) as e:
            services.case_withdraw(actor=world.staff_a, case=case, closed_on=D("2026-02-01"))
        assert e.value.message_dict["closed_on"] == ["结案日期不能早于收到申请日期。"]
        services.case_withdraw(actor=world.staff_a, case=case, closed_on=D("2026-02-20"))
    assert Case.objects.get(pk=case.pk).status == "withdrawn"


def test_committee_chair_must_be_union_member(world):
    c = services.committee_create(actor=world.chair_a, org=world.union_a, name="甲公司劳动争议调解委员会")
    with pytest.raises(ValidationError) as e:
        services.committee_member_add(
            actor=world.chair_a, committee=c, name="钱主任", side="worker", position="chair"
        )
    assert e.value.message_dict["position"] == [
        "调解委员会主任应由工会成员担任，或由双方推举的人员担任（劳动争议调解仲裁法第十条）。"
    ]
    assert CommitteeMember.objects.count() == 0
    services.committee_member_add(
        actor=world.chair_a, committee=c, name="钱主任", side="worker", position="chair", is_union_member=True
    )
    with pytest.raises(ValidationError) as e:
        services.committee_member_add(
            actor=world.chair_a,
            committee=c,
            name="孙主任",
            side="employer",
            position="chair",
            jointly_nominated=True,
        )
    assert e.value.message_dict["position"] == ["委员会已有主任，请先移除原主任。"]
    with pytest.raises(ValidationError):
        services.committee_create(actor=world.chair_a, org=world.union_a, name="第二个")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeMember.objects.create(committee=c, org=c.org, name="x", side="worker", position="chair")


def test_money_rule():
    assert rules.money("1,234.565") == Decimal("1234.57")
    assert rules.money("") is None
    with pytest.raises(ValueError, match="x"):
        rules.money("x")
    with pytest.raises(ValueError, match="NaN"):
        rules.money("NaN")
    assert rules.duplicate_names(["张三", "李四", "张 三"]) == ["张三"]


def test_mediator_must_work_for_the_receiving_organization(world):
    with pytest.raises(ValidationError) as e:
        make_case(world, mediator=world.staff_b)
    assert e.value.message_dict == {"mediator": ["承办调解员应为本组织的调解员或工会工作人员。"]}
    assert (Case.objects.count(), Deadline.objects.count()) == (0, 0)
    case = make_case(world, mediator=world.mediator_a)
    assert Deadline.objects.get().responsible == world.mediator_a
    assert case.mediator == world.mediator_a
