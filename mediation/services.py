"""Writes of labour dispute mediation: the committee, cases, parties, claims, sessions and the three
outcomes. Every function owns its transaction and writes its audit event inside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.forms import MIN_YEAR
from core.validators import normalize_text, too_long
from deadlines import calendar
from deadlines.services import deadline_done, deadline_upsert
from orgs import access
from orgs.models import Organization, OrgKind

from . import rules
from .models import (
    ApplicationForm,
    Case,
    CaseStatus,
    Cause,
    Claim,
    Committee,
    CommitteeMember,
    Party,
    Position,
    Session,
    Side,
)
from .permissions import MEDIATION_CHANGE

# ---------------------------------------------------------------- committee


def committee_create(
    *, actor, org: Organization, name: str, established_on: dt.date | None = None
) -> Committee:
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": [_("请填写委员会名称。")]})
    if established_on and established_on > calendar.today():
        raise ValidationError({"established_on": [_("成立日期不能晚于今天。")]})
    with transaction.atomic():
        # Lock the organization row: locking a committee that does not exist yet locks nothing.
        Organization.objects.select_for_update().filter(pk=org.pk).first()
        if Committee.objects.filter(org=org).exists():
            raise ValidationError(_("本组织已经成立了调解委员会。"))
        committee = Committee.objects.create(org=org, name=name, established_on=established_on)
        audit_record(
            actor=actor,
            action="mediation.committee_create",
            target=committee,
            org=org,
            details={"name": name},
        )
    return committee


def _is_union_member(user) -> bool:
    if user is None:
        return False
    from members.models import COUNTED_STATUSES, Member

    return Member.objects.filter(user=user, status__in=COUNTED_STATUSES).exists()


def committee_member_add(
    *,
    actor,
    committee: Committee,
    name: str,
    side: str,
    position: str = Position.MEMBER,
    is_union_member: bool = False,
    jointly_nominated: bool = False,
    user=None,
    term_start: dt.date | None = None,
) -> CommitteeMember:
    name = normalize_text(name)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("请填写姓名。")]
    if side not in Side.values:
        errors["side"] = [_("请选择代表方。")]
    if position not in Position.values:
        errors["position"] = [_("请选择职务。")]
    is_union_member = bool(is_union_member or _is_union_member(user))
    if position == Position.CHAIR and not (is_union_member or jointly_nominated):
        errors["position"] = [
            _("调解委员会主任应由工会成员担任，或由双方推举的人员担任（劳动争议调解仲裁法第十条）。")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Lock the committee row, so that two clerks cannot both appoint a chair of an empty committee.
        Committee.objects.select_for_update().filter(pk=committee.pk).first()
        existing = CommitteeMember.objects.filter(committee=committee)
        if position == Position.CHAIR and existing.filter(position=Position.CHAIR).exists():
            raise ValidationError({"position": [_("委员会已有主任，请先移除原主任。")]})
        if existing.filter(name=name).exists():
            raise ValidationError({"name": [_("%(name)s 已是本委员会成员。") % {"name": name}]})
        m = CommitteeMember.objects.create(
            committee=committee,
            org=committee.org,
            name=name,
            side=side,
            position=position,
            is_union_member=is_union_member,
            jointly_nominated=jointly_nominated,
            user=user,
            term_start=term_start,
        )
        audit_record(
            actor=actor,
            action="mediation.committee_member_add",
            target=m,
            org=committee.org,
            details={"side": side, "position": position, "is_union_member": is_union_member},
        )
    return m


def committee_member_remove(*, actor, member: CommitteeMember) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="mediation.committee_member_remove",
            target=member,
            org=member.org,
            details={"position": member.position},
        )
        member.delete()


# ---------------------------------------------------------------- cases


def _clean_parties(parties: list[dict]) -> list[dict]:
    cleaned = []
    for p in parties:
        name = normalize_text(p.get("name", ""))
        if not name:
            continue
        side = p.get("side")
        if side not in ("worker", "employer"):
            raise ValidationError({"parties": [_("当事人一方应为职工或用人单位。")]})
        detail = normalize_text(p.get("detail", ""))
        for field, value in (("name", name), ("detail", detail)):
            if msg := too_long(Party, field, value):
                label = Party._meta.get_field(field).verbose_name
                raise ValidationError(
                    {"parties": [_("%(f)s“%(v)s…”：%(m)s") % {"f": label, "v": value[:20], "m": msg}]}
                )
        cleaned.append({"side": side, "name": name, "detail": detail})
    dups = rules.duplicate_names([p["name"] for p in cleaned])
    if dups:
        raise ValidationError(
            {
                "parties": [
                    _("当事人重复：%(names)s。同一人不能重复登记，也不能同时是双方。")
                    % {"names": "、".join(dups)}
                ]
            }
        )
    return cleaned


def _clean_claims(claims: list[dict]) -> list[dict]:
    cleaned = []
    for c in claims:
        item = normalize_text(c.get("item", ""))
        raw = c.get("amount")
        if not item and raw in (None, ""):
            continue
        if not item:
            raise ValidationError({"claims": [_("请填写请求事项。")]})
        if msg := too_long(Claim, "item", item):
            raise ValidationError({"claims": [_("请求事项“%(v)s…”：%(m)s") % {"v": item[:20], "m": msg}]})
        try:
            amount = rules.money(raw)
        except ValueError:
            raise ValidationError({"claims": [_("金额“%(v)s”不是有效的数字。") % {"v": raw}]}) from None
        if amount is not None and amount < 0:
            raise ValidationError({"claims": [_("请求金额不能为负数。")]})
        if amount is not None and amount > rules.MAX_AMOUNT:
            raise ValidationError({"claims": [_("请求金额“%(v)s”过大，请核对。") % {"v": raw}]})
        cleaned.append({"item": item, "amount": amount})
    return cleaned


def _next_number(org: Organization, year: int) -> str:
    # The organization row is the lock that serializes numbering within one union.
    Organization.objects.select_for_update().filter(pk=org.pk).first()
    prefix = f"{year}-"
    last = (
        Case.objects.filter(org=org, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    n = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{n:03d}"


def _register_deadline(case: Case, actor) -> None:
    deadline_upsert(
        org=case.org,
        source=case,
        title=_("调解案件 %(no)s 的 15 日调解期限（%(cause)s）")
        % {"no": case.number, "cause": case.get_cause_display()},
        due_on=case.due_on,
        url=reverse("mediation:case_detail", args=[case.pk]),
        responsible=case.mediator,
        actor=actor,
    )


def case_create(
    *,
    actor,
    org: Organization,
    cause: str,
    application_form: str,
    received_on: dt.date,
    dispute_arose_on: dt.date,
    summary: str,
    oral_record: str = "",
    mediator=None,
    parties: list[dict],
    claims: list[dict] | None = None,
) -> Case:
    """Take a mediation application (oral: recorded on the spot; or written, art. 12) and start
    its 15-day clock (art. 14)."""
    today = calendar.today()
    errors: dict[str, list[str]] = {}
    if org.kind not in (OrgKind.UNION, OrgKind.BRANCH):
        # The committee sits in the enterprise (劳动争议调解仲裁法 art. 10), not in a federation.
        errors["org"] = [_("调解案件由企业的劳动争议调解委员会受理，请选择基层工会或分会。")]
    if cause not in Cause.values:
        errors["cause"] = [_("请选择争议类型。")]
    if application_form not in ApplicationForm.values:
        errors["application_form"] = [_("请选择申请方式。")]
    if received_on is None:
        errors["received_on"] = [_("请填写收到申请日期。")]
    elif received_on.year < MIN_YEAR:
        errors["received_on"] = [_("收到申请日期有误，请核对年份。")]
    elif received_on > today:
        errors["received_on"] = [_("收到申请日期不能晚于今天。")]
    if dispute_arose_on is None:
        errors["dispute_arose_on"] = [_("请填写争议发生日期。")]
    elif dispute_arose_on.year < MIN_YEAR:
        errors["dispute_arose_on"] = [_("争议发生日期有误，请核对年份。")]
    elif received_on and dispute_arose_on > received_on:
        errors["dispute_arose_on"] = [_("争议发生日期不能晚于收到申请日期。")]
    summary = (summary or "").strip()
    oral_record = (oral_record or "").strip()
    if not summary:
        errors["summary"] = [_("请填写申请事项与理由。")]
    if mediator is not None and not access.can(mediator, MEDIATION_CHANGE, org):
        errors["mediator"] = [_("承办调解员应为本组织的调解员或工会工作人员。")]
    if application_form == ApplicationForm.ORAL and not oral_record:
        errors["oral_record"] = [_("口头申请应当场记录申请人基本情况、申请调解的争议事项、理由和时间。")]
    try:
        parties = _clean_parties(parties)
    except ValidationError as e:
        errors.update(e.message_dict)
    else:
        sides = {p["side"] for p in parties}
        if sides != {"worker", "employer"}:
            errors["parties"] = [_("请至少登记一名职工当事人和用人单位。")]
    try:
        claims = _clean_claims(claims or [])
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        committee = Committee.objects.filter(org=org).first()
        case = Case.objects.create(
            org=org,
            committee=committee,
            number=_next_number(org, received_on.year),
            cause=cause,
            application_form=application_form,
            received_on=received_on,
            dispute_arose_on=dispute_arose_on,
            summary=summary,
            oral_record=oral_record,
            mediator=mediator,
            due_on=calendar.due_date("mediation.case", received_on),
            created_by=actor,
        )
        Party.objects.bulk_create([Party(case=case, org=org, **p) for p in parties])
        Claim.objects.bulk_create([Claim(case=case, org=org, **c) for c in claims])
        audit_record(
            actor=actor,
            action="mediation.case_create",
            target=case,
            org=org,
            details={
                "number": case.number,
                "cause": cause,
                "form": application_form,
                "received_on": received_on.isoformat(),
                "due_on": case.due_on.isoformat(),
                "claims_total": str(sum((c["amount"] or Decimal(0)) for c in claims)),
            },
        )
        _register_deadline(case, actor)
    return case


def _lock_open(case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("案件已结案（%(s)s），不能再修改。") % {"s": case.get_status_display()})
    return case


def party_add(*, actor, case: Case, side: str, name: str, detail: str = "") -> Party:
    with transaction.atomic():
        case = _lock_open(case)
        existing = list(case.parties.values_list("name", flat=True))
        (p,) = _clean_parties([{"side": side, "name": name, "detail": detail}]) or [None]
        if p is None:
            raise ValidationError({"name": [_("请填写当事人姓名或名称。")]})
        if rules.duplicate_names([*existing, p["name"]]):
            raise ValidationError(
                {"name": [_("%(name)s 已是本案当事人，不能重复登记。") % {"name": p["name"]}]}
            )
        party = Party.objects.create(case=case, org=case.org, **p)
        audit_record(
            actor=actor, action="mediation.party_add", target=case, org=case.org, details={"side": side}
        )
    return party


def claim_add(*, actor, case: Case, item: str, amount=None) -> Claim:
    cleaned = _clean_claims([{"item": item or "", "amount": amount}])
    if not cleaned:
        raise ValidationError({"item": [_("请填写请求事项。")]})
    with transaction.atomic():
        case = _lock_open(case)
        claim = Claim.objects.create(case=case, org=case.org, **cleaned[0])
        audit_record(
            actor=actor,
            action="mediation.claim_add",
            target=case,
            org=case.org,
            details={"amount": str(claim.amount) if claim.amount is not None else None},
        )
    return claim


def session_add(
    *, actor, case: Case, held_on: dt.date, mediators: str, notes: str, place: str = ""
) -> Session:
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = [_("请填写调解日期。")]
    elif held_on > calendar.today():
        errors["held_on"] = [_("调解日期不能晚于今天（请在调解后记录）。")]
    elif held_on < case.received_on:
        errors["held_on"] = [_("调解日期不能早于收到申请日期。")]
    if not normalize_text(mediators):
        errors["mediators"] = [_("请填写主持调解的调解员。")]
    if not (notes or "").strip():
        errors["notes"] = [_("请填写调解记录。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _lock_open(case)
        s = Session.objects.create(
            case=case,
            org=case.org,
            held_on=held_on,
            place=normalize_text(place),
            mediators=normalize_text(mediators),
            notes=notes.strip(),
        )
        audit_record(
            actor=actor,
            action="mediation.session_add",
            target=case,
            org=case.org,
            details={"held_on": held_on.isoformat()},
        )
    return s


def _check_closed_on(case: Case, closed_on: dt.date | None) -> dict[str, list[str]]:
    if closed_on is None:
        return {"closed_on": [_("请填写结案日期。")]}
    if closed_on < case.received_on:
        return {"closed_on": [_("结案日期不能早于收到申请日期。")]}
    if closed_on > calendar.today():
        return {"closed_on": [_("结案日期不能晚于今天。")]}
    return {}


def case_agree(
    *,
    actor,
    case: Case,
    closed_on: dt.date,
    agreement_terms: str,
    performance_due_on: dt.date,
    performance_method: str = "",
    agreed_amounts: dict[int, object] | None = None,
) -> Case:
    """The parties reached an agreement (art. 14): it states the parties, the claims, the result and
    the performance deadline and method, and is signed by both parties and the mediator."""
    errors = _check_closed_on(case, closed_on)
    if not (agreement_terms or "").strip():
        errors["agreement_terms"] = [_("请填写协议内容。")]
    if performance_due_on is None:
        errors["performance_due_on"] = [_("请填写履行期限。")]
    elif closed_on and performance_due_on < closed_on:
        errors["performance_due_on"] = [_("履行期限不能早于结案日期。")]
    elif not calendar.is_working_day(performance_due_on):
        errors["performance_due_on"] = [
            _("履行期限 %(d)s 是法定节假日或休息日，请改为工作日（如 %(next)s）。")
            % {
                "d": performance_due_on.isoformat(),
                "next": calendar.next_working_day(performance_due_on).isoformat(),
            }
        ]
    amounts: dict[int, Decimal | None] = {}
    for claim_id, raw in (agreed_amounts or {}).items():
        try:
            value = rules.money(raw)
        except ValueError:
            errors["agreed_amounts"] = [_("协议金额“%(v)s”不是有效的数字。") % {"v": raw}]
            continue
        if value is not None and value < 0:
            errors["agreed_amounts"] = [_("协议金额不能为负数。")]
        elif value is not None and value > rules.MAX_AMOUNT:
            errors["agreed_amounts"] = [_("协议金额“%(v)s”过大，请核对。") % {"v": raw}]
        amounts[int(claim_id)] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _lock_open(case)
        for claim in case.claims.select_for_update().filter(pk__in=amounts):
            claim.agreed_amount = amounts[claim.pk]
            claim.save(update_fields=["agreed_amount"])
        case.status = CaseStatus.AGREEMENT
        case.closed_on = closed_on
        case.agreement_terms = agreement_terms.strip()
        case.performance_due_on = performance_due_on
        case.performance_method = normalize_text(performance_method)
        case.save()
        audit_record(
            actor=actor,
            action="mediation.case_agree",
            target=case,
            org=case.org,
            details={
                "closed_on": closed_on.isoformat(),
                "performance_due_on": performance_due_on.isoformat(),
            },
        )
        deadline_done(source=case, actor=actor)
    return case


def case_fail(*, actor, case: Case, closed_on: dt.date, outcome_note: str = "") -> Case:
    """No agreement: the parties may apply for arbitration; the one-year limitation (art. 27) runs
    from the day the worker knew or should have known of the infringement."""
    errors = _check_closed_on(case, closed_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _lock_open(case)
        case.status = CaseStatus.NO_AGREEMENT
        case.closed_on = closed_on
        case.outcome_note = (outcome_note or "").strip()
        case.arbitration_limit_on = calendar.due_date("mediation.arbitration_limit", case.dispute_arose_on)
        case.save()
        audit_record(
            actor=actor,
            action="mediation.case_fail",
            target=case,
            org=case.org,
            details={
                "closed_on": closed_on.isoformat(),
                "arbitration_limit_on": case.arbitration_limit_on.isoformat(),
            },
        )
        deadline_done(source=case, actor=actor)
    return case


def case_withdraw(*, actor, case: Case, closed_on: dt.date, outcome_note: str = "") -> Case:
    errors = _check_closed_on(case, closed_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _lock_open(case)
        case.status = CaseStatus.WITHDRAWN
        case.closed_on = closed_on
        case.outcome_note = (outcome_note or "").strip()
        case.save()
        audit_record(
            actor=actor,
            action="mediation.case_withdraw",
            target=case,
            org=case.org,
            details={"closed_on": closed_on.isoformat()},
        )
        deadline_done(source=case, actor=actor)
    return case
