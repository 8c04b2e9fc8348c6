"""Deadline notices written before texts named the due date instead of counting days: "已逾期 5 天：…"
read twelve days later still said 5 days. Reword them as notify_run words them now (the count is
shown beside the notice, as of the day it is read). Texts in either language, as they were stored."""

import re

from django.db import migrations
from django.utils import timezone

BATCH = 2000

# (pattern, new prefix); the rest of the text (title and due date) is kept as it was.
REWORDS = [
    (re.compile(r"^已逾期 \d+ 天："), "已逾期："),
    (re.compile(r"^\d+ 天后到期："), "即将到期："),
    (re.compile(r"^\d+ days overdue: "), "Overdue: "),
    (re.compile(r"^Due in \d+ days: "), "Due soon: "),
]
# "Due today" named no date: it was the day the notice was written.
TODAY = [
    (re.compile(r"^今天到期：(?P<title>.*)$", re.S), "即将到期：{title}（到期日 {due}）"),
    (re.compile(r"^Due today: (?P<title>.*)$", re.S), "Due soon: {title} (due {due})"),
]


def reworded(text: str, created_at) -> str | None:
    for pattern, prefix in REWORDS:
        if pattern.match(text):
            return pattern.sub(prefix, text, count=1)
    for pattern, template in TODAY:
        m = pattern.match(text)
        if m:
            return template.format(title=m["title"], due=timezone.localdate(created_at).isoformat())[:300]
    return None


def forwards(apps, schema_editor):
    Notification = apps.get_model("deadlines", "Notification")
    rows = (
        Notification.objects.filter(deadline__isnull=False, kind__in=["overdue", "due_soon"])
        .only("pk", "text", "created_at")
        .order_by("pk")
    )
    changed = []
    for n in rows.iterator(chunk_size=BATCH):
        text = reworded(n.text, n.created_at)
        if text is not None and text != n.text:
            n.text = text
            changed.append(n)
        if len(changed) >= BATCH:
            Notification.objects.bulk_update(changed, ["text"])
            changed = []
    if changed:
        Notification.objects.bulk_update(changed, ["text"])


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0003_deadline_notification")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
