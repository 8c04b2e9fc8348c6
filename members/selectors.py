"""Reads of the member registry, always scoped through orgs.access."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from core.validators import mask_id_number, mask_mobile, normalize_text
from orgs import access
from orgs.models import Organization, OrgKind
from orgs.rules import rate_pct
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
    MemberStatus,
    Transfer,
    TransferStatus,
)
from .permissions import MEMBER_CHANGE, MEMBER_DECIDE, MEMBER_REVEAL, MEMBER_VIEW
from .services import HOLDING_KINDS, id_hash, phone_hash, today

SORTS = {
    "name": ("name_sort", "id"),
    "-name": ("-name_sort", "-id"),
    "member_no": ("member_no", "id"),
    "-member_no": ("-member_no", "-id"),
    "joined": ("joined_on", "id"),
    "-joined": ("-joined_on", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
}

LIST_COLUMNS = (
    "id",
    "org_id",
    "org__name",
    "name",
    "sex",
    "birth_date",
    "id_number_masked",
    "phone_masked",
    "employer",
    "department",
    "member_no",
    "status",
    "joined_on",
    "is_migrant",
    "erased_at",
)


@dataclass
class MemberFilters:
    q: str = ""
    org: Organization | None = None
    status: str = ""
    sex: str = ""
    age: str = ""
    migrant: str = ""
    sort: str = "name"

    @classmethod
    def from_params(cls, params, user) -> "MemberFilters":
        f = cls(
            q=normalize_text(params.get("q", ""))[:40],
            status=params.get("status", "") if params.get("status", "") in MemberStatus.values else "",
            sex=params.get("sex", "") if params.get("sex", "") in ("M", "F") else "",
            age=params.get("age", "")
            if params.get("age", "") in dict((k, 1) for k, _lo, _hi in rules.AGE_BANDS)
            else "",
            migrant=params.get("migrant", "") if params.get("migrant", "") in ("1", "0") else "",
            sort=params.get("sort", "name") if params.get("sort", "name") in SORTS else "name",
        )
        org_id = params.get("org", "")
        if str(org_id).isdigit():
            f.org = access.get_org_for_user(user, MEMBER_VIEW, int(org_id))
        return f

    def as_params(self) -> dict:
        out = {
            k: getattr(self, k) for k in ("q", "status", "sex", "age", "migrant", "sort") if getattr(self, k)
        }
        if self.org is not None:
            out["org"] = self.org.pk
        return out


def prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, as a range so that a plain b-tree index serves it on SQLite and
    PostgreSQL alike (code-point collation: SQLite BINARY, PostgreSQL C.UTF-8)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


VOWELS = set("aeiouv")
# No pinyin syllable starts with i, u or ü; a, o and e do (安 an, 欧 ou, 鄂 e), so they can be initials.
NEVER_INITIAL = set("iuv")


MEMBER_NO_DIGITS = 13  # services.next_member_numbers


def _or_card(cond: Q, q: str, *, min_len: int) -> Q:
    """The member whose card number `q` is, read off the card or its check page: the card number is
    the year of issue and the member number (services.next_member_numbers), so it is found through
    the member number's index. `cond` alone for what cannot be one."""
    if len(q) < min_len or not re.fullmatch(r"(19|20)\d\d", q[:4]):
        return cond
    return cond | Q(member_no=q[4:], card_no=q)


