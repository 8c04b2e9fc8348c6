import random
from datetime import date

from django.utils import timezone

from core.seed import SeedContext
from proposals import seed
from proposals.models import Proposal, ProposalEvent


def _ctx(world):
    users = {
        "secretariat_1": world.secretariat_a,
        "chair_1": world.chair_a,
        "member_1": world.member_a,
        "delegate_1": world.delegate_a,
        "staff_1": world.staff_a,
    }
    return SeedContext(
        rng=random.Random(1),
        today=date(2026, 11, 25),
        federation=world.fed,
        unions=[world.union_a, world.union_b],
        branches=[world.branch_a],
        users=users,
    )


def test_seed_builds_every_state(world):
    ctx = _ctx(world)
    seed.seed(ctx)
    statuses = dict(Proposal.objects.filter(call__title="2026年职工提案征集").values_list("title", "status"))
    assert statuses == {
        "在二号厂区增设夜班职工休息室": "evaluated",
        "食堂增加夜宵供应窗口": "replied",
        "开通城西至新厂区的职工班车": "assigned",
        "提高高温津贴发放标准": "assigned",
        "设立职工技能等级晋升补贴": "accepted",
        "厂区内增划电动自行车停车位": "opinion",
        "请求调整本人岗位": "returned",
        "更衣柜数量不足": "pending_review",
        "增设母婴室": "cosigning",
        "改进夜班交接班制度": "assigned",
    }
    assert sorted(
        Proposal.objects.filter(call__title="2025年职工提案征集").values_list("status", flat=True)
    ) == [
        "archived",
        "archived",
        "archived",
    ]
    overdue = Proposal.objects.filter(status="assigned", due_on__lt=ctx.today)
    assert list(overdue.values_list("title", flat=True)) == ["开通城西至新厂区的职工班车"]
    # the demo member has a co-sign request waiting
    assert (
        Proposal.objects.get(title="增设母婴室")
        .cosigns.filter(user=world.member_a, status="pending")
        .exists()
    )
    # timestamps follow the story, not the moment the seed ran
    first = ProposalEvent.objects.filter(proposal__title="在二号厂区增设夜班职工休息室").first()
    assert timezone.localtime(first.at).date() == date(2026, 10, 17)
