"""Writes to the member registry. Every function owns its transaction, refuses bad input with a
Chinese ValidationError (saving nothing) and writes its audit event inside the transaction."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from audit.services import audit_record
from core import crypto
from core.services import sensitive_reveal
from core.texts import Message
from core.validators import mask_id_number, mask_mobile, normalize_text, parse_id_number, validate_mobile
from orgs import access
from orgs.models import Organization, OrgKind
from orgs.selectors import holding_union

from . import rules
from .models import (
    CLOSED_STATUSES,
    COUNTED_STATUSES,
    CorrectionRequest,
    CorrectionStatus,
    EventKind,
    Member,
    MemberEvent,
    MemberImport,
    MemberStatus,
    Transfer,
    TransferStatus,
)
from .permissions import MEMBER_CHANGE

# Kinds of organization that may hold memberships: grassroots unions (and their branches), and a
# township/street federation for workers whose employer has no union (DOMAIN.md §2).
HOLDING_KINDS = {OrgKind.UNION, OrgKind.BRANCH, OrgKind.GROUP, OrgKind.FEDERATION}

EDITABLE_FIELDS = (
    "name",
    "ethnicity",
    "education",
    "political_status",
    "employer",
    "department",
    "post",
    "joined_on",
    "is_migrant",
    "household_registration",
)


def today() -> date:
    return timezone.localdate()


# ---- helpers --------------------------------------------------------------------------------------


def id_hash(code: str) -> str:
    return crypto.blind_index(code, "member.id_number")


def phone_hash(code: str) -> str:
    return crypto.blind_index(code, "member.phone") if code else ""


def sensitive_columns(id_number: str | None, phone: str | None) -> dict:
    """Ciphertext, blind index, masked copy and last four characters of ID number and phone."""
    out: dict = {}
    if id_number is not None:
        out.update(
            id_number_enc=crypto.encrypt(id_number),
            id_number_hash=id_hash(id_number),
            id_number_masked=mask_id_number(id_number),
            id_last4=id_number[-4:],
        )
    if phone is not None:
        out.update(
            phone_enc=crypto.encrypt(phone) if phone else "",
            phone_hash=phone_hash(phone),
            phone_masked=mask_mobile(phone) if phone else "",
            phone_last4=phone[-4:] if phone else "",
        )
    return out


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})


def _check_holding_org(org: Organization) -> None:
    if org.kind not in HOLDING_KINDS or not org.is_active:
        raise ValidationError(_("该组织不能接收会员。"), code="org_kind")


def _check_date(on: date | None) -> date:
    on = on or today()
    if on > today():
        raise ValidationError({"on": [_("日期不能晚于今天。")]})
    return on


def _member_role_follows(member: Member, *, to_org: Organization | None) -> None:
    """A member's login follows the membership: its member role moves to the new union with a
    transfer, and goes when the membership ends (withdrawn, lapsed, expelled)."""
    if not member.user_id:
        return
    from accounts.models import Role, RoleAssignment

    held = RoleAssignment.objects.filter(user_id=member.user_id, role=Role.MEMBER, org_id=member.org_id)
    if (
        to_org is not None
        and not RoleAssignment.objects.filter(user_id=member.user_id, role=Role.MEMBER, org=to_org).exists()
    ):
        held.update(org=to_org)
    else:
        held.delete()


NOT_STATUS_EVENTS = (
    EventKind.UPDATED,
    EventKind.TRANSFER_REQUESTED,
    EventKind.TRANSFER_CANCELLED,
    EventKind.TRANSFER_REJECTED,
    EventKind.ERASED,
)


def _check_after_history(member: Member, on: date) -> None:
    """A change is dated on or after the member's last recorded change, and not before their birth
    (a timeline in order: an approval cannot precede the application)."""
    # membership changes only: an edit of the details or a transfer request is dated when it is
    # entered and says nothing of when the member joined, left or retired
    last = member.events.exclude(kind__in=NOT_STATUS_EVENTS).aggregate(last=Max("on"))["last"]
    if last and on < last:
        raise ValidationError(
            {"on": [_("日期不能早于该会员上一次会籍变动（%(d)s）。") % {"d": last.isoformat()}]}
        )
    if on < member.birth_date:
        raise ValidationError({"on": [_("日期不能早于出生日期。")]})


def member_count_refresh(*org_ids: int) -> None:
    """Keep Organization.member_count in step with the registry (active + retained members): for a
    union, branch or group, the members of its whole subtree (a union's members registered on its
    branches are the union's members too, in its membership rate and in the federation's sums of
    unions); for a federation, those it registered itself. Refreshes each organization given and
    the ones above it up to its union."""
    orgs = list(Organization.objects.filter(pk__in={o for o in org_ids if o}))
    paths = {p for o in orgs for p in o.ancestor_paths()}
    for org in Organization.objects.filter(path__in=paths):
        if org.kind == OrgKind.FEDERATION:
            if not any(o.pk == org.pk for o in orgs):
                continue  # a federation's count is not its unions' sum (selectors add those up)
            held = Member.objects.filter(org=org)
        else:
            held = Member.objects.filter(org__path__gte=org.path, org__path__lt=org.subtree_upper)
        n = held.filter(status__in=COUNTED_STATUSES).count()
        Organization.objects.filter(pk=org.pk).update(member_count=n)


def _event(member: Member, *, kind: str, actor, on: date, reason: str = "", org=None, **extra) -> MemberEvent:
    return MemberEvent.objects.create(
        member=member,
        org=org or member.org,
        kind=kind,
        on=on,
        reason=normalize_text(reason)[:200],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        **extra,
    )


def next_member_numbers(org: Organization, count: int, *, year: int | None = None) -> list[tuple[str, str]]:
    """`count` fresh (member number, card number) pairs for a member registered in `org`: one series
    per union, its branches and groups included (or per federation, for those it holds itself): the
    union's id (6 digits) and a 7-digit sequence; the card number starts with the year it is issued
    (`year`, this year unless given). Call with the union's row locked (_lock_numbering)."""
    prefix = f"{holding_union(org).pk:06d}"
    start = 1
    for no in (
        Member.objects.filter(member_no__gte=prefix, member_no__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))
        .order_by("-member_no")
        .values_list("member_no", flat=True)[:50]
    ):
        if len(no) == 13 and no.isdigit():
            start = int(no[6:]) + 1
            break
    year = year or today().year
    return [(f"{prefix}{n:07d}", f"{year}{prefix}{n:07d}") for n in range(start, start + count)]


def _lock_org(org_id: int) -> Organization:
    return Organization.objects.select_for_update().get(pk=org_id)


def _lock_numbering(org: Organization) -> None:
    """Lock the row of the union whose member number series `org` uses (next_member_numbers)."""
    _lock_org(holding_union(org).pk)


