"""Large xlsx sheets are read a slice at a time: the rows, types, checks and messages must be the
same as when calamine reads the whole sheet."""

import io
import itertools
from datetime import date, datetime

import openpyxl
import pytest
import xlsxwriter

from members import importing
from members.tests.factories import person

HEAD = ["姓名", "身份证号码", "手机号码", "性别", "学历", "入会日期", "是否农民工"]


@pytest.fixture
def tiny_slices(monkeypatch):
    """Every sheet counts as large, and a slice holds only a few rows."""
    monkeypatch.setattr(importing, "SLICE_SHEET_BYTES", 0)
    monkeypatch.setattr(importing, "SLICE_BYTES", 700)


def people_rows(n: int) -> list[list]:
    rows = []
    for i in range(n):
        p = person(i)
        rows.append([p["name"], p["id_number"], p["phone"], "", "本科", f"2024-03-0{i % 9 + 1}", "否"])
    return rows


def xlsx_book(
    rows, *, start_row=0, gaps=(), shared_strings=True, merge=False, merge_extra=False, formula=False
) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": not shared_strings})
    ws = wb.add_worksheet("会员")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    if merge:
        ws.merge_range(start_row, 0, start_row, 1, "姓名")
        ws.write_row(start_row, 2, HEAD[2:])
    else:
        ws.write_row(start_row, 0, HEAD)
    if merge_extra:  # every column keeps its title; an extra one spans two cells
        ws.merge_range(start_row, len(HEAD), start_row, len(HEAD) + 1, "备注")
    r = start_row
    for i, row in enumerate(rows):
        r += 1 + (3 if i in gaps else 0)
        for c, v in enumerate(row):
            if c == 5 and i % 3 == 0:
                ws.write_datetime(r, c, datetime(2024, 3, 1), date_fmt)  # a real date cell
            elif c == 2 and i % 4 == 1:
                ws.write_number(r, c, int(v))  # a phone typed as a number
            else:
                ws.write_string(r, c, v)
    if formula:
        ws.write_formula(r + 1, 0, "=1+1")
    wb.add_worksheet("说明").write_string(0, 0, "第二个工作表")
    wb.close()
    return out.getvalue()


def cells(row) -> list:
    """A row's cells without trailing empty ones: a slice pads its rows only to its own width."""
    row = list(row)
    while row and row[-1] in ("", None):
        row.pop()
    return row


def read_all(data: bytes):
    table = importing.read_table(data, "x.xlsx")
    return table.headers, table.first_row, [cells(r) for r in table.rows]


@pytest.mark.parametrize("shared_strings", [True, False])
@pytest.mark.parametrize(("start_row", "gaps"), [(0, ()), (2, (5, 6, 20))])
def test_sliced_sheet_reads_the_same_rows(monkeypatch, shared_strings, start_row, gaps):
    data = xlsx_book(people_rows(40), start_row=start_row, gaps=gaps, shared_strings=shared_strings)
    whole = read_all(data)
    monkeypatch.setattr(importing, "SLICE_SHEET_BYTES", 0)
    monkeypatch.setattr(importing, "SLICE_BYTES", 700)
    assert importing._large_sheet(data) is not None  # really the sliced path
    sliced = read_all(data)
    assert sliced == whole
    headers, first_row, rows = sliced
    assert first_row == start_row + 2
    assert rows[0][5] in (datetime(2024, 3, 1), date(2024, 3, 1))
    assert sum(1 for r in rows if importing._nonempty(r)) == 40


def test_sliced_sheet_refuses_formulas_and_merged_headers(tiny_slices):
    with pytest.raises(importing.ImportFileError, match="公式（第一处在A12单元格）"):
        importing.read_table(xlsx_book(people_rows(10), formula=True), "x.xlsx")
    with pytest.raises(importing.ImportFileError, match="合并单元格"):
        importing.read_table(xlsx_book(people_rows(10), merge=True), "x.xlsx")


def test_sliced_sheet_too_many_rows_refused(tiny_slices, settings):
    settings.GONGHUI_MEMBERS = {"import_max_rows": 5}
    with pytest.raises(importing.ImportFileError, match="超过一次最多导入5行"):
        importing.read_table(xlsx_book(people_rows(10)), "x.xlsx")


