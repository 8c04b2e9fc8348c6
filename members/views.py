import hmac
import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import invite_links
from core import crypto
from core.forms import apply_errors, flash_error, flash_form_errors, local_page
from core.qr import qr_svg
from core.validators import mask_text, parse_id_number
from orgs import access
from orgs.models import Organization
from orgs.permissions import USERS_MANAGE
from orgs.rules import rate_pct

from . import exporting, importing, rules, selectors, services
from .forms import (
    ApplyForm,
    CorrectionForm,
    ImportForm,
    MemberCreateForm,
    MemberEditForm,
    TransferForm,
    TransitionForm,
)
from .models import (
    COUNTED_STATUSES,
    CorrectionRequest,
    EventKind,
    Member,
    MemberImport,
    MemberStatus,
    Transfer,
)
from .permissions import MEMBER_CHANGE, MEMBER_DECIDE, MEMBER_EXPORT, MEMBER_REVEAL, MEMBER_STATS, MEMBER_VIEW

PAGE_SIZE = 20


def _holding_orgs(user, perm=MEMBER_CHANGE):
    return (
        access.orgs_for(user, perm).filter(is_active=True, kind__in=services.HOLDING_KINDS).order_by("path")
    )


MAX_PAGE = 1_000_000


def _page(request, qs, size=PAGE_SIZE):
    """A page without COUNT(*) over the whole registry: fetch one row more than shown."""
    try:
        # A page beyond MAX_PAGE is past the end of any list (and an offset that large overflows
        # the database's integers).
        number = min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        number = 1
    rows = list(qs[(number - 1) * size : number * size + 1])
    return {
        "rows": rows[:size],
        "number": number,
        "has_next": len(rows) > size,
        "has_previous": number > 1,
        "past_end": number > 1 and not rows,  # a page number beyond the list (an old link, a typed URL)
        "total": None,  # set by a page that says how many the list holds
        "more": False,
    }


# ---- registry list --------------------------------------------------------------------------------


