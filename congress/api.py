from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.security import APIKeyCookie, APIKeyHeader

from orgs import access

from . import selectors, services
from .models import Delegate, DelegateStatus, Poll, PollStatus
from .permissions import CONGRESS_MANAGE, CONGRESS_VOTE

router = Router(tags=["congress"])


@dataclass(frozen=True)
class DelegateCredential:
    delegate_id: int
    session_id: int


class DelegateCredentialAuth(APIKeyHeader):
    """The signed credential a delegate's phone received at check-in (see
    services.delegate_credential): names one delegate in one session."""

    param_name = "X-Delegate-Credential"

    def authenticate(self, request, key):
        got = services.delegate_credential_read(key or "")
        return DelegateCredential(*got) if got else None


class SessionCsrfAuth(APIKeyCookie):
    """The login session (with CSRF), as for the rest of the API."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated else None


class BallotIn(Schema):
    choices: list[str]


class BallotOut(Schema):
    status: str  # "accepted" | "already_voted"
    detail: str


class ErrorOut(Schema):
    detail: str
    code: str = ""


@router.post(
    "/polls/{poll_id}/ballot",
    response={201: BallotOut, 409: BallotOut, 422: ErrorOut},
    operation_id="congress_ballot_cast",
    auth=[DelegateCredentialAuth(), SessionCsrfAuth()],
    summary="Cast the caller's ballot; a repeat answers 409 already_voted and stores nothing",
)
def ballot_cast(request, poll_id: int, payload: BallotIn):
    cred = request.auth
    try:
        if isinstance(cred, DelegateCredential):
            # the credential grants exactly this: the named delegate votes in the named session
            try:
                services.ballot_cast_credential(
                    poll_id=poll_id,
                    delegate_id=cred.delegate_id,
                    session_id=cred.session_id,
                    choices=payload.choices,
                )
            except services.BallotTargetNotFound:
                raise Http404 from None
        else:
            poll = access.get_for_user(
                Poll.objects.select_related("org", "session"), request.user, CONGRESS_VOTE, pk=poll_id
            )
            delegate = Delegate.objects.filter(
                user=request.user, term_id=poll.session.term_id, status=DelegateStatus.ACTIVE
            ).first()
            if delegate is None:
                raise PermissionDenied
            services.ballot_cast(actor=request.user, poll=poll, delegate=delegate, choices=payload.choices)
    except services.AlreadyVoted as e:
        return Status(409, {"status": "already_voted", "detail": e.messages[0]})
    except ValidationError as e:
        return Status(422, {"detail": " ".join(e.messages), "code": getattr(e, "code", "") or ""})
    return Status(201, {"status": "accepted", "detail": "投票成功"})


class TallyOut(Schema):
    status: str
    electorate: int
    present: int
    voted: int
    result: dict


@router.get(
    "/polls/{poll_id}/tally",
    response=TallyOut,
    operation_id="congress_poll_tally",
    summary="Recount a poll from its stored ballots (the counts once voting has closed)",
)
def poll_tally(request, poll_id: int):
    poll = access.get_for_user(
        Poll.objects.select_related("org", "session"), request.user, CONGRESS_MANAGE, pk=poll_id
    )
    # As on the poll's page: no counts while voting is open. With the list of who has voted beside
    # running counts, a secret ballot could be traced to a delegate.
    counted = poll.status in (PollStatus.CLOSED, PollStatus.PUBLISHED)
    return {
        "status": poll.status,
        "electorate": poll.electorate,
        "present": poll.present,
        "voted": len(selectors.poll_participants(poll)),
        "result": services.compute_tally(poll).as_dict() if counted else {},
    }
