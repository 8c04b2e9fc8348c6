"""Writes of the proposals module. One function per transition of the proposal state machine
(rules.TRANSITIONS); each owns its transaction, refuses illegal moves with a Chinese message,
writes the proposal's timeline event and the audit event in the same transaction."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.validators import normalize_text
from deadlines.services import deadline_done, deadline_upsert
from orgs import access

from . import clock, rules
from .models import Cosign, CosignStatus, EventKind, Proposal, ProposalCall, ProposalEvent, Satisfaction
from .models import ProposalStatus as S
from .permissions import PROPOSALS_MANAGE, PROPOSALS_SUBMIT


def _require_manager(actor, org) -> None:
    if not access.can(actor, PROPOSALS_MANAGE, org):
        raise PermissionDenied


def _text(value: str | None) -> str:
    return normalize_text(value or "")


def _multiline(value: str | None) -> str:
    return (value or "").strip()


# ---- collection windows -----------------------------------------------------------------------


def call_create(
    *, org, title: str, session_label: str, opens_on: date, closes_on: date, actor
) -> ProposalCall:
    _require_manager(actor, org)
    title, session_label = _text(title), _text(session_label)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("请填写征集名称。")]
    if not session_label:
        errors["session_label"] = [_("请填写对应的会议，如“第三届职工代表大会第二次会议”。")]
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = [_("征集截止日期不能早于开始日期。")]
    elif closes_on and closes_on < clock.today():
        errors["closes_on"] = [_("征集截止日期已过，职工无法提交提案，请核对日期。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        call = ProposalCall.objects.create(
            org=org,
            title=title,
            session_label=session_label,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="proposals.call_create",
            target=call,
            org=org,
            details={
                "session": session_label,
                "opens_on": opens_on.isoformat(),
                "closes_on": closes_on.isoformat(),
            },
        )
    return call


# ---- submission and co-signing ----------------------------------------------------------------


def _check_cosigner(user, *, proposer, org) -> None:
    if user.pk == proposer.pk:
        raise ValidationError({"cosigners": [_("提案人不能作为自己提案的附议人。")]})
    if not access.can(user, PROPOSALS_SUBMIT, org):
        raise ValidationError(
            {"cosigners": [_("%(name)s 不是本工会的职工，不能附议。") % {"name": user.get_full_name()}]}
        )


def proposal_submit(
    *, call: ProposalCall, title: str, reason: str, suggestion: str, cosigners, actor
) -> Proposal:
    """A worker puts forward one matter inside the collection window and names ≥ 2 co-signers,
    who then confirm online (cosign_confirm)."""
    if not access.can(actor, PROPOSALS_SUBMIT, call.org):
        raise PermissionDenied
    title, reason, suggestion = _text(title), _multiline(reason), _multiline(suggestion)
    cosigners = list({u.pk: u for u in cosigners}.values())
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("请填写案由（一案一事）。")]
    if not reason:
        errors["reason"] = [_("请写明提出提案的理由与依据。")]
    if not suggestion:
        errors["suggestion"] = [_("请写明具体的办理建议。")]
    need = rules.setting("min_cosigners")
    if len(cosigners) < need:
        errors["cosigners"] = [_("提案须有至少 %(n)d 名附议人。") % {"n": need}]
    if errors:
        raise ValidationError(errors)
    for user in cosigners:
        _check_cosigner(user, proposer=actor, org=call.org)
    today = clock.today()
    state = rules.window_state(call.opens_on, call.closes_on, today)
    if state == "upcoming":
        raise ValidationError(_("提案征集尚未开始（%(d)s 开始）。") % {"d": call.opens_on.isoformat()})
    if state == "closed":
        raise ValidationError(_("提案征集已于 %(d)s 截止。") % {"d": call.closes_on.isoformat()})
    with transaction.atomic():
        call = ProposalCall.objects.select_for_update().get(pk=call.pk)
        number = (call.proposals.aggregate(m=Max("number"))["m"] or 0) + 1
        proposal = Proposal.objects.create(
            org=call.org,
            call=call,
            number=number,
            title=title,
            reason=reason,
            suggestion=suggestion,
            proposer=actor,
            submitted_at=clock.now(),
        )
        Cosign.objects.bulk_create([Cosign(org=call.org, proposal=proposal, user=u) for u in cosigners])
        names = "、".join(u.get_full_name() for u in cosigners)
        _event(
            org=call.org,
            proposal=proposal,
            kind=EventKind.SUBMITTED,
            actor=actor,
            note=_("邀请附议人：%(n)s") % {"n": names},
        )
        audit_record(
            actor=actor,
            action="proposals.proposal_submit",
            target=proposal,
            org=call.org,
            details={"call": call.pk, "number": number, "cosigners": [u.pk for u in cosigners]},
        )
    return proposal


def _event(**fields) -> ProposalEvent:
    return ProposalEvent.objects.create(at=clock.now(), **fields)


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _refuse(proposal: Proposal, verb: str) -> ValidationError:
    return ValidationError(
        _("提案当前状态为“%(status)s”，不能%(verb)s。")
        % {"status": proposal.get_status_display(), "verb": verb}
    )


def _cosign_answer(cosign: Cosign, actor, status: str) -> tuple[Proposal, Cosign]:
    """Lock the proposal and the co-sign request, check both are still open, record the answer.
    Call inside the caller's transaction."""
    if cosign.user_id != actor.pk:
        raise PermissionDenied
    proposal = _lock(cosign.proposal)
    cosign = Cosign.objects.select_for_update().get(pk=cosign.pk)
    if proposal.status != S.COSIGNING:
        raise _refuse(proposal, _("附议"))
    if cosign.status != CosignStatus.PENDING:
        raise ValidationError(_("您已对该提案作出答复（%(s)s）。") % {"s": cosign.get_status_display()})
    cosign.status = status
    cosign.responded_at = clock.now()
    cosign.save(update_fields=["status", "responded_at"])
    return proposal, cosign


