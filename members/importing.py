"""Reading, checking and writing member spreadsheets (xlsx, xls, csv).

`read_table()` turns an upload into a header row and data rows, refusing bad files with a clear
Chinese message; `check_rows()` validates every row into new / update / unchanged / error;
`BatchWriter` writes checked rows in bulk (COPY on PostgreSQL, executemany on SQLite)."""

import csv
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from core import crypto
from core.validators import fold_key, mask_id_number, mask_mobile, normalize_text

from . import rules, selectors
from .models import CLOSED_STATUSES, Education, EventKind, Member, MemberEvent, MemberStatus, PoliticalStatus


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, in Chinese."""


class RecheckFailed(ValidationError):
    """Rows that passed the preview failed the check at confirmation (the registry changed in
    between): the import is rolled back; `row_errors` are those rows, for the import's page."""

    SHOWN = 3  # rows named in the message itself; the import's page lists them all

    def __init__(self, row_errors: list["RowError"], rows: int):
        self.row_errors = row_errors
        self.rows = rows
        named = _("；").join(
            _("第%(r)d行 %(c)s：%(m)s") % {"r": e.row, "c": e.column, "m": e.reason.rstrip("。.")}
            for e in row_errors[: self.SHOWN]
        )
        more = _("等") if len(row_errors) > self.SHOWN else ""
        super().__init__(
            _(
                "确认时重新检查，发现%(n)d行有错误（名册在预览之后有了变化），未导入任何数据：%(named)s%(more)s。"
            )
            % {"n": rows, "named": named, "more": more}
        )


# Canonical field -> (template header, accepted header variants).
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("姓名", ("姓名", "会员姓名", "职工姓名", "名字")),
    "id_number": (
        "身份证号",
        ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码", "身份证件号码"),
    ),
    "phone": ("手机号", ("手机号", "手机号码", "手机", "联系电话", "电话", "移动电话", "联系方式")),
    "sex": ("性别", ("性别",)),
    "ethnicity": ("民族", ("民族",)),
    "education": ("学历", ("学历", "文化程度", "最高学历")),
    "political_status": ("政治面貌", ("政治面貌",)),
    "employer": ("工作单位", ("工作单位", "单位", "单位名称", "所在单位")),
    "department": ("部门", ("部门", "所在部门", "车间", "部门/车间")),
    "post": ("岗位", ("岗位", "职务", "工种", "岗位/工种")),
    "joined_on": ("入会日期", ("入会日期", "入会时间")),
    "member_no": ("会员编号", ("会员编号", "会员号", "会员证号码")),
    "is_migrant": ("是否农民工", ("是否农民工", "农民工", "农民工（是/否）")),
    "household_registration": ("户籍所在地", ("户籍所在地", "户籍", "户口所在地", "户籍地")),
}
REQUIRED = ("name", "id_number")
EXAMPLE_ID = "110105198503070019"  # the template's example row; refused if uploaded by mistake
REPORT_HEADERS = ("原行号", "错误原因")  # the error report's own columns, ignored when it is uploaded again
IGNORED_HEADERS = {"序号", "编号", "出生日期", "年龄", "备注", *REPORT_HEADERS}
HEADER_LOOKUP = {re.sub(r"\s+", "", v): key for key, (_t, variants) in COLUMNS.items() for v in variants}
TEMPLATE_FIELDS = list(COLUMNS)
FIELD_LABELS = {key: t for key, (t, _v) in COLUMNS.items()}

EXCEL_EPOCH = date(1899, 12, 30)


# Fewer bytes than any member's row takes in a file, compressed or not (its ID number and mobile
# alone are 29 digits): a bound on how many rows a file of some size can hold.
MIN_ROW_BYTES = 16


@dataclass
class Table:
    headers: list[str]
    rows: Iterable[list]  # data rows (cells as read), without the header; read once
    first_row: int  # spreadsheet row number of rows[0] (header row + 1)
    # How many rows the file says it holds (a sheet's height or its <dimension>, a CSV's lines), if
    # it says: a hint for planning the writes, never trusted for anything else.
    rows_hint: int | None = None


def _header_key(text) -> str:
    return (
        re.sub(r"\s+", "", normalize_text("" if text is None else str(text)))
        .replace("*", "")
        .replace("＊", "")
    )


def _check_xlsx_xml(data: bytes) -> None:
    """Formulas are refused: calamine reads only cached values. The first sheet (the one read) is
    searched a megabyte at a time, with its namespace prefix if it has one (<x:f>)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            path = _first_sheet_path(zf)
            if path is None:
                names = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
                path = names[0] if names else None
            if path is None:
                return
            with zf.open(path) as fh:
                tail = b""
                formula = None
                while chunk := fh.read(1 << 20):
                    buf = tail + chunk
                    if formula is None and (m := _SHEET_DATA.search(buf)):
                        ns = m.group(1) or b""
                        formula = _formula_tag(ns)
                    if formula is not None and (m := formula.search(buf)):
                        raise _formula_error(buf, m.start(), ns)
                    tail = buf[-64:]
    except zipfile.BadZipFile:
        raise ImportFileError(_("无法读取该文件：它不是有效的Excel文件（.xlsx）。")) from None


# ---- large xlsx files: calamine one slice of rows at a time ---------------------------------------
#
# calamine loads a whole sheet into memory (about 1.5 GB at peak for a million rows of the template).
# A sheet larger than this is read in slices instead: its XML is streamed out of the zip and every
# slice of whole <row> elements is wrapped into a small xlsx of its own (the same workbook, styles
# and shared strings) that calamine reads as usual, so cell types, dates and text come out exactly
# as for a small file while memory stays bounded.
SLICE_SHEET_BYTES = 256 << 20  # uncompressed sheet XML above which the sheet is read in slices
SLICE_BYTES = 48 << 20  # the most sheet XML per slice (about 55,000 template rows)
# Slices are smaller where they can be: calamine reads them as fast, and the first rows come sooner.
# Each slice's workbook carries the shared strings, which calamine parses again for every slice, so
# slices grow with them.
SLICE_MIN_BYTES = 4 << 20
FIRST_SLICE_BYTES = 1 << 20
_ROW_NUM = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
_DIMENSION_ROWS = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"[A-Z]+(\d+)(?::[A-Z]+(\d+))?\"")
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*>")
# Parts a slice's workbook needs besides its sheet (calamine reads no others for a sheet's cells).
_SKIP_PARTS = (
    "xl/worksheets/",
    "xl/media/",
    "xl/drawings/",
    "xl/charts/",
    "xl/embeddings/",
    "xl/printerSettings/",
)


@functools.cache
def _formula_tag(ns: bytes) -> re.Pattern:
    """<f>, <f ...> or <f/> (with the sheet's namespace prefix). One regex finds it in a sheet's XML
    about three times as fast as three substring searches (0.05 s against 0.18 s in 84 MB): their
    search skips on the needle's last character, and ">", " " and "/" fill XML."""
    return re.compile(b"<" + re.escape(ns) + rb"f[ >/]")


_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3}[0-9]+)\"")