@access.permission_required(MEMBER_VIEW)
def list_view(request):
    f = selectors.MemberFilters.from_params(request.GET, request.user)
    qs = selectors.member_filter(request.user, f)
    page = _page(request, selectors.member_list_rows(qs))
    if not page["past_end"]:
        page["total"], page["more"] = selectors.count_upto(qs)
        if not page["more"]:  # counted in full: the page says of how many, and offers the last
            page["pages"] = max(1, -(-page["total"] // PAGE_SIZE))
    elsewhere, moved = [], []
    if f.q and not f.status and not page["rows"] and not page["past_end"]:
        elsewhere = selectors.matches_in_other_statuses(request.user, f)
        moved = selectors.moved_away_matches(request.user, f.q)
    if selectors.whole_number(f.q):
        services.member_lookup_record(
            actor=request.user,
            q=f.q,
            found=qs.select_related("org")[:20],
            moved=[(e.member, e.org) for e in moved],  # recorded in the union that transferred them
        )
    params = f.as_params()
    ctx = {
        "f": f,
        "page": page,
        "elsewhere": elsewhere,
        "moved": moved,
        "params": params,
        "query": urlencode({k: v for k, v in params.items() if k != "sort"}),
        "export_query": urlencode(params),  # an export keeps the list's order too
        "statuses": MemberStatus.choices,
        "age_bands": [(k, rules.AGE_BAND_LABELS[k]) for k, _lo, _hi in rules.AGE_BANDS],
        "orgs": selectors.org_choices(request.user, MEMBER_VIEW, f.org),
        "may_change": access.has_any(request.user, MEMBER_CHANGE),
        "may_decide": access.has_any(request.user, MEMBER_DECIDE),
        "open_corrections": selectors.open_corrections_count(request.user),
        "may_export": access.has_any(request.user, MEMBER_EXPORT),
        "may_stats": access.has_any(request.user, MEMBER_STATS),
        "sexes": [("M", _("男")), ("F", _("女"))],
        # the orders the column headings give, for a phone, whose list has no headings
        "sorts": [
            ("name", _("姓名 A→Z")),
            ("-name", _("姓名 Z→A")),
            ("-joined", _("最近入会在前")),
            ("joined", _("最早入会在前")),
            ("member_no", _("会员编号")),
            ("-birth", _("年轻的在前")),
            ("birth", _("年长的在前")),
        ],
    }
    if request.htmx and request.headers.get("HX-Target") == "member-results":
        return render(request, "members/list.html#results", ctx)
    return render(request, "members/list.html", ctx)


@access.permission_required(MEMBER_VIEW)
def events_view(request):
    """A union's membership changes, transfers in and out included (the history kept in both)."""
    orgs = selectors.event_orgs(request.user)
    if request.GET.get("org", "").isdigit():
        org = access.get_org_for_user(request.user, MEMBER_VIEW, int(request.GET["org"]))
    else:
        org = selectors.first_event_org(orgs)
        if org is None:
            raise Http404
    page = _page(request, selectors.org_events(request.user, org), size=100)
    return render(request, "members/events.html", {"org": org, "orgs": orgs[:300], "page": page})


@access.permission_required(MEMBER_EXPORT)
def export_view(request):
    f = selectors.MemberFilters.from_params(request.GET, request.user)
    if f.org is None:
        # An export always names its organization (for the audit trail): the user's top one.
        f.org = access.orgs_for(request.user, MEMBER_EXPORT).order_by("depth", "path").first()
        if f.org is None:
            raise Http404
    elif not access.can(request.user, MEMBER_EXPORT, f.org):
        raise Http404
    qs = selectors.member_filter(request.user, f, perm=MEMBER_EXPORT)
    fmt = request.GET.get("format", "xlsx")
    services.member_export_record(actor=request.user, org=f.org, fmt=fmt, filters=f.as_params())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        resp = StreamingHttpResponse(exporting.csv_stream(qs), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="members-{stamp}.csv"'
        return resp
    tmp = exporting.xlsx_tempfile(qs)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"members-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# ---- one member -----------------------------------------------------------------------------------


def _member(request, pk, perm=MEMBER_VIEW) -> Member:
    return access.get_for_user(Member.objects.select_related("org", "user"), request.user, perm, pk=pk)


@access.permission_required(MEMBER_VIEW)
def detail_view(request, pk: int):
    try:
        member = _member(request, pk)
    except Http404:
        # a member this union transferred away: its own record of them, read only
        moved = selectors.transferred_out(request.user, pk)
        if moved is None:
            raise
        events = selectors.member_timeline(moved.member, request.user, viewers_only=True)
        return render(
            request, "members/former.html", {"member": moved.member, "moved": moved, "events": events}
        )
    may_change = access.can(request.user, MEMBER_CHANGE, member.org) and member.erased_at is None
    may_decide = access.can(request.user, MEMBER_DECIDE, member.org)
    transitions = []
    for t in rules.allowed_transitions(member.status):
        if t in ("transfer", "reapply"):
            continue
        if t == "lapse":
            if may_decide and selectors.lapse_refusal(member) is None:  # as services.member_lapse
                transitions.append((t, rules.TRANSITION_LABELS[t]))
        elif t == "expel":
            if may_decide:
                transitions.append((t, rules.TRANSITION_LABELS[t]))
        elif may_change:
            transitions.append((t, rules.TRANSITION_LABELS[t]))
    pending = member.transfers.filter(status="pending").select_related("to_org").first()
    ctx = {
        "member": member,
        "events": selectors.member_timeline(member, request.user),
        "may_change": may_change,
        "may_reveal": member.erased_at is None and access.can(request.user, MEMBER_REVEAL, member.org),
        "may_erase": may_decide and rules.erasure_refusal(member) is None,
        "retention_years": selectors.retention_years(),
        "transitions": transitions,
        "transition_form": TransitionForm(),
        "retry": transition_retry(request, member),
        "can_transfer": may_change and member.status in rules.TRANSITIONS["transfer"][0] and pending is None,
        "transfer_form": TransferForm(targets=selectors.transfer_targets(request.user, member)),
        "pending_transfer": pending,
        "age": rules.age_on(member.birth_date, services.today()),
        "may_invite": may_change
        and member.user_id is None
        and member.status in COUNTED_STATUSES
        and access.can(request.user, USERS_MANAGE, member.org),
        "invite_link": invite_links.take(request),
        "retain_reasons": rules.retain_reason_choices(),
    }
    return render(request, "members/detail.html", ctx)


@require_POST
@access.permission_required(MEMBER_CHANGE)
def account_invite_view(request, pk: int):
    member = _member(request, pk, MEMBER_CHANGE)
    if not access.can(request.user, USERS_MANAGE, member.org):
        raise PermissionDenied
    try:
        _user, raw = services.member_account_invite(member=member, actor=request.user)
    except ValidationError as e:
        flash_error(request, e)
    else:
        invite_links.keep(request, raw)
        messages.success(
            request,
            _("已为%(name)s开通登录账号。请把下面的邀请链接发给本人设置密码。") % {"name": member.name},
        )
    return redirect("members:detail", pk=member.pk)


@require_POST
@access.permission_required(MEMBER_REVEAL)
def reveal_view(request, pk: int, field: str):
    member = _member(request, pk, MEMBER_REVEAL)
    if field not in services.REVEALABLE:
        raise Http404
    try:
        value = services.member_reveal(member=member, field=field, actor=request.user)
    except ValidationError:
        raise Http404 from None  # erased meanwhile (the page was open in another tab)
    return render(request, "members/detail.html#revealed", {"value": value})


@access.permission_required(MEMBER_CHANGE)
def create_view(request):
    orgs = _holding_orgs(request.user)
    initial = {}
    if request.GET.get("org", "").isdigit():
        initial["org"] = request.GET["org"]
    elif (home := access.primary_org(request.user)) is not None and orgs.filter(pk=home.pk).exists():
        initial["org"] = home.pk  # the clerk's own union, the usual choice
    form = MemberCreateForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and not form.is_valid():
        # The ID number and mobile are checked by the service once the form is complete; check them
        # now too, so that every mistake is named at once.
        raw = {k: request.POST.get(k, "") for k in ("name", "id_number", "phone")}
        _cleaned, errors = rules.clean_member(raw, today=services.today())
        for field in ("id_number", "phone"):
            if field in errors and field not in form.errors:
                form.add_error(field, errors[field])
    elif request.method == "POST":
        data = dict(form.cleaned_data)
        org = data.pop("org")
        try:
            member = services.member_create(org=org, data=data, actor=request.user)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request,
                _("已登记会员 %(name)s，会员编号 %(no)s。") % {"name": member.name, "no": member.member_no},
            )
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "title": _("登记会员")})


