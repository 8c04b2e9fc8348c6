"""Writes of dues and union funds. Every function owns its transaction, refuses bad input with a
Chinese ValidationError (saving nothing) and writes its audit event inside the transaction."""

import dataclasses
import json
import re
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core import crypto
from core.db import analyze
from core.validators import normalize_text
from members.models import EventKind, Member, MemberEvent, MemberStatus
from orgs.models import Organization, OrgKind

from . import rules, selectors
from .models import (
    DuesLine,
    DuesPayment,
    DuesPolicy,
    DuesReversal,
    DuesRun,
    FundsAssessment,
    FundsPayment,
    FundsPaymentReversal,
    LineKind,
    PayMethod,
    PayrollBatch,
    PayrollBatchReversal,
    ReceiptCounter,
    ReceiptSeries,
    WageBase,
    WageSource,
    receipt_prefix,
    receipt_text,
)
from .payroll import read_payroll
from .payroll import template_xlsx as payroll_template

ZERO = Decimal("0.00")
MAX_WAGE = Decimal("1000000")
MAX_PAYROLL = Decimal("100000000000")
RUN_KINDS = (OrgKind.UNION, OrgKind.FEDERATION)
WAGE_STATUSES = (MemberStatus.ACTIVE, MemberStatus.RETAINED, MemberStatus.APPLIED)


def _today() -> date:
    return timezone.localdate()


def _check_month(month: date, *, field: str = "month") -> date:
    if not isinstance(month, date):
        raise ValidationError({field: [_("请选择月份。")]})
    month = rules.month_start(month)
    if month > rules.month_start(_today()):
        raise ValidationError({field: [_("不能选择未来的月份。")]})
    if month.year < 2000:
        raise ValidationError({field: [_("月份不正确。")]})
    return month


# After writing this many rows at once, the planner's statistics are refreshed: right after a large
# union's first statement, the lapse-candidate lookup (last paid month per member) otherwise planned
# for an empty table and took seconds.
ANALYZE_AFTER = 10_000


def _check_run_org(org: Organization) -> None:
    if org.kind not in RUN_KINDS:
        raise ValidationError(_("会费按基层工会核定，请在所属基层工会办理。"))


# ---- policy -------------------------------------------------------------------------------------------


def policy_update(
    *,
    org: Organization,
    rate: Decimal,
    base_step: int,
    levy_rate: Decimal,
    grassroots_share: Decimal,
    actor,
) -> DuesPolicy:
    if org.kind != OrgKind.FEDERATION:
        raise ValidationError(_("会费与经费标准由总工会（联合会）设定。"))
    errors: dict[str, list[str]] = {}
    if rate is None or not (Decimal("0") < rate <= Decimal("0.1")):
        errors["rate"] = [_("会费比例应大于0，且不超过10%。")]
    if base_step is None or base_step < 1 or base_step > 1000:
        errors["base_step"] = [_("基数取整应为1到1000元之间的整数。")]
    if levy_rate is None or not (Decimal("0") < levy_rate <= Decimal("0.1")):
        errors["levy_rate"] = [_("经费拨缴比例应大于0，且不超过10%。")]
    if grassroots_share is None or not (Decimal("0") <= grassroots_share <= Decimal("1")):
        errors["grassroots_share"] = [_("基层留成比例应在0到100%之间。")]
    if errors:
        raise ValidationError(errors)
    values = {
        "rate": rate,
        "base_step": base_step,
        "levy_rate": levy_rate,
        "grassroots_share": grassroots_share,
    }
    with transaction.atomic():
        policy, created = DuesPolicy.objects.select_for_update().get_or_create(
            org=org, defaults={**values, "updated_by": actor if getattr(actor, "pk", None) else None}
        )
        if not created:
            for k, v in values.items():
                setattr(policy, k, v)
            policy.updated_by = actor if getattr(actor, "pk", None) else None
            policy.save()
        audit_record(
            actor=actor,
            action="dues.policy_update",
            target=policy,
            org=org,
            details={k: str(v) for k, v in values.items()},
        )
    return policy


# ---- wage bases ---------------------------------------------------------------------------------------


def _parse_wage(value) -> Decimal:
    if isinstance(value, str):
        # as payroll sheets write it: "5000元", "￥5,000.00"
        value = value.strip().removeprefix("￥").removeprefix("¥").removesuffix("元").strip()
    try:
        wage = rules.money(value)
    except ValueError:
        raise ValidationError(
            _("工资金额“%(v)s”不是数字，请填写阿拉伯数字，如5000或5000.50。") % {"v": str(value)[:20]}
        ) from None
    if wage != rules.money(value, exact=True):
        # as the form's own field refuses it: a payroll sheet must not round a wage silently
        raise ValidationError(_("工资金额的小数点后最多2位（到分）。"))
    if wage < 0:
        raise ValidationError(_("工资金额不能为负数。"))
    if wage > MAX_WAGE:
        raise ValidationError(_("工资金额超过100万元，请核对。"))
    low = rules.setting("min_wage")
    if 0 < wage < low:
        raise ValidationError(
            _("月工资%(w)s元低于%(low)s元，请核对是否少输了位数（当月无工资请填0）。")
            % {"w": rules.yuan(wage), "low": low}
        )
    return wage


def wage_set(*, member: Member, month: date, wage, actor, source: str = WageSource.ENTERED) -> WageBase:
    """Record `member`'s monthly wage from `month` on (replacing an entry for the same month)."""
    month = _check_month(month)  # a future month's wage is entered when it is paid, as in the sheet
    try:
        amount = _parse_wage(wage)
    except ValidationError as e:
        raise ValidationError({"wage": e.messages}) from None
    if member.status not in WAGE_STATUSES:
        raise ValidationError(
            _("该会员会籍状态为“%(s)s”，不需要工资基数。") % {"s": member.get_status_display()}
        )
    policy = selectors.policy_for(member.org)
    with transaction.atomic():
        wb, created = WageBase.objects.update_or_create(
            member=member,
            month=month,
            defaults={
                "org_id": member.org_id,
                "wage_enc": crypto.encrypt(str(amount)),
                "base": rules.dues_base(amount, policy.base_step),
                "source": source,
                "created_by": actor if getattr(actor, "pk", None) else None,
                "updated_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action="dues.wage_set",
            target=member,
            org=member.org,
            details={"month": month.isoformat(), "created": created},
        )
    return wb


def wage_template(*, org: Organization, month: date, actor, missing: bool = False) -> bytes:
    """The payroll sheet to fill in for `org` from `month`: its members' numbers and names (with
    `missing`, only those without a wage base for the month). A list of members leaving the system,
    so it is audited like an export."""
    _check_run_org(org)
    month = _check_month(month)
    members = list(selectors.wage_rows(org, month=month, missing=missing).values_list("member_no", "name"))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="dues.wage_template",
            target=org,
            org=org,
            details={"month": month.isoformat(), "members": len(members), "missing_only": missing},
        )
    return payroll_template(members, month_label=rules.month_text(month))


