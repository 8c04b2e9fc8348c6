from affairs import seed
from affairs.models import AffairItem, Question, ReadReceipt, SurveyResponse
from core.testing.world import seed_context


def test_seed_builds_a_board(world):
    users = {"staff_1": world.staff_a, "member_1": world.member_a, "delegate_1": world.delegate_a}
    ctx = seed_context(world, users)
    seed.seed(ctx)
    assert AffairItem.objects.filter(org=world.union_a).count() == 7
    assert AffairItem.objects.filter(publish_from__gt=ctx.today).count() == 1
    assert ReadReceipt.objects.exists()
    assert not ReadReceipt.objects.filter(user=world.staff_a).exists()
    assert sorted(Question.objects.values_list("status", flat=True)) == [
        "answered",
        "answered",
        "open",
        "open",
        "open",
    ]
    overdue = Question.objects.filter(status="open", due_on__lt=ctx.today)
    assert list(overdue.values_list("body", flat=True)) == ["年休假分段休最少可以休几天？"]
    assert SurveyResponse.objects.count() == 8
    assert ctx.log == ["affairs: boards for 甲公司工会; 1 overdue question(s)"]
