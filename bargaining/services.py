"""Writes of collective consultation. One service per state transition; each owns its transaction
and writes its audit event inside it. Every clock comes from the one deadline calendar."""

from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.validators import normalize_text
from deadlines import calendar
from deadlines.services import deadline_done, deadline_upsert
from orgs.models import Organization, OrgKind

from . import rules
from .models import (
    Consultation,
    ContractKind,
    DraftVersion,
    ImplementationCheck,
    Initiator,
    Level,
    Negotiator,
    Round,
    Side,
    Status,
)

DEFAULTS = {"MIN_NEGOTIATORS": 3, "RENEWAL_MONTHS": 3}


def setting(key: str):
    return getattr(settings, "GONGHUI_BARGAINING", {}).get(key, DEFAULTS[key])


def _d(value: date | None) -> date:
    """A date the state machine guarantees is set once the record is past the step that sets it."""
    if value is None:
        raise ValidationError(_("记录不完整，无法办理该步骤。"))
    return value


# ---------------------------------------------------------------- deadlines ("my deadlines")


def _clock(c: Consultation, what: str, title: str, due_on: date, actor=None) -> None:
    deadline_upsert(
        org=c.org,
        source=c,
        slot=what,
        title=f"{c.title}：{title}",
        due_on=due_on,
        url=reverse("bargaining:detail", args=[c.pk]),
        actor=actor,
    )


def _clock_done(c: Consultation, what: str, actor=None) -> None:
    deadline_done(source=c, slot=what, actor=actor)


# ---------------------------------------------------------------- helpers


def _locked(c: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=c.pk)


def _require(c: Consultation, *allowed: str, action: str) -> None:
    if c.status not in allowed:
        raise ValidationError(
            _("当前状态为“%(status)s”，不能%(action)s。")
            % {"status": c.get_status_display(), "action": action}
        )


def _audit(actor, action: str, c: Consultation, **details) -> None:
    clean = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in details.items()}
    audit_record(actor=actor, action=f"bargaining.{action}", target=c, org=c.org, details=clean)


def _seats(c: Consultation) -> list[rules.Seat]:
    return [
        rules.Seat(side=n.side, name=n.name, is_chief=n.is_chief, is_expert=n.is_expert)
        for n in c.negotiators.filter(left_on__isnull=True)
    ]


def team_problems(c: Consultation) -> list[str]:
    return rules.team_problems(_seats(c), min_per_side=setting("MIN_NEGOTIATORS"))


def _require_team(c: Consultation) -> None:
    problems = team_problems(c)
    if problems:
        raise ValidationError([_("协商代表不符合规定：")] + problems)


def _not_future(d: date, field: str, label: str) -> None:
    if d > calendar.today():
        raise ValidationError({field: [_("%(label)s不能晚于今天。") % {"label": label}]})


# ---------------------------------------------------------------- requested