def wage_import(*, org: Organization, month: date, content: bytes, filename: str, actor) -> dict:
    """Import a payroll sheet (member number or ID number + wage) for the members of `org`.
    Every bad row is reported (row number and reason, in Chinese) and then nothing is saved. Rows
    whose wage is left blank are skipped (counted): those members keep the base they have."""
    from members.services import id_hash

    _check_run_org(org)
    month = _check_month(month)
    rows = read_payroll(content, filename)
    members = Member.objects.filter(
        org_id__in=selectors.run_member_orgs(org), status__in=WAGE_STATUSES
    ).order_by()
    cols = ("pk", "name", "member_no", "id_number_hash", "status")
    by_no: dict[str, dict] = {}
    by_hash: dict[str, dict] = {}
    for m in members.values_list(*cols):
        known = dict(zip(cols, m, strict=True))
        if known["member_no"]:
            by_no[known["member_no"]] = known
        by_hash[known["id_number_hash"]] = known
    policy = selectors.policy_for(org)
    errors: list[str] = []
    seen: dict[int, int] = {}
    parsed: list[tuple[int, Decimal]] = []
    skipped = 0
    for r in rows:
        if r.wage is None or str(r.wage).strip() == "":
            skipped += 1  # not filled in (the downloaded sheet lists every member): base unchanged
            continue
        rec: dict | None = None
        if r.member_no:
            rec = by_no.get(r.member_no)
            if rec is None:
                msg = _("第%(row)d行：本工会没有会员编号为“%(v)s”的在册会员。") % {
                    "row": r.row,
                    "v": r.member_no,
                }
                if r.no_was_number:
                    msg += _("该列是数字格式，以0开头的编号会丢掉开头的0：请把该列设为“文本”格式后重新填写。")
                errors.append(msg)
                continue
        elif r.id_number:
            if r.id_was_number:
                errors.append(
                    _(
                        "第%(row)d行：身份证号被Excel存成了数字，后几位已丢失，请把该列设为文本格式后重新填写。"
                    )
                    % {"row": r.row}
                )
                continue
            if len(r.id_number) != 18:
                errors.append(_("第%(row)d行：身份证号应为18位，请把该列设为文本格式。") % {"row": r.row})
                continue
            rec = by_hash.get(id_hash(r.id_number))
            if rec is None:
                errors.append(_("第%(row)d行：本工会没有该身份证号的在册会员。") % {"row": r.row})
                continue
        else:
            errors.append(_("第%(row)d行：会员编号和身份证号都为空。") % {"row": r.row})
            continue
        if r.name and r.name != rec["name"]:
            errors.append(
                _("第%(row)d行：姓名“%(a)s”与系统中的“%(b)s”不一致。")
                % {"row": r.row, "a": r.name, "b": rec["name"]}
            )
            continue
        try:
            wage = _parse_wage(r.wage)
        except ValidationError as e:
            errors.append(_("第%(row)d行：%(msg)s") % {"row": r.row, "msg": e.messages[0]})
            continue
        if rec["pk"] in seen:
            errors.append(
                _("第%(row)d行：与第%(other)d行是同一会员。") % {"row": r.row, "other": seen[rec["pk"]]}
            )
            continue
        seen[rec["pk"]] = r.row
        parsed.append((rec["pk"], wage))
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("工资表中没有填写工资的行。"))
    member_orgs = dict(Member.objects.filter(pk__in=[p[0] for p in parsed]).values_list("pk", "org_id"))
    user = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    with transaction.atomic():
        existing = {
            w.member_id: w
            for w in WageBase.objects.select_for_update().filter(member_id__in=list(seen), month=month)
        }
        new, changed = [], []
        for member_id, wage in parsed:
            values = {
                "org_id": member_orgs[member_id],
                "wage_enc": crypto.encrypt(str(wage)),
                "base": rules.dues_base(wage, policy.base_step),
                "source": WageSource.IMPORTED,
                "created_by": user,
                "updated_at": now,
            }
            if member_id in existing:
                w = existing[member_id]
                for k, v in values.items():
                    setattr(w, k, v)
                changed.append(w)
            else:
                new.append(WageBase(member_id=member_id, month=month, **values))
        WageBase.objects.bulk_create(new, batch_size=2000)
        WageBase.objects.bulk_update(
            changed, ["org_id", "wage_enc", "base", "source", "created_by", "updated_at"], batch_size=2000
        )
        result = {
            "rows": len(parsed),
            "created": len(new),
            "updated": len(changed),
            "skipped": skipped,
            "month": month.isoformat(),
        }
        audit_record(
            actor=actor,
            action="dues.wage_import",
            target=org,
            org=org,
            details={**result, "filename": filename[:100]},
        )
    return result


# ---- monthly runs -------------------------------------------------------------------------------------


