"""Streamed exports of member lists (masked, formula-injection safe) and statistics workbooks."""

import csv
import tempfile
from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from .models import Education, MemberStatus, PoliticalStatus
from .rules import QUOTED, XLSX_TEXT, escape_cell, write_text

EXPORT_COLUMNS = [
    ("name", "姓名"),
    ("sex", "性别"),
    ("birth_date", "出生年份"),  # the year only: see members.api.MemberOut
    ("id_number_masked", "身份证号"),
    ("phone_masked", "手机号"),
    ("ethnicity", "民族"),
    ("education", "学历"),
    ("political_status", "政治面貌"),
    ("employer", "工作单位"),
    ("department", "部门"),
    ("post", "岗位"),
    ("org__name", "所在工会"),
    ("member_no", "会员编号"),
    ("card_no", "会员证号"),
    ("joined_on", "入会日期"),
    ("status", "会籍状态"),
    ("is_migrant", "是否农民工"),
    ("household_registration", "户籍所在地"),
]

XLSX_WIDTHS = {
    "id_number_masked": 22,
    "employer": 28,
    "org__name": 28,
    "member_no": 16,
    "card_no": 20,
    "household_registration": 24,
}


def _display_maps():
    """Display values in Chinese whatever the user's language: an export is the registry's file, in
    the same words as its headers and as the import template reads them back."""
    with translation.override(settings.LANGUAGE_CODE):
        return _display_maps_now()


def _display_maps_now():
    return {
        "sex": {"M": "男", "F": "女"},
        "education": {k: str(v) for k, v in Education.choices},
        "political_status": {k: str(v) for k, v in PoliticalStatus.choices},
        "status": {k: str(v) for k, v in MemberStatus.choices},
    }


def export_rows(qs: QuerySet, *, escape=escape_cell) -> Iterator[list]:
    """Display values of each member, masked and escaped (for a CSV; `escape=None` for an xlsx, which
    quotes formula-like texts by their cell format), read in chunks (server-side cursor on PG)."""
    keys = [k for k, _h in EXPORT_COLUMNS]
    maps = _display_maps()
    for rec in qs.values_list(*keys).iterator(chunk_size=5000):
        out = []
        for key, value in zip(keys, rec, strict=True):
            if key in maps:
                value = maps[key].get(value, value or "")
            elif key == "is_migrant":
                value = "是" if value else "否"
            elif key == "birth_date":
                value = str(value.year)
            elif value is None:
                value = ""
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            out.append(escape(value) if escape else value)
        yield out


class _Echo:
    def write(self, value):
        return value


def csv_stream(qs: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([h for _k, h in EXPORT_COLUMNS])
    for row in export_rows(qs):
        yield writer.writerow(row)


def xlsx_tempfile(qs: QuerySet):
    """Write the workbook row by row (xlsxwriter constant_memory) into a temporary file and return
    it opened for reading; the caller streams it to the client."""
    import xlsxwriter

    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
    wb = xlsxwriter.Workbook(tmp.name, {"constant_memory": True, **XLSX_TEXT})
    ws = wb.add_worksheet("会员名册")
    bold = wb.add_format({"bold": True})
    quoted = wb.add_format(QUOTED)
    ws.write_row(0, 0, [h for _k, h in EXPORT_COLUMNS], bold)
    ws.set_column(0, len(EXPORT_COLUMNS) - 1, 14)
    keys = [k for k, _h in EXPORT_COLUMNS]
    for key, width in XLSX_WIDTHS.items():  # long texts readable without widening columns
        ws.set_column(keys.index(key), keys.index(key), width)
    # Dates as dates and the birth year as a number, so that Excel sorts and filters them; the
    # rest as text (member numbers keep their leading zeros).
    joined, born = keys.index("joined_on"), keys.index("birth_date")
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.set_column(joined, joined, 12, datefmt)
    r = 1
    for row in export_rows(qs, escape=None):
        for c, v in enumerate(row):
            if c == joined and v:
                ws.write_datetime(r, c, date.fromisoformat(v), datefmt)
            elif c == born and v:
                ws.write_number(r, c, int(v))
            else:
                write_text(ws, r, c, v, quoted)
        r += 1
    ws.freeze_panes(1, 0)
    wb.close()
    tmp.seek(0)
    return tmp


def stats_xlsx(stats: dict, children: list[dict], direct: int = 0) -> bytes:
    import io

    import xlsxwriter
    from django.utils import timezone

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **XLSX_TEXT})
    bold = wb.add_format({"bold": True})
    pct = wb.add_format({"num_format": "0.0%"})
    quoted = wb.add_format(QUOTED)

    ws = wb.add_worksheet("概况")
    ws.write_string(0, 0, "组织", bold)
    write_text(ws, 0, 1, stats["org"].name, quoted, bold)
    ws.write_string(1, 0, "统计时间")
    ws.write_string(1, 1, timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    rows = [
        ("会员人数（在籍+保留）", stats["members"]),
        ("职工人数", stats["employees"]),
        ("入会率", stats["rate"] if stats["rate"] is not None else ""),
        ("男", stats["male"]),
        ("女", stats["female"]),
        ("农民工", stats["migrant"]),
        ("保留会籍", stats["retained"]),
    ]
    for i, (label, value) in enumerate(rows, start=3):
        ws.write(i, 0, label)
        if label == "入会率" and value != "":
            ws.write_number(i, 1, value, pct)
        else:
            ws.write(i, 1, value)
    ws.set_column(0, 0, 24)
    for title, items in (("年龄", stats["age"]), ("学历", stats["education"]), ("会籍状态", stats["status"])):
        s = wb.add_worksheet(title)
        s.write_row(0, 0, [title, "人数"], bold)
        for i, (label, n) in enumerate(items, start=1):
            s.write_row(i, 0, [str(label), n])
        s.set_column(0, 0, 18)
    s = wb.add_worksheet("按月入会退会")
    s.write_row(0, 0, ["月份", "入会", "退会", "转入", "转出"], bold)
    s.set_column(0, 0, 10)
    for i, m in enumerate(stats["months"], start=1):
        s.write_row(
            i,
            0,
            [
                m,
                stats["joins"][i - 1],
                stats["leaves"][i - 1],
                stats["transfers_in"][i - 1],
                stats["transfers_out"][i - 1],
            ],
        )
    s = wb.add_worksheet("下级组织")
    s.write_row(0, 0, ["组织", "会员", "职工", "入会率"], bold)
    for i, c in enumerate(children, start=1):
        write_text(s, i, 0, c["org"].name, quoted)
        s.write_row(i, 1, [c["members"], c["employees"]])
        if c["rate"] is not None:
            s.write_number(i, 3, c["rate"], pct)
    if children and direct:  # members registered on the union itself, as on the page
        write_text(s, len(children) + 1, 0, f"{stats['org'].name}本级", quoted)
        s.write_number(len(children) + 1, 1, direct)
    s.set_column(0, 0, 30)
    wb.close()
    return out.getvalue()