def consultation_request(
    *,
    actor,
    org: Organization,
    title: str,
    employer_name: str,
    requested_on: date,
    kind: str = ContractKind.COMPREHENSIVE,
    level: str = Level.ENTERPRISE,
    initiator: str = Initiator.UNION,
    covered_orgs=(),
) -> Consultation:
    """A written request to negotiate: starts the 20-day answer clock."""
    errors: dict[str, list[str]] = {}
    title = normalize_text(title)
    employer_name = normalize_text(employer_name)
    if not title:
        errors["title"] = [_("请填写协商名称。")]
    if not employer_name:
        errors["employer_name"] = [_("请填写用人单位或企业方代表组织。")]
    if kind not in ContractKind.values:
        errors["kind"] = [_("请选择合同类型。")]
    if level not in Level.values:
        errors["level"] = [_("请选择层级。")]
    if requested_on > calendar.today():
        errors["requested_on"] = [_("书面要约日期不能晚于今天。")]
    covered = list(covered_orgs)
    if level in (Level.REGIONAL, Level.SECTOR):
        if org.kind != OrgKind.FEDERATION:
            errors["level"] = [_("区域性、行业性集体合同只能由总工会（联合会）发起。")]
        if len(covered) < 2:
            errors["covered_orgs"] = [_("区域性、行业性集体合同应覆盖至少两个基层工会。")]
        outside = [o.name for o in covered if not o.path.startswith(org.path) or o.pk == org.pk]
        if outside and "covered_orgs" not in errors:
            errors["covered_orgs"] = [_("以下组织不在本组织下级：%(names)s") % {"names": "、".join(outside)}]
    elif covered:
        errors["covered_orgs"] = [_("企业集体合同不需要选择覆盖的基层工会。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        c = Consultation.objects.create(
            org=org,
            title=title,
            employer_name=employer_name,
            kind=kind,
            level=level,
            initiator=initiator,
            requested_on=requested_on,
            answer_due=calendar.due_date("bargaining.request_answer", requested_on),
        )
        if covered:
            c.covered_orgs.set(covered)
        _audit(actor, "consultation_request", c, kind=kind, level=level, requested_on=requested_on)
        _clock(c, "answer", _("书面回应协商要约"), c.answer_due, actor=actor)
    return c


def consultation_answer(*, actor, consultation: Consultation, answered_on: date) -> Consultation:
    """requested → negotiating: the written answer has been given."""
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.REQUESTED, action=_("登记书面回应"))
        if answered_on < c.requested_on:
            raise ValidationError({"answered_on": [_("书面回应日期不能早于书面要约日期。")]})
        if answered_on > calendar.today():
            raise ValidationError({"answered_on": [_("书面回应日期不能晚于今天。")]})
        c.answered_on = answered_on
        c.status = Status.NEGOTIATING
        c.save(update_fields=["answered_on", "status", "updated_at"])
        _audit(actor, "consultation_answer", c, answered_on=answered_on, late=answered_on > _d(c.answer_due))
        _clock_done(c, "answer", actor=actor)
    return c


# ---------------------------------------------------------------- negotiators