LINES_SQL = """
INSERT INTO dues_duesline (run_id, org_id, member_id, month, kind, base, amount, paid)
SELECT %(run)s, %(org)s, s.id, %(month)s,
  CASE WHEN s.status = 'retained' THEN 'exempt' WHEN s.base IS NULL THEN 'missing' ELSE 'charged' END,
  CASE WHEN s.status = 'retained' OR s.base IS NULL THEN NULL
       ELSE (CAST(s.base AS BIGINT) / %(step)s) * %(step)s END,
  CASE WHEN s.status = 'retained' OR s.base IS NULL THEN 0
       ELSE (((CAST(s.base AS BIGINT) / %(step)s) * %(step)s * 100 * %(rate)s + 5000) / 10000) / 100.0 END,
  0
FROM (
  SELECT m.id, m.status,
    (SELECT w.base FROM dues_wagebase w WHERE w.member_id = m.id AND w.month <= %(month)s
     ORDER BY w.month DESC LIMIT 1) AS base
  FROM members_member m
  WHERE m.org_id IN ({orgs})
    AND m.status IN ('active', 'retained')
    AND (m.joined_on IS NULL OR m.joined_on <= %(month_end)s)
    {elsewhere}
    {only_new}
) s
"""
# A member pays one union a month: one who transferred in this month and was already charged by the
# union they left is not charged again (whichever statement charges first). Those members are read
# first (`_charged_elsewhere`) and left out by id. Not a NOT EXISTS on dues_duesline inside this
# statement: while the table is empty or nearly so (an installation's first month), PostgreSQL plans
# that as a nested loop over a sequential scan of dues_duesline, which then grows with this very
# statement's rows, and a month of 250,000 members took many minutes instead of seconds.
# A supplementary assessment adds lines only for members not yet on the statement (read first too).


def _fill_lines(run: DuesRun, org: Organization, policy: rules.Policy, *, only_new: bool = False) -> None:
    """One INSERT … SELECT: a line per active or retained member (with `only_new`, per member not yet
    on the statement); amounts in exact integer fen (base × rate, rounded half up), so the database
    does the whole run without Python loops."""
    org_ids = [int(i) for i in selectors.run_member_orgs(org)]
    adapt = connection.ops.adapt_datefield_value
    params: dict[str, Any] = {
        "run": run.pk,
        "org": org.pk,
        "month": adapt(run.month),
        "month_end": adapt(rules.month_end(run.month)),
        "step": int(policy.base_step),
        "rate": rules.rate_e4(policy.rate),
    }

    def left_out(name: str, ids: list[int]) -> str:
        """`m.id` is none of `ids`, sent as one parameter (hashed by PostgreSQL; an IN over
        json_each on SQLite)."""
        if not ids:
            return ""
        if connection.vendor == "postgresql":
            params[name] = ids
            return f"AND NOT (m.id = ANY(%({name})s))"
        params[name] = json.dumps(ids)
        return f"AND m.id NOT IN (SELECT value FROM json_each(%({name})s))"  # noqa: S608 - our own name

    sql = LINES_SQL.format(
        orgs=", ".join(str(i) for i in org_ids),
        elsewhere=left_out("elsewhere", selectors.charged_elsewhere(run, org_ids)),
        only_new=left_out("on_run", selectors.run_member_ids(run)) if only_new else "",
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _drop_reassessed_lines(run: DuesRun, org: Organization) -> int:
    """Before a statement is computed again: delete the lines the run will write anew and keep the
    lines that describe the month as it was. Returns how many lines are kept:

    - members the run selects now are assessed again, except those whose status changed after the
      month (retained or restored since): their line keeps the status they had then;
    - members no longer in the union (withdrawn, lapsed, expelled) keep their line when they left
      after the month: they were members then. One who left within or before the month (a change
      recorded late, dated back) loses it;
    - members transferred away keep their line unless another union's statement charges them for
      the month: a member pays one union a month, whichever statement charged them first, and the
      receiving union leaves them off while this line exists (a transfer dated back before the
      month included, or the month would be charged nowhere);
    - a line with nothing due (no wage base) is dropped: it could never be completed."""
    month_end = rules.month_end(run.month)
    org_ids = [int(i) for i in selectors.run_member_orgs(org)]
    # the members LINES_SQL selects
    current = Member.objects.filter(
        org_id__in=org_ids, status__in=[MemberStatus.ACTIVE, MemberStatus.RETAINED]
    ).filter(Q(joined_on__isnull=True) | Q(joined_on__lte=month_end))
    changed_since = set(
        MemberEvent.objects.filter(
            member_id__in=current.values("pk"),
            kind__in=[EventKind.RETAINED, EventKind.RESTORED],
            on__gt=month_end,
        ).values_list("member_id", flat=True)
    )
    # Plain DELETEs: a statement has no payments yet on this path, and a large union's lines are too
    # many to load for Django's delete collector (a 240,000-line re-run took three times as long).
    qn = connection.ops.quote_name
    table = qn(DuesLine._meta.db_table)
    keep = f"AND member_id NOT IN ({', '.join(str(int(i)) for i in changed_since)})" if changed_since else ""
    members_sql, params = current.values("pk").query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM {table} WHERE run_id = %s {keep} AND member_id IN ({members_sql})",  # noqa: S608 - ints
            [run.pk, *params],
        )
    lines = DuesLine.objects.filter(run=run)
    # what is left: those whose status changed since, and those no longer in the union
    departed = dict(lines.exclude(member_id__in=changed_since).values_list("member_id", "kind"))
    if departed:
        left_on = dict(
            MemberEvent.objects.filter(member_id__in=list(departed), org_id__in=org_ids)
            .filter(kind__in=[EventKind.WITHDRAWN, EventKind.LAPSED, EventKind.EXPELLED])
            .values("member_id")
            .annotate(last=Max("on"))
            .values_list("member_id", "last")
        )
        moved = set(
            MemberEvent.objects.filter(
                member_id__in=list(departed),
                org_id__in=org_ids,
                kind=EventKind.TRANSFERRED,
                from_org_id__in=org_ids,
            ).values_list("member_id", flat=True)
        )
        charged_there = set(selectors.charged_elsewhere(run, member_ids=list(moved))) if moved else set()
        gone = [
            mid
            for mid, kind in departed.items()
            if kind == LineKind.MISSING
            or (mid in left_on and left_on[mid] <= month_end)
            or mid in charged_there
        ]
        if gone:
            with connection.cursor() as cur:
                cur.execute(
                    f"DELETE FROM {table} WHERE run_id = %s "  # noqa: S608 - ints
                    f"AND member_id IN ({', '.join(str(int(i)) for i in gone)})",
                    [run.pk],
                )
    return lines.count()


