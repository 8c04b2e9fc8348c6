from core.testing.world import seed_context
from dues import seed as dues_seed
from dues.models import DuesLine, DuesPayment
from members import seed as member_seed
from members import selectors as member_selectors


def test_demo_dues_give_the_lapse_list_three_members_of_the_second_union(world):
    ctx = seed_context(
        world, {"fed_admin": world.fed_admin, "finance_1": world.finance_a, "chair_2": world.chair_b}
    )
    member_seed.seed(ctx)
    dues_seed.seed(ctx)
    rows, available = member_selectors.lapse_candidates(world.chair_b)
    assert available and len(rows) == 3
    never = [m for m, _last in rows]
    assert {m.org for m in never} == {world.union_b}
    # charged every month of the union's statements and never paid; everyone else was deducted
    lines = DuesLine.objects.filter(org=world.union_b, kind="charged", amount__gt=0)
    assert set(lines.filter(paid=0).values_list("member_id", flat=True)) == {m.pk for m in never}
    assert not DuesPayment.objects.filter(member__in=never).exists()
    assert member_selectors.lapse_candidates(world.chair_a) == ([], True)
