"""Writes of the deadline calendar: the holiday table, the deadlines every module registers, and
the daily notifications."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Role, RoleAssignment
from audit.services import audit_record
from core.texts import Message

from . import calendar
from .models import CalendarDay, DayKind, Deadline, Notification, NotificationKind

log = logging.getLogger(__name__)

# Who is told about an organization's deadline when it has no responsible person: these roles held
# directly on the deadline's organization, plus a per-module role.
NOTIFY_ROLES = [Role.UNION_CHAIR, Role.UNION_STAFF, Role.FEDERATION_ADMIN]
MODULE_ROLES = {"mediation": [Role.MEDIATION], "bargaining": [], "assistance": [], "appeals": []}


# ---------------------------------------------------------------- holiday table


def calendar_day_save(
    *, actor, date: dt.date, kind: str, name: str = "", confirmed: bool = True, day: CalendarDay | None = None
) -> CalendarDay:
    """Create or change one public holiday / make-up working day."""
    errors: dict[str, list[str]] = {}
    if kind not in DayKind.values:
        errors["kind"] = [_("请选择放假或调休上班。")]
    if date is None:
        errors["date"] = [_("请填写日期。")]
    elif kind == DayKind.WORKDAY and date.weekday() < 5:
        errors["date"] = [_("调休上班日应为周六或周日；工作日本来就要上班。")]
    name = (name or "").strip()
    if errors:
        raise ValidationError(errors)
    taken = ValidationError({"date": [_("该日期已登记，请直接修改原记录。")]})
    with transaction.atomic():
        clash = CalendarDay.objects.filter(date=date)
        if day is not None:
            clash = clash.exclude(pk=day.pk)
        if clash.exists():
            raise taken
        before = None
        if day is None:
            day = CalendarDay(date=date, kind=kind, name=name, confirmed=confirmed)
        else:
            day = CalendarDay.objects.select_for_update().get(pk=day.pk)
            before = {"date": day.date.isoformat(), "kind": day.kind, "name": day.name}
            day.date, day.kind, day.name, day.confirmed = date, kind, name, confirmed
        try:
            with transaction.atomic():  # a savepoint: two admins entering the same date at once
                day.save()
        except IntegrityError:
            raise taken from None
        audit_record(
            actor=actor,
            action="deadlines.calendar_day_save",
            target=day,
            details={"date": date.isoformat(), "kind": kind, "name": name, "before": before},
        )
    return day


def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="deadlines.calendar_day_delete",
            target=day,
            details={"date": day.date.isoformat(), "kind": day.kind, "name": day.name},
        )
        day.delete()


# ---------------------------------------------------------------- deadlines


def source_key(source) -> tuple[str, str]:
    """A model instance, or an explicit (type, id) pair."""
    if isinstance(source, models.Model):
        return source._meta.label_lower, str(source.pk)
    kind, pk = source
    return str(kind), str(pk)


def deadline_upsert(
    *, org, source, title: str, due_on: dt.date, url: str = "", responsible=None, slot: str = "", actor=None
) -> Deadline:
    """Register (or update) the deadline of `source` (one per `slot`). Call it inside the calling
    service's transaction; the row is reopened if it had been marked done."""
    if not isinstance(due_on, dt.date):
        raise ValidationError(_("期限日期无效。"))
    source_type, source_id = source_key(source)
    with transaction.atomic():
        existing = (
            Deadline.objects.select_for_update()
            .filter(source_type=source_type, source_id=source_id, slot=slot)
            .first()
        )
        fields = {
            "org": org,
            "title": title[:200],
            "due_on": due_on,
            "url": url,
            "responsible": responsible,
            "done_at": None,
        }
        if existing is None:
            deadline = Deadline.objects.create(
                source_type=source_type, source_id=source_id, slot=slot, **fields
            )
            changed = True
        else:
            deadline = existing
            changed = existing.due_on != due_on or existing.org_id != org.pk or existing.done_at is not None
            for key, value in fields.items():
                setattr(deadline, key, value)
            deadline.save()
        if changed:
            audit_record(
                actor=actor,
                action="deadlines.deadline_upsert",
                target=deadline,
                org=org,
                details={"source": f"{source_type}:{source_id}", "slot": slot, "due_on": due_on.isoformat()},
            )
    return deadline


def deadline_done(*, source, slot: str | None = None, actor=None) -> int:
    """Mark the open deadlines of `source` (all slots, or one) as done. Returns how many."""
    source_type, source_id = source_key(source)
    with transaction.atomic():
        qs = Deadline.objects.select_for_update().filter(
            source_type=source_type, source_id=source_id, done_at__isnull=True
        )
        if slot is not None:
            qs = qs.filter(slot=slot)
        rows = list(qs)
        now = timezone.now()
        for d in rows:
            d.done_at = now
            d.save(update_fields=["done_at", "updated_at"])
            audit_record(actor=actor, action="deadlines.deadline_done", target=d, org=d.org)
    return len(rows)


# ---------------------------------------------------------------- notifications