def dues_run(*, org: Organization, month: date, actor) -> DuesRun:
    """Compute `org`'s dues statement for `month`. Running it again for the same month replaces the
    statement (same result for the same data) until the first payment is recorded against it; after
    that it is a supplementary assessment (dues_supplement). The run returned says which in
    `outcome`: "created", "replaced" or "supplemented"."""
    _check_run_org(org)
    month = _check_month(month)
    policy = selectors.policy_for(org)
    if policy.rate * 10000 != rules.rate_e4(policy.rate):
        raise ValidationError(_("会费比例最多保留四位小数。"))
    with transaction.atomic():
        run, created = DuesRun.objects.get_or_create(
            org=org,
            month=month,
            defaults={"rate": policy.rate, "base_step": policy.base_step, "created_by": _user(actor)},
        )
        run = DuesRun.objects.select_for_update().get(pk=run.pk)
        if not created:
            if selectors.run_has_payments(run):
                run = _supplement(run, org, actor)
                run.outcome = "supplemented"
                return run
            # Members who have left the union since (transferred, withdrawn…) were members in that
            # month: their lines stay as they were. Everyone the statement would charge now is
            # assessed again.
            run.kept = _drop_reassessed_lines(run, org)
            if run.kept:  # the kept lines were computed at the statement's rate: the rest are too
                policy = dataclasses.replace(policy, rate=run.rate, base_step=int(run.base_step))
            run.rate, run.base_step = policy.rate, policy.base_step
        _mark_assessed(run)  # before the fill: what is committed meanwhile counts as after it
        _fill_lines(run, org, policy, only_new=not created)
        _refresh_totals(run)
        if not (run.charged_count or run.exempt_count or run.missing_count):
            # nothing to assess (a month before anyone joined): no empty statement is kept
            raise ValidationError(
                {"month": [_("%(m)s本会没有在籍会员，无需核定会费。") % {"m": rules.month_text(month)}]}
            )
        audit_record(
            actor=actor,
            action="dues.run" if created else "dues.rerun",
            target=run,
            org=org,
            details={
                "month": month.isoformat(),
                "charged": run.charged_count,
                "exempt": run.exempt_count,
                "missing": run.missing_count,
                "total": str(run.total_amount),
            },
        )
    if run.charged_count + run.exempt_count + run.missing_count >= ANALYZE_AFTER:
        analyze(DuesLine)
    run.outcome = "created" if created else "replaced"
    return run


def _supplement(run: DuesRun, org: Organization, actor) -> DuesRun:
    """A statement with payments is never recomputed: the lines charged stay as they are. Members it
    could not charge (no wage base then; one entered since for the month) and members who joined
    since are added, at the statement's own rate and rounding. Inside dues_run's transaction."""
    policy = dataclasses.replace(selectors.policy_for(org), rate=run.rate, base_step=int(run.base_step))
    before = (run.charged_count, run.exempt_count, run.missing_count, run.total_amount)
    with connection.cursor() as cur:
        # a line without a wage base has nothing due and so no payment: it is assessed again
        cur.execute("DELETE FROM dues_duesline WHERE run_id = %s AND kind = %s", [run.pk, LineKind.MISSING])
    _mark_assessed(run)
    _fill_lines(run, org, policy, only_new=True)
    _refresh_totals(run)
    after = (run.charged_count, run.exempt_count, run.missing_count, run.total_amount)
    if after == before:
        raise ValidationError(
            _(
                "%(m)s的会费已有缴费记录，已计费的明细不变；目前也没有可以补计的会员（缺工资基数的请先补录该月起的工资基数）。"
            )
            % {"m": rules.month_text(run.month)}
        )
    audit_record(
        actor=actor,
        action="dues.supplement",
        target=run,
        org=org,
        details={
            "month": run.month.isoformat(),
            "charged": [before[0], after[0]],
            "missing": [before[2], after[2]],
            "total": [str(before[3]), str(after[3])],
        },
    )
    return run


def _mark_assessed(run: DuesRun) -> None:
    """When the lines were computed, and the newest membership event then (saved with the totals)."""
    run.assessed_at = timezone.now()
    run.assessed_event_id = MemberEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _refresh_totals(run: DuesRun) -> None:
    counts: dict[str, int] = {LineKind.CHARGED: 0, LineKind.EXEMPT: 0, LineKind.MISSING: 0}
    total_base, total_amount, paid = ZERO, ZERO, ZERO
    for row in (
        DuesLine.objects.filter(run=run)
        .values("kind")
        .annotate(n=Count("pk"), b=Sum("base"), a=Sum("amount"), p=Sum("paid"))
    ):
        counts[row["kind"]] = row["n"]
        if row["kind"] == LineKind.CHARGED:
            total_base, total_amount, paid = rules.fen(row["b"]), rules.fen(row["a"]), rules.fen(row["p"])
    run.charged_count = counts[LineKind.CHARGED]
    run.exempt_count = counts[LineKind.EXEMPT]
    run.missing_count = counts[LineKind.MISSING]
    # paid: what the lines hold (zero for a new statement; kept by a supplementary assessment)
    run.total_base, run.total_amount, run.paid_amount = total_base, total_amount, paid
    run.save()


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# ---- receipt numbers -------------------------------------------------------------------------------


def _take_receipt_numbers(org_id: int, series: str, year: int, count: int = 1) -> int:
    """Reserve `count` consecutive receipt numbers of a union's series in a year; returns the first.
    Call inside the payment's transaction, after the run's or the assessment's lock (every payment
    takes that first, so two payments cannot wait on each other in a cycle); a rolled-back payment
    gives its numbers back."""
    key = {"org_id": org_id, "series": series, "year": year}
    counter = ReceiptCounter.objects.select_for_update().filter(**key).first()
    if counter is None:
        try:
            with transaction.atomic():  # the union's first receipt of the year
                counter = ReceiptCounter.objects.create(**key)
        except IntegrityError:  # another payment made the row meanwhile; wait for it, then go on
            counter = ReceiptCounter.objects.select_for_update().get(**key)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return first


# ---- payments -----------------------------------------------------------------------------------------