@access.permission_required(MEMBER_CHANGE)
def edit_view(request, pk: int):
    member = _member(request, pk, MEMBER_CHANGE)
    if member.erased_at is not None:
        messages.info(request, _("该记录的个人信息已删除，不能再修改。"))
        return redirect("members:detail", pk=member.pk)
    initial = {f: getattr(member, f) for f in services.EDITABLE_FIELDS}
    initial["org"] = member.org_id
    form = MemberEditForm(
        request.POST or None,
        initial=initial,
        orgs=selectors.move_targets(request.user, member),
        masked={"id_number": member.id_number_masked, "phone": member.phone_masked},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("phone"):
            data.pop("phone", None)
        try:
            services.member_update(member=member, data=data, actor=request.user)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "title": _("修改会员信息"), "member": member})


TRANSITION_SERVICES = {
    "approve": (services.member_approve, MEMBER_CHANGE),
    "reject": (services.member_reject, MEMBER_CHANGE),
    "retain": (services.member_retain, MEMBER_CHANGE),
    "restore": (services.member_restore, MEMBER_CHANGE),
    "withdraw": (services.member_withdraw, MEMBER_CHANGE),
    "lapse": (services.member_lapse, MEMBER_DECIDE),
    "expel": (services.member_expel, MEMBER_DECIDE),
}
# What the timeline then says (已办理：退会。 / "Recorded: Left the union."): the buttons' labels are
# what staff do, imperative in English.
TRANSITION_EVENTS = {
    "approve": EventKind.APPROVED,
    "reject": EventKind.REJECTED,
    "retain": EventKind.RETAINED,
    "restore": EventKind.RESTORED,
    "withdraw": EventKind.WITHDRAWN,
    "lapse": EventKind.LAPSED,
    "expel": EventKind.EXPELLED,
}


