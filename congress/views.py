from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_errors, flash_error, flash_form_errors
from core.qr import qr_svg
from orgs import access
from orgs.models import OrgKind

from . import selectors, services
from .forms import (
    AgendaForm,
    ConstituencyElectionForm,
    ConstituencyForm,
    DelegateForm,
    DocumentForm,
    PollForm,
    ReplaceForm,
    SessionForm,
    TermForm,
)
from .models import Delegate, DelegateStatus, Poll, PollKind, PollStatus, Session, SessionStatus, Term
from .permissions import CONGRESS_MANAGE, CONGRESS_VIEW, CONGRESS_VOTE

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _term(request, pk, perm=CONGRESS_VIEW) -> Term:
    return access.get_for_user(Term.objects.select_related("org"), request.user, perm, pk=pk)


def _session(request, pk, perm=CONGRESS_VIEW) -> Session:
    return access.get_for_user(Session.objects.select_related("org", "term"), request.user, perm, pk=pk)


def _poll(request, pk, perm=CONGRESS_VIEW) -> Poll:
    return access.get_for_user(Poll.objects.select_related("org", "session__term"), request.user, perm, pk=pk)


# ---- Overview, terms, delegates ---------------------------------------------------------------


@access.permission_required(CONGRESS_VIEW)
def home_view(request):
    ctx = {
        "terms": selectors.terms_for(request.user),
        "sessions": selectors.sessions_for(request.user)[:20],
        "delegacies": selectors.my_delegacies(request.user),
        "may_manage": access.has_any(request.user, CONGRESS_MANAGE),
    }
    return render(request, "congress/home.html", ctx)


@access.permission_required(CONGRESS_MANAGE)
def term_create_view(request):
    orgs = access.orgs_for(request.user, CONGRESS_MANAGE).filter(kind=OrgKind.UNION).order_by("name")
    form = TermForm(request.POST or None, orgs=orgs, initial={"org": request.GET.get("org")})
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request, _("已建立第 %(n)d 届，代表名额 %(s)d 名。") % {"n": term.number, "s": term.seats}
            )
            return redirect("congress:term", pk=term.pk)
    return render(request, "congress/form.html", {"form": form, "title": _("建立职代会届次")})


@access.permission_required(CONGRESS_VIEW)
def term_view(request, pk: int):
    term = _term(request, pk)
    may_manage = access.can(request.user, CONGRESS_MANAGE, term.org)
    ctx = {
        "term": term,
        "formula": services.seat_formula(term.seat_formula),
        "constituencies": selectors.constituencies(term),
        "delegates": selectors.delegates(term, include_past=True),
        "checks": selectors.composition(term),
        "sessions": term.sessions.order_by("number"),
        "may_manage": may_manage,
        "constituency_form": ConstituencyForm(),
        "delegate_form": DelegateForm(term=term),
        "session_form": SessionForm(),
        "election_form": ConstituencyElectionForm(term=term),
        "elections": selectors.constituency_elections(term),
    }
    return render(request, "congress/term.html", ctx)


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def constituency_election_view(request, pk: int):
    term = _term(request, pk, CONGRESS_MANAGE)
    form = ConstituencyElectionForm(request.POST, term=term)
    if form.is_valid():
        try:
            e = services.constituency_election_record(actor=request.user, **form.cleaned_data)
        except ValidationError as err:
            flash_error(request, err)
        else:
            if e.valid and e.elected:
                messages.success(request, _("选举有效，当选：%(n)s。") % {"n": "、".join(e.elected)})
            else:
                messages.warning(
                    request, e.note if not e.valid else _("没有候选人获得超过选区全体职工半数的选票。")
                )
    else:
        flash_form_errors(request, form)
    return redirect("congress:term", pk=term.pk)


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def constituency_add_view(request, pk: int):
    term = _term(request, pk, CONGRESS_MANAGE)
    form = ConstituencyForm(request.POST)
    if form.is_valid():
        try:
            c = services.constituency_add(actor=request.user, term=term, **form.cleaned_data)
            messages.success(request, _("已增设选区“%(n)s”。") % {"n": c.name})
        except ValidationError as e:
            flash_error(request, e)
    else:
        messages.error(request, _("请填写选区名称和职工人数。"))
    return redirect("congress:term", pk=term.pk)


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def delegate_add_view(request, pk: int):
    term = _term(request, pk, CONGRESS_MANAGE)
    form = DelegateForm(request.POST, term=term)
    if form.is_valid():
        try:
            d = services.delegate_add(actor=request.user, term=term, **form.cleaned_data)
            messages.success(
                request, _("已登记代表 %(n)s（代表证号 %(no)d）。") % {"n": d.name, "no": d.number}
            )
        except ValidationError as e:
            flash_error(request, e)
    else:
        flash_form_errors(request, form)
    return redirect("congress:term", pk=term.pk)