def dues_payment_record(
    *, line: DuesLine, actor, amount=None, paid_on: date | None = None, method: str = PayMethod.CASH
) -> DuesPayment:
    """Record one member's payment against a statement line (the whole outstanding amount by default)."""
    paid_on = paid_on or _today()
    if method not in PayMethod.values:
        raise ValidationError({"method": [_("请选择缴费方式。")]})
    if paid_on > _today():
        raise ValidationError({"paid_on": [_("缴费日期不能晚于今天。")]})
    with transaction.atomic():
        # Lock order: the run, then the line (the payroll batch locks the run too).
        run = DuesRun.objects.select_for_update().select_related("org").get(pk=line.run_id)
        line = DuesLine.objects.select_for_update().select_related("member").get(pk=line.pk)
        if line.kind != LineKind.CHARGED:
            raise ValidationError(_("该会员本月为“%(k)s”，无需缴费。") % {"k": line.get_kind_display()})
        if paid_on < run.month:  # as for a payroll batch
            raise ValidationError(
                {
                    "paid_on": [
                        _("缴费日期不能早于会费所属月份（%(m)s）。") % {"m": rules.month_text(run.month)}
                    ]
                }
            )
        outstanding = line.amount - line.paid
        if outstanding <= 0:
            raise ValidationError(
                _("%(name)s %(m)s的会费已缴清。")
                % {"name": line.member.name, "m": rules.month_text(line.month)}
            )
        if amount in (None, ""):
            value = outstanding
        else:
            try:
                value = rules.money(amount)
            except ValueError:
                raise ValidationError({"amount": [_("金额无效。")]}) from None
        if value <= 0:
            raise ValidationError({"amount": [_("金额必须大于0。")]})
        if value > outstanding:
            raise ValidationError({"amount": [_("金额超过未缴的%(o)s元。") % {"o": rules.yuan(outstanding)}]})
        seq = _take_receipt_numbers(line.org_id, ReceiptSeries.DUES, paid_on.year)
        payment = DuesPayment.objects.create(
            org_id=line.org_id,
            receipt_no=receipt_text(ReceiptSeries.DUES, paid_on.year, seq),
            member_id=line.member_id,
            line=line,
            month=line.month,
            amount=value,
            paid_on=paid_on,
            method=method,
            recorded_by=_user(actor),
        )
        # Both rows are locked (select_for_update), so the new totals are computed exactly in Decimal.
        line.paid += value
        line.save(update_fields=["paid"])
        run.paid_amount += value
        run.save(update_fields=["paid_amount", "updated_at"])
        audit_record(
            actor=actor,
            action="dues.payment_record",
            target=payment,
            org=run.org,
            target_label=f"{line.member.name} {line.month:%Y-%m}",
            details={"amount": str(value), "method": method, "month": line.month.isoformat()},
        )
    return payment


SKIP_SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_SKIP = 500


def _skipped_members(run: DuesRun, skip: str) -> tuple[list[int], list[str]]:
    """The members a payroll deduction leaves out, from what the clerk typed: member numbers or
    names (a name only where one member of the statement has it), separated by spaces, commas, 顿号
    or new lines. Returns (member ids, member numbers); refuses, naming every entry that names
    nobody on the statement, more than one person, or a member with nothing left to pay."""
    tokens = list(dict.fromkeys(t for t in SKIP_SEPARATORS.split(normalize_text(skip or "")) if t))
    if not tokens:
        return [], []
    if len(tokens) > MAX_SKIP:
        raise ValidationError({"skip": [_("一次最多列出%(n)d名未代扣的会员。") % {"n": MAX_SKIP}]})
    rows = list(
        DuesLine.objects.filter(run=run, kind=LineKind.CHARGED)
        .filter(Q(member__member_no__in=tokens) | Q(member__name__in=tokens))
        .values_list("member_id", "member__member_no", "member__name", "amount", "paid")
    )
    by_no = {no: (mid, no, owed > paid) for mid, no, _name, owed, paid in rows}
    by_name: dict[str, list] = {}
    for mid, no, name, owed, paid in rows:
        by_name.setdefault(name, []).append((mid, no, owed > paid))
    ids: list[int] = []
    nos: list[str] = []
    errors: list[str] = []
    for t in tokens:
        hit = by_no.get(t)
        if hit is None:
            named = by_name.get(t, [])
            if len(named) > 1:
                errors.append(
                    _("本月明细中有%(n)d名会员叫“%(t)s”，请改填会员编号（%(nos)s）。")
                    % {"n": len(named), "t": t, "nos": "、".join(no for _m, no, _o in named)}
                )
                continue
            hit = named[0] if named else None
        if hit is None:
            errors.append(_("本月会费明细中没有会员编号或姓名为“%(t)s”的应缴会员。") % {"t": t})
        elif not hit[2]:
            errors.append(_("“%(t)s”本月的会费已缴清，不在代扣范围内。") % {"t": t})
        elif hit[0] not in ids:
            ids.append(hit[0])
            nos.append(hit[1])
    if errors:
        raise ValidationError({"skip": errors})
    return ids, nos


