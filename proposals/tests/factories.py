"""Test helpers: proposals in any state, built directly (the services are tested separately)."""

from datetime import timedelta

from django.utils import timezone

from proposals.models import Cosign, CosignStatus, Proposal, ProposalCall, ProposalStatus

S = ProposalStatus


def make_call(world, org=None, *, offset_open: int = -10, offset_close: int = 20, **fields) -> ProposalCall:
    today = timezone.localdate()
    return ProposalCall.objects.create(
        org=org or world.union_a,
        title=fields.pop("title", "2026年职工提案征集"),
        session_label=fields.pop("session_label", "第三届职工代表大会第二次会议"),
        opens_on=today + timedelta(days=offset_open),
        closes_on=today + timedelta(days=offset_close),
        **fields,
    )


def make_proposal(
    world,
    *,
    status: str = S.PENDING_REVIEW,
    call=None,
    proposer=None,
    cosigners=None,
    cosign_status: str | None = None,
    **fields,
) -> Proposal:
    call = call or make_call(world)
    proposer = proposer or world.member_a
    cosigners = cosigners if cosigners is not None else [world.delegate_a, world.secretariat_a]
    number = (call.proposals.count() or 0) + 1
    today = timezone.localdate()
    defaults = {
        "title": "增设夜班职工休息室",
        "reason": "夜班职工较多，现无休息场所。",
        "suggestion": "在二号楼一层增设休息室。",
    }
    if status in {S.ASSIGNED, S.REPLIED, S.EVALUATED}:
        defaults.update(department="行政部", due_on=today + timedelta(days=30))
    if status in {S.REPLIED, S.EVALUATED}:
        defaults.update(reply="已于十一月完成改造。", replied_on=today)
    if status == S.EVALUATED:
        defaults.update(satisfaction="unsatisfied")
    if status == S.RETURNED:
        defaults.update(review_note="不属于提案范围。")
    defaults.update(fields)
    p = Proposal.objects.create(
        org=call.org, call=call, number=number, proposer=proposer, status=status, **defaults
    )
    if cosign_status is None:
        cosign_status = CosignStatus.PENDING if status == S.COSIGNING else CosignStatus.CONFIRMED
    Cosign.objects.bulk_create(
        [Cosign(org=call.org, proposal=p, user=u, status=cosign_status) for u in cosigners]
    )
    return p
