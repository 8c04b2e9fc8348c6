"""Deleting a former member's personal data (PIPL art. 47): services.member_erase, the list of
records due (selectors.erasure_due) and their pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from members import selectors, services
from members.models import CorrectionRequest, CorrectionStatus, EventKind, Member, MemberEvent, MemberStatus
from members.tests.factories import make_member, person


def _withdrawn(world, i=1, on=None, **kw):
    """A member who withdrew `on` (today unless given: the test then dates the history back)."""
    m = make_member(world, i=i, **kw)
    m = services.member_withdraw(member=m, actor=world.staff_a, reason="本人申请")
    if on is not None:
        MemberEvent.objects.filter(member=m).update(on=on)
    return m


def _blank_fields(m):
    return {f: getattr(m, f) for f in services.ERASED_BLANK}


def test_erase_deletes_personal_data_keeps_the_record(world):
    m = _withdrawn(world, i=1)
    birth, member_no, name = m.birth_date, m.member_no, m.name
    services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    m.refresh_from_db()
    assert _blank_fields(m) == {f: "" for f in services.ERASED_BLANK}
    assert m.id_number_hash == f"erased:{m.pk}"
    assert m.birth_date == date(birth.year, 1, 1)
    assert (m.name, m.member_no, m.status) == (name, member_no, MemberStatus.WITHDRAWN)
    assert m.erased_at is not None
    ev = m.events.get(kind=EventKind.ERASED)
    assert (ev.reason, ev.actor, ev.org_id) == ("本人要求删除", world.chair_a, world.union_a.pk)
    audit = AuditEvent.objects.get(action="members.member_erase")
    assert audit.details == {"reason": "本人要求删除"}


def test_the_same_person_can_join_again_after_erasure(world):
    m = _withdrawn(world, i=1)
    services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    again = make_member(world, i=1)
    assert again.pk != m.pk
    assert services.id_hash(person(1)["id_number"]) == again.id_number_hash
    assert Member.objects.count() == 2


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            "active",
            "只能删除已退会、自动退会、开除会籍或未获批准人员的个人信息；在籍和保留会籍的会员请先办理退会。",
        ),
        (
            "retained",
            "只能删除已退会、自动退会、开除会籍或未获批准人员的个人信息；在籍和保留会籍的会员请先办理退会。",
        ),
        ("applied", "入会申请尚未审批，请先决定是否批准；不予批准后才能删除申请人的个人信息。"),
    ],
)
def test_only_closed_records_are_erased(world, status, message):
    m = make_member(world, i=1, approve=status != "applied")
    if status == "retained":
        services.member_retain(member=m, actor=world.staff_a, reason="退休")
    before = _blank_fields(Member.objects.get(pk=m.pk))
    with pytest.raises(ValidationError) as e:
        services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    assert e.value.messages == [message]
    m.refresh_from_db()
    assert _blank_fields(m) == before and m.erased_at is None
    assert not MemberEvent.objects.filter(kind=EventKind.ERASED).exists()


def test_erase_needs_a_reason_and_happens_once(world):
    m = _withdrawn(world, i=1)
    with pytest.raises(ValidationError) as e:
        services.member_erase(member=m, actor=world.chair_a, reason="  ")
    assert e.value.message_dict == {"reason": ["请填写删除的原因，如：本人要求删除、保存期限届满。"]}
    assert Member.objects.get(pk=m.pk).erased_at is None
    services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    with pytest.raises(ValidationError) as e:
        services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    assert e.value.messages[0].startswith("该记录的个人信息已于")
    assert MemberEvent.objects.filter(kind=EventKind.ERASED).count() == 1


def test_after_erasure_no_reveal_no_edit_no_login_no_pending_correction(world):
    m = make_member(world, i=1)
    Member.objects.filter(pk=m.pk).update(user=world.member_a)
    corr = services.correction_request(member=m, field="phone", value="13912345678", actor=world.member_a)
    m = services.member_withdraw(member=m, actor=world.staff_a, reason="本人申请")
    services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    m.refresh_from_db()
    assert m.user_id is None
    corr.refresh_from_db()
    assert (corr.status, corr.requested_value, corr.requested_value_enc) == (
        CorrectionStatus.DECLINED,
        "",
        "",
    )
    assert corr.decision_note == "个人信息已删除"
    with pytest.raises(ValidationError) as e:
        services.member_reveal(member=m, field="id_number", actor=world.chair_a)
    assert e.value.messages == ["该记录的个人信息已删除。"]
    with pytest.raises(ValidationError) as e:
        services.member_update(member=m, data={"employer": "某公司"}, actor=world.staff_a)
    assert e.value.messages == ["该记录的个人信息已删除，不能再修改。"]
    assert CorrectionRequest.objects.count() == 1


def test_erasure_due_after_the_retention_years(world):
    today = services.today()
    old = _withdrawn(world, i=1, on=today - timedelta(days=3 * 366 + 1))
    recent = _withdrawn(world, i=2, on=today - timedelta(days=30))
    make_member(world, i=3)  # active: never due
    due = list(selectors.erasure_due(world.chair_a))
    assert [m.pk for m in due] == [old.pk]
    assert due[0].left_on == today - timedelta(days=3 * 366 + 1)
    with override_settings(GONGHUI_MEMBERS={"retention_years": 0}):
        assert {m.pk for m in selectors.erasure_due(world.chair_a)} == {old.pk, recent.pk}
    assert list(selectors.erasure_due(world.chair_b)) == []  # another union's chair
    assert list(selectors.erasure_due(world.staff_a)) == []  # no permission to decide


def test_erase_due_erases_only_what_is_due_and_in_scope(world):
    today = services.today()
    old = _withdrawn(world, i=1, on=today - timedelta(days=4 * 366))
    recent = _withdrawn(world, i=2, on=today - timedelta(days=30))
    other = make_member(world, org=world.union_b, i=3, actor=world.staff_b)
    other = services.member_withdraw(member=other, actor=world.staff_b, reason="本人申请")
    MemberEvent.objects.filter(member=other).update(on=today - timedelta(days=4 * 366))
    n = services.member_erase_due(
        user=world.chair_a,
        org=None,
        actor=world.chair_a,
        reason="保存期限届满",
        ids=[old.pk, recent.pk, other.pk],
    )
    assert n == 1
    assert set(Member.objects.filter(erased_at__isnull=False).values_list("pk", flat=True)) == {old.pk}
    assert selectors.erasure_due(world.chair_a).count() == 0


# ---- pages --------------------------------------------------------------------------------------------


def test_detail_page_erase_button_and_result(client, world):
    m = _withdrawn(world, i=1)
    client.force_login(world.chair_a)
    page = client.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert reverse("members:erase", args=[m.pk]) in page
    r = client.post(reverse("members:erase", args=[m.pk]), {"reason": "本人要求删除"}, follow=True)
    page = r.content.decode()
    assert f"已删除{m.name}的个人信息。" in page
    assert "个人信息已于" in page
    assert reverse("members:erase", args=[m.pk]) not in page
    assert reverse("members:reveal", args=[m.pk, "id_number"]) not in page
    assert reverse("members:edit", args=[m.pk]) not in page
    r = client.get(reverse("members:edit", args=[m.pk]), follow=True)
    assert "该记录的个人信息已删除，不能再修改。" in r.content.decode()


def test_active_member_page_has_no_erase_button(client, world):
    m = make_member(world, i=1)
    client.force_login(world.chair_a)
    assert (
        reverse("members:erase", args=[m.pk])
        not in client.get(reverse("members:detail", args=[m.pk])).content.decode()
    )
    r = client.post(reverse("members:erase", args=[m.pk]), {"reason": "x"}, follow=True)
    assert "在籍和保留会籍的会员请先办理退会" in r.content.decode()
    assert Member.objects.get(pk=m.pk).erased_at is None


def test_erasure_list_page_erases_those_listed(client, world):
    today = services.today()
    old = _withdrawn(world, i=1, on=today - timedelta(days=4 * 366))
    client.force_login(world.chair_a)
    page = client.get(reverse("members:erasure")).content.decode()
    assert old.name in page and "删除所勾选人员的个人信息" in page
    assert f'name="ids" value="{old.pk}" checked' in page
    r = client.post(reverse("members:erasure"), {"reason": "保存期限届满"}, follow=True)
    assert "请勾选要删除个人信息的人员。" in r.content.decode()
    r = client.post(reverse("members:erasure"), {"ids": [old.pk], "reason": ""}, follow=True)
    assert "请填写删除的原因" in r.content.decode()
    assert Member.objects.get(pk=old.pk).erased_at is None
    r = client.post(reverse("members:erasure"), {"ids": [old.pk], "reason": "保存期限届满"}, follow=True)
    page = r.content.decode()
    assert "已删除1人的个人信息。" in page and "没有到期应删除个人信息的人员。" in page
    assert Member.objects.get(pk=old.pk).erased_at is not None


def test_the_members_own_login_is_closed_with_the_erasure(world):
    m = make_member(world, i=1)
    user, _raw = services.member_account_invite(member=m, actor=world.staff_a)
    services.member_withdraw(member=m, actor=world.staff_a, reason="本人申请")  # the member role goes
    services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    user.refresh_from_db()
    assert user.is_active is False
    assert Member.objects.get(pk=m.pk).user_id is None


def test_the_exact_wage_goes_the_base_stays(world):
    from decimal import Decimal

    from dues import services as dues_services
    from dues.models import WageBase

    m = make_member(world, i=1)
    dues_services.wage_set(member=m, month=date(2026, 10, 1), wage=Decimal("8123.45"), actor=world.staff_a)
    m = services.member_withdraw(member=m, actor=world.staff_a, reason="本人申请")
    services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    assert list(WageBase.objects.filter(member=m).values_list("wage_enc", "base")) == [("", Decimal("8120"))]


def test_an_expelled_persons_id_number_still_bars_an_online_application(world):
    m = make_member(world, i=1)
    m = services.member_expel(member=m, actor=world.chair_a, reason="刑事判决，委员会决定")
    services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    m.refresh_from_db()
    assert m.id_number_enc == "" and m.id_number_hash == services.id_hash(person(1)["id_number"])
    with pytest.raises(ValidationError) as e:
        services.member_apply(org=world.union_a, data=person(1), consent=True)
    assert "该身份证号已有入会申请或会员记录" in e.value.message_dict["id_number"][0]
    assert Member.objects.count() == 1


def test_no_correction_is_asked_of_an_erased_record(world):
    m = _withdrawn(world, i=1)
    services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    with pytest.raises(ValidationError) as e:
        services.correction_request(member=m, field="post", value="班组长", actor=world.staff_a)
    assert e.value.messages == ["该记录的个人信息已删除。"]
    assert CorrectionRequest.objects.count() == 0


def test_reveal_and_card_check_of_an_erased_record_are_not_found(client, world):
    from members.views import card_token

    m = _withdrawn(world, i=1)
    token = card_token(m)
    assert client.get(reverse("members:card_check", args=[m.pk, token])).status_code == 200
    services.member_erase(member=m, actor=world.chair_a, reason="本人要求删除")
    m.refresh_from_db()
    assert client.get(reverse("members:card_check", args=[m.pk, card_token(m)])).status_code == 404
    client.force_login(world.chair_a)
    assert client.post(reverse("members:reveal", args=[m.pk, "id_number"])).status_code == 404
    assert not AuditEvent.objects.filter(action="sensitive.reveal").exists()


def test_the_api_says_a_record_was_erased(client, world):
    kept = _withdrawn(world, i=1)
    gone = _withdrawn(world, i=2)
    services.member_erase(member=gone, actor=world.chair_a, reason="本人要求删除")
    client.force_login(world.staff_a)
    one = client.get(f"/api/v1/members/{gone.pk}").json()
    assert (one["erased"], one["id_number_masked"], one["phone_masked"]) == (True, "", "")
    assert [e["kind"] for e in one["events"]][-1] == "erased"
    items = client.get("/api/v1/members/?status=withdrawn&limit=100").json()["items"]
    assert {i["id"]: i["erased"] for i in items} == {kept.pk: False, gone.pk: True}


def test_an_erased_applicant_is_named_without_empty_brackets(world):
    m = make_member(world, i=1, approve=False)
    m = services.member_reject(member=m, actor=world.staff_a, reason="不符合入会条件")
    assert str(m) == f"{m.name}（{m.id_number_masked}）"
    services.member_erase(member=m, actor=world.chair_a, reason="保存期限届满")
    m.refresh_from_db()
    assert str(m) == m.name
    assert AuditEvent.objects.get(action="members.member_erase").target_label == m.name


def test_the_list_marks_erased_records(client, world):
    gone = _withdrawn(world, i=1)
    services.member_erase(member=gone, actor=world.chair_a, reason="本人要求删除")
    kept = _withdrawn(world, i=2)
    client.force_login(world.staff_a)
    body = client.get(reverse("members:list"), {"status": "withdrawn"}).content.decode()
    assert body.count("已删除</td>") == 2  # the ID number's and the phone's cells of the erased one
    assert kept.id_number_masked in body


def test_a_person_left_unticked_keeps_their_data(client, world):
    today = services.today()
    first = _withdrawn(world, i=1, on=today - timedelta(days=4 * 366))
    second = _withdrawn(world, i=2, on=today - timedelta(days=4 * 366))  # still owes dues, say
    client.force_login(world.chair_a)
    r = client.post(reverse("members:erasure"), {"ids": [first.pk], "reason": "保存期限届满"}, follow=True)
    assert "已删除1人的个人信息。" in r.content.decode()
    assert Member.objects.get(pk=first.pk).erased_at is not None
    assert Member.objects.get(pk=second.pk).erased_at is None
    assert [m.pk for m in selectors.erasure_due(world.chair_a)] == [second.pk]