def dues_batch_record(*, run: DuesRun, actor, paid_on: date | None = None, skip: str = "") -> PayrollBatch:
    """Payroll deduction: every line of the run with money outstanding is paid in full at once,
    except the members listed in `skip` (member numbers or names: not deducted this month, as for
    unpaid leave), who stay unpaid."""
    paid_on = paid_on or _today()
    if paid_on > _today():
        raise ValidationError({"paid_on": [_("代扣日期不能晚于今天。")]})
    if paid_on < run.month:
        raise ValidationError(
            {"paid_on": [_("代扣日期不能早于会费所属月份（%(m)s）。") % {"m": rules.month_text(run.month)}]}
        )
    with transaction.atomic():
        run = DuesRun.objects.select_for_update().select_related("org").get(pk=run.pk)
        # The run is locked: single payments lock it first too, so nothing changes under us.
        skipped, skipped_nos = _skipped_members(run, skip)
        open_lines = DuesLine.objects.filter(run=run, kind=LineKind.CHARGED, paid__lt=F("amount")).exclude(
            member_id__in=skipped
        )
        agg = open_lines.aggregate(n=Count("pk"), due=Sum("amount"), paid=Sum("paid"))
        count = agg["n"]
        if not count:
            if skipped:
                raise ValidationError({"skip": [_("本月未缴的会员都列为未代扣，没有可以登记的代扣。")]})
            raise ValidationError(
                _("%(m)s的会费已全部缴清，没有需要代扣的明细。") % {"m": rules.month_text(run.month)}
            )
        total = rules.fen(agg["due"]) - rules.fen(agg["paid"])
        batch = PayrollBatch.objects.create(
            org=run.org,
            run=run,
            paid_on=paid_on,
            line_count=count,
            total=total,
            recorded_by=_user(actor),
        )
        # One payment per open line, written by the database in one statement, with the union's next
        # receipt numbers in the order of the statement's lines.
        ops = connection.ops
        left_out = ""
        if skipped:
            left_out = f" AND member_id NOT IN ({', '.join(['%s'] * len(skipped))})"
        first = _take_receipt_numbers(run.org_id, ReceiptSeries.DUES, paid_on.year, count)
        seq = "(%s + row_number() OVER (ORDER BY id))"
        if connection.vendor == "postgresql":
            receipt = f"%s || lpad({seq}::text, greatest(6, length({seq}::text)), '0')"
            receipt_params = [receipt_prefix(ReceiptSeries.DUES, paid_on.year), first - 1, first - 1]
        else:
            receipt = f"%s || printf('%%06d', {seq})"
            receipt_params = [receipt_prefix(ReceiptSeries.DUES, paid_on.year), first - 1]
        sql = (
            "INSERT INTO dues_duespayment (receipt_no, org_id, member_id, line_id, month, amount, paid_on, "  # noqa: S608
            "method, batch_id, recorded_by_id, created_at) "
            f"SELECT {receipt}, %s, member_id, id, month, amount - paid, %s, %s, %s, %s, %s FROM dues_duesline "
            f"WHERE run_id = %s AND kind = %s AND paid < amount{left_out}"  # placeholders only
        )
        with connection.cursor() as cur:
            cur.execute(
                sql,
                [
                    *receipt_params,
                    run.org_id,
                    ops.adapt_datefield_value(paid_on),
                    PayMethod.PAYROLL,
                    batch.pk,
                    getattr(_user(actor), "pk", None),
                    ops.adapt_datetimefield_value(timezone.now()),
                    run.pk,
                    LineKind.CHARGED,
                    *skipped,
                ],
            )
            # The numbers taken are the rows written (the run is locked): a drift would leave gaps.
            if cur.rowcount != count:
                raise RuntimeError(f"payroll batch wrote {cur.rowcount} payments for {count} receipt numbers")
        open_lines.update(paid=F("amount"))
        run.paid_amount += total
        run.save(update_fields=["paid_amount", "updated_at"])
        details = {"month": run.month.isoformat(), "lines": count, "total": str(total)}
        if skipped:
            details["not_deducted"] = skipped_nos
        audit_record(actor=actor, action="dues.batch_record", target=batch, org=run.org, details=details)
    if count >= ANALYZE_AFTER:
        analyze(DuesLine, DuesPayment)
    return batch


# ---- union funds --------------------------------------------------------------------------------------


def funds_assess(*, org: Organization, month: date, payroll_total, actor) -> FundsAssessment:
    """Enter the employer's payroll total of a month; the levy (2% by default) follows from it.
    The figure can be corrected until money has arrived against it."""
    _check_run_org(org)
    month = _check_month(month)
    try:
        total = rules.money(payroll_total)
    except ValueError:
        raise ValidationError({"payroll_total": [_("工资总额无效。")]}) from None
    if total < 0:
        raise ValidationError({"payroll_total": [_("工资总额不能为负数。")]})
    if total > MAX_PAYROLL:
        raise ValidationError({"payroll_total": [_("工资总额过大，请核对。")]})
    policy = selectors.policy_for(org)
    levy = rules.levy_amount(total, policy.levy_rate)
    with transaction.atomic():
        fa = FundsAssessment.objects.select_for_update().filter(org=org, month=month).first()
        if fa is not None and fa.paid > 0:
            raise ValidationError(
                _(
                    "%(m)s的工会经费已有到账记录，不能修改工资总额。确需修改的，请先在台账中冲销该月的到账，再重新登记。"
                )
                % {"m": rules.month_text(month)}
            )
        values = {
            "payroll_total": total,
            "levy_rate": policy.levy_rate,
            "levy": levy,
            "grassroots_share": policy.grassroots_share,
        }
        previous = None if fa is None else fa.payroll_total
        if fa is None:
            fa = FundsAssessment.objects.create(org=org, month=month, created_by=_user(actor), **values)
        else:
            for k, v in values.items():
                setattr(fa, k, v)
            fa.save()
        # not stored: what was registered before, for the clerk's message (None: nothing was)
        fa.previous_total = previous
        audit_record(
            actor=actor,
            action="dues.funds_assess",
            target=fa,
            org=org,
            details={
                "month": month.isoformat(),
                "payroll_total": str(total),
                "levy": str(levy),
                "previous_total": None if previous is None else str(previous),
            },
        )
    return fa


def _clean_official_no(official_no) -> str:
    official_no = normalize_text(official_no or "").replace(" ", "").upper()
    if len(official_no) > 40:
        raise ValidationError({"official_no": [_("专用收据号码不能超过40个字符。")]})
    return official_no


def _check_official_no_free(org_id: int, official_no: str, *, but=None) -> None:
    """One official receipt, one payment, in a union (a voided form keeps its number too)."""
    if not official_no:
        return
    taken = FundsPayment.objects.filter(org_id=org_id, official_no=official_no).select_related("assessment")
    if but is not None:
        taken = taken.exclude(pk=but.pk)
    if (first := taken.first()) is not None:
        where = {"no": official_no, "m": rules.month_text(first.assessment.month), "r": first.receipt_no}
        if FundsPaymentReversal.objects.filter(payment=first).exists():
            text = _("专用收据%(no)s已登记在%(m)s的经费到账（凭证号%(r)s，已冲销）上，请核对号码。") % where
        else:
            text = _("专用收据%(no)s已登记在%(m)s的经费到账（凭证号%(r)s）上，请核对号码。") % where
        raise ValidationError({"official_no": [text]})