def _formula_error(xml, at: int, ns: bytes) -> ImportFileError:
    """Formulas refused, naming the first one's cell (from the <c r="B5"> it stands in) where the
    XML read so far holds it."""
    start = xml.rfind(b"<" + ns + b"c ", 0, at)
    between = xml[start:at] if start >= 0 else b""
    # Only the cell the formula stands in: a cell closed in between (a formula cell written without
    # its optional r="…", or one whose tag lies before the XML at hand) would name another one.
    closed = b"</" + ns + b"c>" in between or b"/>" in between
    ref = _CELL_REF.search(between) if start >= 0 and not closed else None
    if ref is None:
        return ImportFileError(_("文件中含有公式。请在Excel中把数据“选择性粘贴为数值”后再上传。"))
    return ImportFileError(
        _("文件中含有公式（第一处在%(cell)s单元格）。请在Excel中把数据“选择性粘贴为数值”后再上传。")
        % {"cell": ref.group(1).decode()}
    )


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _first_sheet_path(zf: zipfile.ZipFile) -> str | None:
    """The part name of the workbook's first sheet (what calamine's index 0 reads)."""
    import posixpath
    import xml.etree.ElementTree as ET  # noqa: S405 - the zip's own small workbook parts

    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    try:
        book = ET.fromstring(zf.read("xl/workbook.xml"))  # noqa: S314
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    except (KeyError, ET.ParseError):
        return None
    sheet = book.find("m:sheets/m:sheet", ns)
    if sheet is None:
        return None
    rid = sheet.get(f"{{{ns['r']}}}id")
    for rel in rels.findall("p:Relationship", ns):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            return path if path in zf.namelist() else None
    return None


class _SlicedSheet:
    """The first sheet of an xlsx read a slice at a time through calamine.

    Scanned first (`scan=True`): formulas, merged cells and the row count are known before any row
    is read, as the upload's check needs. Streamed (`scan=False`): rows come from the first slice
    on; formulas are refused slice by slice, and the merged cells (stored after the rows) and the
    row count are known only at the end, so the caller must be able to undo what it did with the
    rows (the import's transaction)."""

    def __init__(self, zf: zipfile.ZipFile, path: str, *, scan: bool = True):
        self.zf, self.path = zf, path
        others = [n for n in zf.namelist() if n != path and not n.startswith(_SKIP_PARTS)]
        self.others = {n: zf.read(n) for n in others}
        strings = sum(len(v) for n, v in self.others.items() if "sharedStrings" in n)
        self.slice_bytes = min(SLICE_BYTES, max(SLICE_MIN_BYTES, 8 * strings))
        self.scanned = scan
        self.prefix: bytes | None = None
        self.ns = b""
        self.height: int | None = None
        self.last_row: int | None = None  # the last row's number: its <dimension>'s, or scanned
        self.merged: list = []
        if scan:
            self._scan()

    def _scan(self) -> None:
        head = b""
        tail = b""
        first_row = last_row = None
        prefix = None
        ns = b""
        with self.zf.open(self.path) as fh:
            carry = b""
            while chunk := fh.read(8 << 20):
                buf = carry + chunk
                if prefix is None:
                    head += chunk
                    m = _SHEET_DATA.search(head)
                    if m:
                        prefix = head[: m.end()]
                        ns = m.group(1) or b""
                        if m := _ROW_NUM.search(head, m.end()):
                            first_row = int(m.group(1))
                self._refuse_formulas(buf, ns)
                i = buf.rfind(b"<" + ns + b"row ")
                if i >= 0 and (m := _ROW_NUM.match(buf, i)):
                    last_row = int(m.group(1))
                end = buf.rfind(b"</" + ns + b"sheetData>")
                if end >= 0:
                    tail = buf[end:]
                elif tail:
                    tail += chunk
                carry = buf[-64:]
        self.ns = ns
        if prefix is None:
            raise ImportFileError(_("无法读取该文件：它不是有效的Excel文件，或已损坏、加密。"))
        self._set_prefix(prefix)
        self.height = 0 if first_row is None or last_row is None else last_row - first_row + 1
        self.last_row = last_row or 0
        self.merged = self._merged_cells(tail)

    def _set_prefix(self, prefix: bytes) -> None:
        """The sheet's XML before its rows, kept for every slice without its <dimension> (each slice's
        own range differs), which is read first for its row count."""
        if m := _DIMENSION_ROWS.search(prefix):
            self.last_row = int(m.group(2) or m.group(1))
        self.prefix = _DIMENSION.sub(b"", prefix)

    @staticmethod
    def _refuse_formulas(xml, ns: bytes) -> None:
        if m := _formula_tag(ns).search(xml):
            raise _formula_error(xml, m.start(), ns)

    @staticmethod
    def _merged_cells(tail: bytes) -> list:
        return [
            (
                (int(r0) - 1, _col_index(c0)),
                (int(r1 or r0) - 1, _col_index(c1 or c0)),
            )
            for c0, r0, c1, r1 in _MERGE_REF.findall(tail)
        ]

    def _slices(self) -> Iterator[bytes]:
        with self.zf.open(self.path) as fh:
            buf = bytearray()
            started = False
            size = FIRST_SLICE_BYTES if not self.scanned else self.slice_bytes
            while chunk := fh.read(1 << 20):
                buf += chunk
                if not started:
                    m = _SHEET_DATA.search(buf)
                    if m is None:
                        continue
                    if self.prefix is None:
                        self.ns = m.group(1) or b""
                        self._set_prefix(bytes(buf[: m.end()]))
                    del buf[: m.end()]
                    started = True
                    close = b"</" + self.ns + b"row>"
                    end_data = b"</" + self.ns + b"sheetData>"
                while len(buf) >= size:
                    cut = buf.rfind(close, 0, size)
                    if cut < 0:
                        cut = buf.find(close, size)  # a row longer than a slice
                        if cut < 0:
                            break
                    cut += len(close)
                    rows_xml = bytes(buf[:cut])
                    del buf[:cut]
                    if not self.scanned:
                        self._refuse_formulas(rows_xml, self.ns)
                    yield rows_xml
                    size = self.slice_bytes
            if not started:
                raise ImportFileError(_("无法读取该文件：它不是有效的Excel文件，或已损坏、加密。"))
            stop = buf.find(end_data)
            if stop >= 0:
                if not self.scanned:
                    self.merged = self._merged_cells(bytes(buf[stop:]))
                del buf[stop:]
            if buf.strip():
                rows_xml = bytes(buf)
                if not self.scanned:
                    self._refuse_formulas(rows_xml, self.ns)
                yield rows_xml

    def _workbook(self, rows_xml: bytes):
        from python_calamine import CalamineWorkbook

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            for name, content in self.others.items():
                z.writestr(name, content)
            z.writestr(
                self.path,
                self.prefix + rows_xml + b"</" + self.ns + b"sheetData></" + self.ns + b"worksheet>",
            )
        out.seek(0)
        return CalamineWorkbook.from_filelike(out).get_sheet_by_index(0)

    def iter_rows(self) -> Iterator[list]:
        """Rows from the sheet's first row (0) on, like calamine's own iter_rows, every cell at its
        sheet column (nothing left out at the left)."""
        at = 0  # the next sheet row (0-based) to yield
        for rows_xml in self._slices():
            sheet = self._workbook(rows_xml)
            (r0, c0), _end = sheet.start, sheet.end
            if r0 is None:
                continue
            while at < r0:
                yield []
                at += 1
            pad = [""] * c0
            for row in sheet.to_python(skip_empty_area=True):
                yield pad + row if c0 else row
                at += 1
            del sheet


