import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone, translation

from core.testing.world import make_user
from deadlines import calendar as cal
from deadlines.models import Notification
from deadlines.services import deadline_done, deadline_upsert, notify_run

D = dt.date.fromisoformat


def _rows(html: str) -> list[str]:
    """The table rows of a page as plain text, tags dropped and spaces collapsed."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


def test_a_notice_read_days_later_names_the_due_date_and_counts_days_as_my_deadlines_do(world, client):
    deadline_upsert(
        org=world.union_a, source=("test.q", 1), title="答复职工提问：年休假", due_on=D("2026-11-20"), url=""
    )
    deadline_upsert(
        org=world.union_a, source=("test.q", 2), title="提案答复：第3号", due_on=D("2026-11-05"), url=""
    )
    deadline_upsert(org=world.union_a, source=("test.q", 3), title="帮扶审批", due_on=D("2026-11-27"), url="")
    with cal.frozen_today(D("2026-11-25")):
        assert notify_run() == {"deadlines": 3, "notifications": 6}
    deadline_done(source=("test.q", 3))
    assert sorted(Notification.objects.filter(user=world.chair_a).values_list("text", flat=True)) == [
        "即将到期：帮扶审批（到期日 2026-11-27）",
        "已逾期：提案答复：第3号（到期日 2026-11-05）",
        "已逾期：答复职工提问：年休假（到期日 2026-11-20）",
    ]
    client.force_login(world.chair_a)
    with cal.frozen_today(D("2026-12-07")):
        notices = _rows(client.get(reverse("deadlines:notifications")).content.decode())
        mine = _rows(client.get(reverse("deadlines:mine") + "?state=overdue").content.decode())
    # Newest first, without the time the notice was written (the real clock): as sent, then today.
    assert [row.split(" ", 2)[2] for row in notices] == [
        "即将到期 即将到期：帮扶审批（到期日 2026-11-27） 现状： 已办结 甲公司工会 标为已读",
        "已逾期 已逾期：答复职工提问：年休假（到期日 2026-11-20） 现状： 逾期 17 天 甲公司工会 标为已读",
        "已逾期 已逾期：提案答复：第3号（到期日 2026-11-05） 现状： 逾期 32 天 甲公司工会 标为已读",
    ]
    assert mine == [
        "2026-11-05 逾期 32 天 提案答复：第3号 甲公司工会 —",
        "2026-11-20 逾期 17 天 答复职工提问：年休假 甲公司工会 —",
    ]


def test_a_notice_without_a_deadline_has_no_status(world, client):
    Notification.objects.create(org=world.union_a, user=world.staff_a, kind="info", text="乙公司工会申请转入")
    client.force_login(world.staff_a)
    rows = _rows(client.get(reverse("deadlines:notifications")).content.decode())
    assert len(rows) == 1
    assert "乙公司工会申请转入" in rows[0]
    assert "现状" not in rows[0]


def test_notices_page_reads_deadlines_in_the_same_query(world, client, django_assert_max_num_queries):
    for i in range(20):
        deadline_upsert(org=world.union_a, source=("t", i), title=f"事项{i}", due_on=D("2026-03-10"), url="")
    with cal.frozen_today(D("2026-03-12")):
        notify_run()
    client.force_login(world.staff_a)
    with cal.frozen_today(D("2026-03-12")), django_assert_max_num_queries(10):
        body = client.get(reverse("deadlines:notifications")).content.decode()
    assert body.count("逾期 2 天") == 20


def test_notice_texts_in_the_readers_language(world, client):
    deadline_upsert(org=world.union_a, source=("t", 1), title="Reply", due_on=D("2026-03-10"), url="")
    deadline_upsert(org=world.union_a, source=("t", 2), title="Review", due_on=D("2026-03-14"), url="")
    with translation.override("en"), cal.frozen_today(D("2026-03-12")):
        notify_run()  # whoever runs the job: the text kept (and e-mailed) is the installation's language
    notices = Notification.objects.filter(user=world.staff_a).order_by("text")
    assert [n.text for n in notices] == [
        "即将到期：Review（到期日 2026-03-14）",
        "已逾期：Reply（到期日 2026-03-10）",
    ]
    with translation.override("en"):
        assert [n.shown_text for n in notices] == [
            "Due soon: Review (due 2026-03-14)",
            "Overdue: Reply (due 2026-03-10)",
        ]
    client.force_login(world.staff_a)
    client.cookies["django_language"] = "en"
    with cal.frozen_today(D("2026-03-12")):
        body = client.get(reverse("deadlines:notifications")).content.decode()
        api = client.get("/api/v1/deadlines/notifications").json()
    assert "Overdue: Reply (due 2026-03-10)" in body
    assert sorted(n["text"] for n in api["items"]) == [
        "Due soon: Review (due 2026-03-14)",
        "Overdue: Reply (due 2026-03-10)",
    ]


def test_a_transfer_refused_reads_in_english_for_an_english_reader(world, client):
    from members import services as members
    from members.tests.factories import make_member

    m = make_member(world, i=5)
    t = members.transfer_request(member=m, to_org=world.union_b, actor=world.staff_a, reason="调动")
    members.transfer_reject(transfer=t, actor=world.staff_b, reason="Not employed here")
    n = Notification.objects.get(user=world.staff_a, text__contains="拒绝")
    assert n.text == f"乙公司工会拒绝接收会员{m.name}转入：Not employed here"
    client.force_login(world.staff_a)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("deadlines:notifications")).content.decode()
    assert f"乙公司工会 refused the transfer of {m.name}: Not employed here" in body


def test_notices_written_with_a_day_count_are_reworded_to_name_the_due_date(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("deadlines.migrations.0004_notification_text_due_date")
    d = deadline_upsert(org=world.union_a, source=("t", 1), title="提案答复：第3号", due_on=D("2026-11-05"))
    sent = timezone.make_aware(dt.datetime(2026, 11, 25, 7, 15))
    texts = {
        (
            "overdue",
            "已逾期 20 天：提案答复：第3号（到期日 2026-11-05）",
        ): "已逾期：提案答复：第3号（到期日 2026-11-05）",
        (
            "due_soon",
            "3 天后到期：提案答复：第3号（到期日 2026-11-05）",
        ): "即将到期：提案答复：第3号（到期日 2026-11-05）",
        ("due_soon", "今天到期：提案答复：第3号"): "即将到期：提案答复：第3号（到期日 2026-11-25）",
        ("overdue", "12 days overdue: Reply (due 2026-11-05)"): "Overdue: Reply (due 2026-11-05)",
        ("due_soon", "Due in 2 days: Reply (due 2026-11-05)"): "Due soon: Reply (due 2026-11-05)",
        ("due_soon", "Due today: Reply"): "Due soon: Reply (due 2026-11-25)",
        (
            "overdue",
            "已逾期：提案答复：第3号（到期日 2026-11-05）",
        ): "已逾期：提案答复：第3号（到期日 2026-11-05）",
    }
    users = [make_user(f"u{i}") for i in range(len(texts))]
    for user, (kind, text) in zip(users, texts, strict=True):
        Notification.objects.create(org=world.union_a, user=user, deadline=d, kind=kind, text=text)
    info = Notification.objects.create(
        org=world.union_a, user=users[0], kind="info", text="3 天后到期：别的事"
    )
    Notification.objects.update(created_at=sent)
    migration.forwards(apps, None)
    got = dict(Notification.objects.filter(deadline=d).values_list("user__username", "text"))
    assert got == {u.username: new for u, new in zip(users, texts.values(), strict=True)}
    info.refresh_from_db()
    assert info.text == "3 天后到期：别的事"  # not a deadline's notice: left as written