@contextmanager
def _official_no_written(org_id: int, official_no: str, *, but=None):
    """Around the write of an official number: if another payment took the same number between the
    check and the write (the database's unique constraint refuses it), the clerk is told as by the
    check instead of getting an error page."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        _check_official_no_free(org_id, official_no, but=but)
        raise


def funds_payment_official_no(*, payment: FundsPayment, official_no, actor) -> FundsPayment:
    """Record (or put right) the number of the official 工会经费收入专用收据 issued for money already
    recorded: the form is often filled in after the bank's notice. Audited with the number before."""
    official_no = _clean_official_no(official_no)
    with transaction.atomic():
        payment = (
            FundsPayment.objects.select_for_update().select_related("org", "assessment").get(pk=payment.pk)
        )
        if official_no == payment.official_no:
            return payment
        # Also on a reversed payment: the form issued for it was voided and keeps its number.
        _check_official_no_free(payment.org_id, official_no, but=payment)
        before = payment.official_no
        payment.official_no = official_no
        with _official_no_written(payment.org_id, official_no, but=payment):
            payment.save(update_fields=["official_no"])
        audit_record(
            actor=actor,
            action="dues.funds_official_no",
            target=payment,
            org=payment.org,
            target_label=payment.receipt_no,
            details={"official_no": official_no, "before": before},
        )
    return payment


def funds_payment_record(
    *,
    assessment: FundsAssessment,
    amount,
    actor,
    paid_on: date | None = None,
    note: str = "",
    official_no: str = "",
) -> FundsPayment:
    """Money from the employer against a month's levy, split at once between the grassroots union
    and the higher level (the two parts add up to the payment exactly, and a month's instalments
    add up to the split of their total: rules.split_next). `official_no` is the number printed on
    the official 工会经费收入专用收据 issued for it, if one was: one form, one payment, in a union
    (a voided form keeps its number too)."""
    paid_on = paid_on or _today()
    if paid_on > _today():
        raise ValidationError({"paid_on": [_("到账日期不能晚于今天。")]})
    if paid_on < assessment.month:
        raise ValidationError(
            {"paid_on": [_("到账日期不能早于%(m)s。") % {"m": rules.month_text(assessment.month)}]}
        )
    try:
        value = rules.money(amount)
    except ValueError:
        raise ValidationError({"amount": [_("金额无效。")]}) from None
    if value <= 0:
        raise ValidationError({"amount": [_("金额必须大于0。")]})
    official_no = _clean_official_no(official_no)
    with transaction.atomic():
        fa = FundsAssessment.objects.select_for_update().select_related("org").get(pk=assessment.pk)
        _check_official_no_free(fa.org_id, official_no)
        if value > fa.levy - fa.paid:
            raise ValidationError(
                {"amount": [_("金额超过未拨缴的%(o)s元。") % {"o": rules.yuan(fa.levy - fa.paid)}]}
            )
        kept, remitted = rules.split_next(
            value, paid=fa.paid, kept=fa.kept, grassroots_share=fa.grassroots_share
        )
        seq = _take_receipt_numbers(fa.org_id, ReceiptSeries.FUNDS, paid_on.year)
        with _official_no_written(fa.org_id, official_no):
            payment = FundsPayment.objects.create(
                org=fa.org,
                receipt_no=receipt_text(ReceiptSeries.FUNDS, paid_on.year, seq),
                assessment=fa,
                amount=value,
                kept=kept,
                remitted=remitted,
                paid_on=paid_on,
                official_no=official_no,
                note=note[:200],
                recorded_by=_user(actor),
            )
        fa.paid, fa.kept, fa.remitted = fa.paid + value, fa.kept + kept, fa.remitted + remitted
        fa.save(update_fields=["paid", "kept", "remitted", "updated_at"])
        audit_record(
            actor=actor,
            action="dues.funds_payment_record",
            target=payment,
            org=fa.org,
            target_label=f"{fa.org.name} {fa.month:%Y-%m}",
            details={
                "amount": str(value),
                "kept": str(kept),
                "remitted": str(remitted),
                "month": fa.month.isoformat(),
                **({"official_no": official_no} if official_no else {}),
            },
        )
    return payment


# ---- reversals (红字冲正) ------------------------------------------------------------------------------
#
# A mistaken payment is never edited or deleted. Its reversal is a row of its own (amount, date,
# reason, actor) and the running totals it had raised (line, run, assessment) drop by the same
# amount, so statement, arrears, member pages and ledger add up without knowing about reversals.
# The reversal tables hold one row per payment / batch (UNIQUE), so a second reversal fails in the
# database even if two requests race past the check below.

REASON_MAX = 200


class AlreadyReversed(ValidationError):
    """The payment or batch was reversed before; nothing was changed."""


def _check_reason(reason) -> str:
    text = str(reason or "").strip()
    if not text:
        raise ValidationError({"reason": [_("请填写冲销原因。")]})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": [_("冲销原因不能超过%(n)d个字。") % {"n": REASON_MAX}]})
    return text


def _check_reversed_on(reversed_on: date | None, paid_on: date) -> date:
    reversed_on = reversed_on or _today()
    if reversed_on > _today():
        raise ValidationError({"reversed_on": [_("冲销日期不能晚于今天。")]})
    if reversed_on < paid_on:
        raise ValidationError(
            {"reversed_on": [_("冲销日期不能早于原缴费日期%(d)s。") % {"d": f"{paid_on:%Y-%m-%d}"}]}
        )
    return reversed_on


def _already(message: str, when: date, **params) -> AlreadyReversed:
    return AlreadyReversed(message % {"d": f"{when:%Y-%m-%d}", **params}, code="already_reversed")


def _reverse_once(model, key: dict, fields: dict, message: str, **params):
    """Create the one reversal row of `key` (a payment or a batch), or raise AlreadyReversed saying
    when it was reversed. The unique constraint decides between concurrent reversals."""
    done = model.objects.filter(**key).first()
    if done is None:
        try:
            with transaction.atomic():
                return model.objects.create(**key, **fields)
        except IntegrityError:
            done = model.objects.filter(**key).first()  # the other reversal committed first
    raise _already(message, done.reversed_on if done else fields["reversed_on"], **params)