def _lock_member(member: Member) -> Member:
    return Member.objects.select_for_update().select_related("org").get(pk=member.pk)


# ---- create / apply / update ----------------------------------------------------------------------


def _clean_for_create(data: dict) -> tuple[dict, str, str]:
    raw = {k: data.get(k) for k in ("id_number", "phone", *EDITABLE_FIELDS) if k in data}
    raw.setdefault("name", data.get("name"))
    raw.setdefault("id_number", data.get("id_number"))
    cleaned, errors = rules.clean_member(raw, today=today())
    if (
        "id_number" in cleaned
        and Member.objects.filter(id_number_hash=id_hash(cleaned["id_number"])).exists()
    ):
        errors.setdefault("id_number", _("该身份证号已登记为会员（每人只能有一条会员记录）。"))
    _raise(errors)
    id_number = cleaned.pop("id_number")
    phone = cleaned.pop("phone", "")
    return cleaned, id_number, phone


def member_create(
    *, org: Organization, data: dict, actor, approve: bool = True, on: date | None = None
) -> Member:
    """Staff enter a member (from a paper application); by default approved at once."""
    _check_holding_org(org)
    on = _check_date(on)
    with transaction.atomic():
        cleaned, id_number, phone = _clean_for_create(data)
        member = Member.objects.create(
            org=org,
            status=MemberStatus.APPLIED,
            consent_at=timezone.now() if data.get("consent") else None,
            **cleaned,
            **sensitive_columns(id_number, phone),
        )
        _event(member, kind=EventKind.CREATED, actor=actor, on=on, to_status=MemberStatus.APPLIED)
        audit_record(actor=actor, action="members.member_create", target=member, org=org)
        if approve:
            _approve(member, actor=actor, on=on, joined_on=cleaned.get("joined_on") or on)
        return member


def member_apply(*, org: Organization, data: dict, consent: bool, actor=None) -> Member:
    """An online application from the union's QR code form. Needs the applicant's consent. A former
    member (withdrawn or lapsed) re-applies on the same record: one record per ID number."""
    _check_holding_org(org)
    raw = {
        k: data.get(k) for k in ("name", "id_number", "phone", "employer", "department", "post", "is_migrant")
    }
    cleaned, errors = rules.clean_member(raw, today=today())
    if not normalize_text(data.get("phone") or ""):
        errors["phone"] = _("请填写手机号，以便工会联系您。")
    if not consent:
        errors["consent"] = _("请阅读上面的个人信息说明，勾选同意后再提交。")
    _raise(errors)  # every mistake at once, on a phone
    id_number = cleaned.pop("id_number")
    phone = cleaned.pop("phone")
    try:
        with transaction.atomic():
            return _apply(org=org, cleaned=cleaned, id_number=id_number, phone=phone, actor=actor)
    except IntegrityError:
        # Two first submissions at once (a double tap): the other created the record meanwhile (its
        # row did not exist to be locked); this one now finds it.
        with transaction.atomic():
            return _apply(org=org, cleaned=cleaned, id_number=id_number, phone=phone, actor=actor)


def _apply(*, org: Organization, cleaned: dict, id_number: str, phone: str, actor) -> Member:
    on = today()
    existing = Member.objects.select_for_update().filter(id_number_hash=id_hash(id_number)).first()
    if (
        existing is not None
        and existing.status == MemberStatus.APPLIED
        and existing.org_id == org.pk
        and existing.name == cleaned["name"]
    ):
        # The same application sent again (a double tap, a reload, a typo put right): one
        # application, with what was sent last.
        for key, value in cleaned.items():
            setattr(existing, key, value)
        for key, value in sensitive_columns(None, phone).items():
            setattr(existing, key, value)
        existing.consent_at = timezone.now()
        existing.save()
        audit_record(
            actor=actor, action="members.member_apply", target=existing, org=org, details={"again": True}
        )
        return existing
    if existing is not None:
        # A public form: it says neither the record's status nor its union, and a former member's
        # record is taken up again only under the same real name.
        if existing.status not in rules.TRANSITIONS["reapply"][0] or existing.name != cleaned["name"]:
            raise ValidationError(
                {
                    "id_number": [
                        _(
                            "该身份证号已有入会申请或会员记录，不能在线再次申请。如需转入本工会或恢复会籍，请联系工会办理。"
                        )
                    ]
                }
            )
        old_status, old_org = existing.status, existing.org_id
        for key, value in cleaned.items():
            setattr(existing, key, value)
        for key, value in sensitive_columns(None, phone).items():
            setattr(existing, key, value)
        if old_org != org.pk:
            # A new membership in another union: approval dates it. The member and card numbers stay
            # with the person, as on a transfer: numbers are taken as the highest one + 1, so a number
            # given up would be issued again to someone else.
            existing.joined_on = None
        existing.org = org
        existing.status = MemberStatus.APPLIED
        existing.consent_at = timezone.now()
        existing.save()
        member = existing
        _event(
            member,
            kind=EventKind.APPLIED,
            actor=actor,
            on=on,
            from_status=old_status,
            to_status=MemberStatus.APPLIED,
            from_org_id=old_org if old_org != org.pk else None,
            reason=rules.stored_text(_l("重新申请入会")),
        )
    else:
        member = Member.objects.create(
            org=org,
            status=MemberStatus.APPLIED,
            consent_at=timezone.now(),
            **cleaned,
            **sensitive_columns(id_number, phone),
        )
        _event(
            member,
            kind=EventKind.APPLIED,
            actor=actor,
            on=on,
            to_status=MemberStatus.APPLIED,
            reason=rules.stored_text(_l("在线申请")),
        )
    audit_record(actor=actor, action="members.member_apply", target=member, org=org)
    return member


# Fields that follow from others (the name's pinyin; birth date and sex from the ID number): an
# edit's timeline entry names what the clerk changed, not these.
DERIVED_FIELDS = ("name_pinyin", "name_initials", "name_sort", "birth_date", "sex")