def search(q: str) -> tuple[Q, tuple[str, ...] | None]:
    """The search box: name, pinyin in full or initials (zs -> 张三), member number, card number,
    last digits of phone or ID number, or a whole phone/ID number (exact, through the blind index).

    Returns the condition and, for name searches, the order that the matching index already
    provides (so the first page comes straight off the index even when a surname matches tens of
    thousands of members). Latin letters without a vowel are initials (zs, wjg: no pinyin syllable
    starts with two consonants other than zh/ch/sh, which are initials too); with i, u or ü, a pinyin
    prefix (li, zhangsan); with only a, o or e as vowels, either (al finds 安丽 by her initials and
    alan finds 阿兰 by pinyin)."""
    q = normalize_text(q).replace(" ", "")
    if not q:
        return Q(), None
    upper = q.upper()
    if re.fullmatch(r"\d{17}[\dX]", upper):
        return Q(id_number_hash=id_hash(upper)), None
    if re.fullmatch(r"1[3-9]\d{9}", q):
        return Q(phone_hash=phone_hash(q)) | Q(member_no=q), None
    if re.fullmatch(r"\d{3}[\dX]", upper):
        return Q(id_last4=upper) | Q(phone_last4=upper) | prefix_q("member_no", upper), None
    if re.fullmatch(r"\d+", q):
        # A number the system gave (13 digits: the union's 6, then 7) is also found without its
        # leading zeros, as it is read out: 20001290 finds 0000020001290.
        # Only a number without its zeros (not starting 0): the OR of two index ranges makes the
        # database sort the matches, which a prefix of the system's own numbers (0000020…) would
        # make hundreds of thousands of rows.
        cond = prefix_q("member_no", q)
        if q[0] != "0" and len(q) < MEMBER_NO_DIGITS:
            cond |= Q(member_no=q.zfill(MEMBER_NO_DIGITS))
        # Perhaps a card number: 17 digits for a number the system gave, fewer for a union's own.
        return _or_card(cond, q, min_len=5), ("member_no", "id")
    if re.fullmatch(r"[0-9A-Za-z\-]+", q) and re.search(r"\d", q):  # a union's own numbering: XH-2026-0001
        cond = (
            prefix_q("member_no", upper)
            if q == upper
            else prefix_q("member_no", q) | prefix_q("member_no", upper)
        )
        return _or_card(cond, upper, min_len=6), ("member_no", "id")
    if re.fullmatch(r"[A-Za-z]+", q):
        low = q.lower()
        if VOWELS.isdisjoint(low):
            return prefix_q("name_initials", low), ("name_initials", "name_pinyin", "id")
        if NEVER_INITIAL.isdisjoint(low):
            return prefix_q("name_pinyin", low) | prefix_q("name_initials", low), ("name_pinyin", "id")
        return prefix_q("name_pinyin", low), ("name_pinyin", "id")
    return prefix_q("name", q), ("name", "id")


def whole_number(q: str) -> str | None:
    """ "id_number" or "phone" when the search box holds a whole ID or mobile number (an exact look-up
    of a person through the blind index), else None."""
    q = normalize_text(q).replace(" ", "")
    if re.fullmatch(r"\d{17}[\dX]", q.upper()):
        return "id_number"
    if re.fullmatch(r"1[3-9]\d{9}", q):
        return "phone"
    return None


def masked_query(q: str) -> str:
    """The search text as it may be kept in a record: a whole ID or mobile number masked."""
    kind = whole_number(q)
    text = normalize_text(q).replace(" ", "")
    if kind == "id_number":
        return mask_id_number(text.upper())
    if kind == "phone":
        return mask_mobile(text)
    return q


def open_corrections(user) -> QuerySet[CorrectionRequest]:
    """Members' open requests to correct their data, in the organizations the user may change."""
    return access.scope(CorrectionRequest.objects.filter(status=CorrectionStatus.OPEN), user, MEMBER_CHANGE)


def decided_corrections(user, limit: int = 30) -> QuerySet[CorrectionRequest]:
    """The latest decided requests in the organizations the user may change: who decided what, and why."""
    qs = CorrectionRequest.objects.exclude(status=CorrectionStatus.OPEN).select_related(
        "member", "decided_by"
    )
    return access.scope(qs, user, MEMBER_CHANGE).order_by("-decided_at", "-pk")[:limit]


def open_corrections_page(user, limit: int = 200) -> list[CorrectionRequest]:
    """Open correction requests as the page lists them, oldest first: each with what is registered
    now (`current`) and whether this user may reveal the ID number or phone asked for."""
    reqs = list(open_corrections(user).select_related("member", "org").order_by("created_at")[:limit])
    for r in reqs:
        r.current = correction_current(r)
        r.may_reveal = bool(r.requested_value_enc) and access.can(user, MEMBER_REVEAL, r.org)
    return reqs


def correction_current(req: CorrectionRequest) -> str:
    """What the registry holds now for the field a request would correct, as staff may see it
    (ID number and phone masked); "" for "other" or an empty field."""
    m = req.member
    if req.field == "id_number":
        return m.id_number_masked
    if req.field == "phone":
        return m.phone_masked
    if req.field in ("education", "political_status"):
        return getattr(m, f"get_{req.field}_display")()
    if req.field == "other" or not hasattr(m, req.field):
        return ""
    return str(getattr(m, req.field) or "")


