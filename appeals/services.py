"""Writes of workers' requests (职工诉求).

Anonymity: an anonymous request keeps its submitter only for the submitter's own follow-up. The
submitter's own actions on it are recorded without an actor and without the client IP (audit
events and AppealEvent rows), so no staff page, API answer, export or audit trail can name them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.context import current_ip
from audit.services import audit_record
from core.validators import normalize_text, too_long
from deadlines import calendar
from deadlines.services import deadline_done, deadline_upsert
from orgs.models import Organization, OrgKind

from .models import OPEN_STATUSES, Appeal, AppealEvent, AppealStatus, Category, EventKind, Satisfaction


@contextlib.contextmanager
def _unattributed() -> Iterator[None]:
    """Inside the block audit events carry no client IP."""
    token = current_ip.set(None)
    try:
        yield
    finally:
        current_ip.reset(token)


def _union_of(org: Organization) -> Organization:
    """The grassroots union (or federation) that handles requests for `org`: branches and groups
    hand them to their union."""
    while org.kind in (OrgKind.BRANCH, OrgKind.GROUP) and org.parent_id:
        org = Organization.objects.get(pk=org.parent_id)
    return org


def home_org_for(user) -> Organization | None:
    """The union a member's requests go to: the union holding their member record, else the
    organization of their member role."""
    from accounts.models import RoleAssignment
    from members.models import COUNTED_STATUSES, Member

    m = Member.objects.filter(user=user, status__in=COUNTED_STATUSES).select_related("org").first()
    if m is not None:
        return _union_of(m.org)
    ra = (
        RoleAssignment.objects.filter(user=user)
        .select_related("org")
        .order_by("-org__depth")  # the most specific organization the user belongs to
        .first()
    )
    return _union_of(ra.org) if ra else None


def _register_deadline(appeal: Appeal, actor) -> None:
    deadline_upsert(
        org=appeal.org,
        source=appeal,
        title=_("职工诉求 #%(id)s 答复期限：%(title)s") % {"id": appeal.pk, "title": appeal.title},
        due_on=appeal.due_on,
        url=reverse("appeals:detail", args=[appeal.pk]),
        actor=actor,
    )


def appeal_submit(*, actor, category: str, title: str, content: str, anonymous: bool = False) -> Appeal:
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors["category"] = [_("请选择诉求类别。")]
    title = normalize_text(title)
    content = (content or "").strip()
    if not title:
        errors["title"] = [_("请用一句话概括您的诉求。")]
    elif msg := too_long(Appeal, "title", title):
        errors["title"] = [msg]
    if len(content) < 5:
        errors["content"] = [_("请把诉求写具体一些（至少 5 个字）。")]
    org = home_org_for(actor)
    if org is None:
        errors["__all__"] = [_("您尚未登记在任何工会，暂时无法提交诉求。请联系所在单位工会。")]
    if errors:
        raise ValidationError(errors)
    today = calendar.today()
    audit_actor = None if anonymous else actor
    with transaction.atomic(), _unattributed() if anonymous else contextlib.nullcontext():
        appeal = Appeal.objects.create(
            org=org,
            origin_org=org,
            submitter=actor,
            anonymous=anonymous,
            category=category,
            title=title,
            content=content,
            submitted_on=today,
            due_on=calendar.due_date("appeals.response", today),
        )
        AppealEvent.objects.create(
            appeal=appeal, org=org, kind=EventKind.SUBMITTED, to_org=org, actor=audit_actor, by_submitter=True
        )
        audit_record(
            actor=audit_actor,
            action="appeals.appeal_submit",
            target=appeal,
            org=org,
            details={"category": category, "anonymous": anonymous, "due_on": appeal.due_on.isoformat()},
        )
        _register_deadline(appeal, audit_actor)
    return appeal


def _lock(appeal: Appeal, allowed: tuple[str, ...], verb: str) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status not in allowed:
        raise ValidationError(
            _("该诉求当前状态为“%(s)s”，不能%(verb)s。") % {"s": appeal.get_status_display(), "verb": verb}
        )
    return appeal


def appeal_accept(*, actor, appeal: Appeal, reply_by: dt.date | None = None, note: str = "") -> Appeal:
    """Take the request in hand; optionally promise an earlier reply date (a working day)."""
    today = calendar.today()
    if reply_by is not None:
        if reply_by < today:
            raise ValidationError({"reply_by": [_("承诺答复日期不能早于今天。")]})
        if reply_by > appeal.due_on:
            raise ValidationError(
                {"reply_by": [_("承诺答复日期不能晚于答复期限 %(d)s。") % {"d": appeal.due_on.isoformat()}]}
            )
        if not calendar.is_working_day(reply_by):
            raise ValidationError(
                {
                    "reply_by": [
                        _("%(d)s 是法定节假日或休息日，请选择工作日（如 %(next)s）。")
                        % {"d": reply_by.isoformat(), "next": calendar.next_working_day(reply_by).isoformat()}
                    ]
                }
            )
    with transaction.atomic():
        appeal = _lock(appeal, (AppealStatus.SUBMITTED,), _("受理"))
        appeal.status = AppealStatus.ACCEPTED
        if reply_by is not None:
            appeal.due_on = reply_by
        appeal.save(update_fields=["status", "due_on", "updated_at"])
        AppealEvent.objects.create(
            appeal=appeal, org=appeal.org, kind=EventKind.ACCEPTED, actor=actor, note=note.strip()
        )
        audit_record(
            actor=actor,
            action="appeals.appeal_accept",
            target=appeal,
            org=appeal.org,
            details={"due_on": appeal.due_on.isoformat()},
        )
        _register_deadline(appeal, actor)
    return appeal


def appeal_answer(*, actor, appeal: Appeal, answer: str) -> Appeal:
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("请填写答复内容。")]})
    with transaction.atomic():
        appeal = _lock(appeal, OPEN_STATUSES, _("答复"))
        appeal.status = AppealStatus.ANSWERED
        appeal.answer = answer
        appeal.answered_on = calendar.today()
        appeal.save(update_fields=["status", "answer", "answered_on", "updated_at"])
        AppealEvent.objects.create(appeal=appeal, org=appeal.org, kind=EventKind.ANSWERED, actor=actor)
        audit_record(actor=actor, action="appeals.appeal_answer", target=appeal, org=appeal.org)
        deadline_done(source=appeal, actor=actor)
    return appeal


def appeal_rate(*, actor, appeal: Appeal, satisfaction: str, comment: str = "") -> Appeal:
    """The submitter rates the answer; this closes the request."""
    if appeal.submitter_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("请选择满意程度。")]})
    audit_actor = None if appeal.anonymous else actor
    with transaction.atomic(), _unattributed() if appeal.anonymous else contextlib.nullcontext():
        appeal = _lock(appeal, (AppealStatus.ANSWERED,), _("评价"))
        appeal.status = AppealStatus.CLOSED
        appeal.satisfaction = satisfaction
        appeal.satisfaction_comment = normalize_text(comment)[:300]
        appeal.save(update_fields=["status", "satisfaction", "satisfaction_comment", "updated_at"])
        AppealEvent.objects.create(
            appeal=appeal,
            org=appeal.org,
            kind=EventKind.RATED,
            actor=audit_actor,
            by_submitter=True,
            note=appeal.get_satisfaction_display(),
        )
        audit_record(
            actor=audit_actor,
            action="appeals.appeal_rate",
            target=appeal,
            org=appeal.org,
            details={"satisfaction": satisfaction},
        )
    return appeal


def appeal_escalate_overdue(*, actor=None, on: dt.date | None = None) -> dict[str, int]:
    """The daily job: every open request past its answer date moves to the parent organization,
    which gets a fresh answer period. Requests already at the top stay where they are."""
    today = on or calendar.today()
    moved = 0
    stuck = 0
    ids = list(
        Appeal.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    for pk in ids:
        with transaction.atomic():
            appeal = Appeal.objects.select_for_update().select_related("org").get(pk=pk)
            if appeal.status not in OPEN_STATUSES or appeal.due_on >= today:
                continue
            parent_id = appeal.org.parent_id
            if parent_id is None:
                stuck += 1
                continue
            from_org = appeal.org
            to_org = Organization.objects.get(pk=parent_id)
            late = -calendar.days_left(appeal.due_on, today)
            appeal.org = to_org
            appeal.escalation_level += 1
            appeal.due_on = calendar.due_date("appeals.response", today)
            appeal.save(update_fields=["org", "escalation_level", "due_on", "updated_at"])
            AppealEvent.objects.create(
                appeal=appeal,
                org=to_org,
                kind=EventKind.ESCALATED,
                from_org=from_org,
                to_org=to_org,
                actor=actor,
                note=_("%(org)s 逾期 %(n)s 天未答复，自动转交上级工会。") % {"org": from_org.name, "n": late},
            )
            audit_record(
                actor=actor,
                action="appeals.appeal_escalate",
                target=appeal,
                org=to_org,
                details={"from_org": from_org.pk, "to_org": to_org.pk, "late_days": late},
            )
            _register_deadline(appeal, actor)
            moved += 1
    return {"escalated": moved, "at_top": stuck}
