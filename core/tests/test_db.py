import pytest
from django.db import IntegrityError, connection, transaction

from core.db import ForeignKeysCheckedOnce
from members.models import Member, MemberEvent
from members.tests.factories import make_member

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL bulk-load path")


BAD_EVENT = (
    'INSERT INTO members_memberevent (member_id, org_id, kind, from_status, to_status, "on", reason, '
    "created_at) VALUES (%s, 999999, 'imported', '', 'active', now(), '', now())"
)


def _replication_role() -> str:
    with connection.cursor() as cur:
        cur.execute("SHOW session_replication_role")
        return cur.fetchone()[0]


def _bad_event_in_a_bulk_load(member_pk: int) -> None:
    with transaction.atomic(), ForeignKeysCheckedOnce(Member, MemberEvent) as checked:
        assert checked.active and _replication_role() == "replica"
        with connection.cursor() as cur:  # no per-row trigger refuses it here
            cur.execute(BAD_EVENT, [member_pk])


def _bad_event_checked_now(member_pk: int) -> None:
    """The per-row check, deferred as usual, made to run now as a commit would."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(BAD_EVENT, [member_pk])
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_rows_pointing_nowhere_are_refused_once_at_the_end(world):
    m = make_member(world, i=1)
    with pytest.raises(IntegrityError, match="members.MemberEvent.org: rows point to no orgs.Organization"):
        _bad_event_in_a_bulk_load(m.pk)
    assert _replication_role() == "origin"
    assert MemberEvent.objects.filter(org_id=999999).count() == 0  # rolled back


def test_good_rows_pass_and_triggers_are_back_after(world):
    m = make_member(world, i=1)
    with transaction.atomic(), ForeignKeysCheckedOnce(Member, MemberEvent):
        MemberEvent.objects.create(
            member=m, org=world.union_a, kind="imported", on=m.joined_on or m.birth_date
        )
    assert _replication_role() == "origin"
    with pytest.raises(IntegrityError):
        _bad_event_checked_now(m.pk)