def open_corrections_count(user) -> int:
    return open_corrections(user).count() if access.has_any(user, MEMBER_CHANGE) else 0


def search_q(q: str) -> Q:
    return search(q)[0]


# Membership changes that can only come after joining: a corrected joining date may not pass them.
AFTER_JOINING = (
    EventKind.TRANSFERRED,
    EventKind.RETAINED,
    EventKind.RESTORED,
    EventKind.WITHDRAWN,
    EventKind.LAPSED,
    EventKind.EXPELLED,
)
JOINING = (EventKind.CREATED, EventKind.APPROVED, EventKind.IMPORTED)


def first_changes_after_joining(member_ids: list[int]) -> dict[int, MemberEvent]:
    """For each member, the first membership change of their current membership: after their latest
    joining (registration, approval or import), not one of a membership that ended before they
    re-joined. One query; members without such a change are left out."""
    found: dict[int, MemberEvent] = {}
    events = (
        MemberEvent.objects.filter(member_id__in=member_ids, kind__in=AFTER_JOINING + JOINING)
        .only("member_id", "kind", "on")
        .order_by("member_id", "pk")
    )
    for e in events:
        if e.kind in JOINING:
            found.pop(e.member_id, None)  # a (re-)joining: what came before belongs to an earlier membership
        elif e.member_id not in found or e.on < found[e.member_id].on:
            found[e.member_id] = e
    return found


def members_scoped(user, perm=MEMBER_VIEW) -> QuerySet[Member]:
    return access.scope(Member.objects.all(), user, perm)


def member_filter(
    user, f: MemberFilters, perm=MEMBER_VIEW, *, other_statuses: bool = False
) -> QuerySet[Member]:
    qs = members_scoped(user, perm)
    if f.org is not None:
        qs = qs.filter(org__path__gte=f.org.path, org__path__lt=f.org.subtree_upper)
    order = None
    if f.q:
        cond, order = search(f.q)
        qs = qs.filter(cond)
    # Unless a status is chosen: the members (in good standing or retained), as the filter's label
    # says; applicants are on the applications page, former members under their own status.
    if other_statuses:
        qs = qs.exclude(status__in=COUNTED_STATUSES)
    else:
        qs = qs.filter(status=f.status) if f.status else qs.filter(status__in=COUNTED_STATUSES)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.age:
        earliest, latest = rules.birth_range_for_band(f.age, today())
        qs = qs.filter(birth_date__gt=earliest, birth_date__lte=latest)
    if f.migrant:
        qs = qs.filter(is_migrant=f.migrant == "1")
    if order is not None and f.sort == "name":
        return qs.order_by(*order)
    return qs.order_by(*SORTS[f.sort])


def matches_in_other_statuses(user, f: MemberFilters) -> list[tuple[str, str, int]]:
    """For a search that found no members (in good standing or retained): how many applicants and
    former members it matches, by status, so that the list can say where they are."""
    rows = (
        member_filter(user, f, other_statuses=True).order_by().values_list("status").annotate(n=Count("id"))
    )
    labels = dict(MemberStatus.choices)
    return sorted(
        ((status, str(labels[status]), n) for status, n in rows), key=lambda r: list(labels).index(r[0])
    )


def moved_away_matches(user, q: str, limit: int = 10) -> list[MemberEvent]:
    """For a search that found no one: members it matches whom a union the user may view
    transferred to a union the user may not (their record went with them; the sending union still
    reads it, selectors.transferred_out). Their latest transfer out, newest first."""
    if whole_number(q) == "phone":
        return []  # a phone number the member may have given only after moving: not the sender's to match
    q = normalize_text(q).replace(" ", "").upper()
    if re.fullmatch(r"\d{3}[\dX]", q):  # last four digits: of the ID number or a member number, not the phone
        cond = Q(id_last4=q) | prefix_q("member_no", q)
    else:
        cond, _order = search(q)
    moved = access.scope(
        MemberEvent.objects.filter(
            kind=EventKind.TRANSFERRED, org_id=F("from_org_id"), member__in=Member.objects.filter(cond)
        ),
        user,
        MEMBER_VIEW,
    ).select_related("member", "member__org", "to_org")
    seen: set[int] = set()
    out = []
    for e in moved.order_by("-on", "-id")[: limit * 3]:
        if e.member_id in seen or access.can(user, MEMBER_VIEW, e.member.org):
            continue  # an older transfer of the same person, or one the list would have found
        seen.add(e.member_id)
        out.append(e)
    return out[:limit]