def cosign_confirm(*, cosign: Cosign, actor) -> Cosign:
    """The invited co-signer confirms. With enough confirmations the proposal goes to review."""
    with transaction.atomic():
        proposal, cosign = _cosign_answer(cosign, actor, CosignStatus.CONFIRMED)
        _event(
            org=proposal.org,
            proposal=proposal,
            kind=EventKind.COSIGN_CONFIRMED,
            actor=actor,
        )
        audit_record(actor=actor, action="proposals.cosign_confirm", target=proposal, org=proposal.org)
        confirmed = proposal.cosigns.filter(status=CosignStatus.CONFIRMED).count()
        if confirmed >= rules.setting("min_cosigners"):
            proposal.status = S.PENDING_REVIEW
            proposal.save(update_fields=["status"])
            _event(
                org=proposal.org,
                proposal=proposal,
                kind=EventKind.TO_REVIEW,
                actor=None,
                note=_("已有 %(n)d 名附议人确认。") % {"n": confirmed},
            )
            audit_record(
                actor=actor,
                action="proposals.proposal_to_review",
                target=proposal,
                org=proposal.org,
                details={"confirmed": confirmed},
            )
    return cosign


def cosign_decline(*, cosign: Cosign, actor, note: str = "") -> Cosign:
    with transaction.atomic():
        proposal, cosign = _cosign_answer(cosign, actor, CosignStatus.DECLINED)
        _event(
            org=proposal.org,
            proposal=proposal,
            kind=EventKind.COSIGN_DECLINED,
            actor=actor,
            note=_multiline(note),
        )
        audit_record(actor=actor, action="proposals.cosign_decline", target=proposal, org=proposal.org)
    return cosign


def cosigner_invite(*, proposal: Proposal, user, actor) -> Cosign:
    """The proposer asks one more colleague to co-sign (e.g. after someone declined)."""
    if proposal.proposer_id != actor.pk:
        raise PermissionDenied
    _check_cosigner(user, proposer=actor, org=proposal.org)
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.status != S.COSIGNING:
            raise _refuse(proposal, _("邀请附议人"))
        if proposal.cosigns.filter(user=user).exists():
            raise ValidationError({"user": [_("已邀请过 %(name)s。") % {"name": user.get_full_name()}]})
        cosign = Cosign.objects.create(org=proposal.org, proposal=proposal, user=user)
        _event(
            org=proposal.org,
            proposal=proposal,
            kind=EventKind.COSIGNER_INVITED,
            actor=actor,
            note=user.get_full_name(),
        )
        audit_record(
            actor=actor,
            action="proposals.cosigner_invite",
            target=proposal,
            org=proposal.org,
            details={"user": user.pk},
        )
    return cosign


def proposal_withdraw(*, proposal: Proposal, actor) -> Proposal:
    if proposal.proposer_id != actor.pk:
        raise PermissionDenied
    return _move(
        proposal,
        to=S.WITHDRAWN,
        verb=_("撤回"),
        event=EventKind.WITHDRAWN,
        actor=actor,
        action="proposals.proposal_withdraw",
    )