def _large_sheet(data: bytes, *, stream: bool = False) -> "_SlicedSheet | None":
    """The first sheet to read in slices: a large one, or when streaming any but a small one."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None  # the ordinary path refuses it with its message
    path = _first_sheet_path(zf)
    if path is None:
        return None
    size = zf.getinfo(path).file_size
    if stream and size > 2 * FIRST_SLICE_BYTES:
        return _SlicedSheet(zf, path, scan=False)
    if size <= SLICE_SHEET_BYTES:
        return None
    return _SlicedSheet(zf, path)


def _blank(cell) -> bool:
    return cell is None or (type(cell) is str and not cell.strip())


def _nonempty(row) -> bool:
    return any(c not in (None, "") for c in row)


def _refuse_merged_header(merged, header_idx: int) -> None:
    for (r0, _c0), (r1, _c1) in merged:
        if r0 <= header_idx <= r1:
            raise ImportFileError(_("表头中有合并单元格，请取消合并，每列只保留一个标题。请使用下载的模板。"))


def _sheet_with_header(data: bytes, sheet_names: list[str]) -> str | None:
    """The name of a later sheet (of the next few) whose first rows hold a header row, or None: for
    a workbook whose member list is not on its first sheet (the template's notes moved first)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for index, name in enumerate(sheet_names[1:6], start=1):
        try:
            rows = wb.get_sheet_by_index(index).iter_rows()
        except Exception:  # noqa: BLE001, S112 - a sheet calamine cannot read is not the one
            continue
        for _n, row in zip(range(20), rows, strict=False):
            if any(_header_key(c) in HEADER_LOOKUP for c in row):
                return name
    return None


def read_table(data: bytes, filename: str, *, stream: bool = False) -> Table:
    """Open the first sheet (or the CSV) of an upload and find its header row. Data rows are read
    lazily (one pass; call again to read again). Raises ImportFileError for bad files.

    With `stream`, an xlsx sheet's rows start coming at once, and some refusals (formulas further
    down, a merged header, too many rows) come only while or after the rows are read: for a caller
    that undoes everything on ImportFileError (the import's transaction)."""
    name = filename.lower()
    max_rows = rules.conf("import_max_rows", 1_000_000)
    if not data:
        raise ImportFileError(_("上传的文件是空的。"))
    merged = []
    sliced = None
    last_row = None  # the sheet's last row's number (1 for the first), where the file tells
    sheet_names: list[str] = []
    if name.endswith(".csv"):
        text = None
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        if text is None or "\x00" in text[:2000]:
            raise ImportFileError(_("无法读取该CSV文件，请用UTF-8或GBK编码保存。"))
        height = last_row = text.count("\n") + 1
        it = iter(csv.reader(io.StringIO(text)))
    elif name.endswith((".xlsx", ".xlsm")) and (sliced := _large_sheet(data, stream=stream)) is not None:
        height = sliced.height
        merged = sliced.merged
        it = iter(sliced.iter_rows())
    elif name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        if name.endswith((".xlsx", ".xlsm")):
            _check_xlsx_xml(data)
        from python_calamine import CalamineWorkbook

        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet_names = list(wb.sheet_names)
            if not sheet_names:
                raise ImportFileError(_("文件中没有工作表。"))
            sheet = wb.get_sheet_by_index(0)
        except ImportFileError:
            raise
        except Exception:  # noqa: BLE001 - calamine raises several kinds for broken files
            raise ImportFileError(_("无法读取该文件：它不是有效的Excel文件，或已损坏、加密。")) from None
        height = sheet.height
        if height and isinstance(start := getattr(sheet, "start", None), tuple) and start[0] is not None:
            last_row = start[0] + height
        merged = getattr(sheet, "merged_cell_ranges", None) or []
        it = iter(sheet.iter_rows())
    else:
        raise ImportFileError(_("只能导入Excel（.xlsx、.xls）或CSV文件。"))
    if height is not None and height > max_rows + 1 and not name.endswith(".csv"):
        raise ImportFileError(
            _("文件有%(n)d行，超过一次最多导入%(max)d行的限制，请拆分后分批导入。")
            % {"n": height - 1, "max": max_rows}
        )

    # The header is the first row (of the first 20) that names at least one known column.
    head: list = []
    header_idx = None
    for row in it:
        head.append(row)
        if any(_header_key(c) in HEADER_LOOKUP for c in row):
            header_idx = len(head) - 1
            break
        if len(head) >= 20:
            break
    if header_idx is None:
        if len(sheet_names) > 1 and (other := _sheet_with_header(data, sheet_names)) is not None:
            raise ImportFileError(
                _(
                    "只读取第一个工作表“%(first)s”，其中没有找到表头。如果会员名单在其他工作表（如“%(other)s”），请把它移到最前面。"
                )
                % {"first": sheet_names[0], "other": other}
            )
        if not (any(_nonempty(r) for r in head) or any(_nonempty(r) for r in it)):
            raise ImportFileError(_("工作表是空的，没有任何数据。"))
        raise ImportFileError(_("没有找到表头。第一行应为列标题，例如“姓名”“身份证号”。请使用下载的模板。"))
    _refuse_merged_header(merged, header_idx)
    headers = ["" if c is None else str(c) for c in head[header_idx]]
    map_headers(headers)
    # Peek for at least one data row.
    first = None
    skipped = 0
    for row in it:
        if _nonempty(row):
            first = row
            break
        skipped += 1
    if first is None:
        raise ImportFileError(_("表格只有表头，没有会员数据。"))

    def rows():
        for _i in range(skipped):
            yield []
        yield first
        yield from it
        if sliced is not None and not sliced.scanned:
            _refuse_merged_header(sliced.merged, header_idx)  # known now, after the rows

    if sliced is not None:
        last_row = sliced.last_row  # a streamed sheet's from its <dimension>, if it has one
    return Table(
        headers=headers,
        rows=rows(),
        first_row=header_idx + 2,
        # What a sheet's dimension or formatted blank rows claim, bounded by what the file could hold.
        rows_hint=min(max(0, last_row - header_idx - 1), len(data) // MIN_ROW_BYTES)
        if last_row is not None
        else None,
    )


def map_headers(headers: list[str]) -> dict[str, int]:
    """Canonical field -> column index. Raises ImportFileError for missing/duplicate/unknown columns."""
    mapping: dict[str, int] = {}
    unknown = []
    for i, h in enumerate(headers):
        key = _header_key(h)
        if not key:
            continue
        field_name = HEADER_LOOKUP.get(key)
        if field_name is None:
            if key not in IGNORED_HEADERS:
                unknown.append(h)
            continue
        if field_name in mapping:
            raise ImportFileError(
                _("“%(a)s”和“%(b)s”是同一列（%(f)s），请只保留一列。")
                % {"a": headers[mapping[field_name]], "b": h, "f": FIELD_LABELS[field_name]}
            )
        mapping[field_name] = i
    missing = [FIELD_LABELS[f] for f in REQUIRED if f not in mapping]
    if missing:
        raise ImportFileError(_("缺少必需的列：%(cols)s。请使用下载的模板。") % {"cols": "、".join(missing)})
    if unknown:
        raise ImportFileError(
            _("无法识别的列：%(cols)s。可用的列标题见模板；不需要的列请删除。")
            % {"cols": "、".join(str(u) for u in unknown[:5])}
        )
    return mapping


DERIVED_HEADERS = {"出生日期", "年龄"}  # ignored: the ID number says them


def column_use(headers: list[str]) -> dict[str, list]:
    """What an upload's columns are used for, for the preview: `read` (the template's header of each
    column read, in the file's order), `ignored` (columns written but not imported, as written,
    each with whether the ID number says it anyway; the error report's own columns left out) and
    `absent` (optional columns the file lacks; `numbered`, `joined_today`: new members are numbered
    and join on the import's day because the member number or joining date column is missing)."""
    mapping = map_headers(headers)
    ignored = []
    for h in headers:
        key = _header_key(h)
        if key and key in IGNORED_HEADERS and key not in REPORT_HEADERS:
            ignored.append({"header": str(h).strip(), "derived": key in DERIVED_HEADERS})
    return {
        "read": [FIELD_LABELS[f] for f, _i in sorted(mapping.items(), key=lambda kv: kv[1])],
        "ignored": ignored,
        "absent": [FIELD_LABELS[f] for f in COLUMNS if f not in mapping and f != "sex"],  # sex: from the ID
        # what new members get for the columns the file lacks, where it is not simply a blank
        "numbered": "member_no" not in mapping,
        "joined_today": "joined_on" not in mapping,
    }


def _cell_text(value) -> str | None:
    """Spreadsheet cell to text for text fields (numbers without a trailing .0)."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell_date(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 10000 < value < 80000:  # an Excel serial day number
            return EXCEL_EPOCH + timedelta(days=int(value))
        return str(value)
    if isinstance(value, datetime):
        return value.date()
    return value


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class CheckResult:
    total: int = 0
    new: int = 0
    updates: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    kinds: dict[int, str] = field(default_factory=dict)  # row -> "new"/"update"/"unchanged" (first rows)
    changes: dict[int, list[str]] = field(default_factory=dict)  # update row -> changed columns (first rows)
    written: dict = field(default_factory=lambda: {"new": 0, "updated": 0})

    def error(self, row: int, column: str, reason: str) -> None:
        self.errors.append(RowError(row, column, reason))
        self.error_rows.add(row)


COMPARE_FIELDS = (
    "name",
    "ethnicity",
    "education",
    "political_status",
    "employer",
    "department",
    "post",
    "joined_on",
    "is_migrant",
    "household_registration",
)
CHUNK = 20000


_MEMBER_NO = re.compile(r"[0-9A-Za-z\-]{1,32}")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")


def _row_reader(mapping: dict[str, int]):
    """A function turning one sheet row into clean_member's raw dict (cells as text, the joining
    date as a date where the sheet holds one)."""
    plan = [(key, col) for key, col in mapping.items()]

    def raw_of(row) -> dict:
        raw = {}
        n = len(row)
        for key, col in plan:
            value = row[col] if col < n else None
            if type(value) is str:
                raw[key] = value or None  # the usual case: text cells
            elif key == "joined_on":
                raw[key] = _cell_date(value)
            elif key == "is_migrant" and isinstance(value, bool):
                raw[key] = value
            else:
                raw[key] = _cell_text(value)
        return raw

    return raw_of


def _checked_chunks(
    table: Table,
    *,
    today: date,
    sizes: tuple[tuple[int, int], ...] = ((0, CHUNK),),
    hash_ids: bool = True,
) -> Iterator[tuple[list[tuple[int, dict]], list[RowError], int]]:
    """Validate every row (no database): yields (clean rows, row errors, rows so far) every `size`
    clean rows, for the last (after, size) of `sizes` whose `after` the rows so far have reached.
    With `hash_ids` (the default), each clean row carries the blind indexes of its ID number and phone
    (otherwise _classify adds them)."""
    sizes = sorted(sizes)
    chunk = sizes[0][1]
    mapping = map_headers(table.headers)
    max_rows = rules.conf("import_max_rows", 1_000_000)
    label = FIELD_LABELS
    seen_ids: dict[str, int] = {}
    seen_nos: dict[str, int] = {}
    id_col = mapping["id_number"]
    raw_of = _row_reader(mapping)
    # The usual row (plain text, valid) takes the fast path; any other row gets clean_member, which
    # words the errors. Both give the same record (members/tests/test_rules.py).
    no_col = mapping.get("member_no")
    mig_col = mapping.get("is_migrant")
    fast = rules.plain_row_cleaner({k: c for k, c in mapping.items() if k != "member_no"}, today=today)
    batch: list[tuple[int, dict]] = []
    errs: list[RowError] = []
    clean = rules.clean_member
    total = 0
    rownum = table.first_row - 1
    for row in table.rows:
        rownum += 1
        idv = row[id_col] if id_col < len(row) else None
        if (idv is None or idv == "") and not _nonempty(row):
            continue
        total += 1
        if total > max_rows:
            raise ImportFileError(
                _("文件超过一次最多导入%(max)d行的限制，请拆分后分批导入。") % {"max": max_rows}
            )
        cleaned = fast(row)  # None for any row not plain and valid, such as those below
        if cleaned is None and (
            (isinstance(idv, float) and idv > 1e15)
            or (type(idv) is str and _SCIENTIFIC.fullmatch(idv.strip()))
        ):
            # A number cell, or its text as Excel saves it in a CSV (3.30102E+17): the digits are gone.
            errs.append(
                RowError(
                    rownum,
                    label["id_number"],
                    _("身份证号被存成了数字，后几位已丢失。请把该列设为“文本”格式后重新填写。"),
                )
            )
            continue
        if cleaned is not None:  # the usual row: plain text, valid
            errors = {}
            member_no = row[no_col] if no_col is not None and no_col < len(row) else ""
        else:
            raw = raw_of(row)
            member_no = raw.pop("member_no", None)
            member_no = normalize_text(member_no) if member_no else ""
            cleaned, errors = clean(raw, today=today)
        cleaned["member_no"] = member_no
        if mig_col is not None and not errors and _blank(row[mig_col] if mig_col < len(row) else None):
            cleaned["is_migrant"] = None  # not stated: a new member is not one; a registered one keeps it
        if member_no and not _MEMBER_NO.fullmatch(member_no):
            errors["member_no"] = _("会员编号只能包含数字、字母和“-”。")
        idn = cleaned.get("id_number")
        if idn == EXAMPLE_ID:
            errors.setdefault("id_number", _("这是模板里的示例行，请删除后再上传。"))
        if idn is not None:
            first = seen_ids.setdefault(idn, rownum)
            if first != rownum:
                errors.setdefault("id_number", _("与第%(n)d行的身份证号重复。") % {"n": first})
        if member_no:
            first = seen_nos.setdefault(member_no, rownum)
            if first != rownum:
                errors.setdefault("member_no", _("与第%(n)d行的会员编号重复。") % {"n": first})
        if errors:
            for key, msg in errors.items():
                errs.append(RowError(rownum, label.get(key, key), msg))
            continue
        if hash_ids:
            _add_hashes(cleaned)
        batch.append((rownum, cleaned))
        if len(batch) >= chunk:
            yield batch, errs, total
            batch, errs = [], []
            chunk = next(size for after, size in reversed(sizes) if total >= after)
    if batch or errs or total == 0:
        yield batch, errs, total


def _add_hashes(c: dict) -> None:
    """The blind indexes a clean row is looked up and stored by."""
    blind = crypto.blind_index
    c["id_hash"] = blind(c["id_number"], "member.id_number")
    phone = c["phone"]
    c["phone_hash"] = blind(phone, "member.phone") if phone else ""


def _seal(rows: list[tuple[int, dict]]) -> None:
    """Blind indexes and ciphertexts of ID number and phone for clean rows that lack them."""
    enc = crypto.encrypt
    for _r, c in rows:
        if "id_enc" in c:
            continue
        if "id_hash" not in c:
            _add_hashes(c)
        c["id_enc"] = enc(c["id_number"])
        phone = c["phone"]
        c["phone_enc"] = enc(phone) if phone else ""


def _absorb(chunks, res: CheckResult, *, org, writer, keep_kinds: int) -> CheckResult:
    for batch, errs, total in chunks:
        res.total = total
        for e in errs:
            res.error(e.row, e.column, e.reason)
        if batch:
            _classify(batch, res, org=org, writer=writer, keep_kinds=keep_kinds)
    res.errors.sort(key=lambda e: e.row)
    return res


def check_rows(table: Table, *, org, today: date, writer=None, keep_kinds: int = 200) -> CheckResult:
    """Validate every row and classify it against the registry (upsert by ID number), a chunk of
    rows at a time. With a `writer` (BatchWriter) each clean chunk is written as soon as it is
    checked; the caller's transaction makes the whole import all or nothing, and writing stops at
    the first error (checking goes on, to report every bad row)."""
    return _absorb(
        _checked_chunks(table, today=today), CheckResult(), org=org, writer=writer, keep_kinds=keep_kinds
    )


# ---- checking in a second process --------------------------------------------------------------------
#
# Reading, validating, hashing and encrypting are pure CPU work; looking up and writing wait for the
# database. For a large file a forked child process does the first part, a chunk ahead, while this
# process does the second, so both cores work. Only where forking is safe: a single-threaded process
# (the background task worker, a management command) on a system that forks. The child never uses
# the parent's database connection and ends with os._exit (multiprocessing), touching nothing.
FORK_MIN_BYTES = 2 << 20  # uploads from about 25,000 template rows
# Chunk sizes by rows done so far: a small first chunk, so that writing starts soon; then 10,000,
# where the two processes take turns best; after the first 100,000 rows, 50,000: each chunk's
# look-up walks much of the ID number's blind index (random keys) once, and once the registry
# outgrows the database's buffer cache fewer, larger chunks read far fewer index pages.
FORK_CHUNKS = ((0, 2_000), (2_000, 10_000), (100_000, 50_000))


def _os_threads() -> int:
    """Threads of this process as the OS counts them (libraries may start threads that Python's
    `threading` does not list); Python's count where /proc is missing."""
    import threading

    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return threading.active_count()


def _can_fork(data: bytes) -> bool:
    import multiprocessing
    import os
    import threading

    return (
        rules.conf("import_second_process", True)
        and len(data) >= FORK_MIN_BYTES
        and (os.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.current_thread() is threading.main_thread()
        and _os_threads() == 1
    )


SEAL_STEP = 500  # rows the checking process seals between two looks at whether this one is free


def _child_check(data: bytes, filename: str, today: date, conn, seal_all: bool, taken) -> None:
    """Read and check the file, sending the parent each chunk. The rows' blind indexes and
    ciphertexts are made by whichever process has time: with `seal_all` (PostgreSQL, where the
    parent mostly waits for the server) here; otherwise here only while the parent is still busy
    with the previous chunk (`taken` counts the chunks it has finished), 500 rows at a time, and
    the parent makes those of the rest."""
    import gc
    import pickle
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)  # the worker's shutdown handlers are the parent's
    # The parent's objects are never garbage here: keep the collector off them, so that it neither
    # spends time walking them nor copies their memory pages (copy-on-write) by touching them.
    gc.freeze()
    try:
        table = read_table(data, filename, stream=True)
        conn.send_bytes(pickle.dumps(("rows_hint", table.rows_hint)))
        for sent, item in enumerate(_checked_chunks(table, today=today, sizes=FORK_CHUNKS, hash_ids=False)):
            batch = item[0]
            if seal_all:
                _seal(batch)
            else:
                for i in range(0, len(batch), SEAL_STEP):
                    if taken.value >= sent:  # chunks sent before this one
                        break  # the parent waits for this chunk
                    _seal(batch[i : i + SEAL_STEP])
            conn.send_bytes(pickle.dumps(("chunk", item), protocol=pickle.HIGHEST_PROTOCOL))
        conn.send_bytes(pickle.dumps(("end", None)))
    except ImportFileError as e:
        conn.send_bytes(pickle.dumps(("file_error", str(e))))
    except BrokenPipeError:
        pass  # the parent stopped reading (it failed); nothing to tell
    except Exception as e:  # noqa: BLE001 - reported to the parent, which fails the import
        conn.send_bytes(pickle.dumps(("crash", f"{type(e).__name__}: {e}")))
    finally:
        conn.close()


def _chunks_from_child(data: bytes, filename: str, today: date, *, on_rows_hint=None):
    import multiprocessing
    import pickle

    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    taken = ctx.Value("q", 0, lock=False)  # chunks this process has finished with (shared memory)
    seal_all = connection.vendor == "postgresql"
    proc = ctx.Process(target=_child_check, args=(data, filename, today, send, seal_all, taken), daemon=True)
    proc.start()
    send.close()
    try:
        while True:
            try:
                kind, item = pickle.loads(recv.recv_bytes())  # noqa: S301 - our own child's data
            except EOFError:
                raise RuntimeError("the import's checking process ended unexpectedly") from None
            if kind == "rows_hint":
                if on_rows_hint is not None:
                    on_rows_hint(item)
                continue
            if kind == "end":
                return
            if kind == "file_error":
                raise ImportFileError(item)
            if kind == "crash":
                raise RuntimeError(f"the import's checking process failed: {item}")
            yield item
            taken.value += 1
    finally:
        recv.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join()


def _in_list(column: str, values: list[str]) -> RawSQL:
    """`column` is one of `values`, sent as one parameter (an array on PostgreSQL, a JSON list read
    by json_each on SQLite): thousands of placeholders cost far more to build, send and plan."""
    col = connection.ops.quote_name(column)  # one of our own column names; the values are parameters
    if connection.vendor == "postgresql":
        return RawSQL(f"{col} = ANY(%s)", [values], output_field=BooleanField())  # noqa: S611
    import json

    sql = f"{col} IN (SELECT value FROM json_each(%s))"  # noqa: S608
    return RawSQL(sql, [json.dumps(values)], output_field=BooleanField())  # noqa: S611


PHONE_FIELDS = ("phone_hash", "phone_enc", "phone_masked", "phone_last4")


def _keep_registered(c: dict, rec: dict) -> None:
    """A blank cell in a sheet updating a registered member keeps what is registered: a sheet
    without phones or departments must not erase them. (A value is cleared on the member's page.)"""
    for k in COMPARE_FIELDS:
        if k in c and (c[k] is None or c[k] == "") and k != "name":
            c[k] = rec[k]
    if not c["phone"] and rec["phone_hash"]:
        c["phone_hash"] = rec["phone_hash"]
        c["phone_kept"] = {k: rec[k] for k in PHONE_FIELDS}


def _differs(new, registered) -> bool:
    """A sheet's value differs from the registered one. Texts registered before Chinese punctuation
    was kept hold it folded ("(集团)"): the same text written "（集团）" is no change, and a re-import
    of an unchanged sheet changes nothing."""
    if new == registered:
        return False
    if isinstance(new, str) and isinstance(registered, str):
        return fold_key(new) != fold_key(registered)
    return True


def _classify(batch: list[tuple[int, dict]], res: CheckResult, *, org, writer, keep_kinds: int) -> None:
    label = FIELD_LABELS
    existing: dict[str, dict] = {}
    for _r, c in batch:
        if "id_hash" not in c:  # the checking process hashes only while this one is still busy
            _add_hashes(c)
    hashes = [c["id_hash"] for _r, c in batch]
    cols = (
        "id",
        "org_id",
        "status",
        "id_number_hash",
        "member_no",
        "created_at",
        "updated_at",
        *PHONE_FIELDS,
        *COMPARE_FIELDS,
    )
    since = getattr(writer, "since", None)
    for rec in Member.objects.filter(_in_list("id_number_hash", hashes)).values(*cols):
        existing[rec["id_number_hash"]] = rec
    nos = [c["member_no"] for _r, c in batch if c["member_no"]]
    taken_nos: dict[str, str] = {}
    if nos:
        taken_nos = dict(
            Member.objects.filter(_in_list("member_no", nos)).values_list("member_no", "id_number_hash")
        )
    new, updates = [], []
    closed = CLOSED_STATUSES
    # A joining date changed by the sheet may not pass the member's later membership changes, as on
    # the edit form: their first such change, for the few rows that change it (one query).
    moved = [
        rec["id"]
        for _r, c in batch
        if (rec := existing.get(c["id_hash"])) is not None
        and c.get("joined_on")
        and c["joined_on"] != rec["joined_on"]
    ]
    later = selectors.first_changes_after_joining(moved) if moved else {}
    for rownum, c in batch:
        rec = existing.get(c["id_hash"])
        if c["member_no"] and c["member_no"] in taken_nos and taken_nos[c["member_no"]] != c["id_hash"]:
            res.error(rownum, label["member_no"], _("会员编号已被其他会员使用。"))
            continue
        if rec is None:
            new.append(c)
            kind = "new"
        elif rec["status"] in closed:  # here or in another union: not a member now
            res.error(
                rownum,
                label["id_number"],
                _("该身份证号的会籍状态为“%(s)s”，不能通过导入入会或修改；重新入会请由本人提交入会申请。")
                % {"s": MemberStatus(rec["status"]).label},
            )
            continue
        elif rec["org_id"] != org.pk:
            res.error(rownum, label["id_number"], _("该身份证号已在其他工会登记为会员，请通过转会办理。"))
            continue
        elif (bound := later.get(rec["id"])) and c["joined_on"] > bound.on:
            res.error(
                rownum,
                label["joined_on"],
                _("入会日期不能晚于此后的会籍变动（%(d)s %(k)s）。")
                % {"d": bound.on.isoformat(), "k": bound.get_kind_display()},
            )
            continue
        else:
            _keep_registered(c, rec)
            changed = [k for k in COMPARE_FIELDS if k in c and _differs(c[k], rec[k])]
            if c["phone_hash"] != rec["phone_hash"]:
                changed.append("phone")
            if c["member_no"] and c["member_no"] != rec["member_no"]:
                changed.append("member_no")
            if changed and since is not None and rec["updated_at"] > since:
                # Confirming an old preview must not put back what staff changed after it.
                res.error(
                    rownum,
                    label["id_number"],
                    _("预览之后该身份证号已登记为会员（另一次导入或录入），请重新上传文件检查。")
                    if rec["created_at"] > since
                    else _("预览之后名册中该会员的信息已被修改，请重新上传文件检查。"),
                )
                continue
            if changed:
                c["changed_labels"] = [label[k] for k in changed]
                updates.append((c, rec["id"]))
                kind = "update"
                if len(res.changes) < keep_kinds:
                    res.changes[rownum] = [label[k] for k in changed]
            else:
                res.unchanged += 1
                kind = "unchanged"
        if len(res.kinds) < keep_kinds:
            res.kinds[rownum] = kind
    res.new += len(new)
    res.updates += len(updates)
    if writer is not None and not res.error_rows:
        writer.write(new, updates)
        res.written["new"] += len(new)
        res.written["updated"] += len(updates)


# ---- bulk writing ---------------------------------------------------------------------------------

MEMBER_COLUMNS = (
    "org_id",
    "name",
    "name_pinyin",
    "name_initials",
    "name_sort",
    "id_number_enc",
    "id_number_hash",
    "id_number_masked",
    "id_last4",
    "birth_date",
    "sex",
    "ethnicity",
    "education",
    "political_status",
    "phone_enc",
    "phone_hash",
    "phone_masked",
    "phone_last4",
    "employer",
    "department",
    "post",
    "joined_on",
    "member_no",
    "card_no",
    "is_migrant",
    "household_registration",
    "status",
    "user_id",
    "consent_at",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "member_id",
    "org_id",
    "kind",
    "from_status",
    "to_status",
    "from_org_id",
    "to_org_id",
    "on",
    "reason",
    "actor_id",
    "created_at",
)


def member_tuple(
    c: dict,
    *,
    org_id: int,
    member_no: str,
    card_no: str,
    status: str,
    now,
    joined_default: date | None,
    id_hash: str | None = None,
) -> tuple:
    """One members_member row (MEMBER_COLUMNS order) from cleaned plaintext fields."""
    idn = c["id_number"]
    phone = c.get("phone") or ""
    return (
        org_id,
        c["name"],
        c["name_pinyin"],
        c["name_initials"],
        c["name_sort"],
        c.get("id_enc") or crypto.encrypt(idn),
        id_hash or c.get("id_hash") or crypto.blind_index(idn, "member.id_number"),
        mask_id_number(idn),
        idn[-4:],
        c["birth_date"],
        c["sex"],
        c.get("ethnicity", ""),
        c.get("education", ""),
        c.get("political_status", ""),
        (c.get("phone_enc") or crypto.encrypt(phone)) if phone else "",
        c.get("phone_hash")
        if c.get("phone_hash") is not None
        else (crypto.blind_index(phone, "member.phone") if phone else ""),
        mask_mobile(phone) if phone else "",
        phone[-4:] if phone else "",
        c.get("employer", ""),
        c.get("department", ""),
        c.get("post", ""),
        c.get("joined_on") or joined_default,
        member_no,
        card_no,
        bool(c.get("is_migrant", False)),
        c.get("household_registration", ""),
        status,
        None,
        None,
        now,
        now,
    )


def bulk_insert(
    table: str, columns: Iterable[str], rows: Iterable[tuple], *, chunk: int = 5000, progress=None
) -> int:
    """Insert many rows: COPY on PostgreSQL, executemany elsewhere. Returns the number written."""
    columns = list(columns)
    qn = connection.ops.quote_name
    col_sql = ", ".join(qn(c) for c in columns)
    n = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            raw = cur.cursor if hasattr(cur, "cursor") else cur
            batch = 0
            with raw.copy(f"COPY {qn(table)} ({col_sql}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
                    n += 1
                    batch += 1
                    if progress and batch >= chunk:
                        progress(batch)
                        batch = 0
            if progress and batch:
                progress(batch)
        return n
    sql = f"INSERT INTO {qn(table)} ({col_sql}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    buf: list[tuple] = []
    with connection.cursor() as cur:
        for row in rows:
            buf.append(row)
            if len(buf) >= chunk:
                cur.executemany(sql, buf)
                n += len(buf)
                if progress:
                    progress(len(buf))
                buf = []
        if buf:
            cur.executemany(sql, buf)
            n += len(buf)
            if progress:
                progress(len(buf))
    return n


def events_for_new_members(*, org_id: int, after_id: int, reason: str, actor_id, now) -> None:
    """One "imported" timeline event for each member just inserted into `org_id` (one INSERT … SELECT;
    the event's date is the member's joining date)."""
    # The fresh rows are found by primary-key range first (a materialized CTE), then filtered by
    # union: during a bulk load the planner's statistics are stale and it would otherwise walk the
    # union's whole (org, status) index for every chunk, which made a 1M-row import quadratic.
    # Both bounds, so that even without statistics the range looks narrow and is read by primary key.
    upto = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or after_id
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            f"WITH fresh AS MATERIALIZED (SELECT id, org_id, joined_on FROM {qn(Member._meta.db_table)} "  # noqa: S608
            "WHERE id > %s AND id <= %s) "
            f"INSERT INTO {qn(MemberEvent._meta.db_table)} ({', '.join(qn(c) for c in EVENT_COLUMNS)}) "
            "SELECT id, org_id, %s, '', %s, NULL, NULL, joined_on, %s, %s, %s FROM fresh WHERE org_id = %s",
            [after_id, upto, EventKind.IMPORTED, MemberStatus.ACTIVE, reason, actor_id, now, org_id],
        )


def analyze_tables() -> None:
    """Refresh the planner's statistics after a bulk load (the search plans depend on them, and on
    the organization tree's, which every scoped query joins)."""
    from core.db import analyze
    from orgs.models import Organization

    analyze(Member, MemberEvent, Organization)


# ---- a large load on SQLite -----------------------------------------------------------------------
#
# SQLite updates each index row by row, most of them at random places (hashes, names, pinyin). When a
# file holds at least as many rows as the table it goes into (a union's first import into a new
# installation), building those indexes afresh after the rows are in costs about half as much
# (100,000 members: 2.9 s of inserting became 1.9 s). SQLite's DDL is transactional: the indexes are
# dropped and built again inside the import's transaction, so a failed import gets them back with
# its rollback, and other connections read the last commit, indexes and all, throughout. A unique
# index is checked when it is built again, so the constraint still holds at the commit. Indexes the
# import reads while it writes (the member number's, for numbering and number look-ups) stay.
LOAD_MIN_ROWS = 20_000
READ_WHILE_LOADING = {"members_member": ("member_no",)}


class _DeferredIndexes:
    def __init__(self) -> None:
        self.decided = False
        self.dropped: list[tuple[str, str]] = []  # (name, CREATE INDEX statement) to build again

    def decide(self, rows_hint: int | None) -> None:
        self.decided = True
        if (
            connection.vendor != "sqlite"
            or not connection.in_atomic_block
            or rows_hint is None
            or rows_hint < LOAD_MIN_ROWS
        ):
            return
        qn = connection.ops.quote_name
        with connection.cursor() as cur:
            for model in (Member, MemberEvent):
                table = model._meta.db_table
                cur.execute(f"SELECT max(id) FROM {qn(table)}")  # noqa: S608 - a model's table
                if (cur.fetchone()[0] or 0) > rows_hint:  # rows ever inserted: at least those there now
                    continue
                keep = READ_WHILE_LOADING.get(table, ())
                cur.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table]
                )
                for name, sql in cur.fetchall():
                    if sql is None:
                        continue  # a table constraint's own index (the ID number's uniqueness): kept
                    cur.execute("SELECT name FROM pragma_index_info(%s)", [name])
                    first = cur.fetchone()
                    if first and first[0] in keep and " WHERE " not in sql.upper():
                        continue
                    cur.execute(f"DROP INDEX {qn(name)}")
                    self.dropped.append((name, sql))

    def restore(self) -> None:
        if not self.dropped:
            return
        with connection.cursor() as cur:
            for _name, sql in self.dropped:
                cur.execute(sql)
            # A dropped index took its statistics along (sqlite_stat1): the planner needs them back.
            # Estimated from a sample (analysis_limit, as SQLite's own PRAGMA optimize does): a few
            # milliseconds instead of a read of every index; a large import is analyzed in full after
            # its commit (analyze_tables).
            cur.execute("PRAGMA analysis_limit = 1000")
            for name, _sql in self.dropped:
                cur.execute(f"ANALYZE {connection.ops.quote_name(name)}")
            cur.execute("PRAGMA analysis_limit = 0")
        self.dropped = []