def member_update(*, member: Member, data: dict, actor) -> Member:
    """Correct a member's details. ID number and phone may be changed too (re-encrypted)."""
    from .selectors import first_changes_after_joining  # selectors import this module

    with transaction.atomic():
        member = _lock_member(member)
        if member.erased_at is not None:
            raise ValidationError(_("该记录的个人信息已删除，不能再修改。"))
        raw = {k: data[k] for k in EDITABLE_FIELDS if k in data}
        raw.setdefault("name", member.name)
        id_given = normalize_text(data.get("id_number") or "")
        raw["id_number"] = id_given or "000000000000000000"
        if "phone" in data:
            raw["phone"] = data.get("phone")
        cleaned, errors = rules.clean_member(raw, today=today())
        if not id_given:
            errors.pop("id_number", None)
            for k in ("id_number", "birth_date", "sex"):
                cleaned.pop(k, None)
        elif "id_number" in cleaned:
            clash = Member.objects.filter(id_number_hash=id_hash(cleaned["id_number"])).exclude(pk=member.pk)
            if clash.exists():
                errors["id_number"] = _("该身份证号已登记在另一会员名下。")
        if "joined_on" in raw and not cleaned.get("joined_on") and member.joined_on:
            # A member who has joined keeps a joining date: it may be corrected, not erased.
            errors.setdefault("joined_on", _("入会日期不能清空，如有错误请改为正确日期。"))
        if (joined := cleaned.get("joined_on")) and "joined_on" not in errors:
            if joined < cleaned.get("birth_date", member.birth_date):
                errors["joined_on"] = _("入会日期早于出生日期。")
            elif (later := first_changes_after_joining([member.pk]).get(member.pk)) and joined > later.on:
                errors["joined_on"] = _("入会日期不能晚于此后的会籍变动（%(d)s %(k)s）。") % {
                    "d": later.on.isoformat(),
                    "k": later.get_kind_display(),
                }
        _raise(errors)
        changed = []
        id_number = cleaned.pop("id_number", None)
        phone = cleaned.pop("phone", None)
        if "phone" not in data:
            phone = None
        for key, value in cleaned.items():
            if getattr(member, key) != value:
                setattr(member, key, value)
                changed.append(key)
        moved_from = None
        to_org = data.get("org")
        if to_org is not None and to_org.pk != member.org_id:
            union = holding_union(member.org)
            # Within one union only (its branches and groups, not a union nested below it), and
            # only where the actor may change members.
            if (
                union.kind != OrgKind.UNION
                or holding_union(to_org).pk != union.pk
                or not to_org.is_active
                or (
                    getattr(actor, "is_authenticated", False) and not access.can(actor, MEMBER_CHANGE, to_org)
                )
            ):
                raise ValidationError({"org": [_("只能调整到本会及其分会、小组；调往其他工会请办理转会。")]})
            _member_role_follows(member, to_org=to_org)  # before the member's org changes
            moved_from, member.org = member.org, to_org
            changed.append("org")
        sens = sensitive_columns(id_number, phone)
        if id_number is not None and sens["id_number_hash"] != member.id_number_hash:
            changed.append("id_number")
        if phone is not None and sens["phone_hash"] != member.phone_hash:
            changed.append("phone")
        for key, value in sens.items():
            if key.startswith("id_") and "id_number" not in changed:
                continue
            if key.startswith("phone") and "phone" not in changed:
                continue
            setattr(member, key, value)
        if not changed:
            return member
        member.save()
        with rules.stored_language():  # stored in the installation's language
            _event(
                member,
                kind=EventKind.UPDATED,
                actor=actor,
                on=today(),
                reason=_("修改：%(f)s")
                % {
                    "f": "、".join(
                        str(Member._meta.get_field(f).verbose_name)
                        if f not in ("id_number", "phone", "org")
                        else {
                            "id_number": _("身份证号"),
                            "phone": _("手机号"),
                            "org": _("所在组织（%(a)s → %(b)s）")
                            % {"a": moved_from.name if moved_from else "", "b": member.org.name},
                        }[f]
                        for f in changed
                        if f not in DERIVED_FIELDS
                    )
                },
            )
        audit_record(
            actor=actor,
            action="members.member_update",
            target=member,
            org=member.org,
            details={
                "fields": changed,
                **({"from_org": moved_from.pk, "to_org": member.org_id} if moved_from else {}),
            },
        )
        if moved_from is not None:
            member_count_refresh(moved_from.pk, member.org_id)
        return member


# ---- lifecycle ------------------------------------------------------------------------------------


def _approve(member: Member, *, actor, on: date, joined_on: date | None = None) -> Member:
    _check_after_history(member, on)
    _lock_numbering(member.org)  # the union's row first: rows above are locked before rows below
    org = _lock_org(member.org_id)
    old = member.status
    member.status = rules.check_transition("approve", member.status)
    if not member.member_no:
        # The card is issued on approval: an approval entered afterwards keeps its own year.
        member.member_no, member.card_no = next_member_numbers(org, 1, year=on.year)[0]
    member.joined_on = joined_on or member.joined_on or on
    member.save(update_fields=["status", "member_no", "card_no", "joined_on", "updated_at"])
    _event(member, kind=EventKind.APPROVED, actor=actor, on=on, from_status=old, to_status=member.status)
    audit_record(
        actor=actor,
        action="members.member_approve",
        target=member,
        org=member.org,
        details={"member_no": member.member_no},
    )
    member_count_refresh(member.org_id)
    return member


def member_approve(*, member: Member, actor, on: date | None = None) -> Member:
    """Approval by the grassroots committee: the member gets a member number and a card number."""
    on = _check_date(on)
    with transaction.atomic():
        member = _lock_member(member)
        return _approve(member, actor=actor, on=on)


def _transition(
    member: Member,
    transition: str,
    *,
    actor,
    reason: str,
    on: date | None,
    kind: str,
    action: str,
    need_reason: bool = True,
) -> Member:
    on = _check_date(on)
    if need_reason and not normalize_text(reason):
        raise ValidationError({"reason": [_("请填写原因。")]})
    with transaction.atomic():
        member = _lock_member(member)
        _check_after_history(member, on)
        if (
            transition in ("withdraw", "lapse", "expel", "retain")
            and member.transfers.filter(status=TransferStatus.PENDING).exists()
        ):
            raise ValidationError(_("该会员有待接收的转会申请，请先撤回转会。"))
        old = member.status
        member.status = rules.check_transition(transition, member.status)
        member.save(update_fields=["status", "updated_at"])
        _event(member, kind=kind, actor=actor, on=on, from_status=old, to_status=member.status, reason=reason)
        audit_record(
            actor=actor,
            action=action,
            target=member,
            org=member.org,
            details={"from": old, "to": member.status, "reason": normalize_text(reason)},
        )
        if member.status not in COUNTED_STATUSES:
            _member_role_follows(member, to_org=None)
        member_count_refresh(member.org_id)
        return member


def member_reject(*, member: Member, actor, reason: str) -> Member:
    return _transition(
        member,
        "reject",
        actor=actor,
        reason=reason,
        on=None,
        kind=EventKind.REJECTED,
        action="members.member_reject",
    )


def member_retain(*, member: Member, actor, reason: str, on: date | None = None) -> Member:
    """Retained membership (保留会籍): retired, unemployed, unit closed. No dues, no vote."""
    return _transition(
        member,
        "retain",
        actor=actor,
        reason=reason,
        on=on,
        kind=EventKind.RETAINED,
        action="members.member_retain",
    )


