"""Writes to the organization tree and its committees. Every function owns its transaction and
writes its audit event inside it."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.progress import progress_advance, progress_create, progress_fail, progress_finish, progress_start
from core.validators import fold_key, normalize_text, validate_uscc

from . import access, rules
from .models import (
    ALLOWED_PARENTS,
    COMMITTEE_POSITIONS,
    PATH_STEP,
    CommitteeMember,
    Organization,
    OrgWarning,
    Position,
    subtree_upper,
)
from .permissions import ORG_CHANGE

ORG_FIELDS = (
    "name",
    "unit_name",
    "credit_code",
    "ownership",
    "sector",
    "employee_count",
    "member_count",
    "address",
    "contact_phone",
    "founded_on",
    "term_start",
    "term_end",
)


PHONE_RE = re.compile(r"[0-9+\-()（） 转]{5,30}")


def _clean_org_fields(
    data: dict, *, instance: Organization | None = None, parent: Organization | None = None
) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    for key in ("name", "unit_name", "address", "contact_phone"):
        if key in cleaned:
            cleaned[key] = normalize_text(cleaned[key])
    if "name" in cleaned and not cleaned["name"]:
        errors.setdefault("name", []).append(_("请填写工会名称。"))
    elif cleaned.get("name"):
        parent_id = instance.parent_id if instance is not None else (parent.pk if parent else None)
        siblings = Organization.objects.filter(parent_id=parent_id)
        if instance is not None:
            siblings = siblings.exclude(pk=instance.pk)
        key = fold_key(cleaned["name"])  # "（集团）" and "(集团)" are the same name
        if parent_id is not None and any(fold_key(n) == key for n in siblings.values_list("name", flat=True)):
            errors.setdefault("name", []).append(
                _("上级组织下已有同名组织“%(n)s”。") % {"n": cleaned["name"]}
            )
    if cleaned.get("contact_phone") and not PHONE_RE.fullmatch(cleaned["contact_phone"]):
        errors.setdefault("contact_phone", []).append(_("联系电话只能包含数字、空格、“-”、“+”和括号。"))
    founded = cleaned.get("founded_on")
    if founded and founded > timezone.localdate():
        errors.setdefault("founded_on", []).append(_("成立日期不能晚于今天。"))
    members = cleaned.get("member_count", instance.member_count if instance else None)
    employees = cleaned.get("employee_count", instance.employee_count if instance else None)
    by_hand = instance is None or not instance.members.exists()  # else counted from the registry
    if by_hand and members and employees and members > employees:
        errors.setdefault("member_count", []).append(
            _("会员人数（%(m)d）多于职工人数（%(e)d），请核对。") % {"m": members, "e": employees}
        )
    code = cleaned.get("credit_code")
    if code:
        try:
            cleaned["credit_code"] = validate_uscc(code)
        except ValidationError as e:
            errors.setdefault("credit_code", []).extend(e.messages)
        else:
            clash = Organization.objects.filter(credit_code=cleaned["credit_code"])
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors.setdefault("credit_code", []).append(_("该统一社会信用代码已登记在其他组织下。"))
    elif "credit_code" in cleaned:
        cleaned["credit_code"] = ""
    start = cleaned.get("term_start", instance.term_start if instance else None)
    end = cleaned.get("term_end", instance.term_end if instance else None)
    if start and end and end <= start:
        errors.setdefault("term_end", []).append(_("任期届满日期必须晚于任期开始日期。"))
    for key in ("employee_count", "member_count"):
        if key in cleaned and cleaned[key] is not None and cleaned[key] < 0:
            errors.setdefault(key, []).append(_("人数不能为负数。"))
    if errors:
        raise ValidationError(errors)
    return cleaned


def org_create(*, actor, parent: Organization | None, kind: str, **fields) -> Organization:
    parent_kind = parent.kind if parent else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise ValidationError(_("不能在此类组织下建立该类型的组织。"))
    if parent is None and not getattr(actor, "is_superuser", False) and actor is not None:
        raise ValidationError(_("只有系统管理员可以建立顶级组织。"))
    if parent is not None and actor is not None and not access.can(actor, ORG_CHANGE, parent):
        raise ValidationError(_("您没有在该组织下建立下级组织的权限。"))
    cleaned = _clean_org_fields({k: v for k, v in fields.items() if k in ORG_FIELDS}, parent=parent)
    with transaction.atomic():
        org = Organization(kind=kind, parent=parent, path=f"tmp-{timezone.now().timestamp()}", **cleaned)
        org.depth = (parent.depth + 1) if parent else 0
        org.save()
        org.path = (parent.path if parent else "") + f"{org.pk:0{PATH_STEP}d}"
        org.save(update_fields=["path"])
        audit_record(
            actor=actor,
            action="org.create",
            target=org,
            org=org,
            details={"kind": kind, **_jsonable(cleaned)},
        )
    return org


def org_update(*, actor, org: Organization, **fields) -> Organization:
    cleaned = _clean_org_fields({k: v for k, v in fields.items() if k in ORG_FIELDS}, instance=org)
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        changes = {}
        for key, value in cleaned.items():
            old = getattr(org, key)
            if old != value:
                changes[key] = [_jsonable_value(old), _jsonable_value(value)]
                setattr(org, key, value)
        if changes:
            org.save(update_fields=[*changes.keys(), "updated_at"])
            audit_record(actor=actor, action="org.update", target=org, org=org, details={"changes": changes})
    return org


def committee_member_add(
    *,
    actor,
    org: Organization,
    name: str,
    position: str,
    term_start: date,
    term_end: date | None = None,
    sex: str = "",
    is_full_time: bool = False,
) -> CommitteeMember:
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": [_("请填写姓名。")]})
    if term_end and term_end <= term_start:
        raise ValidationError({"term_end": [_("任职届满日期必须晚于任职开始日期。")]})
    with transaction.atomic():
        if CommitteeMember.objects.filter(org=org, name=name, position=position).exists():
            raise ValidationError({"name": [_("%(name)s 已担任该职务。") % {"name": name}]})
        if position == Position.CHAIR and _current(org).filter(position=Position.CHAIR).exists():
            raise ValidationError({"position": [_("该组织已有在任主席，请先免去原主席。")]})
        member = CommitteeMember.objects.create(
            org=org,
            name=name,
            position=position,
            term_start=term_start,
            term_end=term_end,
            sex=sex,
            is_full_time=is_full_time,
        )
        audit_record(
            actor=actor,
            action="committee.add",
            target=member,
            org=org,
            details={"name": name, "position": position, "term_start": term_start.isoformat()},
        )
    return member


def committee_member_remove(*, actor, member: CommitteeMember) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="committee.remove",
            target=member,
            org=member.org,
            details={"name": member.name, "position": member.position},
        )
        member.delete()


def _current(org: Organization, today: date | None = None):
    today = today or timezone.localdate()
    return CommitteeMember.objects.filter(org=org).filter(Q(term_end__isnull=True) | Q(term_end__gte=today))


def warnings_recompute(*, orgs, today: date | None = None) -> int:
    """Recompute the stored warnings of the given organizations (a queryset). Returns how many
    warnings now stand. Derived data: no audit event."""
    today = today or timezone.localdate()
    active = Q(committee__term_end__isnull=True) | Q(committee__term_end__gte=today)
    rows = orgs.annotate(
        committee_size=Count("committee", filter=active & Q(committee__position__in=COMMITTEE_POSITIONS)),
        chairs=Count("committee", filter=active & Q(committee__position=Position.CHAIR)),
        committee_ever=Count("committee"),
    )
    now = timezone.now()
    new: list[OrgWarning] = []
    ids: list[int] = []
    for org in rows:
        ids.append(org.pk)
        facts = rules.OrgFacts(
            kind=org.kind,
            member_count=org.member_count,
            employee_count=org.employee_count,
            term_start=org.term_start,
            term_end=org.term_end,
            committee_size=org.committee_size,
            has_chair=org.chairs > 0,
            has_past_committee=org.committee_ever > 0,
        )
        for f in rules.check(facts, today):
            new.append(
                OrgWarning(org_id=org.pk, code=f.code, level=f.level, params=f.params, computed_at=now)
            )
    with transaction.atomic():
        OrgWarning.objects.filter(org_id__in=ids).delete()
        OrgWarning.objects.bulk_create(new, batch_size=1000)
    return len(new)


def warnings_recompute_start(*, actor, org: Organization):
    """Queue a background recomputation of the warnings of `org`'s whole subtree."""
    from .tasks import recompute_subtree_warnings

    with transaction.atomic():
        progress = progress_create(
            kind="orgs.warnings",
            label=_("重新检查“%(name)s”及下级组织的提醒事项") % {"name": org.name},
            requested_by=actor,
            org=org,
        )
        audit_record(actor=actor, action="org.warnings_recompute", target=org, org=org)
        transaction.on_commit(
            lambda: recompute_subtree_warnings.enqueue(org_id=org.pk, progress_id=str(progress.pk))
        )
    return progress


def warnings_recompute_run(*, org_id: int, progress_id: str, batch: int = 50) -> None:
    """Body of the background job: walk the subtree in batches and report progress."""
    try:
        org = Organization.objects.get(pk=org_id)
        subtree = Organization.objects.filter(path__gte=org.path, path__lt=subtree_upper(org.path)).order_by(
            "path"
        )
        ids = list(subtree.values_list("pk", flat=True))
        progress_start(progress_id, total=len(ids))
        count = 0
        for i in range(0, len(ids), batch):
            chunk = ids[i : i + batch]
            count += warnings_recompute(orgs=Organization.objects.filter(pk__in=chunk))
            progress_advance(progress_id, len(chunk))
        progress_finish(
            progress_id,
            message=_("已检查 %(n)d 个组织，发现 %(w)d 条提醒。") % {"n": len(ids), "w": count},
            result={"orgs": len(ids), "warnings": count},
        )
    except Exception as exc:
        progress_fail(progress_id, message=str(exc))
        raise


def _jsonable_value(v):
    if isinstance(v, date):
        return v.isoformat()
    return v


def _jsonable(d: dict) -> dict:
    return {k: _jsonable_value(v) for k, v in d.items()}
