from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from core import crypto
from members import rules, selectors, services
from members.models import (
    CorrectionRequest,
    CorrectionStatus,
    EventKind,
    Member,
    MemberEvent,
    MemberStatus,
    Transfer,
    TransferStatus,
)
from members.tests.factories import ZHANG_SAN_ID, make_member, person


def test_create_normalizes_encrypts_masks_and_numbers(world):
    m = services.member_create(
        org=world.union_a,
        data={
            "name": " 张　三 ",
            "id_number": ZHANG_SAN_ID.lower().replace("", " ").strip(),
            "phone": "１３８００１３８０００",
        },
        actor=world.staff_a,
    )
    m.refresh_from_db()
    assert m.name == "张三"
    assert (m.name_pinyin, m.name_initials) == ("zhangsan", "zs")
    assert m.birth_date == date(1985, 3, 7)
    assert m.sex == "M"
    assert m.id_number_masked == ZHANG_SAN_ID[:6] + "********" + ZHANG_SAN_ID[-4:]
    assert m.id_last4 == ZHANG_SAN_ID[-4:]
    assert ZHANG_SAN_ID not in m.id_number_enc
    assert crypto.decrypt(m.id_number_enc) == ZHANG_SAN_ID
    assert m.phone_masked == "138****8000"
    assert m.phone_last4 == "8000"
    assert m.status == MemberStatus.ACTIVE
    assert m.member_no == f"{world.union_a.pk:06d}0000001"
    assert m.card_no.endswith(m.member_no)
    assert list(m.events.values_list("kind", flat=True).order_by("id")) == [
        EventKind.CREATED,
        EventKind.APPROVED,
    ]
    world.union_a.refresh_from_db()
    assert world.union_a.member_count == 1
    assert AuditEvent.objects.filter(action="members.member_create").count() == 1


def test_second_member_gets_next_number(world):
    make_member(world, i=1)
    m2 = make_member(world, i=2)
    assert m2.member_no == f"{world.union_a.pk:06d}0000002"


def test_card_number_carries_the_year_of_approval(world):
    this_year = services.today().year
    m1 = make_member(world, i=1)
    m2 = services.member_create(
        org=world.union_a, data=person(2), actor=world.staff_a, on=date(this_year - 1, 12, 30)
    )
    assert m1.card_no == f"{this_year}{m1.member_no}"
    assert m2.card_no == f"{this_year - 1}{world.union_a.pk:06d}0000002"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "id_number": ZHANG_SAN_ID}, "name", "姓名不能为空。"),
        (
            {"name": "张三", "id_number": ZHANG_SAN_ID[:-1] + ("0" if ZHANG_SAN_ID[-1] != "0" else "1")},
            "id_number",
            "身份证号校验位不正确，请核对。",
        ),
        ({"name": "张三", "id_number": "1101051985030712"}, "id_number", "身份证号应为18位，当前为16位。"),
        (
            {"name": "张三", "id_number": ZHANG_SAN_ID, "phone": "12345"},
            "phone",
            "手机号应为以1开头的11位数字。",
        ),
    ],
)
def test_create_refuses_bad_input(world, data, field, message):
    with pytest.raises(ValidationError) as e:
        services.member_create(org=world.union_a, data=data, actor=world.staff_a)
    assert e.value.message_dict[field] == [message]
    assert Member.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_one_member_per_id_number(world):
    make_member(world, i=1)
    with pytest.raises(ValidationError) as e:
        services.member_create(org=world.union_b, data=person(1), actor=world.staff_b)
    assert e.value.message_dict["id_number"] == ["该身份证号已登记为会员（每人只能有一条会员记录）。"]