def member_restore(*, member: Member, actor, reason: str, on: date | None = None) -> Member:
    return _transition(
        member,
        "restore",
        actor=actor,
        reason=reason,
        on=on,
        kind=EventKind.RESTORED,
        action="members.member_restore",
    )


def member_withdraw(*, member: Member, actor, reason: str, on: date | None = None) -> Member:
    """Withdrawal (退会) at the member's own request."""
    return _transition(
        member,
        "withdraw",
        actor=actor,
        reason=reason,
        on=on,
        kind=EventKind.WITHDRAWN,
        action="members.member_withdraw",
    )


def member_lapse(*, member: Member, actor, reason: str, on: date | None = None) -> Member:
    """Lapse (自动退会) decided by a person after 6 months without dues and a talk with the member.
    Only for a lapse candidate: a member who asks to leave withdraws (退会) instead."""
    from .selectors import lapse_refusal  # selectors import this module

    fresh = Member.objects.get(pk=member.pk)
    rules.check_transition("lapse", fresh.status)  # the state machine's refusal first
    if (why := lapse_refusal(fresh)) is not None:
        raise ValidationError(why)
    return _transition(
        member,
        "lapse",
        actor=actor,
        reason=reason,
        on=on,
        kind=EventKind.LAPSED,
        action="members.member_lapse",
    )


def member_expel(*, member: Member, actor, reason: str, on: date | None = None) -> Member:
    """Expulsion (开除会籍): only after a criminal conviction, by committee decision."""
    return _transition(
        member,
        "expel",
        actor=actor,
        reason=reason,
        on=on,
        kind=EventKind.EXPELLED,
        action="members.member_expel",
    )


# ---- transfer -------------------------------------------------------------------------------------


def transfer_request(
    *, member: Member, to_org: Organization, actor, reason: str = "", new_employer: str = ""
) -> Transfer:
    """The sending union asks the receiving union to take the member over (转会)."""
    _check_holding_org(to_org)
    with transaction.atomic():
        member = _lock_member(member)
        rules.check_transition("transfer", member.status)
        if to_org.pk == member.org_id:
            raise ValidationError({"to_org": [_("转入工会不能与当前工会相同。")]})
        if to_org.pk == holding_union(member.org).pk:
            raise ValidationError(
                {
                    "to_org": [
                        _(
                            "该会员已在%(org)s（含其分会、小组）登记，本会内部调动请在会员信息中修改所在组织，无需转会。"
                        )
                        % {"org": to_org.name}
                    ]
                }
            )
        if member.transfers.filter(status=TransferStatus.PENDING).exists():
            raise ValidationError(_("该会员已有一份待接收的转会申请。"))
        transfer = Transfer.objects.create(
            member=member,
            org=member.org,
            to_org=to_org,
            reason=normalize_text(reason)[:200],
            new_employer=normalize_text(new_employer)[:120],
            requested_by=actor,
        )
        _event(
            member,
            kind=EventKind.TRANSFER_REQUESTED,
            actor=actor,
            on=today(),
            reason=reason,
            from_org=member.org,
            to_org=to_org,
        )
        audit_record(
            actor=actor,
            action="members.transfer_request",
            target=member,
            org=member.org,
            details={"to_org": to_org.pk},
        )
        text = Message(
            gettext_noop("%(org)s申请将会员%(name)s转入本会，请接收或拒绝。"),
            {"org": member.org.name, "name": member.name},
        )
        _tell(to_org, text, skip_user=actor)
        return transfer


def _tell(org: Organization, text: Message, *, skip_user=None) -> None:
    """The people running `org`'s union (a member registered on a branch: its union's) get a notice
    leading to the transfers page (deadlines' bell), as well as any clerk of the branch itself."""
    from django.urls import reverse

    from deadlines.services import notify_org

    for side in {org, holding_union(org)}:
        notify_org(org=side, text=text, url=reverse("members:transfers"), skip_user=skip_user)


def _lock_transfer(transfer: Transfer) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update().select_related("member", "org", "to_org").get(pk=transfer.pk)
    )
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(_("该转会申请已处理（%(s)s）。") % {"s": transfer.get_status_display()})
    return transfer


def transfer_accept(*, transfer: Transfer, actor, on: date | None = None) -> Transfer:
    """The receiving union accepts: the member moves, the history is written into both unions."""
    on = _check_date(on)
    with transaction.atomic():
        transfer = _lock_transfer(transfer)
        if on < (asked := timezone.localdate(transfer.requested_at)):
            raise ValidationError(
                {"on": [_("转入日期不能早于转会申请的日期（%(d)s）。") % {"d": f"{asked:%Y-%m-%d}"}]}
            )
        member = _lock_member(transfer.member)
        _check_after_history(member, on)
        rules.check_transition("transfer", member.status)
        from_org, to_org = transfer.org, transfer.to_org
        _member_role_follows(member, to_org=to_org)
        member.org = to_org
        if transfer.new_employer:
            member.employer = transfer.new_employer
            member.department = ""
            member.post = ""
        member.save()
        # Each union's record names its own handler: who asked for the transfer in the sending union,
        # who accepted it in the receiving one.
        for side, handler in ((from_org, transfer.requested_by), (to_org, actor)):
            _event(
                member,
                kind=EventKind.TRANSFERRED,
                actor=handler,
                on=on,
                org=side,
                from_org=from_org,
                to_org=to_org,
                from_status=member.status,
                to_status=member.status,
                reason=transfer.reason,
            )
        transfer.status = TransferStatus.ACCEPTED
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="members.transfer_accept",
            target=member,
            org=to_org,
            details={"from_org": from_org.pk, "to_org": to_org.pk},
        )
        member_count_refresh(from_org.pk, to_org.pk)
        text = Message(
            gettext_noop("%(org)s已接收会员%(name)s转入。"), {"org": to_org.name, "name": member.name}
        )
        _tell(from_org, text, skip_user=actor)
        return transfer


def transfer_reject(*, transfer: Transfer, actor, reason: str) -> Transfer:
    if not normalize_text(reason):
        raise ValidationError({"reason": [_("请填写拒绝接收的原因。")]})
    return _transfer_close(
        transfer, actor=actor, status=TransferStatus.REJECTED, reason=reason, action="members.transfer_reject"
    )


def transfer_cancel(*, transfer: Transfer, actor, reason: str = "") -> Transfer:
    return _transfer_close(
        transfer,
        actor=actor,
        status=TransferStatus.CANCELLED,
        reason=reason,
        action="members.transfer_cancel",
    )


