import random
from datetime import date

from django.utils import timezone

from appeals.models import Appeal, AppealEvent, EventKind
from core.seed import SeedContext


def _context(world) -> SeedContext:
    """The demo seed's context on the test world, simulating 2026-11-25."""
    return SeedContext(
        rng=random.Random(7),
        today=date(2026, 11, 25),
        federation=world.fed,
        unions=[world.union_a, world.union_b],
        branches=[world.branch_a],
        users={"member_1": world.member_a, "staff_1": world.staff_a},
    )


def test_seed_timeline_matches_the_simulated_dates(world):
    from appeals.seed import seed

    seed(_context(world))
    assert Appeal.objects.count() == 5
    rated = Appeal.objects.get(title="六月份绩效工资迟发")
    local = {e.kind: timezone.localtime(e.at) for e in AppealEvent.objects.filter(appeal=rated)}
    assert {k: (v.date(), v.hour) for k, v in local.items()} == {
        EventKind.SUBMITTED: (date(2026, 10, 16), 9),
        EventKind.ACCEPTED: (date(2026, 10, 17), 10),
        EventKind.ANSWERED: (date(2026, 10, 17), 16),
        EventKind.RATED: (date(2026, 10, 18), 12),
    }
    for appeal in Appeal.objects.all():
        submitted = AppealEvent.objects.get(appeal=appeal, kind=EventKind.SUBMITTED)
        assert timezone.localtime(submitted.at).date() == appeal.submitted_on


def test_seeded_notices_are_those_of_the_simulated_day_and_dated_that_day(world):
    from appeals.seed import seed
    from deadlines.models import Notification
    from deadlines.services import deadline_upsert

    deadline_upsert(
        org=world.union_a, source=("test.p", 3), title="提案答复：第3号", due_on=date(2026, 11, 5)
    )
    seed(_context(world))
    notice = Notification.objects.get(user=world.staff_a, deadline__source_type="test.p")
    assert (notice.kind, notice.text) == ("overdue", "已逾期：提案答复：第3号（到期日 2026-11-05）")
    sent = {timezone.localtime(n.created_at) for n in Notification.objects.filter(deadline__isnull=False)}
    assert {(s.date(), s.hour, s.minute) for s in sent} == {(date(2026, 11, 25), 7, 15)}
