"""A delegate checking in while the secretariat closes the session: the check-in waits for the close
and is refused, rather than being recorded after the session ended."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from congress import services
from congress.models import Attendance, Session, SessionStatus

from .factories import make_term, open_session

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_a_checkin_during_the_close_waits_and_is_refused(world):
    term, _cons, _dels = make_term(world, employees=600)
    s = open_session(world, term, present=0)
    card = services.cards_issue(actor=world.staff_a, session=s)[0]
    closing = threading.Event()
    outcome = {}

    def close():
        try:
            with transaction.atomic():
                locked = Session.objects.select_for_update().get(pk=s.pk)  # as session_close does
                closing.set()
                time.sleep(0.5)  # the check-in arrives while the close is in flight
                locked.status = SessionStatus.CLOSED
                locked.save(update_fields=["status"])
        finally:
            connections.close_all()

    def checkin():
        assert closing.wait(timeout=10), "the closing transaction never took its lock"
        try:
            services.checkin_by_token(token=card.token)
            outcome["result"] = "checked in"
        except ValidationError as e:
            outcome["result"] = e.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close), threading.Thread(target=checkin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcome == {"result": "closed"}
    assert Attendance.objects.get(session=s, delegate=card.delegate).checked_in_at is None