@access.permission_required(CONGRESS_MANAGE)
def delegate_replace_view(request, pk: int):
    delegate = access.get_for_user(
        Delegate.objects.select_related("term", "constituency"), request.user, CONGRESS_MANAGE, pk=pk
    )
    form = ReplaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.delegate_replace(actor=request.user, delegate=delegate, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("%(new)s 已接替 %(old)s。") % {"new": new.name, "old": delegate.name})
            return redirect("congress:term", pk=delegate.term_id)
    return render(
        request, "congress/form.html", {"form": form, "title": _("替换代表：%(n)s") % {"n": delegate.name}}
    )


@access.permission_required(CONGRESS_VIEW)
def delegates_print_view(request, pk: int):
    term = _term(request, pk)
    return render(
        request,
        "congress/print_delegates.html",
        {"term": term, "delegates": selectors.delegates(term), "checks": selectors.composition(term)},
    )


# ---- Sessions ---------------------------------------------------------------------------------


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def session_create_view(request, pk: int):
    term = _term(request, pk, CONGRESS_MANAGE)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            s = services.session_create(actor=request.user, term=term, **form.cleaned_data)
        except ValidationError as e:
            flash_error(request, e)
        else:
            return redirect("congress:session", pk=s.pk)
    else:
        messages.error(request, _("请填写会议名称和日期。"))
    return redirect("congress:term", pk=term.pk)


@access.permission_required(CONGRESS_VIEW)
def session_view(request, pk: int):
    session = _session(request, pk)
    may_manage = access.can(request.user, CONGRESS_MANAGE, session.org)
    polls = list(session.polls.all())
    ctx = {
        "session": session,
        "live": selectors.live(session),
        "agenda": session.agenda.all(),
        "documents": selectors.documents(session),
        "polls": polls,
        "attendance": selectors.attendance(session) if may_manage else [],
        "may_manage": may_manage,
        "report_due": services.report_due(session),
        "agenda_form": AgendaForm(),
        "document_form": DocumentForm(),
        "poll_form": PollForm(),
        "is_delegate": selectors.my_delegacies(request.user).filter(term_id=session.term_id).exists(),
    }
    return render(request, "congress/session.html", ctx)