@require_POST
@access.permission_required(MEMBER_CHANGE)
def transition_view(request, pk: int, action: str):
    if action not in TRANSITION_SERVICES:
        raise Http404
    fn, perm = TRANSITION_SERVICES[action]
    member = _member(request, pk, perm)
    form = TransitionForm(request.POST)
    nxt = request.POST.get("next", "")
    back = (
        redirect(nxt) if local_page(request, nxt, "/members/") else redirect("members:detail", pk=member.pk)
    )
    # What the clerk typed comes back into the form if the change is refused (transition_retry).
    retry = {
        "member": member.pk,
        "action": action,
        "reason": request.POST.get("reason", "")[:200],
        "on": request.POST.get("on", "")[:10],
    }
    if not form.is_valid():  # a date that does not exist, a reason too long: nothing is done
        flash_form_errors(request, form)
        request.session[RETRY_KEY] = retry
        return back
    kwargs = {"member": member, "actor": request.user}
    if action == "approve":
        kwargs["on"] = form.cleaned_data.get("on")
    elif action == "reject":
        kwargs["reason"] = form.cleaned_data.get("reason", "")
    else:
        kwargs["reason"] = form.cleaned_data.get("reason", "")
        kwargs["on"] = form.cleaned_data.get("on")
    try:
        fn(**kwargs)
    except ValidationError as e:
        for msg in e.messages:
            messages.error(request, msg)
        request.session[RETRY_KEY] = retry
    else:
        messages.success(request, _("已办理：%(a)s。") % {"a": TRANSITION_EVENTS[action].label})
    return back


@require_POST
@access.permission_required(MEMBER_DECIDE)
def erase_view(request, pk: int):
    member = _member(request, pk, MEMBER_DECIDE)
    try:
        services.member_erase(member=member, actor=request.user, reason=request.POST.get("reason", "")[:200])
    except ValidationError as e:
        flash_error(request, e)
    else:
        messages.success(request, _("已删除%(name)s的个人信息。") % {"name": member.name})
    return redirect("members:detail", pk=member.pk)


ERASURE_PAGE = 200


@access.permission_required(MEMBER_DECIDE)
def erasure_view(request):
    """Former members whose personal data is due for deletion; deleting those listed at once."""
    org = None
    org_id = request.POST.get("org") or request.GET.get("org") or ""
    if org_id.isdigit():
        org = access.get_org_for_user(request.user, MEMBER_DECIDE, int(org_id))
    if request.method == "POST":
        back = redirect(reverse("members:erasure") + (f"?org={org.pk}" if org else ""))
        ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()][:ERASURE_PAGE]
        if not ids:
            messages.error(request, _("请勾选要删除个人信息的人员。"))
            return back
        try:
            n = services.member_erase_due(
                user=request.user,
                org=org,
                actor=request.user,
                reason=request.POST.get("reason", "")[:200],
                ids=ids,
            )
        except ValidationError as e:
            flash_error(request, e)
        else:
            if n:
                messages.success(
                    request, ngettext("已删除%(n)d人的个人信息。", "已删除%(n)d人的个人信息。", n) % {"n": n}
                )
            else:
                messages.warning(request, _("没有删除任何人的个人信息：所列人员已经删除，或不在到期名单中。"))
        return back
    due = selectors.erasure_due(request.user, org)
    rows = list(due[: ERASURE_PAGE + 1])
    return render(
        request,
        "members/erasure.html",
        {
            "rows": rows[:ERASURE_PAGE],
            "more": len(rows) > ERASURE_PAGE,
            "org": org,
            "years": selectors.retention_years(),
        },
    )


