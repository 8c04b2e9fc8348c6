from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from core.testing.world import make_user
from proposals import clock, selectors, services
from proposals.models import Cosign, CosignStatus, EventKind, Proposal, ProposalCall
from proposals.models import ProposalStatus as S

from .factories import make_call, make_proposal

TODAY = timezone.localdate()


def _submit(world, call=None, **kw):
    args = {
        "call": call or make_call(world),
        "title": "食堂增加夜宵供应",
        "reason": "夜班职工下班后没有热饭。",
        "suggestion": "食堂晚十点增加夜宵窗口。",
        "cosigners": [world.delegate_a, world.secretariat_a],
        "actor": world.member_a,
    }
    args.update(kw)
    return services.proposal_submit(**args)


def _actions():
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


# ---- collection windows -----------------------------------------------------------------------


def test_call_create(world):
    call = services.call_create(
        org=world.union_a,
        title=" 2027年提案征集 ",
        session_label="第三届职代会第三次会议",
        opens_on=TODAY,
        closes_on=TODAY + timedelta(days=30),
        actor=world.secretariat_a,
    )
    assert (call.title, call.org, call.created_by) == ("2027年提案征集", world.union_a, world.secretariat_a)
    assert _actions() == ["proposals.call_create"]


def test_call_create_refuses_reversed_window(world):
    with pytest.raises(ValidationError) as e:
        services.call_create(
            org=world.union_a,
            title="征集",
            session_label="职代会",
            opens_on=TODAY,
            closes_on=TODAY - timedelta(days=1),
            actor=world.staff_a,
        )
    assert e.value.message_dict == {"closes_on": ["征集截止日期不能早于开始日期。"]}
    assert ProposalCall.objects.count() == 0


def test_call_create_refuses_a_window_already_over(world):
    with pytest.raises(ValidationError) as e:
        services.call_create(
            org=world.union_a,
            title="过去的征集",
            session_label="职代会",
            opens_on=date(2001, 1, 1),
            closes_on=date(2001, 1, 31),
            actor=world.staff_a,
        )
    assert e.value.message_dict == {"closes_on": ["征集截止日期已过，职工无法提交提案，请核对日期。"]}
    assert ProposalCall.objects.count() == 0


def test_call_create_needs_a_manager_of_the_union(world):
    with pytest.raises(PermissionDenied):
        services.call_create(
            org=world.union_a,
            title="征集",
            session_label="职代会",
            opens_on=TODAY,
            closes_on=TODAY,
            actor=world.staff_b,
        )
    with pytest.raises(PermissionDenied):
        services.call_create(
            org=world.union_a,
            title="征集",
            session_label="职代会",
            opens_on=TODAY,
            closes_on=TODAY,
            actor=world.member_a,
        )
    assert ProposalCall.objects.count() == 0


# ---- submission -------------------------------------------------------------------------------


def test_submit_creates_a_proposal_waiting_for_cosigners(world):
    p = _submit(world)
    assert (p.number, p.status, p.proposer, p.org) == (1, S.COSIGNING, world.member_a, world.union_a)
    assert sorted(p.cosigns.values_list("user__username", "status")) == [
        ("delegate_a", "pending"),
        ("secretariat_a", "pending"),
    ]
    assert list(p.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED]
    assert _actions() == ["proposals.proposal_submit"]


def test_numbers_follow_each_other_within_a_call(world):
    call = make_call(world)
    assert [_submit(world, call=call).number for _ in range(3)] == [1, 2, 3]


def test_submit_needs_two_cosigners(world):
    call = make_call(world)
    with pytest.raises(ValidationError) as e:
        _submit(world, call=call, cosigners=[world.delegate_a, world.delegate_a])
    assert e.value.message_dict == {"cosigners": ["提案须有至少 2 名附议人。"]}
    assert Proposal.objects.count() == 0


def test_min_cosigners_is_a_setting(world, settings):
    settings.GONGHUI_PROPOSALS = {"min_cosigners": 3}
    with pytest.raises(ValidationError) as e:
        _submit(world)
    assert e.value.message_dict == {"cosigners": ["提案须有至少 3 名附议人。"]}


