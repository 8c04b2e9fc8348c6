import random
from datetime import date

from bargaining.models import Consultation
from core.seed import SeedContext
from core.testing.world import make_org


def make_ctx(world):
    union_c = make_org("union", "丙公司工会", world.fed)
    return SeedContext(
        rng=random.Random(7),
        today=date(2026, 11, 25),
        federation=world.fed,
        unions=[world.union_a, world.union_b, union_c],
        branches=[world.branch_a],
        users={
            "staff_1": world.staff_a,
            "chair_1": world.chair_a,
            "fed_admin": world.fed_admin,
            "finance_1": world.finance_a,
            "staff_2": world.staff_b,
        },
    )


def test_seed_builds_demo_consultations(world):
    from bargaining.seed import seed

    seed(make_ctx(world))
    assert sorted(Consultation.objects.values_list("status", flat=True)) == [
        "in_effect",
        "negotiating",
        "requested",
        "requested",
    ]
    # Plain, distinct names: the side and position columns already say who represents whom.
    for c in Consultation.objects.prefetch_related("negotiators"):
        names = [n.name for n in c.negotiators.all()]
        assert len(names) == len(set(names))
        assert not [n for n in names if "（" in n or "(" in n]
    regional = Consultation.objects.get(level="regional")
    assert regional.covered_orgs.count() == 3