def negotiator_add(
    *,
    actor,
    consultation: Consultation,
    side: str,
    name: str,
    appointed_on: date,
    position: str = "",
    is_chief: bool = False,
    is_expert: bool = False,
) -> Negotiator:
    name = normalize_text(name)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("请填写姓名。")]
    if side not in Side.values:
        errors["side"] = [_("请选择所属方。")]
    if is_chief and is_expert:
        errors["is_expert"] = [_("首席代表不得由外部专家担任。")]
    if appointed_on < consultation.requested_on:
        errors["appointed_on"] = [_("产生日期不能早于书面要约日期。")]
    elif appointed_on > calendar.today():
        # a future date could never be followed by a vacancy (not after today) and so never undone
        errors["appointed_on"] = [_("产生日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.REQUESTED, Status.NEGOTIATING, Status.DRAFT, action=_("调整协商代表"))
        seated = c.negotiators.filter(left_on__isnull=True)
        clash = seated.filter(name=name).first()
        if clash is not None:
            if clash.side == side:
                raise ValidationError({"name": [_("%(name)s 已是本方协商代表。") % {"name": name}]})
            raise ValidationError(
                {"name": [_("%(name)s 已是对方协商代表，同一人不得同时担任双方代表。") % {"name": name}]}
            )
        if is_chief and seated.filter(side=side, is_chief=True).exists():
            raise ValidationError({"is_chief": [_("本方已有首席代表。")]})
        same_side = list(seated.filter(side=side))
        experts = sum(1 for n in same_side if n.is_expert) + (1 if is_expert else 0)
        size = len(same_side) + 1
        minimum = setting("MIN_NEGOTIATORS")
        if is_expert and experts * 3 > max(size, minimum):
            raise ValidationError({"is_expert": [_("外部专家不得超过本方代表的三分之一。")]})
        n = Negotiator.objects.create(
            org=c.org,
            consultation=c,
            side=side,
            name=name,
            position=normalize_text(position),
            is_chief=is_chief,
            is_expert=is_expert,
            appointed_on=appointed_on,
        )
        # Filling a vacancy on this side stops its 15-day clock.
        vacancy = (
            c.negotiators.filter(side=side, left_on__isnull=False, replaced_by__isnull=True)
            .order_by("left_on")
            .first()
        )
        if vacancy is not None:
            vacancy.replaced_by = n
            vacancy.save(update_fields=["replaced_by"])
            _clock_done(c, f"vacancy:{vacancy.pk}", actor=actor)
        _audit(actor, "negotiator_add", c, name=name, side=side, is_chief=is_chief, is_expert=is_expert)
    return n


def negotiator_vacate(*, actor, negotiator: Negotiator, left_on: date, reason: str = "") -> Negotiator:
    """A seat falls vacant: it must be filled within 15 days (CCR art. 31)."""
    with transaction.atomic():
        c = _locked(negotiator.consultation)
        n = Negotiator.objects.select_for_update().get(pk=negotiator.pk)
        _require(c, Status.REQUESTED, Status.NEGOTIATING, Status.DRAFT, action=_("调整协商代表"))
        if n.left_on is not None:
            raise ValidationError(_("该代表已出缺。"))
        if left_on < n.appointed_on:
            raise ValidationError({"left_on": [_("出缺日期不能早于产生日期。")]})
        if left_on > calendar.today():
            raise ValidationError({"left_on": [_("出缺日期不能晚于今天。")]})
        n.left_on = left_on
        n.left_reason = normalize_text(reason)
        n.vacancy_due = calendar.due_date("bargaining.vacancy", left_on)
        n.save(update_fields=["left_on", "left_reason", "vacancy_due"])
        _audit(
            actor,
            "negotiator_vacate",
            c,
            name=n.name,
            side=n.side,
            left_on=left_on,
            vacancy_due=n.vacancy_due,
        )
        title = _("补充%(side)s协商代表（%(name)s出缺）") % {"side": n.get_side_display(), "name": n.name}
        _clock(c, f"vacancy:{n.pk}", title, n.vacancy_due, actor=actor)
    return n


# ---------------------------------------------------------------- negotiating: rounds and drafts


def round_add(*, actor, consultation: Consultation, held_on: date, minutes: str, place: str = "") -> Round:
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": [_("请填写会议纪要。")]})
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.NEGOTIATING, Status.DRAFT, action=_("登记协商会议"))
        if held_on < (c.answered_on or c.requested_on):
            raise ValidationError({"held_on": [_("协商日期不能早于书面回应日期。")]})
        if held_on > calendar.today():
            raise ValidationError({"held_on": [_("协商日期不能晚于今天。")]})
        _require_team(c)
        number = c.rounds.count() + 1
        r = Round.objects.create(
            org=c.org,
            consultation=c,
            number=number,
            held_on=held_on,
            place=normalize_text(place),
            minutes=minutes,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _audit(actor, "round_add", c, number=number, held_on=held_on)
    return r


def draft_add(*, actor, consultation: Consultation, text: str, note: str = "") -> DraftVersion:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": [_("请填写合同文本。")]})
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.NEGOTIATING, Status.DRAFT, action=_("提交草案版本"))
        last = c.versions.order_by("-number").first()
        if last is not None and last.text == text:
            raise ValidationError({"text": [_("与上一稿内容相同，无需另存新版本。")]})
        v = DraftVersion.objects.create(
            org=c.org,
            consultation=c,
            number=(last.number + 1 if last else 1),
            text=text,
            note=normalize_text(note),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if c.status == Status.DRAFT:  # a new text goes back to the congress: earlier vote counts no more
            c.congress_total = c.congress_present = c.congress_agree = None
            c.congress_on = None
            c.save(
                update_fields=[
                    "congress_total",
                    "congress_present",
                    "congress_agree",
                    "congress_on",
                    "updated_at",
                ]
            )
        _audit(actor, "draft_add", c, number=v.number)
    return v


def consultation_submit_draft(*, actor, consultation: Consultation) -> Consultation:
    """negotiating → draft: the agreed draft goes to the workers' congress."""
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.NEGOTIATING, action=_("提交职代会审议"))
        if not c.rounds.exists():
            raise ValidationError(_("尚未登记任何协商会议，不能提交草案。"))
        if not c.versions.exists():
            raise ValidationError(_("尚无合同草案文本。"))
        _require_team(c)
        c.status = Status.DRAFT
        c.save(update_fields=["status", "updated_at"])
        latest = c.versions.order_by("-number").values_list("number", flat=True).first()
        _audit(actor, "consultation_submit_draft", c, version=latest)
    return c


# ---------------------------------------------------------------- draft → approved


def consultation_record_vote(
    *, actor, consultation: Consultation, total: int, present: int, agree: int, voted_on: date
) -> bool:
    """Enter the congress result (CCR art. 36). draft → approved when it passes; a failed vote is
    recorded and the consultation stays at draft. Returns whether it passed."""
    errors = rules.congress_vote_errors(present=present, total=total, agree=agree)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.DRAFT, action=_("登记职代会表决结果"))
        if voted_on > calendar.today():
            raise ValidationError({"voted_on": [_("审议日期不能晚于今天。")]})
        last_round = c.rounds.order_by("-held_on").first()
        if last_round and voted_on < last_round.held_on:
            raise ValidationError({"voted_on": [_("审议日期不能早于最后一次协商会议。")]})
        passed = rules.congress_passes(present=present, total=total, agree=agree)
        c.congress_total, c.congress_present, c.congress_agree, c.congress_on = (
            total,
            present,
            agree,
            voted_on,
        )
        fields = ["congress_total", "congress_present", "congress_agree", "congress_on", "updated_at"]
        if passed:
            c.status = Status.APPROVED
            fields.append("status")
        c.save(update_fields=fields)
        _audit(
            actor,
            "consultation_approve" if passed else "consultation_vote_failed",
            c,
            total=total,
            present=present,
            agree=agree,
            voted_on=voted_on,
        )
    return passed


