"""The bulk import's fast path for plain rows (rules.plain_row_cleaner) against clean_member: the
same record for every row it accepts, and None (clean_member decides) for everything else."""

import random
from datetime import date

import pytest

from core.validators import id_check_char
from members import importing, rules
from members.seed import generate_people, people_as_sheet_rows

TODAY = date(2026, 11, 25)
FIELDS = [f for f in importing.TEMPLATE_FIELDS if f != "member_no"]
TEMPLATE = {f: i for i, f in enumerate(importing.TEMPLATE_FIELDS) if f != "member_no"}


def slow(columns: dict[str, int], row: list) -> tuple[dict, dict]:
    """What the import does without the fast path: the row as clean_member's raw dict, cleaned."""
    raw = importing._row_reader(columns)(row)
    return rules.clean_member(raw, today=TODAY)


def people_rows(n: int) -> list[list]:
    return list(people_as_sheet_rows(generate_people(random.Random(7), n, TODAY)))


def test_generated_people_all_take_the_fast_path_with_clean_members_result():
    fast = rules.plain_row_cleaner(TEMPLATE, today=TODAY)
    rows = people_rows(2000)
    for row in rows:
        cleaned, errors = slow(TEMPLATE, row)
        assert errors == {}
        assert fast(row) == cleaned


def with_id(row: list, idn17: str) -> list:
    row = list(row)
    row[1] = idn17 + id_check_char(idn17)
    return row


# (column, cell) replacements of a valid row. Each either stays valid (and must give clean_member's
# record on the fast path or fall back) or is an error (the fast path must fall back).
VARIANTS = [
    ("name", "张 三"),  # inner space: removed by both
    ("name", " 张三"),
    ("name", "张三 "),
    ("name", "张　三"),  # ideographic space
    ("name", "Ｚｈａｎｇ"),  # full width
    ("name", ""),
    ("name", "张" * 51),
    ("name", "张\t三"),
    ("name", "李·娜"),
    ("name", "张三2"),  # a digit: refused by both
    ("name", "<b>张三</b>"),
    ("id_number", ""),
    ("id_number", "11010519491231002x"),  # lower-case check letter
    ("id_number", "11010519491231002X"),
    ("id_number", "110105194912310021"),  # wrong check digit
    ("id_number", "１１０１０５１９４９１２３１００２Ｘ"),
    ("id_number", "110105 19491231 002X"),
    ("id_number", "11010519491231002"),
    ("phone", ""),
    ("phone", "13800138000"),
    ("phone", "12800138000"),
    ("phone", "+8613800138000"),
    ("phone", "8613800138000"),
    ("phone", "138 0013 8000"),
    ("phone", "138-0013-8000"),
    ("phone", "1380013800"),
    ("sex", ""),
    ("sex", "男"),
    ("sex", "女"),
    ("sex", "M"),
    ("sex", "男性"),
    ("ethnicity", ""),
    ("ethnicity", "汉" * 21),
    ("education", ""),
    ("education", "本科"),
    ("education", "大学本科"),
    ("education", "bachelor"),
    ("education", "博士后"),
    ("political_status", ""),
    ("political_status", "党员"),
    ("political_status", "无党派"),
    ("employer", "东湖  精密"),
    ("employer", "东" * 121),
    ("department", "一车间 "),
    ("post", "=1+2"),
    ("joined_on", ""),
    ("joined_on", "2020-02-29"),
    ("joined_on", "2021-02-29"),
    ("joined_on", "2024/3/1"),
    ("joined_on", "2024年3月1日"),
    ("joined_on", "20240301"),
    ("joined_on", "2027-01-01"),
    ("joined_on", "1900-01-01"),
    ("joined_on", "2024-3-1"),
    ("is_migrant", ""),
    ("is_migrant", "是"),
    ("is_migrant", "否"),
    ("is_migrant", "Y"),
    ("is_migrant", "Yes"),
    ("is_migrant", "1"),
    ("is_migrant", "不知道"),
    ("household_registration", "浙江省　杭州市"),
    ("ethnicity", "汉"),  # written without 族: registered as 汉族
    ("ethnicity", "维吾尔"),
    ("ethnicity", "穿青人"),  # not one of the 56: kept as written
]


@pytest.mark.parametrize(("column", "cell"), VARIANTS)
def test_a_variant_cell_gives_clean_members_result_or_falls_back(column, cell):
    fast = rules.plain_row_cleaner(TEMPLATE, today=TODAY)
    for base in people_rows(20):
        row = list(base)
        row[TEMPLATE[column]] = cell
        cleaned, errors = slow(TEMPLATE, row)
        got = fast(row)
        if errors:
            assert got is None, (row, errors)
        elif got is not None:
            assert got == cleaned


@pytest.mark.parametrize(
    ("column", "cell", "fast_path"),
    [
        ("name", "张 三", True),
        ("id_number", "11010519491231002x", True),
        ("education", "大学本科", True),
        ("is_migrant", "Yes", True),
        ("name", " 张三", False),  # text to normalize
        ("phone", "+8613800138000", False),  # valid, written another way
        ("joined_on", "2024年3月1日", False),
        ("id_number", "110105194912310021", False),  # an error
        ("ethnicity", "汉", True),  # registered as 汉族 on both paths
        ("ethnicity", "汉族", True),
    ],
)
def test_which_rows_take_the_fast_path(column, cell, fast_path):
    fast = rules.plain_row_cleaner(TEMPLATE, today=TODAY)
    row = people_rows(1)[0]
    row[TEMPLATE[column]] = cell
    row[TEMPLATE["sex"]] = ""  # the ID numbers above are not the person's own
    assert (fast(row) is not None) is fast_path