def _transfer_close(transfer: Transfer, *, actor, status: str, reason: str, action: str) -> Transfer:
    with transaction.atomic():
        transfer = _lock_transfer(transfer)
        transfer.status = status
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.save(update_fields=["status", "decided_by", "decided_at"])
        # The kind says who closed it (the receiving union refused, or the sender withdrew); the
        # reason is what that person typed.
        rejected = status == TransferStatus.REJECTED
        _event(
            transfer.member,
            kind=EventKind.TRANSFER_REJECTED if rejected else EventKind.TRANSFER_CANCELLED,
            actor=actor,
            on=today(),
            org=transfer.org,
            from_org=transfer.org,
            to_org=transfer.to_org,
            reason=normalize_text(reason),
        )
        audit_record(
            actor=actor,
            action=action,
            target=transfer.member,
            org=transfer.org,
            details={"to_org": transfer.to_org_id, "reason": reason},
        )
        names = {"name": transfer.member.name, "from": transfer.org.name, "to": transfer.to_org.name}
        if rejected:  # the sending union learns why (a refusal always gives its reason)
            text = Message(
                gettext_noop("%(to)s拒绝接收会员%(name)s转入：%(r)s"), {**names, "r": normalize_text(reason)}
            )
        else:  # the receiving union need no longer decide
            text = Message(gettext_noop("%(from)s撤回了会员%(name)s转入本会的申请。"), names)
        _tell(transfer.to_org if not rejected else transfer.org, text, skip_user=actor)
        return transfer


# ---- sensitive data, corrections ------------------------------------------------------------------

REVEALABLE = {"id_number": ("id_number_enc", _l("身份证号")), "phone": ("phone_enc", _l("手机号"))}


def member_reveal(*, member: Member, field: str, actor, own: str = "") -> str:
    """Plaintext of a member's ID number or phone for a permitted user; writes the audit event.
    `own`: the member's own, "download" (in the download of their data) or "view" (on their data
    page, PIPL art. 45), and the event says so."""
    if field not in REVEALABLE:
        raise ValidationError(_("不支持查看该字段。"))
    if member.erased_at is not None:
        raise ValidationError(_("该记录的个人信息已删除。"))
    column, label = REVEALABLE[field]
    with rules.stored_language():
        if own == "download":
            label = _("%(f)s（本人下载个人信息）") % {"f": label}
        elif own == "view":
            label = _("%(f)s（本人查看）") % {"f": label}
        else:
            label = str(label)
    return sensitive_reveal(
        actor=actor,
        obj=member,
        field=column,
        ciphertext=getattr(member, column),
        org=member.org,
        label=label,
    )


def correction_reveal(*, request: CorrectionRequest, actor) -> str:
    """The ID number or phone a member asked to be registered, in full, for the clerk who checks it
    before correcting (audited like any reveal)."""
    if (
        request.field not in SENSITIVE_CORRECTIONS
        or not request.requested_value_enc
        or request.status != CorrectionStatus.OPEN  # once decided, there is nothing left to check
    ):
        raise ValidationError(_("不支持查看该字段。"))
    with rules.stored_language():
        label = _("更正申请中的%(f)s") % {"f": REVEALABLE[request.field][1]}
    return sensitive_reveal(
        actor=actor,
        obj=request.member,
        field="requested_value_enc",
        ciphertext=request.requested_value_enc,
        org=request.org,
        label=label,
    )


SENSITIVE_CORRECTIONS = ("id_number", "phone")
CORRECTABLE = {
    "name": _l("姓名"),
    "id_number": _l("身份证号"),
    "phone": _l("手机号"),
    "ethnicity": _l("民族"),
    "education": _l("学历"),
    "political_status": _l("政治面貌"),
    "employer": _l("工作单位"),
    "department": _l("部门"),
    "post": _l("岗位"),
    "household_registration": _l("户籍所在地"),
    "other": _l("其他"),
}


def _holds_already(member: Member, field: str, value: str) -> bool:
    """The registry already holds what a correction asks for (a sensitive value by its blind index, a
    choice by its code or its label)."""
    if field == "id_number":
        return member.id_number_hash == crypto.blind_index(value, "member.id_number")
    if field == "phone":
        return member.phone_hash == crypto.blind_index(value, "member.phone")
    if field not in CORRECTABLE or field == "other":
        return False
    held = getattr(member, field)
    shown = getattr(member, f"get_{field}_display", lambda: held)()
    return value in (held, str(shown))


def correction_request(*, member: Member, field: str, value: str, note: str = "", actor) -> CorrectionRequest:
    """A member asks the union to correct data held about them (PIPL art. 46)."""
    value = normalize_text(value)
    errors = {}
    if field not in CORRECTABLE:
        errors["field"] = _("请选择需要更正的信息。")
    if not value:
        errors["requested_value"] = _("请填写正确的内容。")
    _raise(errors)
    shown, secret = value[:200], ""
    if field in SENSITIVE_CORRECTIONS:
        # Checked as the registry would check it, then kept like the registry keeps it: encrypted,
        # and masked on the staff's screen.
        try:
            if field == "id_number":
                value = parse_id_number(value, today=today())[0]
                shown = mask_id_number(value)
            else:
                value = validate_mobile(value)
                shown = mask_mobile(value)
        except ValidationError as e:
            raise ValidationError({"requested_value": e.messages}) from None
        secret = crypto.encrypt(value)
    if _holds_already(member, field, value):
        raise ValidationError({"requested_value": [_("与登记的信息相同，无需更正。")]})
    with transaction.atomic():
        if _lock_member(member).erased_at is not None:
            raise ValidationError(_("该记录的个人信息已删除。"))
        if member.corrections.filter(status=CorrectionStatus.OPEN, field=field).exists():
            raise ValidationError(_("这项信息已有一份待处理的更正申请。"))
        req = CorrectionRequest.objects.create(
            member=member,
            org=member.org,
            field=field,
            requested_value=shown,
            requested_value_enc=secret,
            note=normalize_text(note)[:300],
        )
        audit_record(
            actor=actor,
            action="members.correction_request",
            target=member,
            org=member.org,
            details={"field": field},
        )
        return req


def correction_decide(
    *, request: CorrectionRequest, accept: bool, actor, note: str = ""
) -> CorrectionRequest:
    """Staff close a correction request; accepting applies the change through member_update. A
    refusal must say why (PIPL art. 50): the member reads `note` on their data page."""
    note = normalize_text(note)
    if not accept and not note:
        raise ValidationError({"decision_note": _("不予更正时请写明理由，会员会在“我的信息”页看到。")})
    if len(note) > 300:
        raise ValidationError({"decision_note": _("说明过长（最多300个字）。")})
    with transaction.atomic():
        _lock_member(request.member)  # first, as member_erase does: one order, no deadlock
        req = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        if req.status != CorrectionStatus.OPEN:
            raise ValidationError(_("该更正申请已处理。"))
        if accept and req.field != "other":
            value = (
                crypto.decrypt(req.requested_value_enc) if req.requested_value_enc else req.requested_value
            )
            member_update(member=req.member, data={req.field: value}, actor=actor)
        req.status = CorrectionStatus.DONE if accept else CorrectionStatus.DECLINED
        req.decided_by = actor
        req.decided_at = timezone.now()
        req.decision_note = note
        req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=actor,
            action="members.correction_decide",
            target=req.member,
            org=req.org,
            details={"field": req.field, "accepted": accept, "note": note},
        )
        _tell_member_of_correction(req)
        return req