def test_submit_requires_title_reason_and_suggestion(world):
    with pytest.raises(ValidationError) as e:
        _submit(world, title=" ", reason="", suggestion="")
    assert e.value.message_dict == {
        "title": ["请填写案由（一案一事）。"],
        "reason": ["请写明提出提案的理由与依据。"],
        "suggestion": ["请写明具体的办理建议。"],
    }


def test_proposer_cannot_cosign_own_proposal(world):
    with pytest.raises(ValidationError) as e:
        _submit(world, cosigners=[world.member_a, world.delegate_a])
    assert e.value.message_dict == {"cosigners": ["提案人不能作为自己提案的附议人。"]}


def test_cosigner_must_work_at_the_union(world):
    with pytest.raises(ValidationError) as e:
        _submit(world, cosigners=[world.staff_b, world.delegate_a])
    assert e.value.message_dict == {"cosigners": ["乙干事 不是本工会的职工，不能附议。"]}
    with pytest.raises(ValidationError):
        _submit(world, cosigners=[world.finance_a, world.delegate_a])  # finance has no worker role
    assert Proposal.objects.count() == 0


def test_submit_only_inside_the_window(world):
    early = make_call(world, offset_open=1, offset_close=30)
    late = make_call(world, offset_open=-40, offset_close=-1)
    with pytest.raises(ValidationError) as e:
        _submit(world, call=early)
    assert e.value.messages == [f"提案征集尚未开始（{(TODAY + timedelta(days=1)).isoformat()} 开始）。"]
    with pytest.raises(ValidationError) as e:
        _submit(world, call=late)
    assert e.value.messages == [f"提案征集已于 {(TODAY - timedelta(days=1)).isoformat()} 截止。"]
    assert Proposal.objects.count() == 0


def test_submit_refuses_users_of_another_union(world):
    with pytest.raises(PermissionDenied):
        _submit(world, actor=world.staff_b)


# ---- co-signing -------------------------------------------------------------------------------


def test_two_confirmations_send_the_proposal_to_review(world):
    p = _submit(world)
    c1, c2 = p.cosigns.order_by("user__username")
    services.cosign_confirm(cosign=c1, actor=world.delegate_a)
    p.refresh_from_db()
    assert p.status == S.COSIGNING
    services.cosign_confirm(cosign=c2, actor=world.secretariat_a)
    p.refresh_from_db()
    assert p.status == S.PENDING_REVIEW
    assert list(p.events.values_list("kind", flat=True)) == [
        EventKind.SUBMITTED,
        EventKind.COSIGN_CONFIRMED,
        EventKind.COSIGN_CONFIRMED,
        EventKind.TO_REVIEW,
    ]
    assert _actions()[-1] == "proposals.proposal_to_review"


def test_only_the_invited_user_confirms(world):
    p = _submit(world)
    c1 = p.cosigns.get(user=world.delegate_a)
    with pytest.raises(PermissionDenied):
        services.cosign_confirm(cosign=c1, actor=world.secretariat_a)
    c1.refresh_from_db()
    assert c1.status == CosignStatus.PENDING


def test_confirming_twice_is_refused(world):
    p = _submit(world)
    c1 = p.cosigns.get(user=world.delegate_a)
    services.cosign_confirm(cosign=c1, actor=world.delegate_a)
    with pytest.raises(ValidationError) as e:
        services.cosign_confirm(cosign=c1, actor=world.delegate_a)
    assert e.value.messages == ["您已对该提案作出答复（已确认）。"]


def test_decline_then_invite_another_cosigner(world):
    p = _submit(world)
    services.cosign_decline(
        cosign=p.cosigns.get(user=world.delegate_a), actor=world.delegate_a, note="不了解情况"
    )
    services.cosign_confirm(cosign=p.cosigns.get(user=world.secretariat_a), actor=world.secretariat_a)
    p.refresh_from_db()
    assert p.status == S.COSIGNING
    with pytest.raises(ValidationError) as e:
        services.cosigner_invite(proposal=p, user=world.delegate_a, actor=world.member_a)
    assert e.value.message_dict == {"user": ["已邀请过 delegate_a。"]}
    new = services.cosigner_invite(proposal=p, user=world.chair_a, actor=world.member_a)
    services.cosign_confirm(cosign=new, actor=world.chair_a)
    p.refresh_from_db()
    assert p.status == S.PENDING_REVIEW
    assert p.events.filter(kind=EventKind.COSIGN_DECLINED).get().note == "不了解情况"