def test_cells_that_are_not_text_or_missing_fall_back():
    fast = rules.plain_row_cleaner(TEMPLATE, today=TODAY)
    row = people_rows(1)[0]
    assert fast(row) is not None
    for cell in (None, 13800138000.0, True, date(2024, 3, 1)):
        changed = list(row)
        changed[TEMPLATE["phone"]] = cell
        assert fast(changed) is None
    assert fast(row[:5]) is None  # a short row (trailing empty cells left out)


def test_other_column_sets_and_orders():
    rows = people_rows(200)
    for fields in (["id_number", "name"], ["name", "id_number", "joined_on", "sex"], list(reversed(FIELDS))):
        columns = {f: i for i, f in enumerate(fields)}
        fast = rules.plain_row_cleaner(columns, today=TODAY)
        for base in rows:
            row = [base[TEMPLATE[f]] for f in fields]
            cleaned, errors = slow(columns, row)
            assert errors == {}
            assert fast(row) == cleaned


def test_import_check_is_the_same_with_and_without_the_fast_path(monkeypatch):
    rows = people_rows(300)
    rows[5][1] = "110105194912310021"  # bad check digit
    rows[9][0] = " 王五 "  # to normalize
    rows[12][3] = "女" if rows[12][3] == "男" else "男"  # sex against the ID number
    rows[20][1], rows[20][3] = rows[3][1], rows[3][3]  # duplicate in the file (same person)
    headers = [importing.FIELD_LABELS[f] for f in importing.TEMPLATE_FIELDS]

    def run():
        table = importing.Table(headers=headers, rows=iter([list(r) for r in rows]), first_row=2)
        return list(importing._checked_chunks(table, today=TODAY, sizes=((0, 100),)))

    with_fast = run()
    monkeypatch.setattr(rules, "plain_row_cleaner", lambda columns, today: lambda row: None)
    assert run() == with_fast
    assert [e.row for _b, errs, _t in with_fast for e in errs] == [7, 14, 22]


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("12345", "姓名不能包含数字或符号（少数民族姓名中的“·”可以）。"),
        ("<b>测试</b>", "姓名不能包含数字或符号（少数民族姓名中的“·”可以）。"),
        ("张三2", "姓名不能包含数字或符号（少数民族姓名中的“·”可以）。"),
        ("买买提·艾力", None),
        ("John Smith", None),
        ("张😀", "姓名不能包含数字或符号（少数民族姓名中的“·”可以）。"),
        ("李★", "姓名不能包含数字或符号（少数民族姓名中的“·”可以）。"),
        ("𠈌明", None),  # a rare character (CJK extension B) is a letter
        ("\ue816明", None),  # one kept in private use (GB 18030 decodes some rare characters there)
        ("张三（小）", "姓名不能包含数字或符号（少数民族姓名中的“·”可以）。"),
        ("李四：", "姓名不能包含数字或符号（少数民族姓名中的“·”可以）。"),
        ("王五…", "姓名不能包含数字或符号（少数民族姓名中的“·”可以）。"),
        ("张" * 51, "姓名过长（最多50个字）。"),
    ],
)
def test_names_with_digits_or_symbols_are_refused(name, error):
    _out, errors = rules.clean_member({"name": name}, today=date(2026, 11, 25))
    assert errors.get("name") == error


def test_a_date_that_does_not_exist_is_named():
    _out, errors = rules.clean_member({"name": "张三", "joined_on": "2024-02-30"}, today=date(2026, 11, 25))
    assert errors["joined_on"] == "入会日期2024-02-30不存在，请核对。"
    _out, errors = rules.clean_member(
        {"name": "张三", "joined_on": "2024年2月30日"}, today=date(2026, 11, 25)
    )
    assert errors["joined_on"] == "入会日期2024-02-30不存在，请核对。"
    _out, errors = rules.clean_member({"name": "张三", "joined_on": "上个月"}, today=date(2026, 11, 25))
    assert errors["joined_on"] == "入会日期格式不正确，请写成 2024-03-01。"


def test_choices_are_read_in_every_language_whichever_was_active_first():
    """The maps are cached: built first during an English request, they once knew only English
    labels, and every sheet with the template's 本科 or 群众 was refused until a restart."""
    from django.utils import translation

    rules._education_map.cache_clear()
    rules._political_map.cache_clear()
    try:
        with translation.override("en"):
            edu, pol = rules._education_map(), rules._political_map()
        assert edu["本科"] == edu["Bachelor's degree"] == edu["bachelor"] == "bachelor"
        assert pol["群众"] == "masses"
    finally:
        rules._education_map.cache_clear()
        rules._political_map.cache_clear()


def test_an_ethnic_group_written_without_its_zu_is_registered_with_it():
    fast = rules.plain_row_cleaner(TEMPLATE, today=TODAY)
    row = people_rows(1)[0]
    for cell, stored in (("汉", "汉族"), ("蒙古", "蒙古族"), ("维吾尔族", "维吾尔族"), ("穿青人", "穿青人")):
        row[TEMPLATE["ethnicity"]] = cell
        cleaned, errors = slow(TEMPLATE, row)
        assert (errors, cleaned["ethnicity"]) == ({}, stored), cell
        assert fast(row) == cleaned