class BatchWriter:
    """Writes checked chunks of an import: new members (active, numbered) in bulk, changed ones with
    bulk_update, and one timeline event each. Use inside a transaction with the org row locked."""

    def __init__(self, *, org, actor, today: date, numbers_for, progress=None, reason: str = "", since=None):
        self.org = org
        self.since = since  # the preview's time: members changed after it are not overwritten
        self.actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
        self.today = today
        self.numbers_for = numbers_for
        self.progress = progress
        with rules.stored_language():  # the new members' timeline reason
            self.reason = reason or _("批量导入")
        self.now = timezone.now()
        # The same text sqlite3's registered adapter would make of it, made once instead of per row.
        self.now_param = self.now.isoformat(" ") if connection.vendor == "sqlite" else self.now
        self.rows_hint: int | None = None
        self.deferred = _DeferredIndexes()

    def expect(self, rows_hint: int | None) -> None:
        """How many rows the file says it holds (Table.rows_hint), before the first write."""
        self.rows_hint = rows_hint

    def finish(self) -> None:
        """After the last write: build the indexes set aside for the load."""
        self.deferred.restore()

    def write(self, new: list[dict], updates: list[tuple[dict, int]]) -> None:
        org, today, now, now_param = self.org, self.today, self.now, self.now_param
        if new and not self.deferred.decided:
            self.deferred.decide(self.rows_hint)
        if new:
            fresh = iter(self.numbers_for(sum(1 for c in new if not c["member_no"])))
            year = today.year
            before = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

            def rows():
                for c in new:
                    if c["member_no"]:
                        no, card = c["member_no"], f"{year}{c['member_no']}"[:32]
                    else:
                        no, card = next(fresh)
                    yield member_tuple(
                        c,
                        org_id=org.pk,
                        member_no=no,
                        card_no=card,
                        status=MemberStatus.ACTIVE,
                        now=now_param,
                        joined_default=today,
                    )

            bulk_insert(Member._meta.db_table, MEMBER_COLUMNS, rows())
            events_for_new_members(
                org_id=org.pk, after_id=before, reason=self.reason, actor_id=self.actor_id, now=now
            )
        if updates:
            with rules.stored_language():  # the timeline's reason, in the installation's language
                updated_with, updated = _("导入更新：%(f)s"), _("导入更新")
            objs = []
            for c, pk in updates:
                m = Member(pk=pk)
                for k in COMPARE_FIELDS:
                    setattr(m, k, c.get(k, "") if k not in ("joined_on", "is_migrant") else c.get(k))
                m.name_pinyin, m.name_initials, m.name_sort = (
                    c["name_pinyin"],
                    c["name_initials"],
                    c["name_sort"],
                )
                if kept := c.get("phone_kept"):
                    for k, v in kept.items():
                        setattr(m, k, v)
                else:
                    phone = c.get("phone") or ""
                    m.phone_enc = (c.get("phone_enc") or crypto.encrypt(phone)) if phone else ""
                    m.phone_hash = c["phone_hash"]
                    m.phone_masked = mask_mobile(phone) if phone else ""
                    m.phone_last4 = phone[-4:] if phone else ""
                m.updated_at = now
                objs.append(m)
            present = set().union(*(c.keys() for c, _p in updates))
            fields = [
                *(f for f in COMPARE_FIELDS if f in present),
                "name_pinyin",
                "name_initials",
                "name_sort",
                "phone_enc",
                "phone_hash",
                "phone_masked",
                "phone_last4",
                "updated_at",
            ]
            Member.objects.bulk_update(objs, fields, batch_size=1000)
            for c, pk in updates:
                if c["member_no"]:
                    Member.objects.filter(pk=pk).update(member_no=c["member_no"])
            bulk_insert(
                MemberEvent._meta.db_table,
                EVENT_COLUMNS,
                (
                    (
                        pk,
                        org.pk,
                        EventKind.UPDATED,
                        "",
                        "",
                        None,
                        None,
                        today,
                        updated_with % {"f": "、".join(c.get("changed_labels") or [])}
                        if c.get("changed_labels")
                        else updated,
                        self.actor_id,
                        now,
                    )
                    for c, pk in updates
                ),
            )
        if self.progress:
            self.progress(len(new) + len(updates))