# ---- review and handling (staff / secretariat) ------------------------------------------------


def _move(
    proposal: Proposal,
    *,
    to: str,
    verb: str,
    event: str,
    actor,
    action: str,
    note: str = "",
    details: dict | None = None,
    **fields,
) -> Proposal:
    with transaction.atomic():
        proposal = _lock(proposal)
        if not rules.can_move(proposal.status, to):
            raise _refuse(proposal, verb)
        proposal.status = to
        for key, value in fields.items():
            setattr(proposal, key, value)
        proposal.save(update_fields=["status", *fields.keys()])
        _event(org=proposal.org, proposal=proposal, kind=event, actor=actor, note=note)
        audit_record(
            actor=actor,
            action=action,
            target=proposal,
            org=proposal.org,
            details={"to": to, **(details or {})},
        )
    return proposal


def proposal_accept(*, proposal: Proposal, note: str = "", actor) -> Proposal:
    """Review: accepted as a proposal (立案)."""
    _require_manager(actor, proposal.org)
    note = _multiline(note)
    return _move(
        proposal,
        to=S.ACCEPTED,
        verb=_("立案"),
        event=EventKind.ACCEPTED,
        actor=actor,
        action="proposals.proposal_accept",
        note=note,
        review_note=note,
        reviewed_at=clock.now(),
    )


def proposal_convert(*, proposal: Proposal, note: str = "", actor) -> Proposal:
    """Review: not a proposal but an opinion or suggestion (转为意见建议), passed on as such."""
    _require_manager(actor, proposal.org)
    note = _multiline(note)
    return _move(
        proposal,
        to=S.OPINION,
        verb=_("转为意见建议"),
        event=EventKind.OPINION,
        actor=actor,
        action="proposals.proposal_convert",
        note=note,
        review_note=note,
        reviewed_at=clock.now(),
    )


def proposal_return(*, proposal: Proposal, reasons: str, actor) -> Proposal:
    """Review: returned to the proposer; the written reasons are required."""
    _require_manager(actor, proposal.org)
    reasons = _multiline(reasons)
    if not reasons:
        raise ValidationError({"note": [_("退回提案须写明理由。")]})
    return _move(
        proposal,
        to=S.RETURNED,
        verb=_("退回"),
        event=EventKind.RETURNED,
        actor=actor,
        action="proposals.proposal_return",
        note=reasons,
        review_note=reasons,
        reviewed_at=clock.now(),
    )


def _reply_deadline(proposal: Proposal, actor) -> None:
    """The department's reply date on the one deadline calendar (my deadlines, reminders)."""
    deadline_upsert(
        org=proposal.org,
        source=proposal,
        slot="reply",
        title=_("提案答复：第%(n)d号 %(t)s（%(d)s）")
        % {"n": proposal.number, "t": proposal.title, "d": proposal.department},
        due_on=proposal.due_on,
        url=reverse("proposals:detail", args=[proposal.pk]),
        actor=actor,
    )


def _check_assignment(department: str, due_on: date | None) -> str:
    department = _text(department)
    errors: dict[str, list[str]] = {}
    if not department:
        errors["department"] = [_("请填写承办部门。")]
    if due_on is None:
        errors["due_on"] = [_("请填写答复期限。")]
    elif due_on < clock.today():
        errors["due_on"] = [_("答复期限不能早于今天。")]
    if errors:
        raise ValidationError(errors)
    return department


def proposal_assign(*, proposal: Proposal, department: str, due_on: date, actor) -> Proposal:
    """交办: the accepted proposal goes to the responsible department with a due date."""
    _require_manager(actor, proposal.org)
    department = _check_assignment(department, due_on)
    with transaction.atomic():
        proposal = _move(
            proposal,
            to=S.ASSIGNED,
            verb=_("交办"),
            event=EventKind.ASSIGNED,
            actor=actor,
            action="proposals.proposal_assign",
            note=_("%(dept)s，%(due)s 前书面答复") % {"dept": department, "due": due_on.isoformat()},
            details={"department": department, "due_on": due_on.isoformat()},
            department=department,
            due_on=due_on,
            assigned_at=clock.now(),
        )
        _reply_deadline(proposal, actor)
    return proposal


