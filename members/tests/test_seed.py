from django.urls import reverse

from core.testing.world import seed_context
from members import seed
from members.models import Member


def test_demo_workers_have_their_member_records(world, client):
    ctx = seed_context(world, {"staff_1": world.staff_a, "member_1": world.member_a})
    seed.seed(ctx)
    linked = Member.objects.filter(user__username__startswith="worker_").select_related("user", "org")
    # only union index 0 exists of the demo boards' unions (0 and 2)
    assert linked.count() == seed.DEMO_WORKERS
    assert {m.org for m in linked} == {world.union_a}
    assert all(m.status == "active" and m.name == m.user.full_name for m in linked)
    worker = linked.get(user__username="worker_1_01")
    client.force_login(worker.user)
    r = client.get(reverse("members:my_card"))
    assert r.status_code == 200 and worker.member_no in r.content.decode()


def test_demo_members_were_grown_up_when_they_joined(world):
    seed.seed(seed_context(world, {"staff_1": world.staff_a, "member_1": world.member_a}))
    members = Member.objects.exclude(joined_on=None).values_list("name", "birth_date", "joined_on")
    assert len(members) > 100
    young = [
        (n, b, j) for n, b, j in members if (j.year - b.year) - ((j.month, j.day) < (b.month, b.day)) < 16
    ]
    assert young == []
    # the withdrawn demo member joined nine years ago, at twenty or older
    sun = Member.objects.get(name="孙玉兰")
    assert sun.status == "withdrawn" and sun.joined_on.year - sun.birth_date.year >= 20