@access.permission_required(CONGRESS_MANAGE)
def session_edit_view(request, pk: int):
    """Change a planned meeting's name, date and venue (e.g. a meeting held earlier than planned)."""
    session = _session(request, pk, CONGRESS_MANAGE)
    try:
        services.session_check_editable(session)
    except ValidationError as e:
        flash_error(request, e)
        return redirect("congress:session", pk=session.pk)
    limits = services.session_date_limits(session)
    initial = {"title": session.title, "held_on": session.held_on, "venue": session.venue}
    form = SessionForm(request.POST or None, initial=initial, limits=limits)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已保存会议信息。"))
            days = services.conf("document_days", 7)
            late = [r for r in selectors.documents(session) if r["doc"].distributed_on and r["late"]]
            if late and session.held_on != initial["held_on"]:
                messages.warning(
                    request,
                    _("按新的会议日期，有 %(n)d 份会议文件送达不足 %(days)d 天。")
                    % {"n": len(late), "days": days},
                )
            return redirect("congress:session", pk=session.pk)
    ctx = {"session": session, "form": form, "title": _("编辑会议信息")}
    return render(request, "congress/session_edit.html", ctx)


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def agenda_add_view(request, pk: int):
    session = _session(request, pk, CONGRESS_MANAGE)
    form = AgendaForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写议题。"))
        services.agenda_add(actor=request.user, session=session, **form.cleaned_data)
    except ValidationError as e:
        flash_error(request, e)
    return redirect("congress:session", pk=session.pk)


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def document_add_view(request, pk: int):
    session = _session(request, pk, CONGRESS_MANAGE)
    form = DocumentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写文件名称。"))
        services.document_add(actor=request.user, session=session, **form.cleaned_data)
    except ValidationError as e:
        flash_error(request, e)
    return redirect("congress:session", pk=session.pk)


SESSION_ACTIONS = {
    "open": services.session_open,
    "close": services.session_close,
    "report": services.session_report,
}


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def session_action_view(request, pk: int, action: str):
    session = _session(request, pk, CONGRESS_MANAGE)
    fn = SESSION_ACTIONS.get(action)
    if fn is None:
        raise Http404
    try:
        fn(actor=request.user, session=session)
    except ValidationError as e:
        flash_error(request, e)
    return redirect("congress:session", pk=session.pk)


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def cards_view(request, pk: int):
    """Print delegate cards: new one-time tokens, shown once on this printable page."""
    session = _session(request, pk, CONGRESS_MANAGE)
    try:
        one = request.POST.get("delegate")
        chosen = None
        if one:
            chosen = [access.get_for_user(Delegate.objects.all(), request.user, CONGRESS_MANAGE, pk=one)]
        cards = services.cards_issue(actor=request.user, session=session, delegates=chosen)
    except ValidationError as e:
        flash_error(request, e)
        return redirect("congress:session", pk=session.pk)
    rows = []
    for c in cards:
        url = request.build_absolute_uri(reverse("congress:checkin", args=[c.token]))
        rows.append({"delegate": c.delegate, "url": url, "qr": qr_svg(url)})
    return render(request, "congress/cards.html", {"session": session, "cards": rows})


def checkin_view(request, token: str):
    """The page a delegate's phone opens from the QR code. Guarded by the one-time token."""
    digest = services.token_hash(token)
    from .models import Attendance

    a = Attendance.objects.select_related("delegate", "session").filter(token_hash=digest).first()
    if a is None:
        if not request.user.is_authenticated:
            messages.error(request, _("代表证二维码无效或已经使用。如已签到，请用本机继续投票，或找会务组。"))
            return redirect(f"{reverse('accounts:login')}?next={reverse('congress:home')}")
        raise Http404
    if request.method == "POST":
        try:
            a = services.checkin_by_token(token=token)
        except ValidationError as e:
            flash_error(request, e)
            return render(request, "congress/checkin.html", {"attendance": a, "failed": True})
        auth_login(request, a.delegate.user, backend=BACKEND)
        messages.success(request, _("%(n)s，签到成功。") % {"n": a.delegate.name})
        resp = redirect("congress:vote", pk=a.session_id)
        # for voting apps on the delegate's device: a signed credential for this session only
        resp["X-Delegate-Credential"] = services.delegate_credential(a)
        return resp
    return render(request, "congress/checkin.html", {"attendance": a})


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def checkin_manual_view(request, pk: int, delegate_pk: int):
    session = _session(request, pk, CONGRESS_MANAGE)
    delegate = access.get_for_user(Delegate.objects.all(), request.user, CONGRESS_MANAGE, pk=delegate_pk)
    try:
        services.checkin_manual(actor=request.user, session=session, delegate=delegate)
        messages.success(request, _("%(n)s 已签到。") % {"n": delegate.name})
    except ValidationError as e:
        flash_error(request, e)
    return redirect(reverse("congress:session", args=[session.pk]) + "#attendance")