def proposal_reply(*, proposal: Proposal, reply: str, actor) -> Proposal:
    """The department's written reply, recorded by the secretariat."""
    _require_manager(actor, proposal.org)
    reply = _multiline(reply)
    if not reply:
        raise ValidationError({"reply": [_("请填写承办部门的书面答复。")]})
    today = clock.today()
    late = proposal.due_on is not None and today > proposal.due_on
    with transaction.atomic():
        proposal = _move(
            proposal,
            to=S.REPLIED,
            verb=_("登记答复"),
            event=EventKind.REPLIED,
            actor=actor,
            action="proposals.proposal_reply",
            note=reply,
            details={"late": late},
            reply=reply,
            replied_on=today,
        )
        deadline_done(source=proposal, slot="reply", actor=actor)
    return proposal


def proposal_follow_up(*, proposal: Proposal, note: str, actor) -> ProposalEvent:
    """督办: a follow-up note while the department handles the proposal. The status stays."""
    _require_manager(actor, proposal.org)
    note = _multiline(note)
    if not note:
        raise ValidationError({"note": [_("请填写督办情况。")]})
    with transaction.atomic():
        proposal = _lock(proposal)
        if proposal.status not in rules.FOLLOW_UP_STATES:
            raise _refuse(proposal, _("督办"))
        event = _event(org=proposal.org, proposal=proposal, kind=EventKind.FOLLOW_UP, actor=actor, note=note)
        audit_record(actor=actor, action="proposals.proposal_follow_up", target=proposal, org=proposal.org)
    return event


def proposal_evaluate(*, proposal: Proposal, satisfaction: str, note: str = "", actor) -> Proposal:
    """The proposer's satisfaction with the reply (满意 / 基本满意 / 不满意)."""
    if proposal.proposer_id != actor.pk:
        raise PermissionDenied
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("请选择满意程度。")]})
    note = _multiline(note)
    label = Satisfaction(satisfaction).label
    return _move(
        proposal,
        to=S.EVALUATED,
        verb=_("评价"),
        event=EventKind.EVALUATED,
        actor=actor,
        action="proposals.proposal_evaluate",
        note=f"{label}{'：' + note if note else ''}",
        details={"satisfaction": satisfaction},
        satisfaction=satisfaction,
        satisfaction_note=note,
    )


def proposal_reopen(*, proposal: Proposal, due_on: date, note: str = "", actor) -> Proposal:
    """An unsatisfied proposer's proposal goes back to the department once, with a new due date."""
    _require_manager(actor, proposal.org)
    note = _multiline(note)
    if due_on is None or due_on < clock.today():
        raise ValidationError({"due_on": [_("请填写不早于今天的新答复期限。")]})
    with transaction.atomic():
        proposal = _lock(proposal)
        if not rules.may_reopen(proposal.status, proposal.satisfaction, proposal.reopen_count):
            if proposal.status == S.EVALUATED and proposal.reopen_count:
                raise ValidationError(_("该提案已重新督办过一次，不能再次重新督办。"))
            if proposal.status == S.EVALUATED:
                raise ValidationError(_("只有提案人不满意时才能重新督办。"))
            raise _refuse(proposal, _("重新督办"))
        previous = proposal.satisfaction
        proposal.status = S.ASSIGNED
        proposal.due_on = due_on
        proposal.reopen_count = proposal.reopen_count + 1
        proposal.satisfaction = ""
        proposal.satisfaction_note = ""
        proposal.reply = ""
        proposal.replied_on = None
        proposal.save(
            update_fields=[
                "status",
                "due_on",
                "reopen_count",
                "satisfaction",
                "satisfaction_note",
                "reply",
                "replied_on",
            ]
        )
        _event(
            org=proposal.org,
            proposal=proposal,
            kind=EventKind.REOPENED,
            actor=actor,
            note=" ".join(x for x in (_("新答复期限 %(d)s。") % {"d": due_on.isoformat()}, note) if x),
        )
        _reply_deadline(proposal, actor)
        audit_record(
            actor=actor,
            action="proposals.proposal_reopen",
            target=proposal,
            org=proposal.org,
            details={"previous_satisfaction": previous, "due_on": due_on.isoformat()},
        )
    return proposal


def proposal_archive(*, proposal: Proposal, actor) -> Proposal:
    _require_manager(actor, proposal.org)
    return _move(
        proposal,
        to=S.ARCHIVED,
        verb=_("归档"),
        event=EventKind.ARCHIVED,
        actor=actor,
        action="proposals.proposal_archive",
        archived_at=clock.now(),
    )
