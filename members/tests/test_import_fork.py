"""A large import is checked in a forked second process while this one writes: the outcome must be
exactly the in-process one."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from core import crypto
from members import importing, services
from members.models import EventKind, Member, MemberEvent
from members.tests.factories import person
from members.tests.test_import_export import row, xlsx

TODAY = date(2026, 11, 25)


@pytest.fixture
def fork_always(monkeypatch):
    monkeypatch.setattr(importing, "FORK_MIN_BYTES", 0)
    monkeypatch.setattr(importing, "FORK_CHUNKS", ((0, 3),))  # several chunks even for a small file
    # pytest-xdist runs an I/O thread beside the tests; the child touches nothing it could hold
    monkeypatch.setattr(importing, "_os_threads", lambda: 1)


def apply(world, data, name="m.xlsx"):
    org = world.union_a
    return importing.apply_file(
        data,
        name,
        org=org,
        actor=world.staff_a,
        today=TODAY,
        numbers_for=lambda k: services.next_member_numbers(org, k),
    )


def test_forked_check_writes_the_same_members(world, fork_always):
    data = xlsx([row(i) for i in range(1, 9)])
    assert importing._can_fork(data)
    counts = apply(world, data)
    assert counts == {"new": 8, "updated": 0, "unchanged": 0}
    assert Member.objects.filter(org=world.union_a).count() == 8
    assert MemberEvent.objects.filter(kind=EventKind.IMPORTED).count() == 8
    m = Member.objects.get(id_last4=person(3)["id_number"][-4:])
    assert crypto.decrypt(m.id_number_enc) == person(3)["id_number"]
    assert crypto.decrypt(m.phone_enc) == person(3)["phone"]
    assert m.id_number_hash == crypto.blind_index(person(3)["id_number"], "member.id_number")
    again = apply(world, xlsx([row(1, phone="13912345678"), *[row(i) for i in range(2, 9)]]))
    assert again == {"new": 0, "updated": 1, "unchanged": 7}
    m = Member.objects.get(id_last4=person(1)["id_number"][-4:])
    assert crypto.decrypt(m.phone_enc) == "13912345678"


@pytest.mark.parametrize(
    ("seal_all", "taken", "expected"), [(False, 0, "bsss"), (False, 99, "bbbb"), (True, 0, "ssss")]
)
def test_the_checking_process_seals_rows_only_while_this_one_is_busy(monkeypatch, seal_all, taken, expected):
    """Blind indexes and ciphertexts are made by whichever process has time: on SQLite a chunk goes
    out bare when this process has finished every chunk sent before it (it waits), sealed while it
    is still busy; on PostgreSQL always sealed. Run in this process with a counter held still."""
    import pickle
    from types import SimpleNamespace

    monkeypatch.setattr(importing, "FORK_CHUNKS", ((0, 3),))
    monkeypatch.setattr("gc.freeze", lambda: None)  # what the child does to itself, not to pytest
    monkeypatch.setattr("signal.signal", lambda *a: None)
    sent = []
    conn = SimpleNamespace(send_bytes=lambda b: sent.append(pickle.loads(b)), close=lambda: None)  # noqa: S301
    data = xlsx([row(i) for i in range(1, 13)])
    importing._child_check(data, "m.xlsx", TODAY, conn, seal_all, SimpleNamespace(value=taken))
    chunks = [item[0] for kind, item in sent if kind == "chunk"]
    marks = ""
    for batch in chunks:
        flags = {("id_hash" in c, "id_enc" in c, "phone_enc" in c) for _r, c in batch}
        assert flags in ({(True, True, True)}, {(False, False, False)}), flags
        marks += "s" if flags == {(True, True, True)} else "b"
    assert marks == expected
    for batch in chunks:
        for _r, c in batch:
            if "id_enc" in c:
                assert crypto.decrypt(c["id_enc"]) == c["id_number"]
                assert c["id_hash"] == crypto.blind_index(c["id_number"], "member.id_number")


def test_forked_check_refuses_bad_rows_and_bad_files(world, fork_always):
    rows = [row(i) for i in range(1, 9)]
    rows[5] = row(6, id="110105194912310021")
    with pytest.raises(ValidationError, match="发现1行有错误"):
        apply(world, xlsx(rows))
    with pytest.raises(importing.ImportFileError, match="公式"):
        apply(world, xlsx([row(1)], formula=True))
    with pytest.raises(importing.ImportFileError, match="不是有效的Excel文件"):
        apply(world, b"PK\x03\x04 not really a zip")


def test_no_fork_for_small_files_or_when_turned_off(settings, monkeypatch):
    assert importing._os_threads() >= 1
    assert not importing._can_fork(b"x" * 1000)
    settings.GONGHUI_MEMBERS = {"import_second_process": False}
    assert not importing._can_fork(b"x" * importing.FORK_MIN_BYTES)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SET CONSTRAINTS is PostgreSQL's")
def test_foreign_keys_are_deferred_again_after_the_import(world):
    assert apply(world, xlsx([row(1)])) == {"new": 1, "updated": 0, "unchanged": 0}
    cols = ", ".join(connection.ops.quote_name(c) for c in importing.EVENT_COLUMNS)
    inserted = []

    def orphan_event_then_check_now():
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO members_memberevent ({cols}) "  # noqa: S608
                "VALUES (987654321, %s, 'imported', '', 'active', NULL, NULL, '2026-01-01', '', NULL, now())",
                [world.union_a.pk],
            )
            inserted.append(True)  # a missing member is not refused here: the check waits for the commit
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with pytest.raises(IntegrityError, match="member_id"):
        orphan_event_then_check_now()
    assert inserted == [True]


def test_no_fork_in_a_process_with_other_threads(monkeypatch):
    monkeypatch.setattr(importing, "FORK_MIN_BYTES", 0)
    monkeypatch.setattr(importing, "_os_threads", lambda: 3)  # e.g. a web server's worker threads
    assert not importing._can_fork(b"x")


def test_chunks_grow_after_the_first_rows():
    """Small chunks first (the writer starts soon), larger ones later (fewer index walks)."""
    table = importing.read_table(xlsx([row(i) for i in range(1, 24)]), "m.xlsx")
    schedule = ((0, 2), (2, 3), (8, 5))
    sizes = [len(b) for b, _errs, _total in importing._checked_chunks(table, today=TODAY, sizes=schedule)]
    assert sizes == [2, 3, 3, 5, 5, 5]