def test_only_the_proposer_invites(world):
    p = _submit(world)
    with pytest.raises(PermissionDenied):
        services.cosigner_invite(proposal=p, user=world.chair_a, actor=world.delegate_a)


def test_confirm_after_review_started_is_refused(world):
    p = make_proposal(world, status=S.ACCEPTED, cosign_status=CosignStatus.PENDING)
    with pytest.raises(ValidationError) as e:
        services.cosign_confirm(cosign=p.cosigns.first(), actor=world.delegate_a)
    assert e.value.messages == ["提案当前状态为“已立案”，不能附议。"]


def test_withdraw(world):
    p = _submit(world)
    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(proposal=p, actor=world.delegate_a)
    services.proposal_withdraw(proposal=p, actor=world.member_a)
    p.refresh_from_db()
    assert p.status == S.WITHDRAWN
    with pytest.raises(ValidationError):
        services.proposal_withdraw(proposal=p, actor=world.member_a)


# ---- review -----------------------------------------------------------------------------------


def test_accept(world):
    p = services.proposal_accept(
        proposal=make_proposal(world), note="符合立案条件", actor=world.secretariat_a
    )
    assert (p.status, p.review_note) == (S.ACCEPTED, "符合立案条件")
    assert p.reviewed_at is not None
    assert _actions() == ["proposals.proposal_accept"]


def test_convert_to_opinion(world):
    p = services.proposal_convert(
        proposal=make_proposal(world), note="作为意见建议转行政部参考", actor=world.staff_a
    )
    assert p.status == S.OPINION


def test_return_needs_written_reasons(world):
    p = make_proposal(world)
    with pytest.raises(ValidationError) as e:
        services.proposal_return(proposal=p, reasons="  ", actor=world.staff_a)
    assert e.value.message_dict == {"note": ["退回提案须写明理由。"]}
    p.refresh_from_db()
    assert p.status == S.PENDING_REVIEW
    p = services.proposal_return(
        proposal=p, reasons="属个人诉求，请通过职工诉求渠道反映。", actor=world.staff_a
    )
    assert (p.status, p.review_note) == (S.RETURNED, "属个人诉求，请通过职工诉求渠道反映。")


def test_review_refused_before_cosigning_is_complete(world):
    p = make_proposal(world, status=S.COSIGNING)
    with pytest.raises(ValidationError) as e:
        services.proposal_accept(proposal=p, actor=world.staff_a)
    assert e.value.messages == ["提案当前状态为“待附议”，不能立案。"]
    assert AuditEvent.objects.count() == 0


def test_review_needs_a_manager(world):
    p = make_proposal(world)
    with pytest.raises(PermissionDenied):
        services.proposal_accept(proposal=p, actor=world.delegate_a)
    with pytest.raises(PermissionDenied):
        services.proposal_accept(proposal=p, actor=world.staff_b)


# ---- handling ---------------------------------------------------------------------------------


def test_assign_validates_department_and_due_date(world):
    p = make_proposal(world, status=S.ACCEPTED)
    with pytest.raises(ValidationError) as e:
        services.proposal_assign(
            proposal=p, department="", due_on=TODAY - timedelta(days=1), actor=world.staff_a
        )
    assert e.value.message_dict == {"department": ["请填写承办部门。"], "due_on": ["答复期限不能早于今天。"]}
    p = services.proposal_assign(
        proposal=p, department="行政部", due_on=TODAY + timedelta(days=30), actor=world.staff_a
    )
    assert (p.status, p.department, p.due_on) == (S.ASSIGNED, "行政部", TODAY + timedelta(days=30))


def test_assign_refused_unless_accepted(world):
    p = make_proposal(world, status=S.OPINION)
    with pytest.raises(ValidationError) as e:
        services.proposal_assign(proposal=p, department="行政部", due_on=TODAY, actor=world.staff_a)
    assert e.value.messages == ["提案当前状态为“转为意见建议”，不能交办。"]