def test_sliced_sheet_with_columns_from_b_checks_like_the_whole_sheet(tiny_slices, world):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([None, *HEAD])
    for row in people_rows(12):
        ws.append([None, *row])
    out = io.BytesIO()
    wb.save(out)
    table = importing.read_table(out.getvalue(), "x.xlsx")
    res = importing.check_rows(table, org=world.union_a, today=date(2026, 11, 25))
    assert (res.total, res.new, len(res.errors)) == (12, 12, 0)


@pytest.fixture
def streamed(monkeypatch):
    """Streaming reads any sheet over two tiny first slices, a few rows per slice."""
    monkeypatch.setattr(importing, "FIRST_SLICE_BYTES", 300)
    monkeypatch.setattr(importing, "SLICE_MIN_BYTES", 700)
    monkeypatch.setattr(importing, "SLICE_BYTES", 700)


def read_streamed(data: bytes):
    table = importing.read_table(data, "x.xlsx", stream=True)
    return table.headers, table.first_row, [cells(r) for r in table.rows]


@pytest.mark.parametrize("shared_strings", [True, False])
@pytest.mark.parametrize(("start_row", "gaps"), [(0, ()), (2, (5, 6, 20))])
def test_streamed_sheet_reads_the_same_rows(streamed, shared_strings, start_row, gaps):
    data = xlsx_book(people_rows(40), start_row=start_row, gaps=gaps, shared_strings=shared_strings)
    whole = read_all(data)
    sheet = importing._large_sheet(data, stream=True)
    assert sheet is not None and not sheet.scanned  # really streamed, no scan first
    assert read_streamed(data) == whole


def test_streamed_sheet_starts_before_the_end_and_refuses_late(streamed):
    # Rows come before the bad part of the file is reached; the refusal comes when it is.
    table = importing.read_table(xlsx_book(people_rows(30), formula=True), "x.xlsx", stream=True)
    got = []
    with pytest.raises(importing.ImportFileError, match="公式（第一处在A32单元格）"):
        got.extend(table.rows)
    assert 0 < len(got) < 30
    # A merged header is stored after the rows: every row is read, then the file is refused.
    table = importing.read_table(xlsx_book(people_rows(30), merge_extra=True), "x.xlsx", stream=True)
    got = []
    with pytest.raises(importing.ImportFileError, match="合并单元格"):
        got.extend(table.rows)
    assert len(got) == 30


def test_streamed_import_with_a_late_refusal_changes_nothing(streamed, world, monkeypatch):
    """The import's checking process streams; a refusal at the end of the file rolls back what was
    already written."""
    from django.db import transaction

    from members.models import Member, MemberEvent

    monkeypatch.setattr(importing, "FORK_MIN_BYTES", 0)
    monkeypatch.setattr(importing, "FORK_CHUNKS", ((0, 5),))
    monkeypatch.setattr(importing, "_os_threads", lambda: 1)  # pytest-xdist runs an I/O thread
    seq = itertools.count()
    data = xlsx_book(people_rows(30), merge_extra=True)
    assert importing.read_table(data, "x.xlsx", stream=True).headers  # the header passes at first
    before = (Member.objects.count(), MemberEvent.objects.count())
    with pytest.raises(importing.ImportFileError, match="合并单元格"), transaction.atomic():
        importing.apply_file(
            data,
            "x.xlsx",
            org=world.union_a,
            actor=world.staff_a,
            today=date(2026, 11, 25),
            numbers_for=lambda k: [(f"T{next(seq):05d}", f"C{next(seq):05d}") for _i in range(k)],
        )
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


def test_a_formula_in_a_sheet_with_a_namespace_prefix_is_refused():
    """Some writers prefix the sheet's elements (<x:c>, <x:f>): the small-file check finds the
    formula as the sliced reader does."""
    import re
    import zipfile

    data = xlsx_book(people_rows(3), formula=True)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in src.namelist():
            part = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                part = part.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=")
                part = re.sub(rb"<(/?)(?!\?|x:)(\w+)", rb"<\1x:\2", part)
                assert b"<x:f>" in part and b"<f>" not in part
            z.writestr(name, part)
    with pytest.raises(importing.ImportFileError, match=r"文件中含有公式（第一处在[A-Z]+\d+单元格）"):
        importing._check_xlsx_xml(out.getvalue())
