"""Reading a payroll sheet (xlsx, xls, ods or csv) into (row number, member number, ID number, name, wage)
rows. Problems with the file as a whole raise ValidationError; problems with single rows are returned
so the service can report all of them at once, by row, in Chinese."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.validators import normalize_code, normalize_text

HEADERS = {
    "member_no": {"会员编号", "会员号", "会员编码", "工会会员编号"},
    "id_number": {"身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码"},
    "name": {"姓名", "会员姓名", "职工姓名"},
    "wage": {
        "工资",
        "月工资",
        "应发工资",
        "工资基数",
        "缴费基数",
        "月工资收入",
        "工资收入",
        "基本工资",
        "应发合计",
    },
}
MAX_ROWS = 200_000


@dataclass
class SheetRow:
    row: int  # 1-based row number as the user sees it in the spreadsheet
    member_no: str
    id_number: str
    name: str
    wage: object  # raw cell value; parsed by the service
    id_was_number: bool = False  # Excel stored the ID number as a number: its last digits are lost
    no_was_number: bool = False  # the member number was a number cell (leading zeros lost)


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return normalize_text(str(v))


def _header_key(text: str) -> str | None:
    t = normalize_text(text).replace(" ", "").replace("（元）", "").replace("(元)", "")
    for key, names in HEADERS.items():
        if t in names:
            return key
    return None


def _rows_from_csv(content: bytes) -> list[list]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("无法识别CSV文件的编码，请另存为UTF-8编码的CSV或xlsx文件。"))
    return list(csv.reader(io.StringIO(text)))


def _rows_from_workbook(content: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = wb.sheet_names
        if not names:
            raise ValidationError(_("工作簿中没有工作表。"))
        return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - calamine raises several error types for broken files
        raise ValidationError(_("无法读取该文件，请上传xlsx、xls或csv格式的工资表。")) from None


def read_payroll(content: bytes, filename: str) -> list[SheetRow]:
    name = filename.lower()
    if name.endswith(".csv"):
        raw = _rows_from_csv(content)
    elif name.endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raw = _rows_from_workbook(content)
    else:
        raise ValidationError(_("只支持xlsx、xls或csv格式的工资表。"))
    # The header is the first row that is not empty.
    start = next((i for i, r in enumerate(raw) if any(_cell_text(c) for c in r)), None)
    if start is None:
        raise ValidationError(_("工资表是空的。"))
    columns: dict[str, int] = {}
    for idx, cell in enumerate(raw[start]):
        key = _header_key(_cell_text(cell))
        if key and key not in columns:
            columns[key] = idx
    if "member_no" not in columns and "id_number" not in columns:
        raise ValidationError(_("工资表缺少“会员编号”或“身份证号”列。"))
    if "wage" not in columns:
        raise ValidationError(_("工资表缺少“工资”列（也可写作“月工资”“应发工资”“缴费基数”）。"))
    if len(raw) - start - 1 > MAX_ROWS:
        raise ValidationError(_("工资表超过%(n)d行，请分批导入。") % {"n": MAX_ROWS})

    def get(r: list, key: str):
        i = columns.get(key)
        return r[i] if i is not None and i < len(r) else None

    rows = []
    for offset, r in enumerate(raw[start + 1 :], start=start + 2):
        if not any(_cell_text(c) for c in r):
            continue
        rows.append(
            SheetRow(
                row=offset,
                member_no=_cell_text(get(r, "member_no")),
                id_number=normalize_code(_cell_text(get(r, "id_number"))),
                name=_cell_text(get(r, "name")),
                wage=get(r, "wage"),
                id_was_number=isinstance(get(r, "id_number"), float | int),
                no_was_number=isinstance(get(r, "member_no"), float | int),
            )
        )
    if not rows:
        raise ValidationError(_("工资表只有表头，没有数据行。"))
    return rows


def template_xlsx(members: list[tuple[str, str]], *, month_label: str) -> bytes:
    """A payroll sheet to fill in: the union's members (member number, name) with an empty wage
    column, read back by read_payroll. Member numbers are text cells (Excel would drop leading
    zeros) and every name is written as text (no formulas)."""
    import xlsxwriter

    from members.rules import QUOTED, XLSX_TEXT, write_text

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **XLSX_TEXT})
    quoted = wb.add_format(QUOTED)
    ws = wb.add_worksheet(_("工资表"))
    bold = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    text = wb.add_format({"num_format": "@"})
    money = wb.add_format({"num_format": "0.00"})
    ws.write_row(0, 0, ["会员编号", "姓名", "月工资"], bold)
    ws.set_column(0, 0, 16, text)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 14, money)
    ws.set_column(4, 4, 60)
    for r, (no, name) in enumerate(members, start=1):
        ws.write_string(r, 0, no, text)
        write_text(ws, r, 1, name, quoted)
    ws.write_string(
        0,
        4,
        _("填写%(m)s起的月工资（元，不含奖金、津贴、补贴）；不要改动会员编号；空着的行不导入。")
        % {"m": month_label},
    )
    ws.freeze_panes(1, 0)
    wb.close()
    return out.getvalue()