def congress_polls(consultation: Consultation) -> list:
    """Closed motions of the congress of the consultation's organization (when the congress module is
    installed), newest first."""
    if not apps.is_installed("congress"):
        return []
    poll_model = apps.get_model("congress", "Poll")
    return list(
        poll_model.objects.filter(
            org__path__startswith=consultation.org.path, kind="motion", status__in=["closed", "published"]
        )
        .select_related("session")
        .order_by("-session__held_on", "-id")[:20]
    )


def consultation_vote_from_poll(*, actor, consultation: Consultation, poll_id: int) -> bool:
    """Take the congress result from a closed motion of the congress module: all delegates, present
    and yes votes; CCR art. 36 is applied to them whatever rule the motion itself used."""
    polls = {p.pk: p for p in congress_polls(consultation)}
    poll = polls.get(poll_id)
    if poll is None:
        raise ValidationError({"poll": [_("请选择本单位职代会已截止的表决事项。")]})
    result = poll.result or {}
    yes = next((o["votes"] for o in result.get("options", []) if o.get("key") == "yes"), 0)
    with transaction.atomic():
        passed = consultation_record_vote(
            actor=actor,
            consultation=consultation,
            total=int(result.get("electorate", poll.electorate)),
            present=int(result.get("present", poll.present)),
            agree=int(yes),
            voted_on=poll.session.held_on,
        )
        Consultation.objects.filter(pk=consultation.pk).update(congress_poll_id=poll.pk)
    return passed


# ---------------------------------------------------------------- approved → signed → filed → in effect