def dues_payment_reverse(
    *, payment: DuesPayment, reason: str, actor, reversed_on: date | None = None
) -> DuesReversal:
    """Reverse one dues payment (also one that came with a payroll batch): its amount is owed again
    on the statement line."""
    reason = _check_reason(reason)
    reversed_on = _check_reversed_on(reversed_on, payment.paid_on)
    with transaction.atomic():
        # Lock order as for recording: the run, then the line.
        run_id = DuesLine.objects.filter(pk=payment.line_id).values_list("run_id", flat=True).get()
        run = DuesRun.objects.select_for_update().select_related("org").get(pk=run_id)
        line = DuesLine.objects.select_for_update().select_related("member").get(pk=payment.line_id)
        payment = DuesPayment.objects.get(pk=payment.pk)
        reversal = _reverse_once(
            DuesReversal,
            {"payment": payment},
            {
                "org_id": payment.org_id,
                "amount": payment.amount,
                "reversed_on": reversed_on,
                "reason": reason,
                "reversed_by": _user(actor),
            },
            _("收据%(no)s的缴费已于%(d)s冲销，不能重复冲销。"),
            no=payment.receipt_no,
        )
        line.paid -= payment.amount
        line.save(update_fields=["paid"])
        run.paid_amount -= payment.amount
        run.save(update_fields=["paid_amount", "updated_at"])
        audit_record(
            actor=actor,
            action="dues.payment_reverse",
            target=payment,
            org=run.org,
            target_label=f"{line.member.name} {line.month:%Y-%m}",
            details={
                "receipt_no": payment.receipt_no,
                "amount": str(payment.amount),
                "month": line.month.isoformat(),
                "reversed_on": reversed_on.isoformat(),
                "reason": reason,
                "batch_id": payment.batch_id,
            },
        )
    return reversal


def dues_batch_reverse(
    *, batch: PayrollBatch, reason: str, actor, reversed_on: date | None = None
) -> PayrollBatchReversal:
    """Reverse a whole payroll deduction: every payment of the batch that was not reversed on its own
    is reversed, and those members owe the month's dues again."""
    reason = _check_reason(reason)
    reversed_on = _check_reversed_on(reversed_on, batch.paid_on)
    with transaction.atomic():
        run = DuesRun.objects.select_for_update().select_related("org").get(pk=batch.run_id)
        already = _("该工资代扣批次已于%(d)s冲销，不能重复冲销。")
        done = PayrollBatchReversal.objects.filter(batch_id=batch.pk).first()
        if done is not None:  # said before the "nothing left" check: it is the better answer
            raise _already(already, done.reversed_on)
        agg = DuesPayment.objects.filter(batch_id=batch.pk, reversal__isnull=True).aggregate(
            n=Count("pk"), total=Sum("amount")
        )
        if not agg["n"]:
            raise ValidationError(_("该批次的每笔缴费都已单独冲销，没有可冲销的金额。"))
        total = rules.fen(agg["total"])
        batch_reversal = _reverse_once(
            PayrollBatchReversal,
            {"batch_id": batch.pk},
            {
                "org_id": batch.org_id,
                "line_count": agg["n"],
                "total": total,
                "reversed_on": reversed_on,
                "reason": reason,
                "reversed_by": _user(actor),
            },
            already,
        )
        # One reversal per open payment of the batch, written by the database in one statement.
        ops = connection.ops
        with connection.cursor() as cur:
            cur.execute(
                "INSERT INTO dues_duesreversal (org_id, payment_id, batch_reversal_id, amount, reversed_on, "
                "reason, reversed_by_id, created_at) "
                "SELECT p.org_id, p.id, %s, p.amount, %s, %s, %s, %s FROM dues_duespayment p "
                "WHERE p.batch_id = %s AND NOT EXISTS "
                "(SELECT 1 FROM dues_duesreversal r WHERE r.payment_id = p.id)",
                [
                    batch_reversal.pk,
                    ops.adapt_datefield_value(reversed_on),
                    reason,
                    getattr(_user(actor), "pk", None),
                    ops.adapt_datetimefield_value(timezone.now()),
                    batch.pk,
                ],
            )
        # A batch pays each line at most once, so each line gives back exactly one amount.
        reversed_amount = DuesReversal.objects.filter(
            batch_reversal=batch_reversal, payment__line_id=OuterRef("pk")
        ).values("amount")[:1]
        DuesLine.objects.filter(
            pk__in=DuesPayment.objects.filter(reversal__batch_reversal=batch_reversal).values("line_id")
        ).update(paid=F("paid") - Subquery(reversed_amount))
        run.paid_amount -= total
        run.save(update_fields=["paid_amount", "updated_at"])
        audit_record(
            actor=actor,
            action="dues.batch_reverse",
            target=batch,
            org=run.org,
            target_label=f"{run.org.name} {run.month:%Y-%m} {batch.paid_on:%Y-%m-%d}",
            details={
                "month": run.month.isoformat(),
                "lines": agg["n"],
                "total": str(total),
                "reversed_on": reversed_on.isoformat(),
                "reason": reason,
            },
        )
    return batch_reversal


def funds_payment_reverse(
    *, payment: FundsPayment, reason: str, actor, reversed_on: date | None = None
) -> FundsPaymentReversal:
    """Reverse one union-funds payment: the month's paid, kept and remitted figures drop by exactly
    the parts the payment had added."""
    reason = _check_reason(reason)
    reversed_on = _check_reversed_on(reversed_on, payment.paid_on)
    with transaction.atomic():
        fa = FundsAssessment.objects.select_for_update().select_related("org").get(pk=payment.assessment_id)
        payment = FundsPayment.objects.get(pk=payment.pk)
        reversal = _reverse_once(
            FundsPaymentReversal,
            {"payment": payment},
            {
                "org_id": payment.org_id,
                "amount": payment.amount,
                "kept": payment.kept,
                "remitted": payment.remitted,
                "reversed_on": reversed_on,
                "reason": reason,
                "reversed_by": _user(actor),
            },
            _("凭证%(no)s的经费到账已于%(d)s冲销，不能重复冲销。"),
            no=payment.receipt_no,
        )
        fa.paid -= payment.amount
        fa.kept -= payment.kept
        fa.remitted -= payment.remitted
        fa.save(update_fields=["paid", "kept", "remitted", "updated_at"])
        audit_record(
            actor=actor,
            action="dues.funds_payment_reverse",
            target=payment,
            org=fa.org,
            target_label=f"{fa.org.name} {fa.month:%Y-%m}",
            details={
                "receipt_no": payment.receipt_no,
                "amount": str(payment.amount),
                "kept": str(payment.kept),
                "remitted": str(payment.remitted),
                "month": fa.month.isoformat(),
                "reversed_on": reversed_on.isoformat(),
                "reason": reason,
            },
        )
    return reversal
