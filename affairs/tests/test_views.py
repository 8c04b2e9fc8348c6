from datetime import timedelta

from django.urls import reverse

from accounts.models import Role
from affairs import clock
from affairs.models import Question, ReadReceipt
from core.testing.world import make_user

from .factories import TODAY, make_item, make_question, make_survey


def test_member_lands_on_the_board_of_their_union(client, world):
    make_item(world, title="年度工资调整方案")
    client.force_login(world.member_a)
    r = client.get(reverse("affairs:home"))
    assert r["Location"] == reverse("affairs:board", args=[world.union_a.pk])
    body = client.get(r["Location"]).content.decode()
    assert "年度工资调整方案" in body and "未读" in body and "发布公开事项" not in body


def test_federation_admin_chooses_a_board(client, world, django_assert_max_num_queries):
    make_item(world)
    make_question(world)
    make_question(world, asked=-40)
    make_question(world, org=world.union_b)
    client.force_login(world.fed_admin)
    with django_assert_max_num_queries(8):
        r = client.get(reverse("affairs:home"))
    assert [(o.name, o.n_current, o.n_open, o.n_overdue) for o in r.context["boards"]] == [
        ("甲公司工会", 1, 2, 1),
        ("甲公司一车间分会", None, None, None),
        ("乙公司工会", None, 1, None),
    ]


def test_board_query_count(client, world, django_assert_max_num_queries):
    for i in range(3):
        make_item(world, title=f"事项{i}")
    client.force_login(world.member_a)
    url = reverse("affairs:board", args=[world.union_a.pk])
    with django_assert_max_num_queries(12):
        client.get(url)
    for i in range(30):
        make_item(world, title=f"事项B{i}", category=["rules", "contracts", "operations"][i % 3])
        make_question(world, body=f"问题{i}")
    with django_assert_max_num_queries(12):
        r = client.get(url)
    assert r.context["n_items"] == 33


def test_opening_an_item_records_one_receipt(client, world):
    item = make_item(world)
    client.force_login(world.member_a)
    client.get(reverse("affairs:item", args=[item.pk]))
    client.get(reverse("affairs:item", args=[item.pk]))
    assert ReadReceipt.objects.filter(item=item, user=world.member_a).count() == 1
    client.force_login(world.staff_a)
    r = client.get(reverse("affairs:item", args=[item.pk]))
    assert (r.context["read"], r.context["audience"], str(r.context["rate"])) == (1, 2, "50.0")
    assert ReadReceipt.objects.count() == 1


def test_members_do_not_open_items_outside_their_period(client, world):
    item = make_item(world, start=2, end=10)
    client.force_login(world.member_a)
    assert client.get(reverse("affairs:item", args=[item.pk])).status_code == 404
    client.force_login(world.staff_a)
    assert client.get(reverse("affairs:item", args=[item.pk])).status_code == 200


def test_manage_page_query_count(client, world, django_assert_max_num_queries):
    client.force_login(world.staff_a)
    make_item(world, title="事项")
    with django_assert_max_num_queries(15):
        client.get(reverse("affairs:manage", args=[world.union_a.pk]))
    for i in range(20):
        item = make_item(world, title=f"事项{i}")
        ReadReceipt.objects.create(org=world.union_a, item=item, user=world.member_a)
    make_user("member2_a", Role.MEMBER, world.union_a)
    with django_assert_max_num_queries(15):
        r = client.get(reverse("affairs:manage", args=[world.union_a.pk]))
    assert {(i.n_read, str(i.read_rate)) for i in r.context["items"] if i.title != "事项"} == {(1, "33.3")}


def test_ask_on_an_item_and_the_overdue_filter(client, world, monkeypatch):
    item = make_item(world)
    client.force_login(world.member_a)
    r = client.post(
        reverse("affairs:ask", args=[world.union_a.pk]), {"body": "涨幅含派遣工吗？", "item": item.pk}
    )
    assert r["Location"] == reverse("affairs:item", args=[item.pk])
    q = Question.objects.get()
    assert (q.item, q.due_on) == (item, TODAY + timedelta(days=30))
    client.force_login(world.staff_a)
    url = reverse("affairs:questions", args=[world.union_a.pk])
    assert client.get(url, {"state": "overdue"}).context["questions"] == []
    monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=33))
    r = client.get(url, {"state": "overdue"})
    assert [(x.pk, x.days_over) for x in r.context["questions"]] == [(q.pk, 3)]
    assert "逾期 3 天" in r.content.decode()


def test_ask_on_an_item_of_another_union_is_404(client, world):
    item = make_item(world, org=world.union_b)
    client.force_login(world.member_a)
    r = client.post(reverse("affairs:ask", args=[world.union_a.pk]), {"body": "问", "item": item.pk})
    assert r.status_code == 404
    assert Question.objects.count() == 0


def test_survey_page_results_for_staff(client, world):
    s = make_survey(world)
    client.force_login(world.member_a)
    client.post(
        reverse("affairs:survey_respond", args=[s.pk]), {"rating": "basically", "comment": "公开栏字太小"}
    )
    r = client.post(reverse("affairs:survey_respond", args=[s.pk]), {"rating": "satisfied"}, follow=True)
    assert "您已参加过本期调查，感谢您的参与。" in r.content.decode()
    client.force_login(world.staff_a)
    r = client.get(reverse("affairs:survey", args=[s.pk]))
    assert [(k, n, str(p)) for _l, k, n, p in r.context["results"]["rows"]] == [
        ("satisfied", 0, "0.0"),
        ("basically", 1, "100.0"),
        ("unsatisfied", 0, "0.0"),
    ]
    assert "公开栏字太小" in r.content.decode()


def test_api_items_and_questions(client, world):
    item = make_item(world)
    make_item(world, start=3, end=9)
    q = make_question(world)
    client.force_login(world.member_a)
    assert [x["id"] for x in client.get("/api/v1/affairs/items").json()["items"]] == [item.pk]
    assert client.get(f"/api/v1/affairs/items/{item.pk}").json()["body"].startswith("经职代会")
    assert [x["id"] for x in client.get("/api/v1/affairs/questions").json()["items"]] == [q.pk]
    client.force_login(world.delegate_a)
    assert client.get("/api/v1/affairs/questions").json()["items"] == []


def test_publish_form_shows_the_period_error(client, world):
    client.force_login(world.staff_a)
    r = client.post(
        reverse("affairs:item_create", args=[world.union_a.pk]),
        {
            "category": "rules",
            "title": "考勤办法",
            "body": "全文",
            "publish_from": "2026-12-10",
            "publish_until": "2026-12-01",
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors == {"publish_until": ["公开截止日期不能早于开始日期。"]}
    r = client.post(
        reverse("affairs:item_create", args=[world.union_a.pk]),
        {
            "category": "rules",
            "title": "考勤办法",
            "body": "全文",
            "publish_from": "2026-12-01",
            "publish_until": "2026-12-10",
        },
    )
    assert r["Location"] == reverse("affairs:manage", args=[world.union_a.pk])