def consultation_sign(
    *,
    actor,
    consultation: Consultation,
    signed_on: date,
    term_start: date,
    term_years: int,
    workers_signatory: str = "",
    employer_signatory: str = "",
) -> Consultation:
    """approved → signed by both chiefs; starts the 10-day filing clock."""
    errors: dict[str, list[str]] = {}
    if term_years not in (1, 2, 3):
        errors["term_years"] = [_("集体合同期限为1至3年。")]
    if term_start < signed_on:
        errors["term_start"] = [_("合同期限开始日期不能早于签字日期。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.APPROVED, action=_("签字"))
        if signed_on < _d(c.congress_on):
            raise ValidationError({"signed_on": [_("签字日期不能早于职代会审议日期。")]})
        if signed_on > calendar.today():
            raise ValidationError({"signed_on": [_("签字日期不能晚于今天。")]})
        chiefs = {n.side: n.name for n in c.negotiators.filter(left_on__isnull=True, is_chief=True)}
        if Side.WORKERS not in chiefs or Side.EMPLOYER not in chiefs:
            raise ValidationError(_("双方首席代表齐备后才能签字。"))
        c.workers_signatory = normalize_text(workers_signatory) or chiefs[Side.WORKERS]
        c.employer_signatory = normalize_text(employer_signatory) or chiefs[Side.EMPLOYER]
        if c.workers_signatory != chiefs[Side.WORKERS] or c.employer_signatory != chiefs[Side.EMPLOYER]:
            raise ValidationError(
                _("签字人应为双方首席代表（%(w)s、%(e)s）。")
                % {"w": chiefs[Side.WORKERS], "e": chiefs[Side.EMPLOYER]}
            )
        c.signed_on = signed_on
        c.term_start = term_start
        c.term_years = term_years
        c.term_end = rules.term_end(term_start, term_years)
        c.filing_due = calendar.due_date("bargaining.filing", signed_on)
        c.status = Status.SIGNED
        c.save()
        _audit(
            actor, "consultation_sign", c, signed_on=signed_on, term_start=term_start, term_years=term_years
        )
        _clock(c, "filing", _("报送劳动行政部门审查（一式三份）"), c.filing_due, actor=actor)
    return c


def consultation_file(*, actor, consultation: Consultation, filed_on: date) -> Consultation:
    """signed → filed with the labour administration; starts the 15-day review clock."""
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.SIGNED, action=_("登记报送"))
        if filed_on < _d(c.signed_on):
            raise ValidationError({"filed_on": [_("报送日期不能早于签字日期。")]})
        if filed_on > calendar.today():
            raise ValidationError({"filed_on": [_("报送日期不能晚于今天。")]})
        c.filed_on = filed_on
        c.review_due = calendar.due_date("bargaining.review", filed_on)
        # It takes effect when the review period ends without objection: day 15, or, when day 15
        # falls on a holiday, the first working day after (民法典 §203), as the period itself.
        c.effective_on = c.review_due
        c.status = Status.FILED
        c.save(update_fields=["filed_on", "review_due", "effective_on", "status", "updated_at"])
        _audit(
            actor,
            "consultation_file",
            c,
            filed_on=filed_on,
            late=filed_on > _d(c.filing_due),
            review_due=c.review_due,
            effective_on=c.effective_on,
        )
        _clock_done(c, "filing", actor=actor)
        # due the day after the period: the day the contract's effect can be confirmed
        _clock(
            c,
            "review",
            _("审查期届满无异议，确认集体合同生效"),
            c.review_due + timedelta(days=1),
            actor=actor,
        )
    return c


def consultation_record_objection(
    *, actor, consultation: Consultation, objection_on: date, note: str
) -> Consultation:
    """filed → negotiating: the labour administration objected within the review period; the parties
    renegotiate the objected terms, and the contract goes through the congress, signature and filing again."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写异议内容。")]})
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.FILED, action=_("登记审查异议"))
        if objection_on < _d(c.filed_on):
            raise ValidationError({"objection_on": [_("异议日期不能早于报送日期。")]})
        if objection_on > _d(c.review_due):
            raise ValidationError(
                {
                    "objection_on": [
                        _("审查期已于%(d)s届满，逾期异议不影响合同生效。")
                        % {"d": _d(c.review_due).isoformat()}
                    ]
                }
            )
        _not_future(objection_on, "objection_on", _("异议日期"))
        c.objection_on, c.objection_note = objection_on, note
        c.status = Status.NEGOTIATING
        c.congress_total = c.congress_present = c.congress_agree = None
        c.congress_on = None
        filed_on = c.filed_on
        c.filed_on = c.review_due = c.effective_on = None
        c.save()
        _audit(actor, "consultation_objection", c, objection_on=objection_on, filed_on=filed_on)
        _clock_done(c, "review", actor=actor)
    return c


def consultation_take_effect(*, actor, consultation: Consultation) -> Consultation:
    """filed → in effect: no objection within the 15-day review period, so the contract takes effect
    on its last day. Confirmed from the day after: an objection may still come on the last day."""
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.FILED, action=_("确认生效"))
        today = calendar.today()
        if today <= _d(c.review_due):
            raise ValidationError(
                _("审查期至%(d)s届满，当天仍可能收到异议；届满次日起可确认生效，合同自%(d)s起生效。")
                % {"d": _d(c.review_due).isoformat()}
            )
        c.status = Status.IN_EFFECT
        c.renewal_opens = calendar.add_months(_d(c.term_end), -setting("RENEWAL_MONTHS"))
        c.save(update_fields=["status", "renewal_opens", "updated_at"])
        _audit(actor, "consultation_take_effect", c, effective_on=c.effective_on)
        _clock_done(c, "review", actor=actor)
        _clock(
            c,
            "renewal",
            _("合同期满前%(n)s个月内可提出续签协商") % {"n": setting("RENEWAL_MONTHS")},
            c.renewal_opens,
            actor=actor,
        )
    return c


def consultation_renew(*, actor, consultation: Consultation, requested_on: date) -> Consultation:
    """A written request to renew, in the 3 months before expiry (CCR art. 38) or after it: a new
    consultation with the same parties, coverage and type, its answer clock running."""
    with transaction.atomic():
        old = _locked(consultation)
        _require(old, Status.IN_EFFECT, Status.EXPIRED, action=_("提出续签"))
        if requested_on < _d(old.renewal_opens):
            raise ValidationError(
                {
                    "requested_on": [
                        _("续签要求可在%(d)s（期满前%(n)s个月）起提出。")
                        % {"d": _d(old.renewal_opens).isoformat(), "n": setting("RENEWAL_MONTHS")}
                    ]
                }
            )
        if Consultation.objects.filter(renews=old).exists():
            raise ValidationError(_("已就本合同提出续签。"))
        title = old.title if "续签" in old.title else f"{old.title}（续签）"
        new = consultation_request(
            actor=actor,
            org=old.org,
            title=title,
            employer_name=old.employer_name,
            requested_on=requested_on,
            kind=old.kind,
            level=old.level,
            covered_orgs=list(old.covered_orgs.all()),
        )
        new.renews = old
        new.save(update_fields=["renews"])
        _audit(actor, "consultation_renew", old, renewal_id=new.pk, requested_on=requested_on)
        _clock_done(old, "renewal", actor=actor)
    return new


def consultation_expire(*, actor, consultation: Consultation) -> Consultation:
    """in effect → expired after the term's last day."""
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.IN_EFFECT, action=_("标记到期"))
        if calendar.today() <= _d(c.term_end):
            raise ValidationError(_("合同期限至%(d)s，尚未到期。") % {"d": _d(c.term_end).isoformat()})
        c.status = Status.EXPIRED
        c.save(update_fields=["status", "updated_at"])
        _audit(actor, "consultation_expire", c, term_end=c.term_end)
        _clock_done(c, "renewal", actor=actor)
    return c