LIST_COUNT_CAP = 10_000


def count_upto(qs: QuerySet, cap: int = LIST_COUNT_CAP) -> tuple[int, bool]:
    """How many rows a list holds, counted up to `cap`: (count, True) when there are more. A list
    page says how many it found without counting a federation's whole registry on every page."""
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def member_list_rows(qs: QuerySet[Member]) -> QuerySet:
    """The columns a list page shows: one query with the union name joined in."""
    return qs.values(*LIST_COLUMNS)


def member_timeline(
    member: Member, user=None, *, own: bool = False, viewers_only: bool = False
) -> list[MemberEvent]:
    """The member's events, newest first. For a `user` (staff), each event carries `elsewhere`: it
    belongs to an organization outside the user's view (the union a transferred or re-applying
    member came from), whose reason and clerk stay with that union: the user sees when and what,
    not why or who. With `viewers_only` such events are left out (a union reading a member it
    transferred away sees its own part). With `own` (the member's own page, no user) every event
    is whole."""
    if user is None and not own:
        raise TypeError("member_timeline needs the viewing user, or own=True for the member's own page")
    events = list(member.events.select_related("org", "from_org", "to_org", "actor").order_by("-on", "-id"))
    for e in events:
        e.elsewhere = user is not None and not access.can(user, MEMBER_VIEW, e.org)
        if e.elsewhere:
            e.reason, e.actor = "", None
    if viewers_only:
        events = [e for e in events if not e.elsewhere]
    return events


def transferred_out(user, pk) -> MemberEvent | None:
    """The latest transfer of member `pk` out of an organization the user may view (the event the
    sending union keeps, with its member and receiving union), or None: a union keeps reading the
    record of a member it transferred away, as of its own history."""
    moved = access.scope(
        MemberEvent.objects.filter(member_id=pk, kind=EventKind.TRANSFERRED, org_id=F("from_org_id")),
        user,
        MEMBER_VIEW,
    )
    return moved.select_related("member", "org", "to_org").order_by("-on", "-id").first()


def first_event_org(orgs: QuerySet[Organization]) -> Organization | None:
    """The membership-changes page's default: the user's highest organization (a federation's page
    shows its whole subtree)."""
    return orgs.order_by("depth", "path").first()


def org_path_names(org: Organization) -> list[str]:
    """The organization as an applicant knows it: its union, then the branch and group below."""
    above = (
        Organization.objects.filter(path__in=org.ancestor_paths(), kind__in=[OrgKind.UNION, OrgKind.BRANCH])
        .exclude(pk=org.pk)
        .order_by("depth")
        .values_list("name", flat=True)
    )
    return [*above, org.name]


def org_events(user, org: Organization) -> QuerySet[MemberEvent]:
    """Membership events of an organization and everything below it, newest first. A transfer is
    written into both unions; where both are in the subtree (a federation's page), it is shown once,
    as the receiving union's."""
    below = Organization.objects.filter(path__gte=org.path, path__lt=org.subtree_upper)
    events = MemberEvent.objects.filter(org_id__in=below.values("pk"))
    if org.kind == OrgKind.FEDERATION:
        events = events.exclude(
            kind=EventKind.TRANSFERRED, org_id=F("from_org_id"), to_org_id__in=below.values("pk")
        )
    return events.select_related("member", "org", "from_org", "to_org", "actor").order_by("-on", "-id")


def event_orgs(user) -> QuerySet[Organization]:
    """The organizations whose membership changes the user may read, for the page's chooser: every
    kind that may hold members (a federation too, for workers whose employer has no union)."""
    return access.orgs_for(user, MEMBER_VIEW).filter(kind__in=HOLDING_KINDS).order_by("path")