def _tell_member_of_correction(req: CorrectionRequest) -> None:
    """The member who asked hears the answer in the bell (the request is theirs; staff may have
    filed it for a member without an account, who is told nothing here)."""
    from django.urls import reverse

    from deadlines.services import notify_user

    user = req.member.user
    if user is None:
        return
    what = rules.stored_text(CORRECTABLE.get(req.field, req.field))  # the label's source text
    if req.status == CorrectionStatus.DONE:
        text = Message(gettext_noop("您申请更正的“%(f)s”已按申请更正。"), {"f": what}, translate=("f",))
    else:
        text = Message(
            gettext_noop("您申请更正的“%(f)s”未予更正，理由：%(r)s"),
            {"f": what, "r": req.decision_note},
            translate=("f",),
        )
    notify_user(user=user, org=req.org, text=text, url=reverse("members:my_data"))


# ---- deleting a former member's personal data (PIPL art. 47) ----------------------------------------
#
# When membership ends (withdrawal, lapse, expulsion) or an application is turned down, the purpose
# of holding the person's data ends; after the retention period (settings: GONGHUI_MEMBERS
# "retention_years") the record is due for deletion (selectors.erasure_due), and a chair may delete
# it earlier (the person asks: consent withdrawn). The record itself stays as the union's history
# (name, member and card number, sex, birth year, dates, timeline, dues): statements and receipts
# are accounting records. Everything else that identifies or describes the person goes, and the
# ID number's blind index is replaced, so the same person can join again as a new record.

ERASED_BLANK = (
    "id_number_enc",
    "id_number_masked",
    "id_last4",
    "phone_enc",
    "phone_hash",
    "phone_masked",
    "phone_last4",
    # what describes the person beyond the name and the membership dates
    *(f for f in EDITABLE_FIELDS if f not in ("name", "joined_on", "is_migrant")),
)


def _erase(member: Member, *, actor, reason: str, now) -> None:
    """Delete one locked, closed record's personal data; its event and audit record."""
    for f in ERASED_BLANK:
        setattr(member, f, "")
    if member.status != MemberStatus.EXPELLED:
        member.id_number_hash = f"erased:{member.pk}"  # unique, and matches no ID number's hash
    # else the blind index (a keyed hash, not the number) stays: an expulsion is filed with the
    # higher union, and an application or an import under the same ID number is still refused
    member.birth_date = member.birth_date.replace(month=1, day=1)  # the year is kept (statistics)
    user = member.user
    member.user = None  # a login the person kept no longer opens the record
    member.erased_at = now
    member.save(
        update_fields=[*ERASED_BLANK, "id_number_hash", "birth_date", "user", "erased_at", "updated_at"]
    )
    with rules.stored_language():
        closed_note = _("个人信息已删除")
    # A correction the person asked for holds a new value (an ID number or phone among them).
    member.corrections.filter(status=CorrectionStatus.OPEN).update(
        status=CorrectionStatus.DECLINED, decided_at=now, decision_note=closed_note
    )
    member.corrections.update(requested_value="", requested_value_enc="", note="")
    member.transfers.update(new_employer="")
    try:
        from dues.models import WageBase
    except ImportError:
        pass
    else:
        # the exact wage goes; the base the statements were computed on (whole yuan) stays with them
        WageBase.objects.filter(member=member).update(wage_enc="")
    if user is not None and not user.roles.exists():
        # the member's own login, without a role since membership ended: closed, its contacts gone
        user.is_active = False
        user.mobile = ""
        user.email = ""
        user.save(update_fields=["is_active", "mobile", "email"])
    _event(member, kind=EventKind.ERASED, actor=actor, on=timezone.localdate(now), reason=reason)
    audit_record(
        actor=actor,
        action="members.member_erase",
        target=member,
        org=member.org,
        details={"reason": normalize_text(reason)[:200]},
    )


def _erase_reason(reason: str) -> None:
    if not normalize_text(reason):
        raise ValidationError({"reason": [_("请填写删除的原因，如：本人要求删除、保存期限届满。")]})


def member_erase(*, member: Member, actor, reason: str) -> Member:
    """Delete a former member's (or a turned-down applicant's) personal data. Irreversible."""
    _erase_reason(reason)
    with transaction.atomic():
        member = _lock_member(member)
        if (why := rules.erasure_refusal(member)) is not None:
            raise ValidationError(why)
        _erase(member, actor=actor, reason=reason, now=timezone.now())
        return member


def member_erase_due(*, user, org: Organization | None, actor, reason: str, ids: list[int]) -> int:
    """Delete the personal data of the records the erasure list showed (`ids`) that are still due
    for deletion (selectors.erasure_due, in `user`'s scope): all in one transaction. Returns how many."""
    from .selectors import erasure_due  # selectors import this module

    _erase_reason(reason)
    now = timezone.now()
    with transaction.atomic():
        pks = list(erasure_due(user, org).filter(pk__in=ids).values_list("pk", flat=True))
        locked = (
            Member.objects.select_for_update(of=("self",))
            .select_related("org", "user")
            .filter(pk__in=pks, erased_at__isnull=True, status__in=CLOSED_STATUSES)
            .order_by("pk")
        )
        n = 0
        for member in locked:
            _erase(member, actor=actor, reason=reason, now=now)
            n += 1
        return n


# ---- a member's own login ------------------------------------------------------------------------


def member_account_invite(*, member: Member, actor):
    """Open a login for a member (self-service: card, history, dues, data): an account with the
    member role in their union, its user name their member number, linked to the record, and a
    one-time invitation link to set a password. Returns (user, raw token)."""
    from accounts.models import Role
    from accounts.services import user_invite

    with transaction.atomic():
        member = _lock_member(member)
        if member.user_id:
            raise ValidationError(_("该会员已开通登录账号。"))
        if member.status not in COUNTED_STATUSES or not member.member_no:
            raise ValidationError(_("只有在籍或保留会籍的会员可以开通登录账号。"))
        user, raw = user_invite(
            actor=actor, org=member.org, role=Role.MEMBER, username=member.member_no, full_name=member.name
        )
        member.user = user
        member.save(update_fields=["user", "updated_at"])
        audit_record(
            actor=actor,
            action="members.account_invite",
            target=member,
            org=member.org,
            details={"username": user.username},
        )
    return user, raw


# ---- import -----------------------------------------------------------------------------------------