# ---------------------------------------------------------------- in effect: yearly checks


def check_add(
    *, actor, consultation: Consultation, year: int, checked_on: date, findings: str, fulfilled: bool = True
) -> ImplementationCheck:
    findings = (findings or "").strip()
    if not findings:
        raise ValidationError({"findings": [_("请填写检查情况。")]})
    with transaction.atomic():
        c = _locked(consultation)
        _require(c, Status.IN_EFFECT, Status.EXPIRED, action=_("登记履约检查"))
        if checked_on < _d(c.effective_on):
            raise ValidationError({"checked_on": [_("检查日期不能早于合同生效日期。")]})
        if checked_on > calendar.today():
            raise ValidationError({"checked_on": [_("检查日期不能晚于今天。")]})
        if not (_d(c.term_start).year <= year <= _d(c.term_end).year):
            raise ValidationError({"year": [_("年度应在合同期限内。")]})
        if c.checks.filter(year=year).exists():
            raise ValidationError({"year": [_("%(y)d年度已登记履约检查。") % {"y": year}]})
        chk = ImplementationCheck.objects.create(
            org=c.org,
            consultation=c,
            year=year,
            checked_on=checked_on,
            findings=findings,
            fulfilled=fulfilled,
        )
        _audit(actor, "check_add", c, year=year, fulfilled=fulfilled)
    return chk