def _recipients(deadlines: list[Deadline]) -> dict[int, set[int]]:
    """deadline id -> user ids to notify."""
    org_ids = {d.org_id for d in deadlines if d.responsible_id is None}
    by_org: dict[int, list[tuple[int, str]]] = {}
    if org_ids:
        roles = {*NOTIFY_ROLES, *(r for rs in MODULE_ROLES.values() for r in rs)}
        for user_id, org_id, role in RoleAssignment.objects.filter(
            org_id__in=org_ids, role__in=roles, user__is_active=True
        ).values_list("user_id", "org_id", "role"):
            by_org.setdefault(org_id, []).append((user_id, role))
    out: dict[int, set[int]] = {}
    for d in deadlines:
        if d.responsible_id is not None:
            out[d.pk] = {d.responsible_id}
            continue
        module = d.source_type.split(".")[0]
        wanted = {*NOTIFY_ROLES, *MODULE_ROLES.get(module, [])}
        out[d.pk] = {u for u, r in by_org.get(d.org_id, []) if r in wanted}
    return out


def notify_run(*, on: dt.date | None = None, actor=None) -> dict[str, int]:
    """The daily job: one in-app notice per user for each open deadline due within the reminder
    window ("due soon") and one when it is overdue; e-mail to users who have an address."""
    today = on or calendar.today()
    window = calendar.rule("deadlines.reminder_window").days
    with transaction.atomic():
        deadlines = list(
            Deadline.objects.filter(
                done_at__isnull=True, due_on__lte=today + dt.timedelta(days=window)
            ).select_related("org")
        )
        recipients = _recipients(deadlines)
        existing = set(
            Notification.objects.filter(deadline__in=deadlines).values_list("user_id", "deadline_id", "kind")
        )
        new: list[Notification] = []
        for d in deadlines:
            overdue = d.due_on < today
            kind = NotificationKind.OVERDUE if overdue else NotificationKind.DUE_SOON
            # The text is kept as sent, so it names the due date, not a count of days that would be
            # wrong the day after; the notices page shows the days left as of the day it is read.
            params = {"title": d.title, "due": d.due_on.isoformat()}
            if overdue:
                message = Message(gettext_noop("已逾期：%(title)s（到期日 %(due)s）"), params)
            else:
                message = Message(gettext_noop("即将到期：%(title)s（到期日 %(due)s）"), params)
            text, stored = message.stored(), message.as_json()
            for user_id in sorted(recipients.get(d.pk, ())):
                if (user_id, d.pk, kind) in existing:
                    continue
                new.append(
                    Notification(
                        org=d.org,
                        user_id=user_id,
                        deadline=d,
                        kind=kind,
                        text=text[:300],
                        message=stored,
                        url=d.url,
                    )
                )
        Notification.objects.bulk_create(new)
        audit_record(
            actor=actor,
            action="deadlines.notify_run",
            details={"on": today.isoformat(), "deadlines": len(deadlines), "notifications": len(new)},
        )
        ids = [n.pk for n in new if n.pk]
        transaction.on_commit(lambda: _enqueue_mail(ids))
    return {"deadlines": len(deadlines), "notifications": len(new)}


def notify_org(*, org, text: str | Message, url: str = "", skip_user=None) -> int:
    """An in-app notice (the bell, and e-mail where the user has an address) for the people who run
    `org` (NOTIFY_ROLES held on it directly): something there waits for them, e.g. a transfer to
    accept. Inside the caller's transaction; returns how many were written."""
    users = set(
        RoleAssignment.objects.filter(org=org, role__in=NOTIFY_ROLES, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    users.discard(getattr(skip_user, "pk", None))
    return _notify(org=org, users=sorted(users), text=text, url=url)


def notify_user(*, user, org, text: str | Message, url: str = "") -> int:
    """An in-app notice (and e-mail where there is an address) for one user about `org`'s answer to
    something they asked, e.g. a member's correction request decided. Inside the caller's
    transaction; returns 1, or 0 for an inactive account."""
    if not user.is_active:
        return 0
    return _notify(org=org, users=[user.pk], text=text, url=url)


def _notify(*, org, users: list[int], text: str | Message, url: str) -> int:
    message = text.as_json() if isinstance(text, Message) else None
    shown = text.stored() if isinstance(text, Message) else text
    new = Notification.objects.bulk_create(
        [
            Notification(
                org=org, user_id=u, kind=NotificationKind.INFO, text=shown[:300], message=message, url=url
            )
            for u in users
        ]
    )
    ids = [n.pk for n in new if n.pk]
    transaction.on_commit(lambda: _enqueue_mail(ids))
    return len(new)


def _enqueue_mail(ids: list[int]) -> None:
    from .tasks import send_notification_mail

    if ids:
        send_notification_mail.enqueue(notification_ids=ids)


def notification_mail_send(*, notification_ids: list[int]) -> int:
    """E-mail each not-yet-mailed notice to its user, when the user has an address."""
    sent = 0
    rows = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "user"
    )
    for n in rows:
        if not n.user.email:
            continue
        try:
            send_mail(
                subject=(
                    _("【工会通知】%(text)s")
                    if n.kind == NotificationKind.INFO
                    else _("【工会期限提醒】%(text)s")
                )
                % {"text": n.text[:60]},
                message=n.text + ("\n" + n.url if n.url else ""),
                from_email=None,
                recipient_list=[n.user.email],
            )
        except Exception:  # mail outages must not break the daily job
            log.exception("deadline mail to user %s failed", n.user_id)
            continue
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def notification_read(*, user, notification: Notification | None = None) -> int:
    """Mark one (or all) of the user's notices read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    with transaction.atomic():
        n = qs.update(read_at=timezone.now())
        if n:
            audit_record(actor=user, action="deadlines.notification_read", details={"count": n})
    return n