RETRY_KEY = "members.transition_retry"


def transition_retry(request, member) -> dict | None:
    """A refused status change of this member, as typed, to fill its form in again (once)."""
    retry = request.session.pop(RETRY_KEY, None)
    return retry if retry and retry.get("member") == member.pk else None


# ---- transfers, applications, lapse candidates, corrections ----------------------------------------


@require_POST
@access.permission_required(MEMBER_CHANGE)
def transfer_request_view(request, pk: int):
    member = _member(request, pk, MEMBER_CHANGE)
    form = TransferForm(request.POST, targets=selectors.transfer_targets(request.user, member))
    if form.is_valid():
        try:
            services.transfer_request(
                member=member,
                to_org=form.cleaned_data["to_org"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
                new_employer=form.cleaned_data["new_employer"],
            )
        except ValidationError as e:
            for msg in e.messages:
                messages.error(request, msg)
        else:
            messages.success(
                request, _("已提交转会申请，等待 %(org)s 接收。") % {"org": form.cleaned_data["to_org"].name}
            )
    else:
        messages.error(request, _("请选择转入工会。"))
    return redirect("members:detail", pk=member.pk)


@access.permission_required(MEMBER_CHANGE)
def transfers_view(request):
    ctx = {
        "incoming": selectors.transfers_incoming(request.user),
        "outgoing": selectors.transfers_outgoing(request.user),
        "decided": selectors.transfers_decided(request.user),
        "today": services.today(),
    }
    return render(request, "members/transfers.html", ctx)


@require_POST
@access.permission_required(MEMBER_CHANGE)
def transfer_decide_view(request, pk: int, action: str):
    if action == "cancel":
        transfer = access.get_for_user(
            Transfer.objects.select_related("member"), request.user, MEMBER_CHANGE, pk=pk
        )
    elif action in ("accept", "reject"):
        transfer = access.get_for_user(
            Transfer.objects.select_related("member"), request.user, MEMBER_CHANGE, org_field="to_org", pk=pk
        )
    else:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():  # the date of an acceptance, as typed
        flash_form_errors(request, form)
        return redirect("members:transfers")
    try:
        if action == "accept":
            services.transfer_accept(transfer=transfer, actor=request.user, on=form.cleaned_data["on"])
            messages.success(request, _("已接收 %(name)s 转入本会。") % {"name": transfer.member.name})
        elif action == "reject":
            services.transfer_reject(
                transfer=transfer, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("已拒绝接收。"))
        else:
            services.transfer_cancel(
                transfer=transfer, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("已撤回转会申请。"))
    except ValidationError as e:
        for msg in e.messages:
            messages.error(request, msg)
    return redirect("members:transfers")


@access.permission_required(MEMBER_CHANGE)
def applications_view(request):
    return render(
        request,
        "members/applications.html",
        {
            "applications": selectors.applications_pending(request.user)[:200],
            "orgs": _holding_orgs(request.user)[:200],
        },
    )


def apply_token(org: Organization) -> str:
    return crypto.blind_index(str(org.pk), "members.apply")[:20]


@access.permission_required(MEMBER_CHANGE)
def apply_qr_view(request, org_id: int):
    org = access.get_org_for_user(request.user, MEMBER_CHANGE, org_id)

    url = request.build_absolute_uri(reverse("members:apply", args=[org.pk, apply_token(org)]))
    svg = qr_svg(url)
    return render(request, "members/apply_qr.html", {"org": org, "url": url, "svg": svg})


def _looks_up(form) -> bool:
    """Whether an application would be looked up in the registry: a well-formed ID number."""
    try:
        parse_id_number(form.cleaned_data["id_number"], min_age=0, max_age=200)
    except ValidationError:
        return False  # sent back for the number itself, before any look-up
    return True


def _apply_too_often(request, org) -> bool:
    """More than `apply_per_hour` applications to this union from this address within the hour.
    Only complete applications count (those that reach the registry, where an ID number could be
    probed): a form sent back for a typo does not. Workers at a sign-up drive share the factory's
    address, so the default is generous; the address is the client's, behind the proxy too."""
    from django.core.cache import cache

    from audit.middleware import client_ip

    limit = rules.conf("apply_per_hour", 60)
    key = f"members:apply:{org.pk}:{client_ip(request) or ''}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > limit


def apply_view(request, org_id: int, token: str):
    """The public application form opened from the union's QR code (no login: the token in the
    link is the union's secret)."""
    org = Organization.objects.filter(pk=org_id, is_active=True).first()
    if org is None or not hmac.compare_digest(apply_token(org).encode(), token.encode()):
        raise Http404
    form = ApplyForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid() and _looks_up(form) and _apply_too_often(request, org):
        form.add_error(None, _("提交次数过多，请一小时后再试，或直接联系工会办理。"))
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        consent = data.pop("consent")
        try:
            done = services.member_apply(org=org, data=data, consent=consent)
        except ValidationError as e:
            apply_errors(form, e)
    ctx = {"form": form, "org": org, "done": done, "org_path": selectors.org_path_names(org)}
    return render(request, "members/apply.html", ctx)


@access.permission_required(MEMBER_DECIDE)
def lapse_view(request):
    org = None
    if request.GET.get("org", "").isdigit():
        org = access.get_org_for_user(request.user, MEMBER_DECIDE, int(request.GET["org"]))
    rows, available = selectors.lapse_candidates(request.user, org)
    return render(request, "members/lapse.html", {"rows": rows, "dues_available": available, "org": org})


@access.permission_required(MEMBER_CHANGE)
def corrections_view(request):
    return render(
        request,
        "members/corrections.html",
        {
            "requests": selectors.open_corrections_page(request.user),
            "decided": selectors.decided_corrections(request.user),
            "labels": services.CORRECTABLE,
        },
    )


@require_POST
@access.permission_required(MEMBER_REVEAL)
def correction_reveal_view(request, pk: int):
    req = access.get_for_user(
        CorrectionRequest.objects.select_related("member", "org"), request.user, MEMBER_REVEAL, pk=pk
    )
    try:
        value = services.correction_reveal(request=req, actor=request.user)
    except ValidationError:
        raise Http404 from None
    return render(request, "members/detail.html#revealed", {"value": value})


@require_POST
@access.permission_required(MEMBER_CHANGE)
def correction_decide_view(request, pk: int):
    req = access.get_for_user(
        CorrectionRequest.objects.select_related("member"), request.user, MEMBER_CHANGE, pk=pk
    )
    accept = request.POST.get("accept") == "1"
    try:
        services.correction_decide(
            request=req, accept=accept, actor=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as e:
        for msg in e.messages:
            messages.error(request, msg)
    else:
        if accept:
            messages.success(request, _("已按申请更正%(m)s的信息。") % {"m": req.member.name})
        else:
            messages.success(
                request, _("已答复%(m)s不予更正，理由会显示在其“我的信息”页。") % {"m": req.member.name}
            )
    return redirect("members:corrections")


# ---- import -----------------------------------------------------------------------------------------


@access.permission_required(MEMBER_CHANGE)
def import_template_view(request):
    resp = HttpResponse(
        importing.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp["Content-Disposition"] = (
        "attachment; filename=\"member-template.xlsx\"; filename*=UTF-8''%E4%BC%9A%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return resp


@access.permission_required(MEMBER_CHANGE)
def import_view(request):
    orgs = _holding_orgs(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp = services.import_preview(
                org=form.cleaned_data["org"], filename=upload.name, data=upload.read(), actor=request.user
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            return redirect("members:import_detail", pk=imp.pk)
    recent = access.scope(MemberImport.objects.all(), request.user, MEMBER_CHANGE).select_related("org")[:10]
    return render(request, "members/import.html", {"form": form, "recent": recent})


@access.permission_required(MEMBER_CHANGE)
def import_detail_view(request, pk: int):
    imp = access.get_for_user(
        MemberImport.objects.select_related("org", "progress", "created_by"),
        request.user,
        MEMBER_CHANGE,
        pk=pk,
    )
    return render(
        request,
        "members/import_detail.html",
        {
            "imp": imp,
            "preview": imp.preview,
            "may_download_errors": services.may_download_import_errors(request.user, imp),
            "errors": imp.errors[:500],
            "more_errors": max(len(imp.errors) - 500, 0),
        },
    )


@require_POST
@access.permission_required(MEMBER_CHANGE)
def import_confirm_view(request, pk: int):
    imp = access.get_for_user(MemberImport.objects.select_related("org"), request.user, MEMBER_CHANGE, pk=pk)
    try:
        progress = services.import_confirm(imp=imp, actor=request.user)
    except ValidationError as e:
        for msg in e.messages:
            messages.error(request, msg)
        if request.htmx:  # the whole page again, with the message; not a page inside the progress box
            return HttpResponse(
                status=204, headers={"HX-Redirect": reverse("members:import_detail", args=[imp.pk])}
            )
        return redirect("members:import_detail", pk=imp.pk)
    if request.htmx:
        return render(request, "core/progress.html#progress", {"progress": progress})
    return redirect("members:import_detail", pk=imp.pk)


@access.permission_required(MEMBER_CHANGE)
def import_errors_view(request, pk: int):
    imp = access.get_for_user(MemberImport.objects.select_related("org"), request.user, MEMBER_CHANGE, pk=pk)
    try:
        content = services.import_error_report(imp=imp, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("members:import_detail", pk=imp.pk)
    resp = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="import-{imp.pk}-errors.xlsx"'
    return resp


# ---- statistics -------------------------------------------------------------------------------------


def _stats_org(request):
    if request.GET.get("org", "").isdigit():
        return access.get_org_for_user(request.user, MEMBER_STATS, int(request.GET["org"]))
    org = access.orgs_for(request.user, MEMBER_STATS).order_by("depth", "path").first()
    if org is None:
        raise Http404
    return org


@access.permission_required(MEMBER_STATS)
def stats_view(request):
    org = _stats_org(request)
    stats = selectors.subtree_stats(org)
    chart = {
        "sex": [{"name": _("男"), "value": stats["male"]}, {"name": _("女"), "value": stats["female"]}],
        "age": {"labels": [a for a, _n in stats["age"]], "values": [n for _a, n in stats["age"]]},
        "education": {
            "labels": [str(a) for a, _n in stats["education"]],
            "values": [n for _a, n in stats["education"]],
        },
        "months": stats["months"],
        "joins": stats["joins"],
        "leaves": stats["leaves"],
        "transfers_in": stats["transfers_in"],
        "transfers_out": stats["transfers_out"],
        "names": {
            "joins": _("入会人数"),
            "leaves": _("退会人数"),
            "transfers_in": _("转入人数"),
            "transfers_out": _("转出人数"),
            "none": _("暂无会员"),
        },
    }
    ctx = {
        "org": org,
        "stats": stats,
        "children": selectors.children_stats(org),
        "direct": selectors.direct_members(org),
        "chart": chart,
        "orgs": selectors.org_choices(request.user, MEMBER_STATS, org),
        "rate_pct": rate_pct(stats["rate"]),
    }
    return render(request, "members/stats.html", ctx)


@access.permission_required(MEMBER_STATS)
def stats_export_view(request):
    org = _stats_org(request)
    # In Chinese whatever the user's language, like its sheet names and headers and every export.
    with translation.override(settings.LANGUAGE_CODE):
        content = exporting.stats_xlsx(
            selectors.subtree_stats(org), selectors.children_stats(org), selectors.direct_members(org)
        )
    services.stats_export_record(actor=request.user, org=org)
    resp = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="member-stats-{org.pk}.xlsx"'
    return resp


# ---- member self-service ----------------------------------------------------------------------------


def _self_service(view):
    """A member's own page, called with the member record linked to the account; an account without
    one is told how to get it linked."""

    @access.login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        member = selectors.my_member(request.user)
        if member is None:
            return render(request, "members/not_linked.html", status=404)
        return view(request, member, *args, **kwargs)

    return wrapped


def card_token(member: Member) -> str:
    return crypto.blind_index(str(member.pk), "members.card")[:20]


@_self_service
def my_card_view(request, member: Member):

    # The QR code opens the card's check page: whoever scans it sees whether the card is valid today
    # (a copied screenshot of a member who has left shows that), not a name frozen into the code.
    url = request.build_absolute_uri(reverse("members:card_check", args=[member.pk, card_token(member)]))
    svg = qr_svg(url)
    return render(request, "members/my_card.html", {"member": member, "svg": svg})


def card_check_view(request, pk: int, token: str):
    """Public (no login; the token in the link is the card's secret): whether a membership card is
    valid now. Shows the masked name, the union, the card number and the status, nothing more."""
    member = selectors.card_member(pk)
    if member is None or not hmac.compare_digest(card_token(member).encode(), token.encode()):
        raise Http404
    if member.erased_at is not None:
        raise Http404  # nothing more is said about a person whose data was deleted
    return render(
        request,
        "members/card_check.html",
        {
            "member": member,
            "masked_name": mask_text(member.name, 1),
            "valid": member.status in (MemberStatus.ACTIVE, MemberStatus.RETAINED),
            "checked_at": timezone.localtime(),
        },
    )


@_self_service
def my_history_view(request, member: Member):
    dues = selectors.my_dues(member)
    return render(
        request,
        "members/my_history.html",
        {
            "member": member,
            "events": selectors.member_timeline(member, own=True),
            "dues": dues,
            "owed": selectors.my_dues_owed(member),
        },
    )


@_self_service
def my_data_view(request, member: Member):
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_request(
                member=member,
                field=form.cleaned_data["field"],
                value=form.cleaned_data["requested_value"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已提交更正申请，工会处理后会更新您的信息。"))
            return redirect("members:my_data")
    return render(
        request,
        "members/my_data.html",
        {
            "member": member,
            "form": form,
            "corrections": member.corrections.all()[:20],
            "labels": services.CORRECTABLE,
            "retention_years": selectors.retention_years(),
        },
    )


@require_POST
@_self_service
def my_reveal_view(request, member: Member, field: str):
    """The member's own ID number or phone in full on their data page (audited like any reveal)."""
    if field not in services.REVEALABLE or (field == "phone" and not member.phone_enc):
        raise Http404
    value = services.member_reveal(member=member, field=field, actor=request.user, own="view")
    return render(request, "members/detail.html#revealed", {"value": value})


@_self_service
def my_data_download_view(request, member: Member):
    """Everything held about the member, as JSON (PIPL art. 45: see and copy one's own data)."""
    data = services.member_self_export(member=member, actor=request.user)
    resp = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    resp["Content-Disposition"] = 'attachment; filename="my-member-data.json"'
    return resp