def test_reply_then_overdue_list(world, monkeypatch):
    p = make_proposal(world, status=S.ASSIGNED, due_on=TODAY + timedelta(days=5))
    assert list(selectors.overdue_for(world.staff_a)) == []
    monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=6))
    assert list(selectors.overdue_for(world.staff_a)) == [p]
    assert list(selectors.overdue_for(world.staff_b)) == []
    with pytest.raises(ValidationError) as e:
        services.proposal_reply(proposal=p, reply="", actor=world.staff_a)
    assert e.value.message_dict == {"reply": ["请填写承办部门的书面答复。"]}
    p = services.proposal_reply(proposal=p, reply="已在二号楼设休息室。", actor=world.staff_a)
    assert (p.status, p.replied_on) == (S.REPLIED, TODAY + timedelta(days=6))
    assert AuditEvent.objects.get(action="proposals.proposal_reply").details == {
        "to": "replied",
        "late": True,
    }
    assert list(selectors.overdue_for(world.staff_a)) == []


def test_follow_up_keeps_the_status(world):
    p = make_proposal(world, status=S.ASSIGNED)
    services.proposal_follow_up(proposal=p, note="已电话催办行政部", actor=world.chair_a)
    p.refresh_from_db()
    assert p.status == S.ASSIGNED
    assert p.events.get(kind=EventKind.FOLLOW_UP).note == "已电话催办行政部"
    with pytest.raises(ValidationError) as e:
        services.proposal_follow_up(
            proposal=make_proposal(world, status=S.ACCEPTED), note="催办", actor=world.chair_a
        )
    assert e.value.messages == ["提案当前状态为“已立案”，不能督办。"]


def test_only_the_proposer_evaluates(world):
    p = make_proposal(world, status=S.REPLIED)
    with pytest.raises(PermissionDenied):
        services.proposal_evaluate(proposal=p, satisfaction="satisfied", actor=world.staff_a)
    with pytest.raises(ValidationError):
        services.proposal_evaluate(proposal=p, satisfaction="great", actor=world.member_a)
    p = services.proposal_evaluate(
        proposal=p, satisfaction="basically", note="希望尽快落实", actor=world.member_a
    )
    assert (p.status, p.satisfaction) == (S.EVALUATED, "basically")
    assert p.events.get(kind=EventKind.EVALUATED).note == "基本满意：希望尽快落实"


def test_unsatisfied_reopens_once(world):
    p = make_proposal(world, status=S.REPLIED)
    services.proposal_evaluate(proposal=p, satisfaction="unsatisfied", actor=world.member_a)
    p = services.proposal_reopen(
        proposal=p, due_on=TODAY + timedelta(days=15), note="请重新研究", actor=world.staff_a
    )
    assert (p.status, p.reopen_count, p.satisfaction, p.due_on) == (
        S.ASSIGNED,
        1,
        "",
        TODAY + timedelta(days=15),
    )
    services.proposal_reply(proposal=p, reply="再次答复", actor=world.staff_a)
    services.proposal_evaluate(proposal=p, satisfaction="unsatisfied", actor=world.member_a)
    with pytest.raises(ValidationError) as e:
        services.proposal_reopen(proposal=p, due_on=TODAY + timedelta(days=15), actor=world.staff_a)
    assert e.value.messages == ["该提案已重新督办过一次，不能再次重新督办。"]


def test_reopen_refused_when_satisfied(world):
    p = make_proposal(world, status=S.EVALUATED, satisfaction="satisfied")
    with pytest.raises(ValidationError) as e:
        services.proposal_reopen(proposal=p, due_on=TODAY, actor=world.staff_a)
    assert e.value.messages == ["只有提案人不满意时才能重新督办。"]


def test_archive(world):
    p = services.proposal_archive(proposal=make_proposal(world, status=S.EVALUATED), actor=world.staff_a)
    assert p.status == S.ARCHIVED and p.archived_at is not None
    with pytest.raises(ValidationError) as e:
        services.proposal_archive(proposal=make_proposal(world, status=S.ASSIGNED), actor=world.staff_a)
    assert e.value.messages == ["提案当前状态为“已交办”，不能归档。"]