def may_download_import_errors(user, imp: MemberImport) -> bool:
    """The error report repeats the failing rows as uploaded, ID numbers and phones unmasked: it is
    for the one who uploaded the file (who holds it anyway) and for those who may reveal."""
    from orgs import access

    from .permissions import MEMBER_REVEAL

    return imp.created_by_id == user.pk or access.can(user, MEMBER_REVEAL, imp.org)


def import_error_report(*, imp: MemberImport, actor) -> bytes:
    """The uploaded sheet's failing rows with an error column (xlsx); audited like a reveal."""
    from . import importing

    if not may_download_import_errors(actor, imp):
        raise PermissionDenied
    if not imp.file:
        raise ValidationError(_("上传的文件已超过保存期限被删除，请重新上传。"))
    with imp.file.open("rb") as fh:
        data = fh.read()
    content = importing.error_report_xlsx(importing.read_table(data, imp.filename), imp.errors)
    audit_record(
        actor=actor,
        action="members.import_error_report",
        target=imp,
        org=imp.org,
        details={"rows": len({e["row"] for e in imp.errors}), "filename": imp.filename},
    )
    return content


def import_preview(*, org: Organization, filename: str, data: bytes, actor) -> MemberImport:
    """Store an upload and check every row. Refuses bad files with a clear message (nothing saved)."""
    from django.core.files.base import ContentFile

    from . import importing

    _check_holding_org(org)
    try:
        table = importing.read_table(data, filename)
        result = importing.check_rows(table, org=org, today=today())
    except importing.ImportFileError as e:
        raise ValidationError({"file": [str(e)]}) from None
    preview = importing.preview_rows(importing.read_table(data, filename), result)
    with transaction.atomic():
        imp = MemberImport(
            org=org,
            filename=filename[:200],
            created_by=actor,
            total_rows=result.total,
            new_rows=result.new,
            update_rows=result.updates,
            unchanged_rows=result.unchanged,
            error_rows=len(result.error_rows),
            errors=[e.as_dict() for e in result.errors[:20000]],
            preview=preview,
            columns=importing.column_use(table.headers),
        )
        imp.file.save(filename[-100:], ContentFile(data), save=False)
        imp.save()
        audit_record(
            actor=actor,
            action="members.import_preview",
            target=imp,
            org=org,
            details={"rows": result.total, "errors": len(result.error_rows)},
        )
    return imp


def _drop_upload(imp: MemberImport) -> None:
    """The sheet is deleted once it is imported or expires, and with it the preview's names (of
    people who may never have become members); the import's counts and row errors stay."""
    if imp.file:
        imp.file.delete(save=False)
    MemberImport.objects.filter(pk=imp.pk).update(file="", preview=[])


def import_files_expire(*, actor=None, now=None) -> int:
    """Daily: delete uploaded sheets not imported within GONGHUI_MEMBERS["upload_keep_days"] (7)
    days: a preview never confirmed, an import that failed, or one whose background task never
    finished (marked failed). The record of the import stays.
    Returns the number of files deleted."""
    from datetime import timedelta

    from .models import ImportStatus

    days = int(rules.conf("upload_keep_days", 7))
    cutoff = (now or timezone.now()) - timedelta(days=days)
    pending = [ImportStatus.QUEUED, ImportStatus.RUNNING]
    n = 0
    for imp in (
        MemberImport.objects.filter(created_at__lt=cutoff).exclude(file="").exclude(status__in=pending)
    ):
        _drop_upload(imp)
        n += 1
    # Confirmed that long ago (the progress record is made on confirmation) and still not finished:
    # its background task stopped. Nothing was written (all or nothing). Failed only while still
    # pending, so an import finishing at this moment keeps its result; a task that starts after
    # this finds the import failed.
    stuck = MemberImport.objects.filter(status__in=pending, progress__created_at__lt=cutoff).exclude(file="")
    for imp in stuck:
        failed = MemberImport.objects.filter(pk=imp.pk, status__in=pending).update(
            status=ImportStatus.FAILED,
            message=_("导入在%(n)d天内未能完成（后台任务中断），未导入任何数据。请重新上传。") % {"n": days},
        )
        if failed:
            _drop_upload(imp)
            n += 1
    return n


def import_confirm(*, imp: MemberImport, actor):
    """Queue the checked import; the background task applies it all or nothing."""
    from core.progress import progress_create

    from .models import ImportStatus
    from .tasks import member_import_apply

    with transaction.atomic():
        imp = MemberImport.objects.select_for_update().get(pk=imp.pk)
        if imp.status != ImportStatus.PREVIEWED:
            raise ValidationError(_("该导入已确认过，不能重复确认。"))
        if not imp.file:
            raise ValidationError(_("上传的文件已超过保存期限被删除，请重新上传。"))
        if imp.error_rows:
            raise ValidationError(
                _("文件中有%(n)d行错误，请下载错误报告，修改后重新上传。") % {"n": imp.error_rows}
            )
        if not (imp.new_rows or imp.update_rows):
            raise ValidationError(_("文件中的会员都已登记且信息相同，无需导入。"))
        progress = progress_create(
            kind="members.import",
            label=_("导入会员：%(f)s") % {"f": imp.filename},
            requested_by=actor,
            org=imp.org,
            total=imp.new_rows + imp.update_rows,
        )
        imp.status = ImportStatus.QUEUED
        imp.progress = progress
        imp.save(update_fields=["status", "progress"])
        audit_record(actor=actor, action="members.import_confirm", target=imp, org=imp.org)
        transaction.on_commit(lambda: member_import_apply.enqueue(imp.pk, str(progress.pk)))
    return progress


