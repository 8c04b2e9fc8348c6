"""A large first import on SQLite sets the indexes aside and builds them again at the end, inside
the import's transaction; a file's row count comes from the file itself, as a hint."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from members import importing
from members.models import Member, MemberEvent
from members.tests.test_import_export import row, xlsx
from members.tests.test_import_fork import apply
from members.tests.test_import_reader import people_rows, xlsx_book

TABLES = (Member._meta.db_table, MemberEvent._meta.db_table)


def indexes() -> dict[str, str]:
    """Every index of the two tables with the SQL that made it (SQLite)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (%s, %s)", list(TABLES)
        )
        return dict(cur.fetchall())


def max_ids() -> list[int]:
    return [
        m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for m in (Member, MemberEvent)
    ]


@pytest.fixture
def spy(monkeypatch):
    """What each import set aside (the CREATE statements it ran again at the end)."""
    seen: list[list[str]] = []
    restore = importing._DeferredIndexes.restore

    def spying(self):
        seen.append(list(self.dropped))
        restore(self)

    monkeypatch.setattr(importing._DeferredIndexes, "restore", spying)
    return seen


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("whole", 10), ("streamed", 10), ("sliced", 10), ("gaps", 13), ("csv", 10)],
)
def test_the_file_tells_how_many_rows_it_holds(monkeypatch, kind, expected):
    rows = people_rows(10)
    if kind == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["姓名", "身份证号码", "手机号码", "性别", "学历", "入会日期", "是否农民工"])
        w.writerows(rows)
        table = importing.read_table(buf.getvalue().encode(), "m.csv")
        assert table.rows_hint in (expected, expected + 1)  # a CSV's last line break may end a line or not
        return
    if kind == "sliced":
        monkeypatch.setattr(importing, "SLICE_SHEET_BYTES", 0)
        monkeypatch.setattr(importing, "SLICE_BYTES", 700)
    if kind == "streamed":
        monkeypatch.setattr(importing, "FIRST_SLICE_BYTES", 100)
    data = xlsx_book(rows, start_row=2, gaps=(4,) if kind == "gaps" else ())
    table = importing.read_table(data, "m.xlsx", stream=kind == "streamed")
    assert table.rows_hint == expected
    assert len([r for r in table.rows if importing._nonempty(r)]) == 10


def test_a_file_cannot_claim_more_rows_than_its_size_holds():
    """Blank lines (or a sheet's dimension, formatted blank rows) may claim a million rows: the hint
    is bounded by the file's size."""
    data = ("姓名,身份证号\n" + "张三,11010519491231002X\n" * 3 + "\n" * 100_000).encode()
    table = importing.read_table(data, "m.csv")
    assert table.rows_hint == len(data) // importing.MIN_ROW_BYTES < importing.LOAD_MIN_ROWS


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's indexes are set aside; PostgreSQL's stay")
def test_a_large_first_load_builds_the_same_indexes_again(world, spy, monkeypatch):
    monkeypatch.setattr(importing, "LOAD_MIN_ROWS", 20)
    data = xlsx([row(i) for i in range(1, 41)])
    assert all(m <= 40 for m in max_ids())  # the tables hold fewer rows than the file
    before = indexes()
    with transaction.atomic():
        assert apply(world, data) == {"new": 40, "updated": 0, "unchanged": 0}
    assert indexes() == before
    dropped = [sql for _name, sql in spy[0]]
    assert len(dropped) == len(before) - 1 - 1  # all but the ID number's constraint and the member number's
    assert before["member_member_no"] not in dropped
    assert before["member_name"] in dropped and before["member_event_org_on"] in dropped
    assert Member.objects.filter(name_pinyin__startswith=Member.objects.first().name_pinyin[:1]).exists()
    with connection.cursor() as cur:  # the planner has its statistics back
        cur.execute("SELECT count(*) FROM sqlite_stat1 WHERE idx IN ('member_name', 'member_event_org_on')")
        assert cur.fetchone()[0] == 2
    # Uniqueness held throughout: a second member with a taken card number is refused.
    m = Member.objects.order_by("pk")[0]
    with pytest.raises(Exception, match="UNIQUE"), transaction.atomic():
        Member.objects.filter(pk=Member.objects.order_by("pk")[1].pk).update(card_no=m.card_no)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's indexes are set aside; PostgreSQL's stay")
def test_a_failed_large_load_leaves_every_index(world, spy, monkeypatch):
    monkeypatch.setattr(importing, "LOAD_MIN_ROWS", 20)
    monkeypatch.setattr(importing, "CHUNK", 10)  # the bad row comes after the first chunks were written
    rows = [row(i) for i in range(1, 41)]
    rows[35] = row(36, id="110105194912310021")
    before = indexes()
    with pytest.raises(ValidationError), transaction.atomic():
        apply(world, xlsx(rows))
    assert indexes() == before
    assert spy == []  # nothing was built again: the rollback brought them back
    assert not Member.objects.filter(org=world.union_a, name=row(1)[0]).exists()


def test_small_files_and_full_tables_keep_their_indexes(world, spy, monkeypatch):
    assert apply(world, xlsx([row(i) for i in range(1, 6)])) == {"new": 5, "updated": 0, "unchanged": 0}
    assert spy == [[]]  # under LOAD_MIN_ROWS
    monkeypatch.setattr(importing, "LOAD_MIN_ROWS", 1)
    assert apply(world, xlsx([row(6)])) == {"new": 1, "updated": 0, "unchanged": 0}
    assert spy[1] == []  # a file smaller than the table it goes into