def test_the_database_refuses_a_second_reopen(world):
    from django.db import IntegrityError, transaction

    p = make_proposal(world, status=S.ASSIGNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=p.pk).update(reopen_count=2)


# ---- selectors --------------------------------------------------------------------------------


def test_visibility(world):
    p = make_proposal(world)
    other_member = make_user("member2_a", Role.MEMBER, world.union_a)
    assert list(selectors.proposals_for(world.member_a)) == [p]  # proposer
    assert list(selectors.proposals_for(world.delegate_a)) == [p]  # co-signer
    assert list(selectors.proposals_for(world.staff_a)) == [p]  # manager
    assert list(selectors.proposals_for(world.fed_admin)) == [p]
    assert list(selectors.proposals_for(other_member)) == []
    assert list(selectors.proposals_for(world.staff_b)) == []


def test_pending_cosigns_and_candidates(world):
    p = _submit(world)
    assert [c.proposal for c in selectors.pending_cosigns_for(world.delegate_a)] == [p]
    assert list(selectors.pending_cosigns_for(world.member_a)) == []
    names = set(
        selectors.cosigner_candidates(world.union_a, exclude=world.member_a).values_list(
            "username", flat=True
        )
    )
    assert names == {"chair_a", "staff_a", "secretariat_a", "delegate_a"}


def test_handling_report(world):
    call = make_call(world)
    make_proposal(world, call=call, status=S.EVALUATED, satisfaction="satisfied")
    make_proposal(world, call=call, status=S.EVALUATED, satisfaction="basically")
    make_proposal(world, call=call, status=S.EVALUATED, satisfaction="unsatisfied")
    make_proposal(world, call=call, status=S.ASSIGNED, due_on=TODAY - timedelta(days=1))
    make_proposal(world, call=call, status=S.RETURNED)
    make_proposal(world, call=call, status=S.OPINION)
    make_proposal(world, call=call, status=S.COSIGNING)
    r = selectors.handling_report(call)
    assert (r["total"], r["received"], r["accepted"], r["replied"], r["overdue"]) == (7, 6, 4, 3, 1)
    assert (r["opinions"], r["returned"], r["evaluated"]) == (1, 1, 3)
    assert str(r["reply_rate"]) == "75.0"
    assert str(r["satisfied_rate"]) == "66.7"
    assert [(k, n, str(pct)) for _label, k, n, pct in r["satisfaction"]] == [
        ("satisfied", 1, "33.3"),
        ("basically", 1, "33.3"),
        ("unsatisfied", 1, "33.3"),
    ]
    assert {code: n for _label, code, n in r["counts"] if n} == {
        "evaluated": 3,
        "assigned": 1,
        "returned": 1,
        "opinion": 1,
        "cosigning": 1,
    }


def test_cosign_unique_per_user(world):
    from django.db import IntegrityError, transaction

    p = make_proposal(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cosign.objects.create(org=p.org, proposal=p, user=world.delegate_a)


def test_assignment_registers_the_reply_on_the_deadline_calendar(world):
    from deadlines.models import Deadline

    p = make_proposal(world, status=S.ACCEPTED)
    services.proposal_assign(
        proposal=p, department="行政部", due_on=TODAY + timedelta(days=30), actor=world.staff_a
    )
    d = Deadline.objects.get()
    assert (d.org, d.due_on, d.slot, d.url, d.done_at) == (
        world.union_a,
        TODAY + timedelta(days=30),
        "reply",
        f"/proposals/{p.pk}/",
        None,
    )
    assert d.title == "提案答复：第1号 增设夜班职工休息室（行政部）"
    services.proposal_reply(proposal=p, reply="已落实", actor=world.staff_a)
    d.refresh_from_db()
    assert d.done_at is not None
    services.proposal_evaluate(proposal=p, satisfaction="unsatisfied", actor=world.member_a)
    services.proposal_reopen(proposal=p, due_on=TODAY + timedelta(days=10), actor=world.staff_a)
    d.refresh_from_db()
    assert (d.done_at, d.due_on) == (None, TODAY + timedelta(days=10))