def import_apply(*, imp_id: int, progress_id=None) -> dict:
    """Apply an import in one transaction: re-read and re-check the file, then write in bulk.
    Any error leaves the registry unchanged."""
    from core.progress import progress_advance, progress_fail, progress_finish, progress_start

    from . import importing
    from .models import ImportStatus

    imp = MemberImport.objects.select_related("org", "created_by").get(pk=imp_id)
    if imp.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING) or not imp.file:
        # already done, or given up by import_files_expire while this task waited
        if progress_id:
            progress_fail(progress_id, message=imp.message or _("该导入已结束。"))
        return {"error": imp.message or _("该导入已结束。")}
    MemberImport.objects.filter(pk=imp.pk).update(status=ImportStatus.RUNNING)
    if progress_id:
        progress_start(progress_id, total=imp.new_rows + imp.update_rows)
    try:
        with imp.file.open("rb") as fh:
            data = fh.read()
        with transaction.atomic():
            _lock_numbering(imp.org)  # the union's row first: rows above are locked before rows below
            org = _lock_org(imp.org_id)
            counts = importing.apply_file(
                data,
                imp.filename,
                org=org,
                actor=imp.created_by,
                today=today(),
                numbers_for=lambda k: next_member_numbers(org, k),
                progress=(lambda step: progress_advance(progress_id, step)) if progress_id else None,
                since=imp.created_at,
            )
            member_count_refresh(org.pk)
            audit_record(
                actor=imp.created_by, action="members.import_apply", target=imp, org=org, details=counts
            )
            done = {
                "status": ImportStatus.DONE,
                "finished_at": timezone.now(),
                "new_rows": counts["new"],
                "update_rows": counts["updated"],
                "unchanged_rows": counts["unchanged"],
            }
            if (counts["new"], counts["updated"]) != (imp.new_rows, imp.update_rows):
                # Another import or a clerk registered some of these rows in the meantime.
                done["message"] = _(
                    "预览之后名册有了变化：预览时为新增%(pn)d人、更新%(pu)d人；其余的行导入时已与名册相同，未再改动。"
                ) % {"pn": imp.new_rows, "pu": imp.update_rows}
            MemberImport.objects.filter(pk=imp.pk).update(**done)
    except (ValidationError, importing.ImportFileError) as e:
        msg = "；".join(e.messages) if isinstance(e, ValidationError) else str(e)
        failed = {"status": ImportStatus.FAILED, "message": msg[:300]}
        if isinstance(e, importing.RecheckFailed):  # the page lists the rows, as for a preview's errors
            failed.update(error_rows=e.rows, errors=[err.as_dict() for err in e.row_errors[:20000]])
        MemberImport.objects.filter(pk=imp.pk).update(**failed)
        if progress_id:
            progress_fail(progress_id, message=msg)
        return {"error": msg}
    except Exception as e:
        MemberImport.objects.filter(pk=imp.pk).update(
            status=ImportStatus.FAILED, message=_("导入失败，未导入任何数据。")
        )
        if progress_id:
            progress_fail(progress_id, message=_("导入失败，未导入任何数据。"))
        raise e
    # The registry now holds the data; the uploaded sheet (ID numbers in the clear) is not kept.
    _drop_upload(imp)
    if counts["new"] + counts["updated"] >= 10_000:
        importing.analyze_tables()
    if progress_id:
        from django.urls import reverse

        progress_finish(
            progress_id,
            message=_("新增%(new)d人，更新%(upd)d人。") % {"new": counts["new"], "upd": counts["updated"]},
            result=counts,
            result_url=reverse("members:import_detail", args=[imp.pk]),  # the import's page, now finished
        )
    return counts


def _self_export_dues(member: Member) -> dict:
    """The member's dues and wage bases, from the dues app when installed."""
    from .selectors import my_dues

    lines = my_dues(member, limit=None)
    if lines is None:
        return {}
    from dues.models import WageBase

    return {
        _("会费"): [
            {
                _("月份"): d["month"].strftime("%Y-%m"),
                _("类别"): d["kind"],
                _("交费基数"): str(d["base"]) if d["base"] is not None else "",
                _("应缴"): str(d["amount"]),
                _("已缴"): str(d["paid"]),
                _("缴费记录"): [
                    {
                        _("缴费日期"): p["paid_on"].isoformat(),
                        _("收据号"): p["receipt_no"],
                        _("金额"): str(p["amount"]),
                    }
                    for p in d["payments"]
                ],
            }
            for d in reversed(lines)  # oldest first, as the timeline
        ],
        _("工资基数"): [
            {
                _("起始月份"): w.month.strftime("%Y-%m"),
                _("月工资"): crypto.decrypt(w.wage_enc),
                _("交费基数"): str(w.base),
            }
            for w in WageBase.objects.filter(member=member).order_by("month")
        ],
    }


def member_self_export(*, member: Member, actor) -> dict:
    """Everything held about a member, for the member (PIPL art. 45), labelled in the member's
    language. Decrypting goes through the audited reveal; the export itself is audited too."""
    with transaction.atomic():
        data = {
            _("姓名"): member.name,
            _("身份证号"): member_reveal(member=member, field="id_number", actor=actor, own="download"),
            _("手机号"): member_reveal(member=member, field="phone", actor=actor, own="download")
            if member.phone_enc
            else "",
            _("出生日期"): member.birth_date.isoformat(),
            _("性别"): member.get_sex_display(),
            _("民族"): member.ethnicity,
            _("学历"): member.get_education_display(),
            _("政治面貌"): member.get_political_status_display(),
            _("工作单位"): member.employer,
            _("部门"): member.department,
            _("岗位"): member.post,
            _("所在工会"): member.org.name,
            _("会员编号"): member.member_no,
            _("会员证号"): member.card_no,
            _("入会日期"): member.joined_on.isoformat() if member.joined_on else "",
            _("会籍状态"): member.get_status_display(),
            _("农民工"): _("是") if member.is_migrant else _("否"),
            _("户籍所在地"): member.household_registration,
            _("同意个人信息处理时间"): (
                timezone.localtime(member.consent_at).strftime("%Y-%m-%d %H:%M") if member.consent_at else ""
            ),
            _("会籍变动"): [
                {
                    _("日期"): e.on.isoformat(),
                    _("事项"): e.get_kind_display(),
                    _("组织"): e.org.name,
                    _("原因"): e.reason,
                }
                for e in member.events.select_related("org").order_by("on", "id")
            ],
            _("更正申请"): [
                {
                    _("信息"): str(CORRECTABLE.get(c.field, c.field)),
                    _("正确内容"): crypto.decrypt(c.requested_value_enc)
                    if c.requested_value_enc
                    else c.requested_value,
                    _("状态"): c.get_status_display(),
                }
                for c in member.corrections.all()
            ],
            **_self_export_dues(member),
        }
        audit_record(actor=actor, action="members.self_export", target=member, org=member.org)
        return data


def member_export_record(*, actor, org: Organization, fmt: str, filters: dict) -> None:
    """Exports of personal data are processing records (PIPL art. 56): audit each one (a whole ID
    or mobile number searched for is kept masked)."""
    from .selectors import masked_query

    if filters.get("q"):
        filters = {**filters, "q": masked_query(filters["q"])}
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="members.export",
            org=org,
            target=org,
            details={"format": fmt, "filters": filters},
        )


def member_lookup_record(*, actor, q: str, found, moved=()) -> None:
    """A search by a whole ID or mobile number finds a person by a number the searcher holds: like a
    reveal, each member found is recorded (who looked up whom, the number masked); `moved`: members
    found among those the searcher's union transferred away, as (member, that union)."""
    from .selectors import masked_query, whole_number

    kind = whole_number(q)
    if kind is None:
        return
    with transaction.atomic():
        for m, org in [*((m, m.org) for m in found), *moved]:
            audit_record(
                actor=actor,
                action="members.lookup",
                target=m,
                org=org,
                details={"field": kind, "q": masked_query(q)},
            )


def stats_export_record(*, actor, org: Organization) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="members.stats_export", org=org, target=org)