def transfers_incoming(user) -> QuerySet[Transfer]:
    return (
        access.scope(
            Transfer.objects.filter(status=TransferStatus.PENDING), user, MEMBER_CHANGE, org_field="to_org"
        )
        .select_related("member", "org", "to_org")
        .order_by("requested_at")
    )


def transfers_outgoing(user) -> QuerySet[Transfer]:
    return (
        access.scope(Transfer.objects.filter(status=TransferStatus.PENDING), user, MEMBER_CHANGE)
        .select_related("member", "org", "to_org")
        .order_by("requested_at")
    )


def transfers_decided(user, limit: int = 20) -> list[Transfer]:
    """The latest transfers out of or into the user's organizations that were accepted, refused or
    withdrawn: what became of a request after it left the pending lists."""
    closed = (
        Transfer.objects.exclude(status=TransferStatus.PENDING)
        .filter(decided_at__isnull=False)
        .select_related("member", "org", "to_org", "decided_by")
    )
    found = {
        t.pk: t
        for side in ("org", "to_org")
        for t in access.scope(closed, user, MEMBER_CHANGE, org_field=side).order_by("-decided_at", "-pk")[
            :limit
        ]
    }
    return sorted(found.values(), key=lambda t: (t.decided_at, t.pk), reverse=True)[:limit]


ENDING_EVENTS = (EventKind.WITHDRAWN, EventKind.LAPSED, EventKind.EXPELLED, EventKind.REJECTED)


def applications_pending(user) -> QuerySet[Member]:
    """Applications to decide, oldest first. `ended` is how an earlier membership or application of
    the same person ended (withdrawn, lapsed, expelled, not approved), for a re-application."""
    ended = (
        MemberEvent.objects.filter(member=OuterRef("pk"), kind__in=ENDING_EVENTS)
        .order_by("-on", "-id")
        .values("kind")[:1]
    )
    return (
        members_scoped(user, MEMBER_CHANGE)
        .filter(status=MemberStatus.APPLIED)
        .annotate(ended=Subquery(ended))
        .select_related("org")
        .order_by("created_at")
    )


def move_targets(user, member: Member) -> QuerySet[Organization]:
    """Where in its own union a member may be registered (the union, its branches and groups) that
    the user may change: a move there is an edit, not a transfer."""
    union = holding_union(member.org)
    if union.kind != OrgKind.UNION:  # held by a federation: any move is to another union, a transfer
        return Organization.objects.none()
    return (
        access.orgs_for(user, MEMBER_CHANGE)
        .filter(is_active=True, path__gte=union.path, path__lt=union.subtree_upper)
        .filter(Q(pk=union.pk) | Q(kind__in=[OrgKind.BRANCH, OrgKind.GROUP]))
        .order_by("path")
    )


def transfer_targets(user, member: Member) -> QuerySet[Organization]:
    """Any other active union (or federation) may receive a member; the receiving union decides. The
    member's own union is not one: moving between its branches is a change of the member's details."""
    return (
        Organization.objects.filter(is_active=True, kind__in=[OrgKind.UNION, OrgKind.FEDERATION])
        .exclude(pk__in={member.org_id, holding_union(member.org).pk})
        # Unions first: a transfer to a federation's own register is the rare case, and at the top
        # of the list it was the easy mistake.
        .order_by(Case(When(kind=OrgKind.FEDERATION, then=Value(1)), default=Value(0)), "path")
    )


# ---- dues (the dues app is built separately) ------------------------------------------------------


def _lapse_dues(member_ids: list[int], first: date, last: date) -> dict | None:
    """From the dues app when installed (`dues.selectors.lapse_dues`); None without it."""
    try:
        from dues import selectors as dues_selectors
    except ImportError:
        return None
    fn = getattr(dues_selectors, "lapse_dues", None)
    return None if fn is None else fn(member_ids, first, last)


def lapse_months() -> int:
    """Months without dues that make a member a lapse candidate (DOMAIN.md §2; a dues setting)."""
    try:
        from dues.rules import setting
    except ImportError:
        return 6
    return setting("lapse_months")