def test_application_needs_consent_and_approval_assigns_numbers(world):
    with pytest.raises(ValidationError) as e:
        services.member_apply(org=world.union_a, data=person(3), consent=False)
    assert e.value.message_dict == {"consent": ["请阅读上面的个人信息说明，勾选同意后再提交。"]}
    # Every mistake at once: a phone user should not fix them one submit at a time.
    with pytest.raises(ValidationError) as e:
        services.member_apply(
            org=world.union_a,
            data=person(3, id_number="110105194912310022", phone="1380013800"),
            consent=False,
        )
    assert set(e.value.message_dict) == {"id_number", "phone", "consent"}
    m = services.member_apply(org=world.union_a, data=person(3), consent=True)
    assert m.status == MemberStatus.APPLIED and m.member_no == "" and m.consent_at is not None
    # The same application sent again (a double tap, a typo put right) is one application, as last sent.
    again = services.member_apply(org=world.union_a, data=person(3, phone="13912340003"), consent=True)
    assert again.pk == m.pk and again.phone_masked == "139****0003"
    assert list(m.events.values_list("kind", flat=True)) == ["applied"]
    world.union_a.refresh_from_db()
    assert world.union_a.member_count == 120  # the test world's own figure: an application does not count
    services.member_approve(member=m, actor=world.chair_a)
    m.refresh_from_db()
    assert m.status == MemberStatus.ACTIVE and m.member_no and m.joined_on == services.today()
    world.union_a.refresh_from_db()
    assert world.union_a.member_count == 1
    with pytest.raises(ValidationError) as e:
        services.member_approve(member=m, actor=world.chair_a)
    assert e.value.messages == ["会籍状态为“在籍”的会员不能办理“批准入会”。"]


def test_two_first_submissions_at_once_make_one_application(world, monkeypatch):
    """The second finds no row to lock, inserts, and meets the unique ID number: it retries and
    takes the application the first one made."""
    first = services.member_apply(org=world.union_a, data=person(3), consent=True)
    real = Member.objects.select_for_update

    class Late:  # the moment before the first commit: the look-up finds nothing, once
        calls = 0

        def __call__(self):
            Late.calls += 1
            return Member.objects.none() if Late.calls == 1 else real()

    monkeypatch.setattr(Member.objects, "select_for_update", Late())
    again = services.member_apply(org=world.union_a, data=person(3), consent=True)
    assert again.pk == first.pk and Late.calls == 2
    assert Member.objects.filter(id_number_hash=first.id_number_hash).count() == 1


def test_a_rejected_application_is_not_a_former_member(world, client):
    from django.urls import reverse

    m = services.member_apply(org=world.union_a, data=person(3), consent=True)
    services.member_reject(member=m, actor=world.chair_a, reason="不是本单位职工")
    m.refresh_from_db()
    assert m.status == MemberStatus.REJECTED and m.get_status_display() == "未获批准"
    assert m.events.order_by("-id").values_list("kind", "to_status").first() == ("rejected", "rejected")
    client.force_login(world.staff_a)
    stats = client.get(reverse("members:stats"), {"org": world.union_a.pk}).context["stats"]
    assert ("已退会", 0) in stats["status"] and ("未获批准", 1) in stats["status"]
    assert m.name not in client.get(reverse("members:list")).content.decode()  # not on the roll
    # the person may apply again on the same record
    again = services.member_apply(org=world.union_a, data=person(3), consent=True)
    assert again.pk == m.pk and again.status == MemberStatus.APPLIED


def test_a_union_counts_the_members_registered_on_its_branches(world):
    from orgs.forms import OrgForm
    from orgs.selectors import org_subtree_summary

    on_branch = make_member(world, org=world.branch_a, i=1)
    make_member(world, org=world.union_a, i=2)
    for org in (world.union_a, world.branch_a, world.fed, world.union_b):
        org.refresh_from_db()
    assert (world.union_a.member_count, world.branch_a.member_count, world.fed.member_count) == (2, 1, 0)
    # the federation adds up its unions (B's figure is typed in: it has no registry)
    assert org_subtree_summary(world.fed)["members"] == 2 + world.union_b.member_count
    # the union's count is kept by the registry even with members only below it
    services.member_withdraw(member=on_branch, actor=world.staff_a, reason="本人申请")
    world.union_a.refresh_from_db()
    assert world.union_a.member_count == 1
    assert OrgForm(instance=world.union_a).fields["member_count"].disabled
    assert OrgForm(instance=world.branch_a).fields["member_count"].disabled