@access.permission_required(CONGRESS_VIEW)
def projector_view(request, pk: int):
    session = _session(request, pk)
    live = selectors.live(session)
    ctx = {"session": session, "live": live, "now": timezone.localtime()}
    if live.poll is not None and live.poll.status == PollStatus.PUBLISHED:
        ctx["result"] = live.poll.result
    if request.htmx:
        return render(request, "congress/projector.html#live", ctx)
    return render(request, "congress/projector.html", ctx)


# ---- Polls ------------------------------------------------------------------------------------


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def poll_create_view(request, pk: int):
    session = _session(request, pk, CONGRESS_MANAGE)
    form = PollForm(request.POST)
    if form.is_valid():
        try:
            poll = services.poll_create(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as e:
            flash_error(request, e)
        else:
            return redirect("congress:poll", pk=poll.pk)
    else:
        flash_form_errors(request, form)
    return redirect("congress:session", pk=session.pk)


@access.permission_required(CONGRESS_MANAGE)
def poll_view(request, pk: int):
    poll = _poll(request, pk, CONGRESS_MANAGE)
    participants = selectors.poll_participants(poll)
    ctx = {
        "poll": poll,
        "session": poll.session,
        "options": list(poll.options.all()),
        "voted": len(participants),
        "paper_entered": poll.ballots.filter(source="paper").count(),
        "result": selectors.poll_result(poll) if poll.status != PollStatus.DRAFT else None,
        "present": [
            (d, participants.get(d.pk))
            for d, a in selectors.attendance(poll.session)
            if a is not None and a.checked_in_at
        ]
        if poll.status == PollStatus.OPEN
        else [],
    }
    if request.htmx:
        return render(request, "congress/poll.html#progress", ctx)
    return render(request, "congress/poll.html", ctx)


POLL_ACTIONS = {"open": services.poll_open, "close": services.poll_close, "publish": services.poll_publish}


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def poll_action_view(request, pk: int, action: str):
    poll = _poll(request, pk, CONGRESS_MANAGE)
    if action == "recount":
        t, same = services.poll_recount(actor=request.user, poll=poll)
        if same:
            messages.success(request, _("重新计票完成：共 %(n)d 张选票，与已存结果一致。") % {"n": t.ballots})
        else:
            messages.error(request, _("重新计票结果与已存结果不一致！"))
        return redirect("congress:poll", pk=poll.pk)
    fn = POLL_ACTIONS.get(action)
    if fn is None:
        raise Http404
    try:
        fn(actor=request.user, poll=poll)
    except ValidationError as e:
        flash_error(request, e)
    return redirect("congress:poll", pk=poll.pk)


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def paper_issue_view(request, pk: int, delegate_pk: int):
    poll = _poll(request, pk, CONGRESS_MANAGE)
    delegate = access.get_for_user(Delegate.objects.all(), request.user, CONGRESS_MANAGE, pk=delegate_pk)
    try:
        services.paper_issue(actor=request.user, poll=poll, delegate=delegate)
        messages.success(request, _("已向 %(n)s 发放纸质选票。") % {"n": delegate.name})
    except ValidationError as e:
        flash_error(request, e)
    return redirect("congress:poll", pk=poll.pk)


@require_POST
@access.permission_required(CONGRESS_MANAGE)
def paper_enter_view(request, pk: int):
    poll = _poll(request, pk, CONGRESS_MANAGE)
    try:
        services.paper_enter(
            actor=request.user,
            poll=poll,
            choices=request.POST.getlist("choice"),
            invalid=request.POST.get("invalid") == "1",
        )
        messages.success(request, _("已录入一张纸质选票。"))
    except ValidationError as e:
        flash_error(request, e)
    return redirect("congress:poll", pk=poll.pk)


@access.permission_required(CONGRESS_VIEW)
def result_print_view(request, pk: int):
    poll = _poll(request, pk)
    if poll.status != PollStatus.PUBLISHED and not access.can(request.user, CONGRESS_MANAGE, poll.org):
        raise Http404
    if poll.status not in (PollStatus.CLOSED, PollStatus.PUBLISHED):
        raise Http404  # no counts while voting is open, as on the poll's page and in the API
    return render(
        request,
        "congress/print_result.html",
        {"poll": poll, "session": poll.session, "result": selectors.poll_result(poll)},
    )


@access.permission_required(CONGRESS_VIEW)
def resolutions_print_view(request, pk: int):
    session = _session(request, pk)
    polls = [p for p in session.polls.filter(status=PollStatus.PUBLISHED) if p.result]
    return render(request, "congress/print_resolutions.html", {"session": session, "polls": polls})


@access.permission_required(CONGRESS_VIEW)
def minutes_print_view(request, pk: int):
    session = _session(request, pk)
    ctx = {
        "session": session,
        "live": selectors.live(session),
        "agenda": session.agenda.all(),
        "documents": selectors.documents(session),
        "polls": session.polls.filter(status=PollStatus.PUBLISHED),
        "absent": [d for d, a in selectors.attendance(session) if a is None or a.checked_in_at is None],
    }
    return render(request, "congress/print_minutes.html", ctx)


# ---- Delegates vote from their phones ---------------------------------------------------------


def _my_delegate(request, session: Session) -> Delegate:
    d = Delegate.objects.filter(
        user=request.user, term_id=session.term_id, status=DelegateStatus.ACTIVE
    ).first()
    if d is None:
        raise PermissionDenied
    return d


@access.permission_required(CONGRESS_VOTE)
def vote_view(request, pk: int):
    session = _session(request, pk, CONGRESS_VOTE)
    delegate = _my_delegate(request, session)
    poll = session.polls.filter(status=PollStatus.OPEN).select_related("org", "session").first()
    ctx = {"session": session, "delegate": delegate, "poll": poll}
    if poll is not None:
        ctx["options"] = list(poll.options.all())
        ctx["has_voted"] = poll.participations.filter(delegate=delegate).exists()
    ctx["checked_in"] = session.attendance.filter(delegate=delegate, checked_in_at__isnull=False).exists()
    ctx["published"] = session.polls.filter(status=PollStatus.PUBLISHED).order_by("-published_at")
    if request.htmx:
        return render(request, "congress/vote.html#ballot", ctx)
    return render(request, "congress/vote.html", ctx)


@require_POST
@access.permission_required(CONGRESS_VOTE)
def ballot_view(request, pk: int):
    poll = _poll(request, pk, CONGRESS_VOTE)
    delegate = _my_delegate(request, poll.session)
    status = 200
    try:
        services.ballot_cast(
            actor=request.user, poll=poll, delegate=delegate, choices=request.POST.getlist("choice")
        )
        outcome, text = "ok", _("投票成功，您的选票已计入。")
    except services.AlreadyVoted as e:
        outcome, text, status = "already", e.messages[0], 409
    except ValidationError as e:
        outcome, text, status = "error", " ".join(e.messages), 422
    ctx = {"poll": poll, "outcome": outcome, "text": text, "session": poll.session}
    if request.htmx:
        return render(request, "congress/vote.html#receipt", ctx, status=200)
    if outcome == "ok":
        messages.success(request, text)
    else:
        messages.error(request, text)
    resp = redirect("congress:vote", pk=poll.session_id)
    resp["X-Ballot-Outcome"] = outcome
    resp["X-Ballot-Status"] = str(status)
    return resp


__all__ = ["PollKind", "SessionStatus"]
