"""Writes of the workers' congress. Every function owns its transaction and writes its audit event
inside it. Secret polls: the audit events of voting name the poll and the voter, never the choice."""

import hashlib
import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from audit.services import audit_record
from core.validators import normalize_text

from . import rules
from .models import (
    AgendaItem,
    Attendance,
    Ballot,
    Category,
    Constituency,
    ConstituencyElection,
    Delegate,
    DelegateStatus,
    Document,
    Option,
    Participation,
    Poll,
    PollKind,
    PollStatus,
    Session,
    SessionStatus,
    Term,
    Via,
)

_sysrand = random.SystemRandom()


def conf(key: str, default):
    return getattr(settings, "GONGHUI_CONGRESS", {}).get(key, default)


def _fraction(key: str, default: str) -> Fraction:
    return Fraction(str(conf(key, default)))


def seat_formula(key: str | None = None) -> rules.SeatFormula:
    key = key or conf("seat_preset", "national")
    if key == "custom":
        return rules.formula_from_config(conf("seat_custom", {}))
    return rules.SEAT_PRESETS[key]


def formula_choices() -> list[tuple[str, str]]:
    choices = [(k, str(f.label)) for k, f in rules.SEAT_PRESETS.items()]
    if conf("seat_custom", None):
        choices.append(("custom", str(seat_formula("custom").label)))
    return choices


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AlreadyVoted(ValidationError):
    """A repeated submission: the first ballot stands, nothing new was stored."""

    def __init__(self):
        super().__init__(_("您已在本事项中投过票，本次提交没有重复计票。"), code="already_voted")


# ---- Terms, constituencies, delegates ---------------------------------------------------------


def term_create(
    *,
    actor,
    org,
    number: int,
    starts_on: date,
    ends_on: date,
    employees: int,
    women_employees: int = 0,
    members: int = 0,
    purpose: str = "workers",
    seat_formula_key: str = "",
) -> Term:
    errors: dict[str, list[str]] = {}
    if ends_on <= starts_on:
        errors["ends_on"] = [_("任期届满日期必须晚于任期开始日期。")]
    years = (ends_on - starts_on).days / 365.25
    if not errors and not (2.9 <= years <= 5.1):
        errors["ends_on"] = [_("职代会每届任期为三至五年。")]
    if women_employees > employees:
        errors["women_employees"] = [_("女职工人数不能多于职工人数。")]
    if employees <= 0:
        errors["employees"] = [_("请填写职工人数。")]
    key = seat_formula_key or conf("seat_preset", "national")
    if key not in rules.SEAT_PRESETS and not (key == "custom" and conf("seat_custom", None)):
        errors["seat_formula_key"] = [_("未知的名额公式。")]
    if errors:
        raise ValidationError(errors)
    kind = rules.session_kind(
        purpose=purpose, employees=employees, members=members, threshold=conf("assembly_threshold", 100)
    )
    seats = rules.seat_count(seat_formula(key), employees) if rules.is_representative(kind) else employees
    with transaction.atomic():
        if Term.objects.filter(org=org, number=number, purpose=purpose).exists():
            raise ValidationError({"number": [_("第 %(n)d 届已经建立。") % {"n": number}]})
        term = Term.objects.create(
            org=org,
            number=number,
            purpose=purpose,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            employees=employees,
            women_employees=women_employees,
            members=members,
            seat_formula=key,
            seats=seats,
        )
        audit_record(
            actor=actor,
            action="congress.term_create",
            target=term,
            org=org,
            details={"number": number, "kind": kind, "employees": employees, "seats": seats, "formula": key},
        )
    return term


def _reallocate(term: Term) -> list[int]:
    cons = list(Constituency.objects.filter(term=term).order_by("id"))
    seats = rules.allocate_seats(term.seats, [c.employees for c in cons])
    for c, s in zip(cons, seats, strict=True):
        if c.seats != s:
            c.seats = s
            c.save(update_fields=["seats"])
    return seats


def constituency_add(*, actor, term: Term, name: str, employees: int) -> Constituency:
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": [_("请填写选区名称。")]})
    if employees <= 0:
        raise ValidationError({"employees": [_("选区职工人数必须大于零。")]})
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=term.pk)
        if Constituency.objects.filter(term=term, name=name).exists():
            raise ValidationError({"name": [_("该选区已存在。")]})
        total = sum(Constituency.objects.filter(term=term).values_list("employees", flat=True)) + employees
        if total > term.employees:
            raise ValidationError(
                {
                    "employees": [
                        _("各选区职工人数合计（%(t)d）超过本届职工人数（%(e)d）。")
                        % {"t": total, "e": term.employees}
                    ]
                }
            )
        c = Constituency.objects.create(org=term.org, term=term, name=name, employees=employees)
        seats = _reallocate(term)
        c.refresh_from_db()
        audit_record(
            actor=actor,
            action="congress.constituency_add",
            target=c,
            org=term.org,
            details={"name": name, "employees": employees, "seats": seats},
        )
    return c


def _delegate_user(term: Term, number: int, name: str):
    User = get_user_model()
    user = User(username=f"dlg{term.pk}-{number}-{secrets.token_hex(3)}", full_name=name)
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(user=user, org=term.org, role=Role.DELEGATE)
    return user