def test_lifecycle_state_machine(world):
    m = make_member(world, i=4)
    services.member_retain(member=m, actor=world.staff_a, reason="退休")
    with pytest.raises(ValidationError) as e:
        services.member_lapse(member=m, actor=world.chair_a, reason="半年未缴会费")
    assert e.value.messages == ["会籍状态为“保留会籍”的会员不能办理“自动退会”。"]
    services.member_restore(member=m, actor=world.staff_a, reason="重新就业")
    with pytest.raises(ValidationError) as e:  # joined today: cannot have gone six months unpaid
        services.member_lapse(member=m, actor=world.chair_a, reason="半年未缴会费")
    assert e.value.messages == ["入会不满6个月，不能办理自动退会。本人要求退会的，请办理“退会”。"]
    # a member of long standing whose dues this system never billed: the union decides on its records
    old = make_member(world, i=5)
    Member.objects.filter(pk=old.pk).update(joined_on=date(2020, 1, 1))
    old.refresh_from_db()
    services.member_lapse(member=old, actor=world.chair_a, reason="半年未缴会费，已谈话")
    old.refresh_from_db()
    assert old.status == MemberStatus.LAPSED
    services.member_withdraw(member=m, actor=world.staff_a, reason="本人申请")
    m.refresh_from_db()
    assert m.status == MemberStatus.WITHDRAWN
    world.union_a.refresh_from_db()
    assert world.union_a.member_count == 0
    with pytest.raises(ValidationError) as e:
        services.member_expel(member=m, actor=world.chair_a, reason="x")
    assert e.value.messages == ["会籍状态为“已退会”的会员不能办理“开除会籍”。"]
    # re-application on the same record
    again = services.member_apply(org=world.union_b, data=person(4), consent=True)
    assert again.pk == m.pk and again.status == MemberStatus.APPLIED and again.org_id == world.union_b.pk
    kinds = list(m.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["created", "approved", "retained", "restored", "withdrawn", "applied"]


def test_public_application_says_nothing_of_an_existing_record_and_moves_none(world):
    active = make_member(world, i=6)
    former = make_member(world, i=7)
    services.member_withdraw(member=former, actor=world.staff_a, reason="本人申请")
    neutral = [
        "该身份证号已有入会申请或会员记录，不能在线再次申请。如需转入本工会或恢复会籍，请联系工会办理。"
    ]
    for data in (person(6), {**person(7), "name": "冒名者"}):
        with pytest.raises(ValidationError) as e:
            services.member_apply(org=world.union_b, data=data, consent=True)
        assert e.value.message_dict == {"id_number": neutral}
    active.refresh_from_db()
    former.refresh_from_db()
    assert (active.org_id, active.status) == (world.union_a.pk, MemberStatus.ACTIVE)
    assert (former.org_id, former.status, former.name) == (
        world.union_a.pk,
        MemberStatus.WITHDRAWN,
        person(7)["name"],
    )
    # the former member under their own name takes the record up again
    again = services.member_apply(org=world.union_b, data=person(7), consent=True)
    assert (again.pk, again.org_id, again.status) == (former.pk, world.union_b.pk, MemberStatus.APPLIED)


def test_reason_required_and_no_future_dates(world):
    m = make_member(world, i=5)
    with pytest.raises(ValidationError) as e:
        services.member_withdraw(member=m, actor=world.staff_a, reason=" ")
    assert e.value.message_dict == {"reason": ["请填写原因。"]}
    with pytest.raises(ValidationError) as e:
        services.member_withdraw(
            member=m, actor=world.staff_a, reason="本人申请", on=date.today() + timedelta(days=3)
        )
    assert e.value.message_dict == {"on": ["日期不能晚于今天。"]}


def test_transfer_request_accept_keeps_history_in_both(world):
    m = make_member(world, i=6)
    t = services.transfer_request(
        member=m, to_org=world.union_b, actor=world.staff_a, reason="调动", new_employer="乙公司"
    )
    with pytest.raises(ValidationError):
        services.transfer_request(member=m, to_org=world.union_b, actor=world.staff_a)
    with pytest.raises(ValidationError) as e:
        services.member_withdraw(member=m, actor=world.staff_a, reason="本人申请")
    assert e.value.messages == ["该会员有待接收的转会申请，请先撤回转会。"]
    services.transfer_accept(transfer=t, actor=world.staff_b)
    m.refresh_from_db()
    assert m.org_id == world.union_b.pk and m.employer == "乙公司" and m.status == MemberStatus.ACTIVE
    assert MemberEvent.objects.filter(kind=EventKind.TRANSFERRED, org=world.union_a, member=m).count() == 1
    assert MemberEvent.objects.filter(kind=EventKind.TRANSFERRED, org=world.union_b, member=m).count() == 1
    labels = {
        e.org_id: e.kind_label for e in MemberEvent.objects.filter(kind=EventKind.TRANSFERRED, member=m)
    }
    assert labels == {world.union_a.pk: "转出", world.union_b.pk: "转入"}  # each union's own reading
    handlers = {
        e.org_id: e.actor_id for e in MemberEvent.objects.filter(kind=EventKind.TRANSFERRED, member=m)
    }
    assert handlers == {world.union_a.pk: world.staff_a.pk, world.union_b.pk: world.staff_b.pk}  # its own
    from deadlines.models import Notification

    accepted = Notification.objects.filter(text=f"{world.union_b.name}已接收会员{m.name}转入。")
    assert sorted(accepted.values_list("user_id", flat=True)) == sorted([world.staff_a.pk, world.chair_a.pk])
    world.union_a.refresh_from_db()
    world.union_b.refresh_from_db()
    assert (world.union_a.member_count, world.union_b.member_count) == (0, 1)
    t.refresh_from_db()
    assert t.status == TransferStatus.ACCEPTED
    with pytest.raises(ValidationError) as e:
        services.transfer_accept(transfer=t, actor=world.staff_b)
    assert e.value.messages == ["该转会申请已处理（已接收）。"]


def test_transfer_reject_and_cancel(world):
    m = make_member(world, i=7)
    t = services.transfer_request(member=m, to_org=world.union_b, actor=world.staff_a)
    with pytest.raises(ValidationError):
        services.transfer_reject(transfer=t, actor=world.staff_b, reason="")
    services.transfer_reject(transfer=t, actor=world.staff_b, reason="查无此人")
    t2 = services.transfer_request(member=m, to_org=world.union_b, actor=world.staff_a)
    services.transfer_cancel(transfer=t2, actor=world.staff_a)
    assert list(Transfer.objects.order_by("id").values_list("status", flat=True)) == ["rejected", "cancelled"]
    # each side is told what waits for it or what became of its request (the bell)
    from deadlines.models import Notification

    told = [(n.user_id, n.text, n.url) for n in Notification.objects.order_by("id")]
    asked = f"{world.union_a.name}申请将会员{m.name}转入本会，请接收或拒绝。"
    refused = f"{world.union_b.name}拒绝接收会员{m.name}转入：查无此人"
    withdrawn = f"{world.union_a.name}撤回了会员{m.name}转入本会的申请。"
    b_side, a_side = (
        sorted([world.staff_b.pk, world.chair_b.pk]),
        sorted([world.staff_a.pk, world.chair_a.pk]),
    )
    # who ran the step is not told of it (the refusing clerk, the withdrawing clerk)
    assert sorted((t, u) for u, t, _url in told) == sorted(
        [(asked, u) for u in b_side] * 2 + [(refused, u) for u in a_side] + [(withdrawn, u) for u in b_side]
    )
    assert {url for _u, _t, url in told} == {"/members/transfers/"}
    # the timeline says who closed each: the receiving union refused, the sender withdrew
    closed = m.events.filter(kind__in=["transfer_rejected", "transfer_cancelled"]).order_by("id")
    assert [(e.kind, e.reason, e.actor_id) for e in closed] == [
        ("transfer_rejected", "查无此人", world.staff_b.pk),
        ("transfer_cancelled", "", world.staff_a.pk),
    ]
    with pytest.raises(ValidationError) as e:
        services.transfer_request(member=m, to_org=world.union_a, actor=world.staff_a)
    assert e.value.message_dict == {"to_org": ["转入工会不能与当前工会相同。"]}


def test_reveal_writes_audit(world):
    m = make_member(world, i=8)
    value = services.member_reveal(member=m, field="id_number", actor=world.chair_a)
    assert value == person(8)["id_number"]
    ev = AuditEvent.objects.get(action="sensitive.reveal")
    assert ev.details == {"field": "id_number_enc", "label": "身份证号"}


def test_update_and_correction(world):
    m = make_member(world, i=9)
    services.member_update(member=m, data={"name": "李 四", "phone": "13900001111"}, actor=world.staff_a)
    m.refresh_from_db()
    assert (m.name, m.name_initials, m.phone_masked) == ("李四", "ls", "139****1111")
    # the timeline names what the clerk changed, not the pinyin that follows from the name
    assert m.events.order_by("-pk").first().reason == "修改：姓名、手机号"
    req = services.correction_request(member=m, field="department", value="二车间", actor=world.member_a)
    with pytest.raises(ValidationError):
        services.correction_request(member=m, field="department", value="三车间", actor=world.member_a)
    services.correction_decide(request=req, accept=True, actor=world.staff_a)
    m.refresh_from_db()
    assert m.department == "二车间"
    # asking for what is registered already changes nothing and says so
    same = "与登记的信息相同，无需更正。"
    m.education = m._meta.get_field("education").choices[-1][0]
    m.save(update_fields=["education"])
    for field, value in (
        ("department", "二车间"),
        ("name", "李四"),
        ("phone", "13900001111"),
        ("id_number", person(9)["id_number"]),
        ("education", m.get_education_display()),
    ):
        with pytest.raises(ValidationError) as e:
            services.correction_request(member=m, field=field, value=value, actor=world.member_a)
        assert e.value.message_dict == {"requested_value": [same]}, field
    assert m.corrections.count() == 1


def test_a_requested_phone_is_shown_in_full_only_on_a_reveal(world, client):
    m = make_member(world, i=14)
    req = services.correction_request(member=m, field="phone", value="13912345678", actor=world.member_a)
    client.force_login(world.chair_a)
    body = client.get(reverse("members:corrections")).content.decode()
    assert "139****5678" in body and "13912345678" not in body
    reveal = reverse("members:correction_reveal", args=[req.pk])
    assert f'hx-post="{reveal}"' in body
    r = client.post(reveal)
    assert r.content.decode() == '<span class="mono revealed">13912345678</span>'
    ev = AuditEvent.objects.get(action="sensitive.reveal")
    assert (ev.actor_id, ev.target_id, ev.details) == (
        world.chair_a.pk,
        str(m.pk),
        {"field": "requested_value_enc", "label": "更正申请中的手机号"},
    )
    client.force_login(world.staff_a)  # may correct, may not reveal: the masked number only
    body = client.get(reverse("members:corrections")).content.decode()
    assert f'hx-post="{reveal}"' not in body
    assert "完整号码只有可查看敏感信息的人员（如工会主席）能看到，请其核实后更正。" in body
    services.correction_decide(request=req, accept=False, actor=world.staff_a, note="号码不是本人的")
    client.force_login(world.chair_a)  # decided: nothing left to check, nothing to reveal
    assert client.post(reveal).status_code == 404
    assert AuditEvent.objects.filter(action="sensitive.reveal").count() == 1


def test_a_refusal_gives_its_reason(world):
    m = make_member(world, i=13)
    req = services.correction_request(member=m, field="post", value="班组长", actor=world.member_a)
    with pytest.raises(ValidationError) as e:
        services.correction_decide(request=req, accept=False, actor=world.staff_a, note="  ")
    assert e.value.message_dict == {"decision_note": ["不予更正时请写明理由，会员会在“我的信息”页看到。"]}
    req.refresh_from_db()
    assert req.status == CorrectionStatus.OPEN and req.decided_by is None
    services.correction_decide(
        request=req, accept=False, actor=world.staff_a, note="单位人事记录仍为操作工，请先找人事处更正。"
    )
    req.refresh_from_db()
    assert (req.status, req.decided_by, req.decision_note) == (
        CorrectionStatus.DECLINED,
        world.staff_a,
        "单位人事记录仍为操作工，请先找人事处更正。",
    )
    m.refresh_from_db()
    assert m.post != "班组长"
    entry = AuditEvent.objects.filter(action="members.correction_decide").latest("pk")
    assert entry.details == {
        "field": "post",
        "accepted": False,
        "note": "单位人事记录仍为操作工，请先找人事处更正。",
    }
    # The database refuses a refusal without its reason, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectionRequest.objects.filter(pk=req.pk).update(decision_note="")


def test_a_new_id_number_or_phone_asked_for_is_kept_encrypted_and_shown_masked(world):
    m = make_member(world, i=10)
    new_id = person(11)["id_number"]
    with pytest.raises(ValidationError) as e:
        services.correction_request(
            member=m, field="id_number", value=new_id[:-1] + "Z", actor=world.member_a
        )
    assert e.value.message_dict == {"requested_value": ["身份证号前17位应为数字，最后一位为数字或X。"]}
    with pytest.raises(ValidationError) as e:
        services.correction_request(member=m, field="phone", value="12345", actor=world.member_a)
    assert e.value.message_dict == {"requested_value": ["手机号应为以1开头的11位数字。"]}
    req = services.correction_request(member=m, field="id_number", value=new_id.lower(), actor=world.member_a)
    tel = services.correction_request(
        member=m, field="phone", value="+86 139 0000 2222", actor=world.member_a
    )
    req.refresh_from_db()
    tel.refresh_from_db()
    assert req.requested_value == new_id[:6] + "********" + new_id[-4:]
    assert tel.requested_value == "139****2222"
    assert new_id not in req.requested_value_enc and crypto.decrypt(req.requested_value_enc) == new_id
    services.correction_decide(request=req, accept=True, actor=world.staff_a)
    services.correction_decide(request=tel, accept=True, actor=world.staff_a)
    m.refresh_from_db()
    assert crypto.decrypt(m.id_number_enc) == new_id and m.phone_masked == "139****2222"


def test_a_joining_date_may_be_corrected_not_erased(world):
    m = make_member(world, i=12, joined_on=date(2023, 6, 7))
    with pytest.raises(ValidationError) as e:
        services.member_update(
            member=m, data={"department": "总装车间", "joined_on": None}, actor=world.staff_a
        )
    assert e.value.message_dict == {"joined_on": ["入会日期不能清空，如有错误请改为正确日期。"]}
    m.refresh_from_db()
    assert (m.department, m.joined_on) != ("总装车间", None)
    services.member_update(member=m, data={"joined_on": date(2023, 6, 8)}, actor=world.staff_a)
    m.refresh_from_db()
    assert m.joined_on == date(2023, 6, 8)


def test_a_corrected_joining_date_keeps_the_timeline_in_order(world):
    m = make_member(world, i=15, joined_on=date(2023, 6, 7))
    with pytest.raises(ValidationError) as e:
        services.member_update(
            member=m, data={"joined_on": m.birth_date - timedelta(days=1)}, actor=world.staff_a
        )
    assert e.value.message_dict == {"joined_on": ["入会日期早于出生日期。"]}
    m.events.update(on=date(2023, 6, 7))  # registered back then
    services.member_retain(member=m, actor=world.staff_a, reason="退休", on=date(2024, 2, 1))
    with pytest.raises(ValidationError) as e:
        services.member_update(member=m, data={"joined_on": date(2024, 3, 1)}, actor=world.staff_a)
    assert e.value.message_dict == {"joined_on": ["入会日期不能晚于此后的会籍变动（2024-02-01 保留会籍）。"]}
    m.refresh_from_db()
    assert m.joined_on == date(2023, 6, 7)
    services.member_update(member=m, data={"joined_on": date(2024, 2, 1)}, actor=world.staff_a)
    m.refresh_from_db()
    assert m.joined_on == date(2024, 2, 1)
    # A membership that ended before the member joined again does not bound the new one.
    services.member_withdraw(member=m, actor=world.staff_a, reason="离职", on=date(2024, 5, 1))
    again = services.member_apply(org=world.union_a, data=person(15), consent=True)
    services.member_approve(member=again, actor=world.chair_a)
    services.member_update(member=again, data={"joined_on": date(2025, 1, 2)}, actor=world.staff_a)
    again.refresh_from_db()
    assert again.joined_on == date(2025, 1, 2)


def test_a_change_cannot_be_dated_before_the_last_one_or_the_birth(world):
    applicant = services.member_apply(org=world.union_a, data=person(13), consent=True)
    applied_on = applicant.events.get().on
    with pytest.raises(ValidationError) as e:
        services.member_approve(member=applicant, actor=world.chair_a, on=date(1990, 1, 1))
    assert e.value.message_dict == {"on": [f"日期不能早于该会员上一次会籍变动（{applied_on.isoformat()}）。"]}
    applicant.refresh_from_db()
    assert (applicant.status, applicant.joined_on) == (MemberStatus.APPLIED, None)
    m = make_member(world, i=14, joined_on=date(2023, 6, 7))
    with pytest.raises(ValidationError) as e:
        services.member_retain(member=m, actor=world.staff_a, reason="退休", on=date(1980, 1, 1))
    assert "日期不能早于该会员上一次会籍变动" in e.value.messages[0]
    m.refresh_from_db()
    assert m.status == MemberStatus.ACTIVE
    # an edit of the details is not a membership change: a withdrawal may still be dated before it
    services.member_update(member=m, data={"department": "二车间"}, actor=world.staff_a)
    approved_on = m.events.get(kind=EventKind.APPROVED).on
    services.member_withdraw(member=m, actor=world.staff_a, reason="本人申请", on=approved_on)
    m.refresh_from_db()
    assert m.status == MemberStatus.WITHDRAWN


def test_pinyin_rules():
    assert rules.name_pinyin("张三") == ("zhangsan", "zs", "zhang san")
    assert rules.name_pinyin("曾小明") == ("zengxiaoming", "zxm", "zeng xiao ming")
    assert rules.name_pinyin("单田芳")[0] == "shantianfang"


def test_names_sort_syllable_by_syllable(world):
    """As in a Chinese list: every 陈 (chen) before every 程 (cheng), 李 (li) before 林 (lin); joined
    up, "chenguimin" would sort after "chengli" and split the 陈 family."""
    names = ["程丽", "陈桂敏", "林一", "陈静", "李娜", "程安", "李雷"]
    for i, name in enumerate(names, start=1):
        make_member(world, i=i, name=name)
    f = selectors.MemberFilters.from_params({}, world.chair_a)
    listed = [m.name for m in selectors.member_filter(world.chair_a, f)]
    assert listed == ["陈桂敏", "陈静", "程安", "程丽", "李雷", "李娜", "林一"]


def test_escape_cell():
    assert [rules.escape_cell(v) for v in ["=1+1", "+86", "-2", "@x", "\tx", "\rx", "ok", 5]] == [
        "'=1+1",
        "'+86",
        "'-2",
        "'@x",
        "'\tx",
        "'\rx",
        "ok",
        5,
    ]


def test_transition_table():
    assert rules.allowed_transitions("active") == ["transfer", "retain", "withdraw", "lapse", "expel"]
    assert rules.allowed_transitions("expelled") == []


def test_database_refuses_a_second_row_for_the_same_id_number(world):
    from django.db import IntegrityError, transaction

    m = make_member(world, i=11)
    clone = Member.objects.get(pk=m.pk)
    clone.pk = None
    clone.member_no = clone.card_no = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_one_member_record_per_login(world):
    from django.db import IntegrityError, transaction

    a = make_member(world, i=12)
    b = make_member(world, i=13)
    Member.objects.filter(pk=a.pk).update(user=world.member_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=b.pk).update(user=world.member_a)


def test_a_member_moves_within_the_union_by_an_edit_not_a_transfer(world):
    from members.selectors import move_targets, transfer_targets

    m = services.member_create(
        org=world.branch_a,
        data={"name": "白浩宇", "id_number": ZHANG_SAN_ID, "phone": "13800138000"},
        actor=world.staff_a,
    )
    # The union the branch belongs to is not a transfer target; it is a place to move to.
    assert world.union_a not in transfer_targets(world.staff_a, m)
    assert world.union_b in transfer_targets(world.staff_a, m)
    assert list(transfer_targets(world.staff_a, m)) == [world.union_b, world.fed]  # unions first
    assert list(move_targets(world.staff_a, m)) == [world.union_a, world.branch_a]
    with pytest.raises(ValidationError, match="无需转会"):
        services.transfer_request(member=m, to_org=world.union_a, actor=world.staff_a)

    services.member_update(member=m, data={"org": world.union_a}, actor=world.staff_a)
    m.refresh_from_db()
    assert m.org == world.union_a
    ev = m.events.order_by("-id").first()
    assert (ev.kind, ev.reason) == (
        EventKind.UPDATED,
        "修改：所在组织（甲公司一车间分会 → 甲公司工会）",
    )
    with pytest.raises(ValidationError, match="调往其他工会请办理转会"):
        services.member_update(member=m, data={"org": world.union_b}, actor=world.staff_a)
    m.refresh_from_db()
    assert m.org == world.union_a


def test_a_member_held_by_a_federation_is_not_moved_into_a_union_by_an_edit(world):
    from members.selectors import move_targets

    m = services.member_create(
        org=world.fed,
        data={"name": "散户", "id_number": ZHANG_SAN_ID, "phone": "13800138000"},
        actor=world.fed_admin,
    )
    assert list(move_targets(world.fed_admin, m)) == []
    with pytest.raises(ValidationError, match="调往其他工会请办理转会"):
        services.member_update(member=m, data={"org": world.union_b}, actor=world.fed_admin)
    m.refresh_from_db()
    assert m.org == world.fed


def test_a_move_within_the_union_keeps_the_counts_and_stays_in_the_actors_scope(world):
    m = services.member_create(
        org=world.union_a,
        data={"name": "调动", "id_number": ZHANG_SAN_ID, "phone": "13800138000"},
        actor=world.staff_a,
    )
    services.member_update(member=m, data={"org": world.branch_a}, actor=world.staff_a)
    world.branch_a.refresh_from_db()
    world.union_a.refresh_from_db()
    assert (world.branch_a.member_count, world.union_a.member_count) == (
        1,
        1,
    )  # the union counts its branches
    ev = AuditEvent.objects.filter(action="members.member_update").latest("id")
    assert ev.details == {"fields": ["org"], "from_org": world.union_a.pk, "to_org": world.branch_a.pk}
    with pytest.raises(ValidationError):  # staff of union B may not place anyone in union A's branch
        services.member_update(member=m, data={"org": world.union_a}, actor=world.staff_b)


def test_members_of_branches_and_groups_are_numbered_in_their_unions_series(world):
    from core.testing.world import make_org
    from orgs.models import OrgKind

    group = make_org(OrgKind.GROUP, "一车间第一小组", world.branch_a)
    numbers = [
        make_member(world, org, i=i).member_no
        for i, org in enumerate([world.union_a, world.branch_a, group], start=80)
    ]
    prefix = f"{world.union_a.pk:06d}"
    assert all(n.startswith(prefix) for n in numbers), numbers
    assert [int(n[6:]) for n in numbers] == [int(numbers[0][6:]) + k for k in range(3)]


def test_closed_transfers_recorded_before_get_their_kind(world):
    """Migration 0010: a refusal recorded as a withdrawal with a prefixed reason gets its own kind."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("members.migrations.0010_transfer_rejected_event")
    m = make_member(world, i=9)
    old = [
        ("转入工会拒绝接收：查无此人", "transfer_rejected", "查无此人"),
        ("Rejected by receiving union: no such employee", "transfer_rejected", "no such employee"),
        ("撤回转会申请", "transfer_cancelled", ""),
        ("撤回转会申请：选错工会", "transfer_cancelled", "选错工会"),
        ("本人要求", "transfer_cancelled", "本人要求"),
    ]
    for reason, _kind, _after in old:
        MemberEvent.objects.create(
            member=m, org=world.union_a, kind="transfer_cancelled", on=m.joined_on, reason=reason
        )
    migration.split_closed_transfers(apps, None)
    rows = list(m.events.filter(kind__startswith="transfer_").order_by("id").values_list("kind", "reason"))
    assert rows == [(kind, after) for _r, kind, after in old]
    migration.join_closed_transfers(apps, None)  # and back, for a rollback to 0009
    rows = list(m.events.filter(kind__startswith="transfer_").order_by("id").values_list("kind", "reason"))
    assert rows == [
        ("transfer_cancelled", "转入工会拒绝接收：查无此人"),
        ("transfer_cancelled", "转入工会拒绝接收：no such employee"),
        ("transfer_cancelled", ""),
        ("transfer_cancelled", "选错工会"),
        ("transfer_cancelled", "本人要求"),
    ]


def test_a_branch_members_transfer_is_told_to_its_union(world):
    """A member registered on a branch: the union's clerks hear of the answer (nobody holds a role on
    the branch itself)."""
    from deadlines.models import Notification

    m = make_member(world, world.branch_a, i=41)
    t = services.transfer_request(member=m, to_org=world.union_b, actor=world.staff_a)
    services.transfer_accept(transfer=t, actor=world.staff_b)
    accepted = Notification.objects.filter(text=f"{world.union_b.name}已接收会员{m.name}转入。")
    assert sorted(accepted.values_list("user_id", flat=True)) == sorted([world.staff_a.pk, world.chair_a.pk])
    assert set(accepted.values_list("org_id", flat=True)) == {world.union_a.pk}


def test_the_member_hears_the_answer_to_a_correction_request(world):
    from deadlines.models import Notification

    m = make_member(world, i=15)
    Member.objects.filter(pk=m.pk).update(user=world.member_a)
    m.refresh_from_db()
    done = services.correction_request(member=m, field="post", value="班组长", actor=world.member_a)
    services.correction_decide(request=done, accept=True, actor=world.staff_a)
    declined = services.correction_request(member=m, field="department", value="二车间", actor=world.member_a)
    services.correction_decide(request=declined, accept=False, actor=world.staff_a, note="人事记录为一车间")
    notes = Notification.objects.filter(user=world.member_a).order_by("pk")
    assert [(n.text, n.url, n.org_id) for n in notes] == [
        ("您申请更正的“岗位”已按申请更正。", reverse("members:my_data"), world.union_a.pk),
        ("您申请更正的“部门”未予更正，理由：人事记录为一车间", reverse("members:my_data"), world.union_a.pk),
    ]
    # A request staff filed for a member without an account tells nobody.
    other = make_member(world, i=16)
    req = services.correction_request(member=other, field="post", value="班组长", actor=world.staff_a)
    services.correction_decide(request=req, accept=True, actor=world.staff_a)
    assert Notification.objects.count() == 2