@contextmanager
def _foreign_keys_checked_per_statement():
    """On PostgreSQL the members' and events' foreign keys (DEFERRABLE INITIALLY DEFERRED, as Django
    makes them) are checked at the end of each bulk statement instead of all at the commit: the same
    checks, but done while the other process is still checking rows rather than after it. Back to
    deferred afterwards. Must run inside the import's transaction."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    names = []
    with connection.cursor() as cur:
        for model in (Member, MemberEvent):
            table = model._meta.db_table
            for name, info in connection.introspection.get_constraints(cur, table).items():
                if info["foreign_key"]:
                    names.append(connection.ops.quote_name(name))
        cur.execute(f"SET CONSTRAINTS {', '.join(names)} IMMEDIATE")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"SET CONSTRAINTS {', '.join(names)} DEFERRED")


@contextmanager
def _collector_off_old_objects():
    """While an import makes hundreds of thousands of short-lived rows, the cyclic garbage collector
    leaves the objects that were there before (the application's own, all long-lived) alone instead
    of walking them again and again; they are handed back to it afterwards."""
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def apply_file(
    data: bytes, filename: str, *, org, actor, today: date, numbers_for, progress=None, since=None
) -> dict:
    """Read, check and write one file in a single pass. Call inside a transaction (org row locked):
    any bad row raises RecheckFailed after all rows were checked, and the transaction rolls back.
    With `since` (the preview's time), a row that would update a member changed after it is an error."""
    writer = BatchWriter(
        org=org, actor=actor, today=today, numbers_for=numbers_for, progress=progress, since=since
    )
    with _foreign_keys_checked_per_statement(), _collector_off_old_objects():
        if _can_fork(data):
            chunks = _chunks_from_child(data, filename, today, on_rows_hint=writer.expect)
            result = _absorb(chunks, CheckResult(), org=org, writer=writer, keep_kinds=0)
        else:
            table = read_table(data, filename)
            writer.expect(table.rows_hint)
            result = check_rows(table, org=org, today=today, writer=writer)
    if not result.error_rows:
        writer.finish()
    if result.error_rows:
        raise RecheckFailed(sorted(result.errors, key=lambda e: e.row), len(result.error_rows))
    return {"new": result.written["new"], "updated": result.written["updated"], "unchanged": result.unchanged}


# ---- template and error report ----------------------------------------------------------------------

EXAMPLE_ROW = [
    "张三",
    EXAMPLE_ID,
    "13800138000",
    "男",
    "汉族",
    "本科",
    "群众",
    "某某制造有限公司",
    "一车间",
    "操作工",
    "2024-03-01",
    "",
    "否",
    "浙江省杭州市",
]


TEMPLATE_ROWS = 100_000  # rows of the template that offer the drop-down lists


def template_xlsx() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("会员")
    bold = wb.add_format({"bold": True, "bg_color": "#E8F0FE", "border": 1})
    req = wb.add_format({"bold": True, "font_color": "#C62828", "bg_color": "#FDE7E7", "border": 1})
    text = wb.add_format({"num_format": "@"})
    for i, key in enumerate(TEMPLATE_FIELDS):
        ws.write_string(0, i, FIELD_LABELS[key], req if key in REQUIRED else bold)
        ws.set_column(i, i, 20 if key in ("id_number", "employer", "household_registration") else 12, text)
    for i, v in enumerate(EXAMPLE_ROW):
        ws.write_string(1, i, v)
    # Drop-down lists where a column takes a few values (Excel warns on others, and the import, which
    # also accepts common variants, is the judge).
    with rules.stored_language():  # the template is in the installation's language, as its headers
        choices = {
            "sex": ["男", "女"],
            "education": [str(label) for _v, label in Education.choices],
            "political_status": [str(label) for _v, label in PoliticalStatus.choices],
            "is_migrant": ["是", "否"],
        }
    for key, values in choices.items():
        col = TEMPLATE_FIELDS.index(key)
        ws.data_validation(
            1, col, TEMPLATE_ROWS, col, {"validate": "list", "source": values, "error_type": "warning"}
        )
    ws.freeze_panes(1, 0)  # the headings stay in view while scrolling down a long list
    notes = wb.add_worksheet("填写说明")
    lines = [
        "1. 第一行是列标题，请勿修改；红色标题为必填列（姓名、身份证号）。",
        "2. 身份证号请填18位，最后一位可以是X；请保持“文本”格式，避免Excel把它变成科学计数法。",
        "3. 性别和出生日期由身份证号自动得出；填写了性别时会与身份证号核对。",
        "4. 日期请写成 2024-03-01；学历：小学及以下、初中、高中/中专/技校、大专、本科、硕士、博士。",
        "5. 政治面貌：中共党员、中共预备党员、共青团员、民主党派、群众；是否农民工：是/否。",
        "6. 会员编号可留空，导入时自动编号。同一身份证号再次导入会更新原记录，不会重复登记。",
        "7. 第2行是示例，请删除后再填写。",
    ]
    for i, line in enumerate(lines):
        notes.write_string(i, 0, line)
    notes.set_column(0, 0, 100)
    # The 56 ethnic groups are too many for a list typed into the rule (255 characters at most): a
    # hidden sheet holds them. Its name is ASCII, so the reference reads the same in any Excel.
    groups = wb.add_worksheet("ethnic_groups")
    for i, name in enumerate(rules.ETHNIC_GROUPS):
        groups.write_string(i, 0, name)
    groups.hide()
    col = TEMPLATE_FIELDS.index("ethnicity")
    ws.data_validation(
        1,
        col,
        TEMPLATE_ROWS,
        col,
        {
            "validate": "list",
            "source": f"=ethnic_groups!$A$1:$A${len(rules.ETHNIC_GROUPS)}",
            "error_type": "warning",
        },
    )
    wb.close()
    return out.getvalue()


REPORT_WIDTHS = {"id_number": 22, "phone": 14, "employer": 28, "department": 16, "household_registration": 24}


def error_report_xlsx(table: Table, errors: list[dict]) -> bytes:
    """The whole file as uploaded, with the row number it had and a column of reasons: the rows with
    errors are marked in red and come first, so the report can be corrected in place and uploaded
    again as it is (its two added columns are ignored on upload). Nothing was imported, so a report
    holding only the bad rows would lose the good ones on re-upload."""
    import xlsxwriter

    by_row: dict[int, list[str]] = {}
    for e in errors:
        by_row.setdefault(e["row"], []).append(f"{e['column']}：{e['reason']}")
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    ws = wb.add_worksheet("会员")
    bold = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    bad = wb.add_format({"bg_color": "#FDECEA", "num_format": "@"})
    red = wb.add_format({"font_color": "#B00020", "bg_color": "#FDECEA"})
    text = wb.add_format({"num_format": "@"})
    headers = [h for h in table.headers if h not in REPORT_HEADERS]
    row_no, reason = REPORT_HEADERS
    ws.write_row(0, 0, [row_no, *headers, reason], bold)
    good: list[tuple[int, list]] = []
    r = 1

    def write(rownum: int, row: list, fmt) -> None:
        ws.write_number(r, 0, rownum, fmt)
        for c, v in enumerate(row[: len(headers)]):
            if isinstance(v, (date, datetime)):
                ws.write_string(r, c + 1, v.isoformat()[:10], fmt)
            elif v is None or v == "":
                if fmt is not None:
                    ws.write_blank(r, c + 1, None, fmt)
            else:
                # As uploaded, not escaped: the report is corrected and uploaded again, and an escape
                # quote would become part of the value. The cells are text, never formulas
                # (strings_to_formulas is off), and the upload's own formulas were refused.
                ws.write_string(r, c + 1, _cell_text(v) or "", fmt)

    rownum = table.first_row - 1
    for row in table.rows:
        rownum += 1
        if not _nonempty(row):
            continue
        if rownum in by_row:
            write(rownum, row, bad)
            ws.write_string(r, len(headers) + 1, " ".join(by_row[rownum]), red)
            r += 1
        else:
            good.append((rownum, row))
    for rownum, row in good:
        write(rownum, row, None)
        r += 1
    ws.set_column(1, len(headers), 14, text)
    # The columns being corrected wide enough to read whole: an 18-digit ID number, a company's name.
    mapping = map_headers(headers)
    for key, width in REPORT_WIDTHS.items():
        if key in mapping:
            ws.set_column(mapping[key] + 1, mapping[key] + 1, width, text)
    ws.set_column(len(headers) + 1, len(headers) + 1, 60)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(r - 1, 1), len(headers) + 1)
    wb.close()
    return out.getvalue()


def preview_rows(table: Table, result: CheckResult, limit: int = 50) -> list[dict]:
    """First rows of the preview: row number, name, masked ID and what will happen."""
    mapping = map_headers(table.headers)
    out = []
    err_by_row: dict[int, list[str]] = {}
    for e in result.errors:
        err_by_row.setdefault(e.row, []).append(_("%(c)s：%(r)s") % {"c": e.column, "r": e.reason})
    rownum = table.first_row - 1
    for row in table.rows:
        rownum += 1
        if len(out) >= limit:
            break
        if not _nonempty(row):
            continue
        idv = _cell_text(row[mapping["id_number"]]) if mapping["id_number"] < len(row) else ""
        name = _cell_text(row[mapping["name"]]) if mapping["name"] < len(row) else ""
        code = re.sub(r"\s", "", normalize_text(idv or "")).upper()
        out.append(
            {
                "row": rownum,
                "name": rules.stored_name(name),
                "id_masked": mask_id_number(code) if len(code) == 18 else ("*" * len(code)),
                "kind": "error" if rownum in err_by_row else result.kinds.get(rownum, ""),
                "errors": err_by_row.get(rownum, []),
                "changes": result.changes.get(rownum, []),
            }
        )
    return out