def delegate_add(
    *,
    actor,
    term: Term,
    constituency: Constituency,
    name: str,
    sex: str,
    category: str = Category.FRONT_LINE,
    is_presidium: bool = False,
    since: date | None = None,
    user=None,
    replaces: Delegate | None = None,
) -> Delegate:
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": [_("请填写代表姓名。")]})
    if constituency.term_id != term.pk:
        raise ValidationError({"constituency": [_("该选区不属于本届。")]})
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=term.pk)
        if replaces is None:
            in_office = Delegate.objects.filter(
                constituency=constituency, status=DelegateStatus.ACTIVE
            ).count()
            if in_office >= constituency.seats:
                raise ValidationError(
                    {
                        "constituency": [
                            _("选区“%(c)s”的 %(s)d 个名额已满。")
                            % {"c": constituency.name, "s": constituency.seats}
                        ]
                    }
                )
        number = (
            Delegate.objects.filter(term=term).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        if user is None:
            user = _delegate_user(term, number, name)
        elif Delegate.objects.filter(term=term, user=user, status=DelegateStatus.ACTIVE).exists():
            raise ValidationError(_("该用户已是本届代表。"))
        d = Delegate.objects.create(
            org=term.org,
            term=term,
            constituency=constituency,
            number=number,
            name=name,
            sex=sex,
            category=category,
            is_presidium=is_presidium,
            user=user,
            replaces=replaces,
            since=since or timezone.localdate(),
        )
        audit_record(
            actor=actor,
            action="congress.delegate_add",
            target=d,
            org=term.org,
            details={
                "number": number,
                "name": name,
                "constituency": constituency.name,
                "category": category,
                "presidium": is_presidium,
            },
        )
    return d


def delegate_replace(
    *,
    actor,
    delegate: Delegate,
    name: str,
    sex: str,
    reason: str,
    category: str = Category.FRONT_LINE,
    is_presidium: bool = False,
    on: date | None = None,
) -> Delegate:
    reason = normalize_text(reason)
    if not reason:
        raise ValidationError({"reason": [_("请写明替换原因（如调离、辞去代表资格、罢免）。")]})
    on = on or timezone.localdate()
    with transaction.atomic():
        old = Delegate.objects.select_for_update().get(pk=delegate.pk)
        if old.status != DelegateStatus.ACTIVE:
            raise ValidationError(_("该代表已不在任，不能再次替换。"))
        old.status = DelegateStatus.REPLACED
        old.until = on
        old.end_reason = reason
        old.save(update_fields=["status", "until", "end_reason"])
        if old.user_id and not old.user.has_usable_password() and old.user.username.startswith("dlg"):
            old.user.is_active = False
            old.user.save(update_fields=["is_active"])
        new = delegate_add(
            actor=actor,
            term=old.term,
            constituency=old.constituency,
            name=name,
            sex=sex,
            category=category,
            is_presidium=is_presidium,
            since=on,
            replaces=old,
        )
        audit_record(
            actor=actor,
            action="congress.delegate_replace",
            target=old,
            org=old.org,
            details={"old": old.name, "new": new.name, "reason": reason, "on": on.isoformat()},
        )
    return new


# ---- Sessions ---------------------------------------------------------------------------------


def session_create(*, actor, term: Term, title: str, held_on: date, venue: str = "") -> Session:
    title = normalize_text(title)
    if not title:
        raise ValidationError({"title": [_("请填写会议名称。")]})
    if not (term.starts_on <= held_on <= term.ends_on):
        raise ValidationError({"held_on": [_("会议日期不在本届任期内。")]})
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=term.pk)
        number = (
            Session.objects.filter(term=term).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        s = Session.objects.create(
            org=term.org, term=term, number=number, title=title, held_on=held_on, venue=normalize_text(venue)
        )
        audit_record(
            actor=actor,
            action="congress.session_create",
            target=s,
            org=term.org,
            details={"number": number, "held_on": held_on.isoformat()},
        )
    return s


@dataclass(frozen=True)
class SessionDateLimits:
    """What a planned meeting's date must respect: the term, the documents already handed to the
    delegates (none after the meeting) and the check-ins already made (presence on one day)."""

    term_starts: date
    term_ends: date
    last_distributed: date | None  # the latest date a document reached the delegates
    checked_in: tuple[date, ...]  # the first and last day delegates checked in (empty: none yet)


def session_date_limits(session: Session) -> SessionDateLimits:
    docs = Document.objects.filter(session=session).aggregate(last=Max("distributed_on"))
    times = Attendance.objects.filter(session=session, checked_in_at__isnull=False).aggregate(
        first=Min("checked_in_at"), last=Max("checked_in_at")
    )
    days: tuple[date, ...] = ()
    if times["first"] is not None:
        first, last = timezone.localdate(times["first"]), timezone.localdate(times["last"])
        days = (first,) if first == last else (first, last)
    return SessionDateLimits(
        term_starts=session.term.starts_on,
        term_ends=session.term.ends_on,
        last_distributed=docs["last"],
        checked_in=days,
    )


def session_check_editable(session: Session) -> None:
    """Only a planned meeting is edited: once opened, its date and name are on the record."""
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(
            _("只有筹备中的会议可以修改会议信息（当前：%(s)s）。") % {"s": session.get_status_display()},
            code="not_planned",
        )


def session_update(*, actor, session: Session, title: str, held_on: date, venue: str = "") -> Session:
    """Change a planned meeting's name, date and venue, with the checks of session_create. A new
    date must also leave the registered documents on or before it and, once delegates have checked
    in, be the day they checked in (their presence counts for that day's quorum)."""
    title = normalize_text(title)
    if not title:
        raise ValidationError({"title": [_("请填写会议名称。")]})
    values = {"title": title, "held_on": held_on, "venue": normalize_text(venue)}
    with transaction.atomic():
        s = Session.objects.select_for_update(of=("self",)).select_related("org", "term").get(pk=session.pk)
        session_check_editable(s)
        if not (s.term.starts_on <= held_on <= s.term.ends_on):
            raise ValidationError({"held_on": [_("会议日期不在本届任期内。")]})
        if held_on != s.held_on:
            limits = session_date_limits(s)
            if limits.last_distributed and held_on < limits.last_distributed:
                raise ValidationError(
                    {
                        "held_on": [
                            _("已有会议文件于%(d)s送达代表，会议日期不能早于这一天。")
                            % {"d": limits.last_distributed.isoformat()}
                        ]
                    }
                )
            if len(limits.checked_in) == 1 and held_on != limits.checked_in[0]:
                raise ValidationError(
                    {
                        "held_on": [
                            _("已有代表在%(d)s签到，会议日期只能改为这一天。")
                            % {"d": limits.checked_in[0].isoformat()}
                        ]
                    }
                )
            if len(limits.checked_in) > 1:
                raise ValidationError(
                    {
                        "held_on": [
                            _("已有代表在%(a)s至%(b)s的不同日期签到，会议日期不能再修改。")
                            % {"a": limits.checked_in[0].isoformat(), "b": limits.checked_in[1].isoformat()}
                        ]
                    }
                )
        changes = {}
        for key, value in values.items():
            old = getattr(s, key)
            if old != value:
                changes[key] = [
                    old.isoformat() if isinstance(old, date) else old,
                    value.isoformat() if isinstance(value, date) else value,
                ]
                setattr(s, key, value)
        if changes:
            s.save(update_fields=list(changes))
            audit_record(
                actor=actor,
                action="congress.session_update",
                target=s,
                org=s.org,
                details={"changes": changes},
            )
    return s


def agenda_add(*, actor, session: Session, title: str) -> AgendaItem:
    title = normalize_text(title)
    if not title:
        raise ValidationError({"title": [_("请填写议题。")]})
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status != SessionStatus.PLANNED:
            raise ValidationError(_("会议已经开始，不能再增加议题。"))
        pos = (
            AgendaItem.objects.filter(session=session)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
            or 0
        ) + 1
        item = AgendaItem.objects.create(org=session.org, session=session, position=pos, title=title)
        audit_record(
            actor=actor,
            action="congress.agenda_add",
            target=session,
            org=session.org,
            details={"position": pos, "title": title},
        )
    return item


def document_add(*, actor, session: Session, title: str, distributed_on: date | None) -> Document:
    title = normalize_text(title)
    if not title:
        raise ValidationError({"title": [_("请填写文件名称。")]})
    if distributed_on and distributed_on < session.term.starts_on:
        raise ValidationError(
            {
                "distributed_on": [
                    _("送达日期不能早于本届任期开始（%(d)s）。") % {"d": session.term.starts_on.isoformat()}
                ]
            }
        )
    with transaction.atomic():
        # the meeting date can change while the meeting is planned (session_update): check against
        # the locked row, so a document and a new date cannot pass each other
        session = Session.objects.select_for_update(of=("self",)).select_related("org").get(pk=session.pk)
        if distributed_on and distributed_on > session.held_on:
            raise ValidationError({"distributed_on": [_("送达日期不能晚于会议日期。")]})
        doc = Document.objects.create(
            org=session.org, session=session, title=title, distributed_on=distributed_on
        )
        late = rules.distribution_late(distributed_on, session.held_on, conf("document_days", 7))
        audit_record(
            actor=actor,
            action="congress.document_add",
            target=session,
            org=session.org,
            details={
                "title": title,
                "distributed_on": distributed_on.isoformat() if distributed_on else None,
                "late": late,
            },
        )
    return doc


def _transition(session: Session, allowed: tuple[str, ...], message: str) -> Session:
    s = Session.objects.select_for_update().get(pk=session.pk)
    if s.status not in allowed:
        raise ValidationError(message)
    return s


def session_open(*, actor, session: Session) -> Session:
    with transaction.atomic():
        s = _transition(session, (SessionStatus.PLANNED,), _("只有筹备中的会议可以宣布开会。"))
        if timezone.localdate() < s.held_on:
            raise ValidationError(
                _("会议定于%(d)s召开，还不能宣布开会。会议提前召开的，请先点“编辑”把会议日期改为实际日期。")
                % {"d": s.held_on.isoformat()}
            )
        s.status = SessionStatus.IN_PROGRESS
        s.opened_at = timezone.now()
        s.save(update_fields=["status", "opened_at"])
        audit_record(
            actor=actor, action="congress.session_open", target=s, org=s.org, details={"status": s.status}
        )
    return s


def session_close(*, actor, session: Session) -> Session:
    with transaction.atomic():
        s = _transition(session, (SessionStatus.IN_PROGRESS,), _("只有进行中的会议可以宣布闭会。"))
        if Poll.objects.filter(session=s, status=PollStatus.OPEN).exists():
            raise ValidationError(_("还有正在投票的事项，请先截止投票。"))
        s.status = SessionStatus.CLOSED
        s.closed_at = timezone.now()
        s.save(update_fields=["status", "closed_at"])
        audit_record(
            actor=actor, action="congress.session_close", target=s, org=s.org, details={"status": s.status}
        )
    return s


def report_due(session: Session) -> date:
    base = timezone.localdate(session.closed_at) if session.closed_at else session.held_on
    return rules.add_working_days(base, conf("report_working_days", 7))


def session_report(*, actor, session: Session) -> Session:
    with transaction.atomic():
        s = _transition(session, (SessionStatus.CLOSED,), _("闭会后才能向上级工会报送。"))
        s.status = SessionStatus.REPORTED
        s.reported_at = timezone.now()
        s.save(update_fields=["status", "reported_at"])
        due = report_due(s)
        audit_record(
            actor=actor,
            action="congress.session_report",
            target=s,
            org=s.org,
            details={
                "due": due.isoformat(),
                "late": timezone.localdate(s.reported_at) > due,
                "to": s.org.parent.name if s.org.parent_id else "",
            },
        )
    return s


# ---- Cards and check-in -----------------------------------------------------------------------


@dataclass
class Card:
    delegate: Delegate
    token: str


def cards_issue(*, actor, session: Session, delegates=None) -> list[Card]:
    """New one-time tokens for the delegates' cards (printing again invalidates earlier cards of
    delegates not yet checked in). Naming `delegates` re-issues their cards even when they have
    checked in (a phone that lost its login scans the new card; the check-in time stays). Only
    SHA-256 digests are stored."""
    if session.status not in (SessionStatus.PLANNED, SessionStatus.IN_PROGRESS):
        raise ValidationError(_("会议已闭会，不能再印制代表证。"))
    with transaction.atomic():
        qs = Delegate.objects.filter(term_id=session.term_id, status=DelegateStatus.ACTIVE).order_by("number")
        if delegates is not None:
            qs = qs.filter(pk__in=[d.pk for d in delegates])
        existing = {a.delegate_id: a for a in Attendance.objects.select_for_update().filter(session=session)}
        cards: list[Card] = []
        new_rows, changed = [], []
        for d in qs:
            a = existing.get(d.pk)
            if a is not None and a.checked_in_at is not None and delegates is None:
                continue
            token = secrets.token_urlsafe(24)
            cards.append(Card(d, token))
            if a is None:
                new_rows.append(
                    Attendance(org=session.org, session=session, delegate=d, token_hash=token_hash(token))
                )
            else:
                a.token_hash = token_hash(token)
                changed.append(a)
        Attendance.objects.bulk_create(new_rows)
        Attendance.objects.bulk_update(changed, ["token_hash"])
        audit_record(
            actor=actor,
            action="congress.cards_issue",
            target=session,
            org=session.org,
            details={
                "cards": len(cards),
                "reissue": [c.delegate.number for c in cards] if delegates is not None else [],
            },
        )
    return cards


def _session_status_shared(session_id: int) -> str | None:
    """The session's status, read under a shared lock held until commit: check-ins run in parallel
    with each other, and closing the session (FOR UPDATE) waits for those in flight, so none is
    recorded after the close. SQLite runs write transactions one at a time (BEGIN IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            table = connection.ops.quote_name(Session._meta.db_table)
            cur.execute(f"SELECT status FROM {table} WHERE id = %s FOR SHARE", [session_id])  # noqa: S608
            row = cur.fetchone()
        return row[0] if row else None
    return Session.objects.filter(pk=session_id).values_list("status", flat=True).first()


def checkin_by_token(*, token: str, request=None) -> Attendance:
    """Check a delegate in with their card's one-time token: one indexed lookup of its SHA-256, no
    password hash. The caller logs the delegate's user in."""
    digest = token_hash(token or "")
    with transaction.atomic():
        a = (
            Attendance.objects.select_for_update(of=("self",))
            .select_related("delegate__user", "session", "delegate", "org")
            .filter(token_hash=digest)
            .first()
        )
        if a is None:
            raise ValidationError(_("代表证二维码无效或已经使用。如需帮助请找会务组。"), code="invalid")
        if _session_status_shared(a.session_id) not in (SessionStatus.PLANNED, SessionStatus.IN_PROGRESS):
            raise ValidationError(_("会议已闭会，不能签到。"), code="closed")
        if a.delegate.status != DelegateStatus.ACTIVE:
            raise ValidationError(_("该代表已不在任。"), code="inactive")
        first = a.checked_in_at is None
        if first:
            a.checked_in_at = timezone.now()
            a.method = "card"
        a.token_hash = None
        a.save(update_fields=["checked_in_at", "token_hash", "method"])
        audit_record(
            actor=a.delegate.user,
            action="congress.checkin",
            target=a.session,
            org=a.org,
            details={"delegate": a.delegate.number, "method": "card", "again": not first},
        )
    return a


CREDENTIAL_SALT = "congress.delegate-credential"


def delegate_credential(attendance: Attendance) -> str:
    """A signed credential naming the delegate and the session, handed to the phone at check-in.
    Vote requests may present it (header X-Delegate-Credential) instead of a login session: it is
    checked by HMAC, with no session row to load or save."""
    from django.core import signing

    return signing.dumps(
        {"d": attendance.delegate_id, "s": attendance.session_id}, salt=CREDENTIAL_SALT, compress=False
    )


def delegate_credential_read(token: str) -> tuple[int, int] | None:
    from django.core import signing

    try:
        data = signing.loads(token, salt=CREDENTIAL_SALT, max_age=conf("credential_hours", 16) * 3600)
    except signing.BadSignature:
        return None
    return int(data["d"]), int(data["s"])


def checkin_manual(*, actor, session: Session, delegate: Delegate) -> Attendance:
    if delegate.term_id != session.term_id or delegate.status != DelegateStatus.ACTIVE:
        raise ValidationError(_("该代表不是本届在任代表。"))
    with transaction.atomic():
        if _session_status_shared(session.pk) not in (SessionStatus.PLANNED, SessionStatus.IN_PROGRESS):
            raise ValidationError(_("会议已闭会，不能签到。"))
        a, _created = Attendance.objects.select_for_update().get_or_create(
            session=session, delegate=delegate, defaults={"org": session.org}
        )
        if a.checked_in_at is not None:
            raise ValidationError(_("%(n)s 已经签到。") % {"n": delegate.name})
        a.checked_in_at = timezone.now()
        a.token_hash = None
        a.method = "manual"
        a.save(update_fields=["checked_in_at", "token_hash", "method"])
        audit_record(
            actor=actor,
            action="congress.checkin",
            target=session,
            org=session.org,
            details={"delegate": delegate.number, "method": "manual"},
        )
    return a


# ---- Polls ------------------------------------------------------------------------------------


def _counts(session: Session) -> tuple[int, int]:
    electorate = Delegate.objects.filter(term_id=session.term_id, status=DelegateStatus.ACTIVE).count()
    present = Attendance.objects.filter(
        session=session, checked_in_at__isnull=False, delegate__status=DelegateStatus.ACTIVE
    ).count()
    return electorate, present


def poll_create(
    *,
    actor,
    session: Session,
    kind: str,
    title: str,
    text: str = "",
    secret: bool = True,
    seats: int = 1,
    rule: str = "",
    candidates: list[str] | None = None,
) -> Poll:
    title = normalize_text(title)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("请填写表决或选举事项。")]
    if session.status in (SessionStatus.CLOSED, SessionStatus.REPORTED):
        raise ValidationError(_("会议已闭会，不能再增加表决事项。"))
    rule = rule or conf("default_rule", rules.RULE_ALL)
    if rule not in rules.RULE_LABELS:
        errors["rule"] = [_("未知的通过规则。")]
    names: list[str] = []
    if kind == PollKind.ELECTION:
        names = [normalize_text(c) for c in (candidates or []) if normalize_text(c)]
        if len(set(names)) != len(names):
            errors["candidates"] = [_("候选人姓名有重复。")]
        if seats < 1:
            errors["seats"] = [_("应选人数至少为 1。")]
        elif len(names) < seats:
            errors["candidates"] = [_("候选人数不能少于应选人数。")]
    elif kind == PollKind.MOTION:
        seats = 1
    else:
        errors["kind"] = [_("未知的类型。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        poll = Poll.objects.create(
            org=session.org,
            session=session,
            kind=kind,
            title=title,
            text=text.strip(),
            secret=secret,
            seats=seats,
            rule=rule,
        )
        if kind == PollKind.MOTION:
            opts = [(rules.YES, _("赞成")), (rules.NO, _("反对")), (rules.ABSTAIN, _("弃权"))]
        else:
            opts = [(f"c{i + 1}", n) for i, n in enumerate(names)]
        Option.objects.bulk_create(
            [
                Option(org=session.org, poll=poll, key=k, label=label, position=i)
                for i, (k, label) in enumerate(opts)
            ]
        )
        audit_record(
            actor=actor,
            action="congress.poll_create",
            target=poll,
            org=session.org,
            details={"kind": kind, "secret": secret, "seats": seats, "rule": rule, "candidates": names},
        )
    return poll


def _lock_poll(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("session").get(pk=poll.pk)


def poll_open(*, actor, poll: Poll) -> Poll:
    with transaction.atomic():
        p = _lock_poll(poll)
        if p.status != PollStatus.DRAFT:
            raise ValidationError(
                _("只有准备中的事项可以开始投票（当前：%(s)s）。") % {"s": p.get_status_display()}
            )
        if p.session.status != SessionStatus.IN_PROGRESS:
            raise ValidationError(_("请先宣布开会，再开始投票。"))
        if Poll.objects.filter(session=p.session, status=PollStatus.OPEN).exists():
            raise ValidationError(_("已有事项正在投票，请先截止。"))
        electorate, present = _counts(p.session)
        quorum = _fraction("quorum", "2/3")
        if not rules.has_quorum(present, electorate, quorum):
            raise ValidationError(
                _("到会代表 %(p)d 名，未达到全体代表 %(e)d 名的三分之二（%(q)d 名），不能表决。")
                % {"p": present, "e": electorate, "q": rules.quorum_needed(electorate, quorum)}
            )
        if p.kind == PollKind.ELECTION and conf("competitive", True):
            ratio = _fraction("competitive_min_ratio", "0.05")
            m = p.options.count()
            if not rules.competitive_ok(m, p.seats, ratio):
                raise ValidationError(
                    _("差额选举：应选 %(n)d 名，候选人至少 %(k)d 名（差额率不低于 %(r)s%%），现有 %(m)d 名。")
                    % {
                        "n": p.seats,
                        "k": rules.competitive_minimum(p.seats, ratio),
                        "r": rules._pct(ratio),
                        "m": m,
                    }
                )
        p.status = PollStatus.OPEN
        p.electorate = electorate
        p.present = present
        p.opened_at = timezone.now()
        p.save(update_fields=["status", "electorate", "present", "opened_at"])
        audit_record(
            actor=actor,
            action="congress.poll_open",
            target=p,
            org=p.org,
            details={"electorate": electorate, "present": present, "rule": p.rule},
        )
    return p


def _shuffle_ballots(p: Poll) -> None:
    """Rewrite a secret poll's ballots with fresh random keys, in random order, in this transaction,
    so their physical order and transaction ids say nothing about who voted when."""
    rows = list(Ballot.objects.filter(poll=p).values_list("choices", "source"))
    _sysrand.shuffle(rows)
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:  # overwrite the deleted rows' bytes in the file
            cur.execute("PRAGMA secure_delete = ON")
    Ballot.objects.filter(poll=p).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("PRAGMA secure_delete = OFF")
    Ballot.objects.bulk_create(
        [Ballot(id=uuid.uuid4(), org_id=p.org_id, poll=p, choices=c, source=s) for c, s in rows],
        batch_size=500,
    )


def poll_close(*, actor, poll: Poll) -> Poll:
    with transaction.atomic():
        p = _lock_poll(poll)
        if p.status != PollStatus.OPEN:
            raise ValidationError(_("只有正在投票的事项可以截止。"))
        if p.secret:
            _shuffle_ballots(p)
            from .tasks import ballots_vacuum

            transaction.on_commit(ballots_vacuum.enqueue)
        p.status = PollStatus.CLOSED
        p.closed_at = timezone.now()
        t = compute_tally(p)
        p.result = t.as_dict()
        p.save(update_fields=["status", "closed_at", "result"])
        audit_record(
            actor=actor,
            action="congress.poll_close",
            target=p,
            org=p.org,
            details={"ballots": t.ballots, "passed": t.passed},
        )
    return p


def poll_publish(*, actor, poll: Poll) -> Poll:
    with transaction.atomic():
        p = _lock_poll(poll)
        if p.status != PollStatus.CLOSED:
            raise ValidationError(_("只有已截止的事项可以公布结果。"))
        paper_in = Ballot.objects.filter(poll=p, source=Via.PAPER).count()
        if paper_in < p.paper_issued:
            raise ValidationError(
                _("已发出纸质选票 %(i)d 张，只录入了 %(e)d 张。请计票人录完（作废票也要录入）后再公布。")
                % {"i": p.paper_issued, "e": paper_in}
            )
        t = compute_tally(p)
        p.result = t.as_dict()
        p.status = PollStatus.PUBLISHED
        p.published_at = timezone.now()
        p.save(update_fields=["status", "published_at", "result"])
        audit_record(
            actor=actor,
            action="congress.poll_publish",
            target=p,
            org=p.org,
            details={
                "ballots": t.ballots,
                "passed": t.passed,
                "elected": t.elected,
                "rule_text": t.rule_text,
            },
        )
    return p


def compute_tally(p: Poll) -> rules.Tally:
    """Count a poll from its stored ballots (the recount)."""
    options = [(o.key, o.label) for o in Option.objects.filter(poll=p).order_by("position", "id")]
    ballots = Ballot.objects.filter(poll=p).values_list("choices", "source")
    return rules.tally(
        kind=p.kind,
        options=options,
        ballots=ballots,
        electorate=p.electorate,
        present=p.present,
        rule=p.rule,
        seats=p.seats,
    )


def poll_recount(*, actor, poll: Poll) -> tuple[rules.Tally, bool]:
    """Recount from the stored ballots and compare with the stored result."""
    with transaction.atomic():
        p = Poll.objects.get(pk=poll.pk)
        t = compute_tally(p)
        same = not p.result or p.result == t.as_dict()
        audit_record(
            actor=actor,
            action="congress.poll_recount",
            target=p,
            org=p.org,
            details={"ballots": t.ballots, "matches": same},
        )
    return t, same


_option_keys_cache: dict[int, frozenset[str]] = {}
MOTION_KEYS = frozenset({rules.YES, rules.NO, rules.ABSTAIN})


def _option_keys(poll_id: int, kind: str) -> frozenset[str]:
    """The option keys of a poll. Options never change after the poll is created, so they are
    cached per process (motions need no query at all)."""
    if kind == PollKind.MOTION:
        return MOTION_KEYS
    keys = _option_keys_cache.get(poll_id)
    if keys is None:
        keys = frozenset(Option.objects.filter(poll_id=poll_id).values_list("key", flat=True))
        if len(_option_keys_cache) > 1000:
            _option_keys_cache.clear()
        _option_keys_cache[poll_id] = keys
    return keys


def _validate_choices(p: Poll, choices: list[str]) -> list[str]:
    return _checked_choices(p.pk, p.kind, p.seats, choices)


def _checked_choices(poll_id: int, kind: str, seats: int, choices: list[str]) -> list[str]:
    keys = _option_keys(poll_id, kind)
    choices = [str(c) for c in choices]
    if len(set(choices)) != len(choices) or not set(choices) <= keys:
        raise ValidationError(_("选票内容无效。"), code="invalid_choice")
    if kind == PollKind.MOTION and len(choices) != 1:
        raise ValidationError(_("请选择赞成、反对或弃权中的一项。"), code="invalid_choice")
    if kind == PollKind.ELECTION and len(choices) > seats:
        raise ValidationError(_("最多选 %(n)d 名候选人。") % {"n": seats}, code="invalid_choice")
    return choices


def _status_and_presence(poll: Poll, delegate: Delegate) -> tuple[str | None, bool]:
    """The poll's status, read under a shared lock held until commit (ballots run in parallel
    with each other, a closing transaction's FOR UPDATE waits for them and they wait for it), and
    whether the delegate has checked in to the poll's session: one round trip on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT p.status, EXISTS (SELECT 1 FROM congress_attendance a WHERE a.session_id = p.session_id "
                "AND a.delegate_id = %s AND a.checked_in_at IS NOT NULL) FROM congress_poll p WHERE p.id = %s FOR SHARE OF p",
                [delegate.pk, poll.pk],
            )
            row = cur.fetchone()
        return (row[0], bool(row[1])) if row else (None, False)
    # SQLite runs write transactions one at a time (BEGIN IMMEDIATE)
    status = Poll.objects.filter(pk=poll.pk).values_list("status", flat=True).first()
    present = Attendance.objects.filter(
        session_id=poll.session_id, delegate=delegate, checked_in_at__isnull=False
    ).exists()
    return status, present


def _participation_insert(poll: Poll, delegate: Delegate, via: str) -> bool:
    """Record that the delegate took part; False when they already had (the unique constraint
    decides, so concurrent repeats cannot both pass)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO congress_participation (org_id, poll_id, delegate_id, via) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (poll_id, delegate_id) DO NOTHING RETURNING id",
                [poll.org_id, poll.pk, delegate.pk, via],
            )
            return cur.fetchone() is not None
    try:
        with transaction.atomic():
            Participation.objects.create(org_id=poll.org_id, poll_id=poll.pk, delegate=delegate, via=via)
    except IntegrityError:
        return False
    return True


def _refuse(poll: Poll, delegate: Delegate) -> None:
    """Say why a ballot was not stored (called only when it was not)."""
    status, present = _status_and_presence(poll, delegate)
    if status != PollStatus.OPEN:
        raise ValidationError(_("该事项现在不接受投票。"), code="not_open")
    if not present:
        raise ValidationError(_("请先签到再投票。"), code="not_present")
    raise AlreadyVoted


def _cast_orm(poll: Poll, delegate: Delegate, choices: list[str]) -> None:
    status, present = _status_and_presence(poll, delegate)
    if status != PollStatus.OPEN:
        raise ValidationError(_("该事项现在不接受投票。"), code="not_open")
    if not present:
        raise ValidationError(_("请先签到再投票。"), code="not_present")
    if not _participation_insert(poll, delegate, Via.ELECTRONIC):
        raise AlreadyVoted
    Ballot.objects.create(
        id=uuid.uuid4(),
        org_id=poll.org_id,
        poll_id=poll.pk,
        choices=choices,
        source=Via.ELECTRONIC,
        delegate=None if poll.secret else delegate,
    )


class BallotTargetNotFound(Exception):
    """The credential's delegate or the poll does not exist, or is not in the credential's session."""


_poll_meta_cache: dict[int, tuple[int, str, int]] = {}  # poll id -> (session id, kind, seats)


def _poll_meta(poll_id: int) -> tuple[int, str, int] | None:
    """A poll's session, kind and seats: fixed when the poll is created (there is no poll edit),
    so cached per process; one small query the first time. The cast statement re-checks them, so
    a stale entry (a database reset under a running process) can only send a ballot down the slow
    path, never store a wrong one."""
    meta = _poll_meta_cache.get(poll_id)
    if meta is None:
        row = Poll.objects.filter(pk=poll_id).values_list("session_id", "kind", "seats").first()
        if row is None:
            return None
        if len(_poll_meta_cache) > 1000:
            _poll_meta_cache.clear()
        meta = _poll_meta_cache[poll_id] = row
    return meta


_CAST_ONE_STATEMENT_SQL = """
WITH ctx AS (
    SELECT p.id AS poll_id, p.org_id, p.secret, p.title, d.id AS delegate_id, d.number,
           u.id AS user_id, COALESCE(NULLIF(u.full_name, ''), u.username) AS actor_label
    FROM congress_poll p
    JOIN congress_session s ON s.id = p.session_id
    JOIN congress_delegate d ON d.id = %(delegate)s AND d.term_id = s.term_id AND d.status = 'active'
    JOIN accounts_user u ON u.id = d.user_id AND u.is_active
    WHERE p.id = %(poll)s AND p.session_id = %(session)s AND p.status = 'open'
      AND p.kind = %(kind)s AND p.seats = %(seats)s
      AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(%(choices)s::jsonb) AS c(k)
                      WHERE p.kind = 'election'
                        AND c.k NOT IN (SELECT o.key FROM congress_option o WHERE o.poll_id = p.id))
      AND EXISTS (SELECT 1 FROM congress_attendance a WHERE a.session_id = p.session_id
                  AND a.delegate_id = d.id AND a.checked_in_at IS NOT NULL)
    FOR SHARE OF p
), took_part AS (
    INSERT INTO congress_participation (org_id, poll_id, delegate_id, via)
    SELECT org_id, poll_id, delegate_id, 'electronic' FROM ctx
    ON CONFLICT (poll_id, delegate_id) DO NOTHING
    RETURNING poll_id
), ballot AS (
    INSERT INTO congress_ballot (id, org_id, poll_id, choices, source, delegate_id)
    SELECT %(id)s::uuid, ctx.org_id, ctx.poll_id, %(choices)s::jsonb, 'electronic',
           CASE WHEN ctx.secret THEN NULL ELSE ctx.delegate_id END
    FROM ctx JOIN took_part ON took_part.poll_id = ctx.poll_id
    RETURNING poll_id
)
{audit_insert}
SELECT ctx.user_id, ctx.actor_label, 'congress.ballot_cast', 'congress.poll', ctx.poll_id::text,
       left(ctx.title, 200), ctx.org_id, now(), %(ip)s::inet,
       CASE WHEN ctx.secret THEN jsonb_build_object('delegate', ctx.number, 'via', 'electronic')
            ELSE jsonb_build_object('delegate', ctx.number, 'via', 'electronic', 'choices', %(choices)s::jsonb)
       END
FROM ctx JOIN ballot ON ballot.poll_id = ctx.poll_id
RETURNING 1
"""


@cache
def _prepared_cursor_class():
    import psycopg

    class PreparedCursor(psycopg.Cursor):
        """Server-side binding, and every statement prepared on its connection."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparedCursor


@cache
def _cast_sql() -> str:
    from audit.services import audit_insert_sql

    return _CAST_ONE_STATEMENT_SQL.replace("{audit_insert}", audit_insert_sql())


def _cast_statement(
    *, poll_id: int, delegate_id: int, session_id: int, kind: str, seats: int, choices: list[str]
) -> bool:
    """PostgreSQL: cast one electronic ballot with _CAST_ONE_STATEMENT_SQL, prepared on the
    connection (Django's own cursors bind on the client and never prepare, so PostgreSQL would plan
    it for every ballot: 2.4 ms of database CPU per ballot instead of 0.5 ms). True if stored."""
    import json

    from audit.context import current_ip

    connection.ensure_connection()
    raw = _prepared_cursor_class()(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(raw) as cur:
        cur.execute(
            _cast_sql(),
            {
                "poll": poll_id,
                "delegate": delegate_id,
                "session": session_id,
                "kind": kind,
                "seats": seats,
                "id": uuid.uuid4(),
                "choices": json.dumps(choices),
                "ip": current_ip.get(),
            },
        )
        return cur.fetchone() is not None


def ballot_cast_credential(*, poll_id: int, delegate_id: int, session_id: int, choices: list[str]) -> None:
    """The ballot of a delegate identified by the signed check-in credential (delegate + session).

    Fast path (PostgreSQL): one SQL statement, hence one round trip and one atomic transaction. It
    checks that the delegate is active in the session's term and checked in, that the poll is open
    (under a shared lock on the poll, as ballot_cast) and that the choices are among its options;
    it records the participation (the unique constraint refuses a repeat), the ballot and the audit
    event. When it stores nothing (or on SQLite), the slow path loads poll and delegate afresh and
    runs ballot_cast, which stores the ballot or says why not. Raises BallotTargetNotFound,
    ValidationError or AlreadyVoted."""
    meta = _poll_meta(poll_id)
    if meta is not None and meta[0] == session_id and connection.vendor == "postgresql":
        checked = _checked_choices(poll_id, meta[1], meta[2], choices)
        if _cast_statement(
            poll_id=poll_id,
            delegate_id=delegate_id,
            session_id=session_id,
            kind=meta[1],
            seats=meta[2],
            choices=checked,
        ):
            return
    _poll_meta_cache.pop(poll_id, None)
    _option_keys_cache.pop(poll_id, None)
    poll = Poll.objects.select_related("org", "session").filter(pk=poll_id, session_id=session_id).first()
    delegate = (
        Delegate.objects.select_related("user")
        .filter(pk=delegate_id, status=DelegateStatus.ACTIVE, user__is_active=True)
        .first()
    )
    if poll is None or delegate is None or delegate.term_id != poll.session.term_id:
        raise BallotTargetNotFound
    ballot_cast(actor=delegate.user, poll=poll, delegate=delegate, choices=choices)


def ballot_cast(*, actor, poll: Poll, choices: list[str], delegate: Delegate | None = None) -> None:
    """One electronic ballot of the delegate `actor` (or `delegate`). A repeated submission raises
    AlreadyVoted and stores nothing."""
    choices = _validate_choices(poll, choices)
    if delegate is None:
        delegate = Delegate.objects.filter(
            term_id=poll.session.term_id, user=actor, status=DelegateStatus.ACTIVE
        ).first()
    if (
        delegate is None
        or delegate.term_id != poll.session.term_id
        or delegate.status != DelegateStatus.ACTIVE
    ):
        raise ValidationError(_("您不是本届在任代表，不能投票。"), code="not_delegate")
    if connection.vendor == "postgresql":
        # one statement: participation, ballot and audit event (the actor is the delegate's user)
        stored = _cast_statement(
            poll_id=poll.pk,
            delegate_id=delegate.pk,
            session_id=poll.session_id,
            kind=poll.kind,
            seats=poll.seats,
            choices=choices,
        )
        if not stored:
            _refuse(poll, delegate)
        return
    with transaction.atomic():
        _cast_orm(poll, delegate, choices)
        details = {"delegate": delegate.number, "via": "electronic"}
        if not poll.secret:
            details["choices"] = choices
        audit_record(actor=actor, action="congress.ballot_cast", target=poll, org=poll.org, details=details)


def paper_issue(*, actor, poll: Poll, delegate: Delegate) -> None:
    """A teller hands a paper ballot to a present delegate; they can no longer vote electronically."""
    with transaction.atomic():
        p = _lock_poll(poll)
        if p.status != PollStatus.OPEN:
            raise ValidationError(_("只有正在投票的事项可以发放纸质选票。"))
        if delegate.term_id != p.session.term_id or delegate.status != DelegateStatus.ACTIVE:
            raise ValidationError(_("该代表不是本届在任代表。"))
        if not Attendance.objects.filter(
            session_id=p.session_id, delegate=delegate, checked_in_at__isnull=False
        ).exists():
            raise ValidationError(_("该代表尚未签到。"))
        if not _participation_insert(p, delegate, Via.PAPER):
            raise ValidationError(_("%(n)s 已经投票或已领取纸质选票。") % {"n": delegate.name})
        p.paper_issued += 1
        p.save(update_fields=["paper_issued"])
        audit_record(
            actor=actor,
            action="congress.paper_issue",
            target=p,
            org=p.org,
            details={"delegate": delegate.number},
        )


def paper_enter(*, actor, poll: Poll, choices: list[str], invalid: bool = False) -> None:
    """A teller enters one counted paper ballot (while open or after closing, before publishing).
    An invalid (spoilt) paper ballot is entered with `invalid=True`."""
    with transaction.atomic():
        p = _lock_poll(poll)
        if p.status not in (PollStatus.OPEN, PollStatus.CLOSED):
            raise ValidationError(_("结果公布后不能再录入纸质选票。"))
        entered = Ballot.objects.filter(poll=p, source=Via.PAPER).count()
        if entered >= p.paper_issued:
            raise ValidationError(_("录入的纸质选票已达到发出的张数（%(n)d 张）。") % {"n": p.paper_issued})
        stored = ["__invalid__"] if invalid else _validate_choices(p, choices)
        Ballot.objects.create(id=uuid.uuid4(), org_id=p.org_id, poll=p, choices=stored, source=Via.PAPER)
        if p.status == PollStatus.CLOSED:
            p.result = compute_tally(p).as_dict()
            p.save(update_fields=["result"])
        audit_record(
            actor=actor,
            action="congress.paper_enter",
            target=p,
            org=p.org,
            details={"entered": entered + 1, "of": p.paper_issued},
        )


# ---- Delegate elections in constituencies -----------------------------------------------------


@dataclass
class Candidate:
    name: str
    sex: str
    votes: int
    category: str = Category.FRONT_LINE


def constituency_election_record(
    *, actor, constituency: Constituency, held_on: date, participants: int, candidates: list[Candidate]
) -> ConstituencyElection:
    """Record a constituency's delegate election; those elected (turnout >= 2/3 of its electors,
    votes > 1/2 of ALL its electors) become delegates up to the constituency's free seats."""
    if participants > constituency.employees:
        raise ValidationError({"participants": [_("参加人数不能多于选区职工人数。")]})
    names = [c.name for c in candidates]
    if not candidates or len(set(names)) != len(names):
        raise ValidationError({"candidates": [_("请逐行填写候选人，姓名不能重复。")]})
    if any(c.votes > participants for c in candidates):
        raise ValidationError({"candidates": [_("候选人得票不能多于参加选举人数。")]})
    with transaction.atomic():
        term = Term.objects.select_for_update().get(pk=constituency.term_id)
        free = (
            constituency.seats
            - Delegate.objects.filter(constituency=constituency, status=DelegateStatus.ACTIVE).count()
        )
        if free <= 0:
            raise ValidationError(_("该选区名额已满。"))
        result = rules.constituency_election(
            electors=constituency.employees,
            participants=participants,
            votes={c.name: c.votes for c in candidates},
            seats=free,
            turnout=_fraction("constituency_turnout", "2/3"),
        )
        e = ConstituencyElection.objects.create(
            org=constituency.org,
            constituency=constituency,
            held_on=held_on,
            electors=constituency.employees,
            participants=participants,
            votes={c.name: c.votes for c in candidates},
            elected=result.elected,
            valid=result.valid,
            note=result.reason,
        )
        by_name = {c.name: c for c in candidates}
        for name in result.elected:
            c = by_name[name]
            delegate_add(
                actor=actor,
                term=term,
                constituency=constituency,
                name=name,
                sex=c.sex,
                category=c.category,
                since=held_on,
            )
        audit_record(
            actor=actor,
            action="congress.constituency_election",
            target=e,
            org=constituency.org,
            details={
                "constituency": constituency.name,
                "participants": participants,
                "valid": result.valid,
                "elected": result.elected,
            },
        )
    return e
