"""Writes of hardship assistance. One service per workflow transition; each owns its transaction and
writes its audit event inside it. Sensitive values are encrypted here and never written to audit."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record
from core import crypto
from core.validators import mask_id_number, mask_text, normalize_code, normalize_text, parse_id_number
from deadlines import calendar
from deadlines.services import deadline_done, deadline_upsert
from orgs.models import Organization, OrgKind

from . import rules
from .models import (
    ELIGIBLE,
    AidKind,
    Category,
    Cause,
    CloseReason,
    Fund,
    Household,
    HouseholdMember,
    LocalMinimumStandard,
    Payment,
    PaymentReversal,
    Relation,
    Status,
)

DEFAULTS = {
    "NOTICE_WORKING_DAYS": 5,
    "RECHECK_DAYS": 365,
    "MEDICAL_SHARE": "0.8",
    "MIGRANT_MIN_YEARS": 1,
    # The largest single aid amount (proposed or paid) taken as typed on purpose; above it the
    # clerk is asked to check (a local ceiling, not a rule of law).
    "MAX_AID": "50000",
}


def setting(key: str):
    return getattr(settings, "GONGHUI_ASSISTANCE", {}).get(key, DEFAULTS[key])


def _d(value: date | None) -> date:
    """A date the state machine guarantees is set once the record is past the step that sets it."""
    if value is None:
        raise ValidationError(_("记录不完整，无法办理该步骤。"))
    return value


# The largest amount the amount columns hold (12 digits, 2 after the point).
MAX_AMOUNT = Decimal("9999999999.99")


def _amount(value, field: str, *, positive: bool = False, limit: Decimal = MAX_AMOUNT) -> Decimal:
    try:
        d = rules.money(Decimal(str(value if value not in (None, "") else "0")))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("请输入正确的金额。")]}) from None
    if not d.is_finite():  # "NaN" parses, and then refuses every comparison
        raise ValidationError({field: [_("请输入正确的金额。")]})
    if d > limit:
        raise ValidationError({field: [_("金额超过上限 %(max)s 元，请核对。") % {"max": limit}]})
    if d < 0 or (positive and d == 0):
        raise ValidationError({field: [_("金额必须大于0。") if positive else _("金额不能为负数。")]})
    return d


def _dec(cipher: str) -> Decimal:
    return Decimal(crypto.decrypt(cipher)) if cipher else Decimal(0)


def _audit(actor, action: str, h: Household, **details) -> None:
    clean = {
        k: (v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v)
        for k, v in details.items()
    }
    audit_record(
        actor=actor, action=f"assistance.{action}", target=h, org=h.org, details=clean, target_label=str(h.pk)
    )


def _locked(h: Household) -> Household:
    return Household.objects.select_for_update().get(pk=h.pk)


def _require(h: Household, *allowed: str, action: str) -> None:
    if h.status not in allowed:
        raise ValidationError(
            _("当前状态为“%(status)s”，不能%(action)s。")
            % {"status": h.get_status_display(), "action": action}
        )


def _not_future(d: date, field: str, label: str) -> None:
    if d > calendar.today():
        raise ValidationError({field: [_("%(label)s不能晚于今天。") % {"label": label}]})


def _clock(h: Household, what: str, title: str, due_on: date, actor=None) -> None:
    deadline_upsert(
        org=h.org,
        source=h,
        slot=what,
        title=f"{mask_text(h.head_name, 1)}家庭：{title}",
        due_on=due_on,
        url=reverse("assistance:detail", args=[h.pk]),
        actor=actor,
    )


def _clock_done(h: Household, what: str, actor=None) -> None:
    deadline_done(source=h, slot=what, actor=actor)


# ---------------------------------------------------------------- 低保 standards


def standard_for(org: Organization, year: int) -> LocalMinimumStandard | None:
    """The standard of the nearest federation above (or at) `org` for `year`."""
    paths = org.ancestor_paths()
    return (
        LocalMinimumStandard.objects.filter(org__path__in=paths, year=year)
        .select_related("org")
        .order_by("-org__depth")
        .first()
    )


def standard_set(*, actor, org: Organization, year: int, monthly_amount) -> LocalMinimumStandard:
    if org.kind != OrgKind.FEDERATION:
        raise ValidationError({"org": [_("低保标准在总工会（地区）一级设置。")]})
    amount = _amount(monthly_amount, "monthly_amount", positive=True, limit=Decimal("99999999.99"))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("请输入正确的年度。")]})
    with transaction.atomic():
        std, created = LocalMinimumStandard.objects.select_for_update().update_or_create(
            org=org, year=year, defaults={"monthly_amount": amount}
        )
        audit_record(
            actor=actor,
            action="assistance.standard_set",
            target=std,
            org=org,
            details={"year": year, "monthly_amount": str(amount), "created": created},
        )
    return std


# ---------------------------------------------------------------- classification


def _classify(h: Household) -> None:
    """Recompute the category from the members' incomes and the local 低保 (no save)."""
    members = list(h.members.all())
    income = sum((_dec(m.income_cipher) for m in members), Decimal(0))
    year = calendar.today().year
    std = standard_for(h.org, year)
    if not members or std is None:
        h.category = Category.UNKNOWN
        h.standard_year = None
        h.standard_amount = None
        h.per_capita_cipher = ""
        return
    result = rules.classify(
        annual_income=income,
        rigid_expenses=_dec(h.rigid_cipher),
        household_size=len(members),
        minimum_monthly=std.monthly_amount,
        sudden_medical_costs=_dec(h.medical_cipher),
        disaster=h.disaster,
        medical_share=Decimal(str(setting("MEDICAL_SHARE"))),
    )
    h.category = result.category
    h.standard_year = year
    h.standard_amount = std.monthly_amount
    h.per_capita_cipher = crypto.encrypt(str(result.per_capita))