def _lapse_window(months: int) -> tuple[date, date]:
    """The first and the last of the last `months` full months."""
    t = today()
    m = t.year * 12 + t.month - 1 - months
    first = date(m // 12, m % 12 + 1, 1)
    m = t.year * 12 + t.month - 2  # the last full month
    return first, date(m // 12, m % 12 + 1, 1)


def lapse_candidates(user, org: Organization | None = None, months: int | None = None, limit: int = 500):
    """Active members whose dues were charged in each of the last `months` full months and who paid
    none of them (DOMAIN.md §2: consecutive months without dues). Months a member was not charged
    (no wage base yet, exempt) do not count: the union never asked. A person decides each case
    after talking with the member. Returns (rows of (member, last paid month)), dues_available)."""
    months = months or lapse_months()
    qs = members_scoped(user, MEMBER_CHANGE).filter(status=MemberStatus.ACTIVE)
    if org is not None:
        qs = qs.filter(org__path__gte=org.path, org__path__lt=org.subtree_upper)
    cutoff, last_month = _lapse_window(months)
    qs = (
        qs.filter(Q(joined_on__lt=cutoff) | Q(joined_on__isnull=True))
        .select_related("org")
        .order_by("org__path", "name_sort")
    )
    members = list(qs[:20000])
    dues = _lapse_dues([mem.pk for mem in members], cutoff, last_month)
    if not dues:
        return [], False
    rows = []
    for mem in members:
        unpaid, last = dues.get(mem.pk, (0, None))
        if unpaid >= months:
            rows.append((mem, last))
            if len(rows) >= limit:
                break
    return rows, True


def retention_years() -> int:
    """Years a former member's personal data is kept after membership ended (local: no national
    figure; DOMAIN.md §11 asks for no longer than needed, and processing records kept ≥ 3 years)."""
    return int(rules.conf("retention_years", 3))


def erasure_due(user, org: Organization | None = None, *, on: date | None = None) -> QuerySet[Member]:
    """Former members and turned-down applicants in `user`'s scope (MEMBER_DECIDE) whose personal
    data is still held although they left (or were turned down) at least retention_years() ago,
    oldest first; each annotated with `left_on`. The last ending event lies on or before the cutoff
    (one there, none after): EXISTS tests, so a count of the first few (count_upto) stops early."""
    on = on or today()
    cutoff = rules._years_before(on, retention_years())
    qs = members_scoped(user, MEMBER_DECIDE).filter(status__in=CLOSED_STATUSES, erased_at__isnull=True)
    if org is not None:
        qs = qs.filter(org__path__gte=org.path, org__path__lt=org.subtree_upper)
    ending = MemberEvent.objects.filter(member=OuterRef("pk"), kind__in=ENDING_EVENTS)
    return (
        qs.filter(Exists(ending.filter(on__lte=cutoff)))
        .exclude(Exists(ending.filter(on__gt=cutoff)))
        .annotate(left_on=Subquery(ending.order_by("-on").values("on")[:1]))
        .select_related("org")
        .order_by("left_on", "pk")
    )


def lapse_refusal(member: Member) -> str | None:
    """Why 自动退会 (lapse) cannot be recorded for this member, or None when it may (a person still
    decides, after talking with the member: DOMAIN.md §2). Not before the member has been one for
    `lapse_months`; and where the union billed the member's dues through this system in those
    months, only if every month billed went unpaid. A union that billed none of them here (dues
    kept elsewhere) decides on its own records."""
    months = lapse_months()
    first, last = _lapse_window(months)
    if member.joined_on is not None and member.joined_on >= first:
        return _("入会不满%(n)d个月，不能办理自动退会。本人要求退会的，请办理“退会”。") % {"n": months}
    try:
        from dues.selectors import lapse_window
    except ImportError:
        return None
    charged, unpaid = lapse_window(member.pk, first, last)
    if charged and unpaid < months:
        return _(
            "只有连续%(n)d个月未缴会费的会员才能办理自动退会（该会员最近%(n)d个月中未缴%(k)d个月）。本人要求退会的，请办理“退会”。"
        ) % {"n": months, "k": unpaid}
    return None


# ---- statistics -----------------------------------------------------------------------------------


def subtree_stats(org: Organization, months: int = 12) -> dict:
    """Figures for an organization's subtree: members, employees, membership rate, by sex, age
    band, education, migrant workers; joins and leaves per month."""
    t = today()
    members = Member.objects.filter(org__path__gte=org.path, org__path__lt=org.subtree_upper)
    counted = members.filter(status__in=COUNTED_STATUSES)
    aggs = {
        "total": Count("id"),
        "male": Count("id", filter=Q(sex="M")),
        "female": Count("id", filter=Q(sex="F")),
        "migrant": Count("id", filter=Q(is_migrant=True)),
        "retained": Count("id", filter=Q(status=MemberStatus.RETAINED)),
    }
    for key, _lo, _hi in rules.AGE_BANDS:
        earliest, latest = rules.birth_range_for_band(key, t)
        aggs[f"age_{key}"] = Count("id", filter=Q(birth_date__gt=earliest, birth_date__lte=latest))
    row = counted.aggregate(**aggs)
    by_education = dict(counted.values_list("education").annotate(n=Count("id")).order_by())
    by_status = dict(members.values_list("status").annotate(n=Count("id")).order_by())
    employees = Organization.objects.filter(
        path__gte=org.path, path__lt=org.subtree_upper, kind=OrgKind.UNION
    ).values_list("employee_count", flat=True)
    employees_total = sum(employees)
    if org.kind != OrgKind.FEDERATION and not employees_total:
        employees_total = org.employee_count
    m0 = t.year * 12 + t.month - 1 - (months - 1)
    start = date(m0 // 12, m0 % 12 + 1, 1)
    join_kinds = [EventKind.APPROVED, EventKind.IMPORTED]
    leave_kinds = [EventKind.WITHDRAWN, EventKind.LAPSED, EventKind.EXPELLED]
    ev = (
        MemberEvent.objects.filter(
            org__path__gte=org.path,
            org__path__lt=org.subtree_upper,
            on__gte=start,
            kind__in=join_kinds + leave_kinds,
        )
        .annotate(m=TruncMonth("on"))
        .values_list("m", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    month_keys = []
    for i in range(months):
        mm = m0 + i
        month_keys.append(f"{mm // 12}-{mm % 12 + 1:02d}")
    joins = dict.fromkeys(month_keys, 0)
    leaves = dict.fromkeys(month_keys, 0)
    for m, kind, n in ev:
        key = f"{m.year}-{m.month:02d}"
        if key in joins:
            (joins if kind in join_kinds else leaves)[key] += n
    # Transfers across the subtree's edge: in from outside, out to outside (within it, they move
    # members between its own organizations and change nothing here).
    inside = Organization.objects.filter(path__gte=org.path, path__lt=org.subtree_upper).values("pk")
    transfers_in = dict.fromkeys(month_keys, 0)
    transfers_out = dict.fromkeys(month_keys, 0)
    moved = (
        # Each union keeps its own event of a transfer: count the ones kept inside.
        MemberEvent.objects.filter(kind=EventKind.TRANSFERRED, on__gte=start, org__in=inside)
        .filter(Q(to_org__in=inside) ^ Q(from_org__in=inside))
        .annotate(m=TruncMonth("on"), came=Q(to_org__in=inside))
        .values_list("m", "came")
        .annotate(n=Count("id"))
        .order_by()
    )
    for m, came, n in moved:
        key = f"{m.year}-{m.month:02d}"
        if key in transfers_in:
            (transfers_in if came else transfers_out)[key] += n
    total = row["total"]
    from .models import Education

    return {
        "org": org,
        "members": total,
        "employees": employees_total,
        "rate": (total / employees_total) if employees_total else None,
        "male": row["male"],
        "female": row["female"],
        "migrant": row["migrant"],
        "retained": row["retained"],
        "age": [(str(rules.AGE_BAND_LABELS[k]), row[f"age_{k}"]) for k, _lo, _hi in rules.AGE_BANDS],
        "education": [(str(label), by_education.get(value, 0)) for value, label in Education.choices]
        + ([(_("未填写"), by_education.get("", 0))] if by_education.get("") else []),
        "status": [(str(label), by_status.get(value, 0)) for value, label in MemberStatus.choices],
        "months": month_keys,
        "joins": [joins[k] for k in month_keys],
        "leaves": [leaves[k] for k in month_keys],
        "transfers_in": [transfers_in[k] for k in month_keys],
        "transfers_out": [transfers_out[k] for k in month_keys],
    }


def children_stats(org: Organization) -> list[dict]:
    """Per direct child: members and employees, for the table under the charts."""
    children = list(Organization.objects.filter(parent=org).order_by("path"))
    out = []
    for c in children:
        n = Member.objects.filter(
            org__path__gte=c.path, org__path__lt=c.subtree_upper, status__in=COUNTED_STATUSES
        ).count()
        emp = (
            c.employee_count
            if c.kind != OrgKind.FEDERATION
            else sum(
                Organization.objects.filter(
                    path__gte=c.path, path__lt=c.subtree_upper, kind=OrgKind.UNION
                ).values_list("employee_count", flat=True)
            )
        )
        rate = (n / emp) if emp else None
        out.append(
            {
                "org": c,
                "members": n,
                "employees": emp,
                "rate": rate,
                "rate_pct": rate_pct(rate),
            }
        )
    return out


def direct_members(org: Organization) -> int:
    """Members registered on `org` itself rather than on one of its branches."""
    return Member.objects.filter(org=org, status__in=COUNTED_STATUSES).count()


def my_member(user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user).select_related("org").first()


def my_dues_owed(member: Member) -> Decimal:
    """What the member owes in all, over every month (my_dues shows the latest 24): the dues app's
    `member_arrears_total`; nothing without the dues app."""
    try:
        from dues.selectors import member_arrears_total
    except ImportError:
        return Decimal(0)
    return member_arrears_total(member)


def card_member(pk: int) -> Member | None:
    """A member for the public card check (its caller checks the card's token)."""
    return Member.objects.select_related("org").filter(pk=pk).first()


def my_dues(member: Member, limit: int | None = 24) -> list[dict] | None:
    """The member's monthly dues lines from the dues app (month, kind, base, amount, paid, owed and
    the payments standing), newest first (`limit=None`: all); None when the dues app is not there."""
    try:
        from dues.models import DuesLine
    except ImportError:
        return None
    rows = []
    lines = DuesLine.objects.filter(member=member).prefetch_related("payments__reversal").order_by("-month")
    for line in lines[:limit]:
        rows.append(
            {
                "month": line.month,
                "kind": line.get_kind_display(),
                "base": line.base,
                "amount": line.amount,
                "paid": line.paid,
                "owed": line.amount - line.paid,
                # the receipts the member can ask for (reversed payments are void)
                "payments": [
                    {"id": p.pk, "paid_on": p.paid_on, "receipt_no": p.receipt_no, "amount": p.amount}
                    for p in line.payments.all()
                    if not p.is_reversed
                ],
            }
        )
    return rows


ORG_CHOICES_MAX = 300


def org_choices(user, perm: str, selected=None) -> list[tuple[int, str]]:
    """The organizations a list's or the statistics' organization box offers: every one the user may
    see with `perm`, union groups included (they hold members too), in tree order and indented by
    level; the first ORG_CHOICES_MAX, and the one selected always."""
    # Unions and branches first, then groups while there is room (one query): a federation's
    # hundreds of groups must not push its unions out of the box.
    groups_last = Case(When(kind=OrgKind.GROUP, then=Value(1)), default=Value(0))
    orgs = list(
        access.orgs_for(user, perm)
        .only("pk", "name", "depth", "path", "parent_id")
        .order_by(groups_last, "path")[:ORG_CHOICES_MAX]
    )
    if selected is not None and all(o.pk != selected.pk for o in orgs):
        orgs.append(selected)
    orgs.sort(key=lambda o: o.path)
    top = min((o.depth for o in orgs), default=0)
    names = {o.pk: o.name for o in orgs}
    return [(o.pk, "\u3000" * (o.depth - top) + short_name(o.name, names.get(o.parent_id))) for o in orgs]


def short_name(name: str, parent: str | None) -> str:
    """A branch's name as its place under its parent in a list shows it: without its parent's name
    before "工会" ("杭州星河电子科技有限公司SMT车间分会" under "杭州星河电子科技有限公司工会" is
    "SMT车间分会"), so that a narrow box shows the part that tells branches apart. Only the parent's
    whole stem: names that merely begin alike (杭州市上塘街道工会 under 杭州市上城区总工会) stay whole."""
    stem = re.sub(r"(总)?工会(委员会)?$", "", parent or "")
    if len(stem) < 2 or not name.startswith(stem) or len(name) - len(stem) < 2:
        return name
    return name[len(stem) :]
