"""Two co-signers confirming at the same moment: the proposal goes to review exactly once."""

import threading

import pytest
from django.db import connection, connections

from proposals import services
from proposals.models import Cosign, EventKind
from proposals.models import ProposalStatus as S

from .factories import make_proposal

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_confirmations(world):
    p = make_proposal(world, status=S.COSIGNING)
    cosigns = list(Cosign.objects.filter(proposal=p).select_related("user"))
    barrier = threading.Barrier(len(cosigns))
    errors = []

    def confirm(c):
        try:
            barrier.wait()
            services.cosign_confirm(cosign=c, actor=c.user)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(c,)) for c in cosigns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    p.refresh_from_db()
    assert p.status == S.PENDING_REVIEW
    assert p.events.filter(kind=EventKind.TO_REVIEW).count() == 1
    assert p.events.filter(kind=EventKind.COSIGN_CONFIRMED).count() == 2