def _save_classified(h: Household) -> None:
    _classify(h)
    h.save(update_fields=["category", "standard_year", "standard_amount", "per_capita_cipher", "updated_at"])


# ---------------------------------------------------------------- application


def household_apply(
    *,
    actor,
    org: Organization,
    head_name: str,
    id_number: str,
    employer: str,
    applied_on: date,
    annual_income,
    main_cause: str,
    secondary_cause: str = "",
    rigid_expenses=0,
    sudden_medical_costs=0,
    disaster: bool = False,
    health: str = "",
    bank_name: str = "",
    bank_account: str = "",
    is_migrant: bool = False,
    employed_since: date | None = None,
) -> Household:
    errors: dict[str, list[str]] = {}
    head_name = normalize_text(head_name)
    employer = normalize_text(employer)
    if not head_name:
        errors["head_name"] = [_("请填写申请人姓名。")]
    if not employer:
        errors["employer"] = [_("请填写工作单位。")]
    try:
        id_code, _birth, _sex = parse_id_number(id_number, today=calendar.today())
    except ValidationError as e:
        errors["id_number"] = e.messages
        id_code = ""
    if main_cause not in Cause.values:
        errors["main_cause"] = [_("请选择主要致困原因。")]
    if secondary_cause and secondary_cause not in Cause.values:
        errors["secondary_cause"] = [_("请选择次要致困原因。")]
    if applied_on > calendar.today():
        errors["applied_on"] = [_("申请日期不能晚于今天。")]
    amounts = {}
    for field, value in (
        ("annual_income", annual_income),
        ("rigid_expenses", rigid_expenses),
        ("sudden_medical_costs", sudden_medical_costs),
    ):
        try:
            amounts[field] = _amount(value, field)
        except ValidationError as e:
            errors.update(e.message_dict)
    if is_migrant:
        years = setting("MIGRANT_MIN_YEARS")
        if employed_since is None:
            errors["employed_since"] = [_("农民工申请帮扶须填写入职日期。")]
        elif employed_since > applied_on:
            errors["employed_since"] = [_("入职日期不能晚于申请日期。")]
        elif (applied_on - employed_since).days < 365 * years:
            errors["employed_since"] = [_("农民工在本单位工作满%(n)d年方可申请。") % {"n": years}]
    bank_account = normalize_code(bank_account)
    if bank_account and not bank_account.isdigit():
        errors["bank_account"] = [_("银行账号只能包含数字。")]
    if errors:
        raise ValidationError(errors)
    blind = crypto.blind_index(id_code, "assistance.id")
    duplicate = ValidationError(
        {"id_number": [_("该申请人已有困难职工家庭档案（一户一档），请在原档案中办理。")]}
    )
    with transaction.atomic():
        if Household.objects.filter(id_blind=blind).exists():
            raise duplicate
        try:
            # A savepoint: two clerks filing the same person at once meet the unique blind index.
            with transaction.atomic():
                h = Household.objects.create(
                    org=org,
                    head_name=head_name,
                    id_cipher=crypto.encrypt(id_code),
                    id_blind=blind,
                    id_masked=mask_id_number(id_code),
                    employer=employer,
                    is_migrant=is_migrant,
                    employed_since=employed_since,
                    main_cause=main_cause,
                    secondary_cause=secondary_cause,
                    disaster=disaster,
                    rigid_cipher=crypto.encrypt(str(amounts["rigid_expenses"])),
                    medical_cipher=crypto.encrypt(str(amounts["sudden_medical_costs"])),
                    health_cipher=crypto.encrypt(normalize_text(health)),
                    bank_name=normalize_text(bank_name),
                    bank_cipher=crypto.encrypt(bank_account),
                    bank_masked=f"**** {bank_account[-4:]}" if bank_account else "",
                    applied_on=applied_on,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            raise duplicate from None
        HouseholdMember.objects.create(
            org=org,
            household=h,
            name=head_name,
            relation=Relation.SELF,
            income_cipher=crypto.encrypt(str(amounts["annual_income"])),
        )
        _save_classified(h)
        _audit(actor, "household_apply", h, applied_on=applied_on, category=h.category)
    return h


def member_add(*, actor, household: Household, name: str, relation: str, annual_income) -> HouseholdMember:
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": [_("请填写姓名。")]})
    if relation not in Relation.values or relation == Relation.SELF:
        raise ValidationError({"relation": [_("请选择与申请人的关系。")]})
    income = _amount(annual_income, "annual_income")
    with transaction.atomic():
        h = _locked(household)
        _require(h, Status.APPLIED, Status.REVIEWED, Status.VISITED, action=_("修改家庭成员"))
        if h.members.filter(name=name).exists():
            raise ValidationError({"name": [_("%(name)s 已在家庭成员中。") % {"name": name}]})
        m = HouseholdMember.objects.create(
            org=h.org, household=h, name=name, relation=relation, income_cipher=crypto.encrypt(str(income))
        )
        _save_classified(h)
        _audit(actor, "member_add", h, relation=relation, category=h.category)
    return m


def member_remove(*, actor, member: HouseholdMember) -> None:
    with transaction.atomic():
        h = _locked(member.household)
        _require(h, Status.APPLIED, Status.REVIEWED, Status.VISITED, action=_("修改家庭成员"))
        if member.relation == Relation.SELF:
            raise ValidationError(_("不能移除申请人本人。"))
        member.delete()
        _save_classified(h)
        _audit(actor, "member_remove", h, relation=member.relation, category=h.category)


def household_reclassify(*, actor, household: Household) -> Household:
    """Recompute the category (e.g. after the 低保 of the year was set)."""
    with transaction.atomic():
        h = _locked(household)
        _require(
            h, Status.APPLIED, Status.REVIEWED, Status.VISITED, Status.ARCHIVED, action=_("重新认定类别")
        )
        before = h.category
        _save_classified(h)
        _audit(actor, "household_reclassify", h, before=before, category=h.category)
    return h


def consent_record(
    *,
    actor,
    household: Household,
    signed_on: date,
    income_check: bool,
    publish: bool,
    full_name: bool = False,
    employer: bool = False,
    category: bool = True,
    amount: bool = True,
) -> Household:
    """The signed application with the separate consents: income checks and publication (PIPL 25, 29).
    The income check is what the hardship finding rests on: without it the case cannot go on."""
    if not income_check:
        raise ValidationError(
            {"income_check": [_("核查家庭收入须经申请人书面同意，未同意的不能认定困难职工。请勾选后登记。")]}
        )
    with transaction.atomic():
        h = _locked(household)
        _require(h, Status.APPLIED, Status.REVIEWED, Status.VISITED, action=_("登记授权书"))
        if signed_on < _d(h.applied_on):
            raise ValidationError({"signed_on": [_("签署日期不能早于申请日期。")]})
        _not_future(signed_on, "signed_on", _("签署日期"))
        h.consent_signed_on = signed_on
        h.consent_income_check = income_check
        h.consent_publish = publish
        h.publish_full_name = publish and full_name
        h.publish_employer = publish and employer
        h.publish_category = publish and category
        h.publish_amount = publish and amount
        h.save()
        _audit(
            actor,
            "consent_record",
            h,
            signed_on=signed_on,
            income_check=income_check,
            publish=publish,
            full_name=h.publish_full_name,
            employer=h.publish_employer,
            category=h.publish_category,
            amount=h.publish_amount,
        )
    return h


# ---------------------------------------------------------------- workflow transitions


def household_review(*, actor, household: Household, reviewed_on: date, note: str = "") -> Household:
    """applied → reviewed by the grassroots union."""
    with transaction.atomic():
        h = _locked(household)
        _require(h, Status.APPLIED, action=_("审核"))
        if reviewed_on < _d(h.applied_on):
            raise ValidationError({"reviewed_on": [_("审核日期不能早于申请日期。")]})
        _not_future(reviewed_on, "reviewed_on", _("审核日期"))
        _classify(h)
        if h.category == Category.UNKNOWN:
            raise ValidationError(
                _("本地区%(y)d年低保标准尚未设置，无法认定困难类别。") % {"y": calendar.today().year}
            )
        if h.category not in ELIGIBLE:
            raise ValidationError(_("按家庭人均月收入计算，未达到困难职工认定标准。"))
        h.reviewed_on = reviewed_on
        h.review_note = (note or "").strip()
        h.status = Status.REVIEWED
        h.save()
        _audit(actor, "household_review", h, reviewed_on=reviewed_on, category=h.category)
    return h


def household_visit(*, actor, household: Household, visited_on: date, visitors: str, note: str) -> Household:
    """reviewed → visited: the home visit (入户走访)."""
    visitors = normalize_text(visitors)
    note = (note or "").strip()
    errors = {}
    if not visitors:
        errors["visitors"] = [_("请填写走访人。")]
    if not note:
        errors["note"] = [_("请填写走访情况。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        h = _locked(household)
        _require(h, Status.REVIEWED, action=_("登记入户走访"))
        if visited_on < _d(h.reviewed_on):
            raise ValidationError({"visited_on": [_("走访日期不能早于审核日期。")]})
        _not_future(visited_on, "visited_on", _("走访日期"))
        h.visited_on, h.visitors, h.visit_note = visited_on, visitors, note
        h.status = Status.VISITED
        h.save(update_fields=["visited_on", "visitors", "visit_note", "status", "updated_at"])
        _audit(actor, "household_visit", h, visited_on=visited_on)
    return h


def household_notice(*, actor, household: Household, start_on: date, proposed_amount) -> Household:
    """visited → noticed: the public notice (公示), only with the household's separate consent."""
    amount = _amount(
        proposed_amount, "proposed_amount", positive=True, limit=Decimal(str(setting("MAX_AID")))
    )
    with transaction.atomic():
        h = _locked(household)
        _require(h, Status.VISITED, action=_("公示"))
        if h.consent_signed_on is None or not h.consent_income_check:
            raise ValidationError(_("申请人尚未签署申请书和收入核查授权书。"))
        if not h.consent_publish:
            raise ValidationError(_("申请人未同意公示，不能公示。"))
        if start_on < _d(h.visited_on):
            raise ValidationError({"start_on": [_("公示开始日期不能早于走访日期。")]})
        h.notice_start = start_on
        h.notice_end = calendar.add_days(start_on, int(setting("NOTICE_WORKING_DAYS")), working=True)
        h.proposed_amount = amount
        h.status = Status.NOTICED
        h.save(update_fields=["notice_start", "notice_end", "proposed_amount", "status", "updated_at"])
        _audit(actor, "household_notice", h, start_on=start_on, notice_end=h.notice_end, amount=amount)
        _clock(h, "notice", _("公示期满，审批帮扶"), h.notice_end, actor=actor)
    return h


def household_approve(*, actor, household: Household, approved_on: date) -> Household:
    """noticed → approved after the notice period ended without objection."""
    with transaction.atomic():
        h = _locked(household)
        _require(h, Status.NOTICED, action=_("审批"))
        if calendar.today() <= _d(h.notice_end):
            raise ValidationError(_("公示期至%(d)s，期满后方可审批。") % {"d": _d(h.notice_end).isoformat()})
        if approved_on <= _d(h.notice_end):
            raise ValidationError({"approved_on": [_("审批日期应在公示期满之后。")]})
        _not_future(approved_on, "approved_on", _("审批日期"))
        h.approved_on = approved_on
        h.status = Status.APPROVED
        h.save(update_fields=["approved_on", "status", "updated_at"])
        _audit(actor, "household_approve", h, approved_on=approved_on, amount=h.proposed_amount)
        _clock_done(h, "notice", actor=actor)
    return h


def household_archive(*, actor, household: Household, archived_on: date) -> Household:
    """approved → archived (建档立卡); starts the yearly re-check clock."""
    with transaction.atomic():
        h = _locked(household)
        _require(h, Status.APPROVED, action=_("建档立卡"))
        if archived_on < _d(h.approved_on):
            raise ValidationError({"archived_on": [_("建档日期不能早于审批日期。")]})
        _not_future(archived_on, "archived_on", _("建档日期"))
        h.archived_on = archived_on
        h.file_no = f"KN{archived_on.year}-{h.org_id:04d}-{h.pk:05d}"
        h.next_recheck = calendar.add_days(archived_on, int(setting("RECHECK_DAYS")), working=False)
        h.status = Status.ARCHIVED
        h.save(update_fields=["archived_on", "file_no", "next_recheck", "status", "updated_at"])
        _audit(actor, "household_archive", h, archived_on=archived_on, file_no=h.file_no)
        _clock(h, "recheck", _("年度复核"), h.next_recheck, actor=actor)
    return h


def household_recheck(*, actor, household: Household, checked_on: date) -> Household:
    """The yearly re-check of an archived household: the category is recomputed and the next
    re-check is set a year on. A household no longer in hardship should then be closed."""
    with transaction.atomic():
        h = _locked(household)
        _require(h, Status.ARCHIVED, action=_("年度复核"))
        if checked_on < _d(h.archived_on):
            raise ValidationError({"checked_on": [_("复核日期不能早于建档日期。")]})
        _not_future(checked_on, "checked_on", _("复核日期"))
        before = h.category
        _classify(h)
        h.last_recheck = checked_on
        h.next_recheck = calendar.add_days(checked_on, int(setting("RECHECK_DAYS")), working=False)
        h.save()
        _audit(actor, "household_recheck", h, checked_on=checked_on, before=before, category=h.category)
        _clock(h, "recheck", _("年度复核"), h.next_recheck, actor=actor)
    return h


def household_close(
    *, actor, household: Household, closed_on: date, reason: str, note: str = ""
) -> Household:
    if reason not in CloseReason.values:
        raise ValidationError({"reason": [_("请选择退出原因。")]})
    with transaction.atomic():
        h = _locked(household)
        if h.status == Status.CLOSED:
            raise ValidationError(_("该档案已退出。"))
        if closed_on < _d(h.applied_on):
            raise ValidationError({"closed_on": [_("退出日期不能早于申请日期。")]})
        _not_future(closed_on, "closed_on", _("退出日期"))
        h.closed_on, h.close_reason, h.close_note = closed_on, reason, normalize_text(note)
        h.status = Status.CLOSED
        h.next_recheck = None
        h.save(
            update_fields=["closed_on", "close_reason", "close_note", "status", "next_recheck", "updated_at"]
        )
        _audit(actor, "household_close", h, closed_on=closed_on, reason=reason)
        _clock_done(h, "recheck", actor=actor)
        _clock_done(h, "notice", actor=actor)
    return h


# ---------------------------------------------------------------- funds and payments


def fund_create(*, actor, org: Organization, name: str) -> Fund:
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": [_("请填写资金名称。")]})
    with transaction.atomic():
        if Fund.objects.filter(org=org, name=name).exists():
            raise ValidationError({"name": [_("已有同名资金。")]})
        fund = Fund.objects.create(org=org, name=name)
        audit_record(
            actor=actor, action="assistance.fund_create", target=fund, org=org, details={"name": name}
        )
    return fund


def payment_record(
    *,
    actor,
    household: Household,
    fund: Fund,
    budget_year: int,
    kind: str,
    amount,
    paid_on: date,
    note: str = "",
) -> Payment:
    value = _amount(amount, "amount", positive=True, limit=Decimal(str(setting("MAX_AID"))))
    errors = {}
    if kind not in AidKind.values:
        errors["kind"] = [_("请选择帮扶类型。")]
    if not fund.org.path or not household.org.path.startswith(fund.org.path):
        errors["fund"] = [_("该资金不属于本组织或其上级组织。")]
    if abs(budget_year - paid_on.year) > 1:
        errors["budget_year"] = [_("预算年度与发放日期相差过大。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        h = _locked(household)
        _require(h, Status.ARCHIVED, action=_("登记帮扶发放"))
        if paid_on < _d(h.archived_on):
            raise ValidationError({"paid_on": [_("发放日期不能早于建档日期。")]})
        _not_future(paid_on, "paid_on", _("发放日期"))
        p = Payment.objects.create(
            org=h.org,
            household=h,
            fund=fund,
            budget_year=budget_year,
            kind=kind,
            amount=value,
            paid_on=paid_on,
            note=normalize_text(note),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _audit(actor, "payment_record", h, fund=fund.name, budget_year=budget_year, kind=kind, amount=value)
    return p


# ---------------------------------------------------------------- reversals (冲销)
#
# A payment recorded in error is never edited or deleted. Its reversal is a row of its own (date,
# reason, actor); the selectors leave reversed payments out of every total, so the household's and the
# fund's figures drop by the payment's amount while the history shows both. The reversal table holds
# one row per payment (UNIQUE), so a second reversal fails in the database even if two requests race
# past the check below.

REASON_MAX = 200


class AlreadyReversed(ValidationError):
    """The payment was reversed before; nothing was changed."""


def _already(done: PaymentReversal) -> AlreadyReversed:
    return AlreadyReversed(
        _("这笔发放已于%(d)s冲销，不能重复冲销。") % {"d": done.reversed_on.isoformat()},
        code="already_reversed",
    )


def _reverse_once(p: Payment, **fields) -> PaymentReversal:
    """Create the one reversal of `p`; the unique payment column decides between concurrent ones."""
    try:
        with transaction.atomic():
            return PaymentReversal.objects.create(org_id=p.org_id, payment=p, **fields)
    except IntegrityError:
        done = PaymentReversal.objects.filter(payment=p).first()
        if done is None:
            raise
        raise _already(done) from None


def payment_reverse(
    *, actor, payment: Payment, reason: str, reversed_on: date | None = None
) -> PaymentReversal:
    """Reverse one aid payment (default date: today). Allowed whatever the household's status: a
    payment recorded in error stays an error after the household left assistance."""
    reason = (reason or "").strip()  # free text: its Chinese punctuation is kept, as in a visit note
    if not reason:
        raise ValidationError({"reason": [_("请填写冲销原因。")]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("冲销原因不能超过%(n)d个字。") % {"n": REASON_MAX}]})
    reversed_on = reversed_on or calendar.today()
    with transaction.atomic():
        # The household's lock, as for recording: its payments and totals change one at a time.
        h = _locked(payment.household)
        p = Payment.objects.select_related("fund").get(pk=payment.pk)
        done = PaymentReversal.objects.filter(payment=p).first()
        if done is not None:  # said before the date checks: it is the better answer
            raise _already(done)
        _not_future(reversed_on, "reversed_on", _("冲销日期"))
        if reversed_on < p.paid_on:
            raise ValidationError(
                {"reversed_on": [_("冲销日期不能早于发放日期%(d)s。") % {"d": p.paid_on.isoformat()}]}
            )
        reversal = _reverse_once(
            p,
            reversed_on=reversed_on,
            reason=reason,
            reversed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _audit(
            actor,
            "payment_reverse",
            h,
            payment=p.pk,
            fund=p.fund.name,
            budget_year=p.budget_year,
            kind=p.kind,
            amount=p.amount,
            paid_on=p.paid_on,
            reversed_on=reversed_on,
            reason=reason,
        )
    return reversal
