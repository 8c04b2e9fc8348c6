import csv
import io
from datetime import date

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from accounts.models import Role
from audit.models import AuditEvent
from core import crypto
from core.testing.world import make_user
from core.validators import id_check_char
from members import importing, services
from members.models import EventKind, ImportStatus, Member, MemberEvent, MemberImport
from members.tests.factories import make_member, person

HEAD = ["姓名", "身份证号码", "手机号码", "性别", "学历", "入会日期", "是否农民工"]


def xlsx(rows, headers=HEAD, *, merge=False, formula=False) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet()
    if merge:
        ws.merge_range(0, 0, 0, 1, "姓名")
        ws.write_row(0, 2, headers[2:])
    else:
        ws.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    if formula:
        ws.write_formula(len(rows) + 1, 0, "=1+1")
    wb.close()
    return out.getvalue()


def row(i, **over):
    p = person(i)
    base = {
        "name": p["name"],
        "id": p["id_number"],
        "phone": p["phone"],
        "sex": "",
        "edu": "本科",
        "joined": "2024-03-01",
        "migrant": "否",
    }
    base.update(over)
    return [
        base["name"],
        base["id"],
        base["phone"],
        base["sex"],
        base["edu"],
        base["joined"],
        base["migrant"],
    ]


def bad_check(idn: str) -> str:
    wrong = "1" if id_check_char(idn[:17]) != "1" else "2"
    return idn[:17] + wrong


def preview(world, data, name="m.xlsx"):
    return services.import_preview(org=world.union_a, filename=name, data=data, actor=world.staff_a)


def test_template_has_chinese_headers_and_a_valid_example():
    wb = CalamineWorkbook.from_filelike(io.BytesIO(importing.template_xlsx()))
    rows = wb.get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["姓名", "身份证号", "手机号"]
    table = importing.Table(headers=rows[0], rows=rows[1:], first_row=2)
    assert importing.map_headers(table.headers)["id_number"] == 1
    assert wb.sheet_names == ["会员", "填写说明", "ethnic_groups"]  # the last hidden: the drop-down of 民族


def test_template_offers_drop_down_lists_the_import_accepts(world):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(importing.template_xlsx()))
    ws = book["会员"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {
        "D2:D100001": '"男,女"',
        "E2:E100001": "ethnic_groups!$A$1:$A$56",
        "F2:F100001": '"小学及以下,初中,高中/中专/技校,大专,本科,硕士,博士"',
        "G2:G100001": '"中共党员,中共预备党员,共青团员,民主党派,群众"',
        "M2:M100001": '"是,否"',
    }
    groups = book["ethnic_groups"]
    assert groups.sheet_state == "hidden" and groups["A1"].value == "汉族" and groups["A56"].value == "基诺族"
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.color.rgb == "FFC62828"  # the required columns' titles are red, as the notes say
    # Every value offered is one the import takes.
    rows = [row(i, edu=edu) for i, edu in enumerate(["小学及以下", "高中/中专/技校", "博士"], start=1)]
    assert preview(world, xlsx(rows)).error_rows == 0


def test_the_template_uploaded_unchanged_is_read_and_its_example_row_refused(world):
    # Every column of the template is understood; only the example person is not a member to add.
    imp = preview(world, importing.template_xlsx(), name="会员导入模板.xlsx")
    assert (imp.total_rows, imp.new_rows, imp.error_rows) == (1, 0, 1)
    assert imp.errors == [{"row": 2, "column": "身份证号", "reason": "这是模板里的示例行，请删除后再上传。"}]


def test_preview_reports_exactly_the_planted_bad_rows(world):
    rows = [row(i) for i in range(1, 8)]
    rows[1] = row(2, id=bad_check(person(2)["id_number"]))  # spreadsheet row 3
    rows[3] = row(4, name="")  # row 5
    rows[5] = row(1)  # row 7: same ID as row 2
    imp = preview(world, xlsx(rows))
    assert (imp.total_rows, imp.new_rows, imp.error_rows) == (7, 4, 3)
    assert imp.errors == [
        {"row": 3, "column": "身份证号", "reason": "身份证号校验位不正确，请核对。"},
        {"row": 5, "column": "姓名", "reason": "姓名不能为空。"},
        {"row": 7, "column": "身份证号", "reason": "与第2行的身份证号重复。"},
    ]
    with pytest.raises(ValidationError) as e:
        services.import_confirm(imp=imp, actor=world.staff_a)
    assert e.value.messages == ["文件中有3行错误，请下载错误报告，修改后重新上传。"]
    assert Member.objects.count() == 0


def test_import_applies_all_and_reimport_changes_nothing(world, django_capture_on_commit_callbacks):
    data = xlsx([row(i) for i in range(1, 6)])
    imp = preview(world, data)
    assert (imp.new_rows, imp.error_rows) == (5, 0)
    with django_capture_on_commit_callbacks(execute=True):
        progress = services.import_confirm(imp=imp, actor=world.staff_a)
    imp.refresh_from_db()
    progress.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    assert progress.status == "done" and progress.result == {"new": 5, "updated": 0, "unchanged": 0}
    assert Member.objects.filter(org=world.union_a, status="active").count() == 5
    m = Member.objects.get(id_last4=person(1)["id_number"][-4:])
    assert m.member_no == f"{world.union_a.pk:06d}0000001"
    assert m.joined_on == date(2024, 3, 1) and m.education == "bachelor" and m.is_migrant is False
    assert MemberEvent.objects.filter(kind=EventKind.IMPORTED).count() == 5
    # The timeline dates the import by the joining date, and says when it was recorded.
    page = Client()
    page.force_login(world.staff_a)
    body = page.get(reverse("members:detail", args=[m.pk])).content.decode()
    assert '<span class="when">2024-03-01</span> <strong>导入</strong>' in body
    assert f"登记于 {services.today().isoformat()}" in body
    world.union_a.refresh_from_db()
    assert world.union_a.member_count == 5
    assert AuditEvent.objects.filter(action="members.import_apply").count() == 1
    assert not imp.file  # the uploaded sheet is not kept once the registry holds its data
    again = preview(world, data)
    assert (again.new_rows, again.update_rows, again.unchanged_rows) == (0, 0, 5)
    with pytest.raises(ValidationError) as e:
        services.import_confirm(imp=again, actor=world.staff_a)
    assert e.value.messages == ["文件中的会员都已登记且信息相同，无需导入。"]
    changed = preview(world, xlsx([row(1, phone="13912345678"), *[row(i) for i in range(2, 6)]]))
    assert (changed.new_rows, changed.update_rows, changed.unchanged_rows) == (0, 1, 4)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=changed, actor=world.staff_a)
    m.refresh_from_db()
    assert m.phone_masked == "139****5678"
    assert Member.objects.count() == 5
    ev = MemberEvent.objects.filter(member=m, kind=EventKind.UPDATED).get()
    assert ev.reason == "导入更新：手机号"  # the timeline names what the import changed


def test_confirming_an_old_preview_does_not_undo_later_edits(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=preview(world, xlsx([row(1), row(2)])), actor=world.staff_a)
    old = preview(world, xlsx([row(1, edu="硕士"), row(2, edu="硕士")]))
    assert old.update_rows == 2
    m = Member.objects.get(id_last4=person(1)["id_number"][-4:])
    services.member_update(member=m, data={"education": "doctor"}, actor=world.chair_a)  # after the preview
    with django_capture_on_commit_callbacks(execute=True):
        progress = services.import_confirm(imp=old, actor=world.staff_a)
    progress.refresh_from_db()
    assert progress.status == "failed"
    assert progress.message == (
        "确认时重新检查，发现1行有错误（名册在预览之后有了变化），未导入任何数据："
        "第2行 身份证号：预览之后名册中该会员的信息已被修改，请重新上传文件检查。"
    )
    old.refresh_from_db()
    assert (old.status, old.error_rows) == ("failed", 1)
    assert old.errors == [
        {"row": 2, "column": "身份证号", "reason": "预览之后名册中该会员的信息已被修改，请重新上传文件检查。"}
    ]
    m.refresh_from_db()
    other = Member.objects.get(id_last4=person(2)["id_number"][-4:])
    assert (m.education, other.education) == ("doctor", "bachelor")  # nothing written, all or nothing
    client = Client()
    client.force_login(world.staff_a)
    page = client.get(reverse("members:import_detail", args=[old.pk])).content.decode()
    assert "名册未作任何改动。请重新上传该文件" in page
    assert f'<a href="{reverse("members:import")}">重新上传</a>' in page


def test_uploads_not_imported_are_deleted_after_the_keeping_period(world, client):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    good = preview(world, xlsx([row(1)]))
    bad = preview(world, xlsx([row(2), row(3, name="")]))
    fresh = preview(world, xlsx([row(4)]))
    paths = [good.file.name, bad.file.name]
    MemberImport.objects.filter(pk__in=[good.pk, bad.pk]).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    assert services.import_files_expire() == 2
    assert not any(default_storage.exists(p) for p in paths) and default_storage.exists(fresh.file.name)
    good.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        services.import_confirm(imp=good, actor=world.staff_a)
    assert e.value.messages == ["上传的文件已超过保存期限被删除，请重新上传。"]
    client.force_login(world.staff_a)
    r = client.get(reverse("members:import_errors", args=[bad.pk]), follow=True)
    assert "上传的文件已超过保存期限被删除，请重新上传。" in r.content.decode()
    assert not AuditEvent.objects.filter(action="members.import_error_report").exists()


def test_an_import_whose_task_never_ran_is_given_up_after_the_keeping_period(world):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from core.models import TaskProgress

    eight_days_ago = timezone.now() - timedelta(days=8)
    # uploaded 8 days ago but confirmed just now: its task may well run yet
    late = preview(world, xlsx([row(2)]))
    services.import_confirm(imp=late, actor=world.staff_a)
    MemberImport.objects.filter(pk=late.pk).update(created_at=eight_days_ago)
    # confirmed 8 days ago and still queued: the task stopped
    imp = preview(world, xlsx([row(1)]))
    path = imp.file.name
    services.import_confirm(imp=imp, actor=world.staff_a)
    imp.refresh_from_db()
    TaskProgress.objects.filter(pk=imp.progress_id).update(created_at=eight_days_ago)
    MemberImport.objects.filter(pk=imp.pk).update(created_at=eight_days_ago)
    assert services.import_files_expire() == 1
    late.refresh_from_db()
    assert (late.status, bool(late.file)) == (ImportStatus.QUEUED, True)
    imp.refresh_from_db()
    assert (imp.status, imp.message, bool(imp.file)) == (
        ImportStatus.FAILED,
        "导入在7天内未能完成（后台任务中断），未导入任何数据。请重新上传。",
        False,
    )
    assert not default_storage.exists(path)
    # the task, if the worker comes back and runs it after all, does nothing
    assert services.import_apply(imp_id=imp.pk, progress_id=imp.progress_id) == {"error": imp.message}
    progress = TaskProgress.objects.get(pk=imp.progress_id)
    assert (progress.status, progress.message) == ("failed", imp.message)
    assert Member.objects.count() == 0


def test_a_blank_joining_date_in_a_later_sheet_keeps_the_registered_one(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=preview(world, xlsx([row(1)])), actor=world.staff_a)
    again = preview(world, xlsx([row(1, joined="")]))
    assert (again.new_rows, again.update_rows, again.unchanged_rows) == (0, 0, 1)
    changed = preview(world, xlsx([row(1, joined="", edu="硕士")]))
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=changed, actor=world.staff_a)
    m = Member.objects.get()
    assert (m.education, m.joined_on) == ("master", date(2024, 3, 1))


def test_blank_cells_in_a_later_sheet_keep_what_is_registered(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=preview(world, xlsx([row(1, migrant="是"), row(2)])), actor=world.staff_a)
    before = Member.objects.get(id_last4=person(1)["id_number"][-4:])
    assert (before.phone_masked, before.education, before.is_migrant) == (
        f"{person(1)['phone'][:3]}****{person(1)['phone'][-4:]}",
        "bachelor",
        True,
    )
    blank = preview(world, xlsx([row(1, phone="", edu="", migrant=""), row(2, phone="")]))
    assert (blank.new_rows, blank.update_rows, blank.unchanged_rows) == (0, 0, 2)
    # a sheet without the phone column at all erases nothing either
    headers = [h for h in HEAD if h != "手机号码"]
    no_phone = preview(
        world, xlsx([[c for j, c in enumerate(row(1, migrant="是")) if j != 2]], headers=headers)
    )
    assert (no_phone.update_rows, no_phone.unchanged_rows) == (0, 1)
    # what is filled in is changed, and the preview names it
    mixed = preview(world, xlsx([row(1, phone="", edu="硕士", migrant="否"), row(2, phone="13912345678")]))
    assert (mixed.update_rows, mixed.unchanged_rows) == (2, 0)
    assert [(p["row"], p["kind"], p["changes"]) for p in mixed.preview] == [
        (2, "update", ["学历", "是否农民工"]),
        (3, "update", ["手机号"]),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=mixed, actor=world.staff_a)
    one = Member.objects.get(pk=before.pk)
    assert (one.phone_masked, one.phone_hash, one.phone_enc, one.education, one.is_migrant) == (
        before.phone_masked,
        before.phone_hash,
        before.phone_enc,
        "master",
        False,
    )
    assert crypto.decrypt(one.phone_enc) == person(1)["phone"]
    two = Member.objects.get(id_last4=person(2)["id_number"][-4:])
    assert two.phone_masked == "139****5678"
    # a new member with the column left blank is not a migrant worker
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=preview(world, xlsx([row(3, migrant="")])), actor=world.staff_a)
    assert Member.objects.get(id_last4=person(3)["id_number"][-4:]).is_migrant is False


def test_member_of_another_union_is_an_error(world):
    make_member(world, org=world.union_b, i=1, actor=world.staff_b)
    imp = preview(world, xlsx([row(1)]))
    assert imp.errors == [
        {"row": 2, "column": "身份证号", "reason": "该身份证号已在其他工会登记为会员，请通过转会办理。"}
    ]


def test_a_former_member_or_turned_down_applicant_is_not_imported(world):
    gone = make_member(world, org=world.union_b, i=1, actor=world.staff_b)
    services.member_withdraw(member=gone, actor=world.staff_b, reason="本人申请")
    applicant = services.member_apply(org=world.union_a, data=person(2), consent=True)
    services.member_reject(member=applicant, actor=world.chair_a, reason="不是本单位职工")
    imp = preview(world, xlsx([row(1), row(2)]))
    assert imp.errors == [
        {
            "row": 2,
            "column": "身份证号",
            "reason": "该身份证号的会籍状态为“已退会”，不能通过导入入会或修改；重新入会请由本人提交入会申请。",
        },
        {
            "row": 3,
            "column": "身份证号",
            "reason": "该身份证号的会籍状态为“未获批准”，不能通过导入入会或修改；重新入会请由本人提交入会申请。",
        },
    ]


def test_csv_in_gbk_with_header_variants_and_excel_serial_dates(world):
    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(["序号", "姓名", "公民身份号码", "联系电话", "入会时间", "文化程度"])
    p = person(1)
    w.writerow(["1", p["name"], p["id_number"], p["phone"], "2023年5月6日", "大学本科"])
    imp = preview(world, text.getvalue().encode("gb18030"), "名单.csv")
    assert (imp.new_rows, imp.error_rows) == (1, 0)
    data = xlsx([row(2, joined=45292)])  # 2024-01-01 as an Excel serial number
    table = importing.read_table(data, "x.xlsx")
    seen = []

    class Capture:
        def write(self, new, updates):
            seen.extend(new)

    res = importing.check_rows(table, org=world.union_a, today=date(2026, 11, 25), writer=Capture())
    assert res.new == 1 and seen[0]["joined_on"] == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"hello", "x.xlsx", "无法读取该文件：它不是有效的Excel文件（.xlsx）。"),
        (b"%PDF-1.4", "x.pdf", "只能导入Excel（.xlsx、.xls）或CSV文件。"),
        (b"", "x.csv", "上传的文件是空的。"),
        ("姓名,手机号\n张三,13800138000\n".encode(), "x.csv", "缺少必需的列：身份证号。请使用下载的模板。"),
        (
            "姓名,身份证号,工资\n".encode(),
            "x.csv",
            "无法识别的列：工资。可用的列标题见模板；不需要的列请删除。",
        ),
        ("姓名,身份证号\n".encode(), "x.csv", "表格只有表头，没有会员数据。"),
        (b"a,b\n1,2\n", "x.csv", "没有找到表头。第一行应为列标题，例如“姓名”“身份证号”。请使用下载的模板。"),
        (b",,\n,,\n", "x.csv", "工作表是空的，没有任何数据。"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(world, data, name, message):
    with pytest.raises(ValidationError) as e:
        preview(world, data, name)
    assert e.value.message_dict == {"file": [message]}
    assert MemberImport.objects.count() == 0


def test_the_notes_sheet_moved_first_is_named_in_the_message(world):
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.add_worksheet("填写说明").write_string(0, 0, "1. 第一行是列标题，请勿修改。")
    wb.add_worksheet("会员").write_row(0, 0, HEAD)
    wb.close()
    with pytest.raises(ValidationError) as e:
        preview(world, out.getvalue())
    assert e.value.message_dict["file"] == [
        "只读取第一个工作表“填写说明”，其中没有找到表头。如果会员名单在其他工作表（如“会员”），请把它移到最前面。"
    ]
    out = io.BytesIO()  # Sheet1, Sheet2: no header on any sheet is the usual message
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.add_worksheet().write_row(0, 0, ["甲", "乙"])
    wb.add_worksheet().write_row(0, 0, ["丙"])
    wb.close()
    with pytest.raises(ValidationError) as e:
        preview(world, out.getvalue())
    assert e.value.message_dict["file"] == [
        "没有找到表头。第一行应为列标题，例如“姓名”“身份证号”。请使用下载的模板。"
    ]


def test_formulas_merged_headers_and_numeric_ids_refused(world):
    with pytest.raises(ValidationError) as e:
        preview(world, xlsx([row(1)], formula=True))
    assert e.value.message_dict["file"] == [
        "文件中含有公式（第一处在A3单元格）。请在Excel中把数据“选择性粘贴为数值”后再上传。"
    ]
    with pytest.raises(ValidationError) as e:
        preview(world, xlsx([row(1)], merge=True))
    assert e.value.message_dict["file"] == [
        "表头中有合并单元格，请取消合并，每列只保留一个标题。请使用下载的模板。"
    ]
    imp = preview(world, xlsx([row(1, id=float(person(1)["id_number"][:17] + "1"))]))
    assert imp.errors[0]["reason"] == "身份证号被存成了数字，后几位已丢失。请把该列设为“文本”格式后重新填写。"


def test_too_many_rows_refused(world, settings):
    settings.GONGHUI_MEMBERS = {"import_max_rows": 3}
    with pytest.raises(ValidationError) as e:
        preview(world, xlsx([row(i) for i in range(1, 6)]))
    assert e.value.message_dict["file"] == ["文件有5行，超过一次最多导入3行的限制，请拆分后分批导入。"]


def test_error_report_holds_every_row_bad_ones_first_and_can_be_uploaded_again(world, client):
    # Row 4's phone starts with "+": it must come back as it was, not escaped with a quote.
    imp = preview(world, xlsx([row(1), row(2, name=""), row(3, phone="+86" + person(3)["phone"])]))
    client.force_login(world.staff_a)
    r = client.get(reverse("members:import_errors", args=[imp.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "原行号" and rows[0][-1] == "错误原因"
    # The bad row first with its reason, then the good rows in file order (nothing was imported).
    assert [(r[0], r[-1]) for r in rows[1:]] == [(3, "姓名：姓名不能为空。"), (2, ""), (4, "")]
    # The ID numbers being corrected are readable without widening their column.
    import openpyxl
    from openpyxl.utils import get_column_letter

    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    width = sheet.column_dimensions[get_column_letter(rows[0].index("身份证号码") + 1)].width
    assert width >= 22

    # Corrected in the report and uploaded as it is: its two added columns are ignored.
    fixed = [list(r) for r in rows]
    fixed[1][1 + rows[0][1:].index("姓名")] = "改好了"
    again = preview(world, xlsx(fixed[1:], headers=fixed[0]))
    assert (again.error_rows, again.new_rows) == (0, 3)


def test_error_report_only_for_the_uploader_or_who_may_reveal_and_audited(world, client):
    # The report repeats the rows as uploaded, ID numbers unmasked.
    imp = preview(world, xlsx([row(1), row(2, name="")]))
    url = reverse("members:import_errors", args=[imp.pk])
    other_staff = make_user("staff_a2", Role.UNION_STAFF, world.union_a)
    client.force_login(other_staff)
    assert client.get(url).status_code == 403
    page = client.get(reverse("members:import_detail", args=[imp.pk])).content.decode()
    assert url not in page and "错误报告含完整身份证号，请由上传人甲干事下载、改正后重新上传。" in page
    assert not AuditEvent.objects.filter(action="members.import_error_report").exists()
    for user in (world.staff_a, world.chair_a):
        client.force_login(user)
        assert client.get(url).status_code == 200
    events = AuditEvent.objects.filter(action="members.import_error_report").order_by("id")
    assert [(e.actor_id, e.details["rows"]) for e in events] == [(world.staff_a.pk, 1), (world.chair_a.pk, 1)]


def test_export_is_masked_escaped_and_scoped(world, client):
    make_member(world, i=1, name="张三", department="=HYPERLINK(1)")
    make_member(world, org=world.union_b, i=2, name="李四", actor=world.staff_b)
    client.force_login(world.staff_a)
    r = client.get(reverse("members:export") + "?format=csv")
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["姓名", "性别", "出生年份", "身份证号"]
    assert len(rows) == 2
    idn = person(1)["id_number"]
    assert rows[1][2] == idn[6:10]  # the birth year only
    assert rows[1][3] == idn[:6] + "********" + idn[-4:]
    assert idn not in text
    assert rows[1][9] == "'=HYPERLINK(1)"
    r = client.get(reverse("members:export") + "?format=xlsx")
    data = b"".join(r.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[1][0] == "张三" and sheet[1][3].endswith(idn[-4:]) and "*" in sheet[1][3]
    # the birth year a number and the joining date a date, to sort and filter in Excel
    joined = sheet[0].index("入会日期")
    assert (sheet[1][2], sheet[1][joined]) == (float(idn[6:10]), Member.objects.get(name="张三").joined_on)
    # In the workbook the text is kept as typed, a text cell with Excel's quote prefix: Excel shows
    # no apostrophe and keeps it text when the cell is edited.
    assert sheet[1][9] == "=HYPERLINK(1)"
    import openpyxl

    cells = openpyxl.load_workbook(io.BytesIO(data)).active
    assert (cells["J2"].data_type, cells["J2"].quotePrefix, cells["I2"].quotePrefix) == ("s", True, False)
    assert AuditEvent.objects.filter(action="members.export").count() == 2


def test_an_export_is_in_chinese_whatever_the_users_language(world, client):
    from members.tests.factories import make_member

    make_member(world, i=1, education="master")
    client.force_login(world.staff_a)
    client.cookies["django_language"] = "en"
    body = b"".join(client.get(reverse("members:export") + "?format=csv").streaming_content).decode(
        "utf-8-sig"
    )
    header, first = body.splitlines()[:2]
    assert header.startswith("姓名,性别,出生年份,身份证号")
    assert "硕士" in first and "在籍" in first and "Master" not in first


def test_a_text_registered_with_folded_punctuation_is_no_change(world):
    """Texts registered before Chinese punctuation was kept hold it as ASCII: the same text written
    with full-width brackets in a sheet changes nothing."""
    m = make_member(world, i=3)
    Member.objects.filter(pk=m.pk).update(department="一车间(东区)")
    sheet = xlsx([[m.name, person(3)["id_number"], "一车间（东区）"]], headers=["姓名", "身份证号", "部门"])
    imp = preview(world, sheet)
    assert (imp.new_rows, imp.update_rows, imp.unchanged_rows) == (0, 0, 1)
    other = xlsx([[m.name, person(3)["id_number"], "二车间（东区）"]], headers=["姓名", "身份证号", "部门"])
    assert preview(world, other).update_rows == 1


def test_a_sheet_cannot_move_a_joining_date_past_a_later_membership_change(world):
    from datetime import date

    m = make_member(world, i=4, joined_on=date(2023, 6, 7))
    m.events.update(on=date(2023, 6, 7))
    services.member_retain(member=m, actor=world.staff_a, reason="退休", on=date(2024, 2, 1))
    imp = preview(world, xlsx([row(4, joined="2024-03-01", name=m.name)]))
    assert imp.error_rows == 1
    assert imp.errors == [
        {"row": 2, "column": "入会日期", "reason": "入会日期不能晚于此后的会籍变动（2024-02-01 保留会籍）。"}
    ]
    assert preview(world, xlsx([row(4, joined="2023-06-01", name=m.name)])).update_rows == 1


def test_the_preview_shows_names_as_they_will_be_stored(world):
    wrong_sex = "女" if int(person(2)["id_number"][16]) % 2 else "男"
    imp = preview(world, xlsx([row(1, name="钱 测二"), row(2, sex=wrong_sex)]))
    rows = imp.preview
    assert rows[0]["name"] == "钱测二"
    assert rows[1]["errors"] == ["性别：性别与身份证号不一致。"]


def test_the_preview_says_which_columns_were_read_ignored_and_missing(world, client):
    headers = ["序号", *HEAD[:3], "出生日期", " 备注 ", "原行号"]
    imp = preview(world, xlsx([[1, *row(1)[:3], "1985-03-07", "", ""]], headers))
    assert imp.columns == {
        "read": ["姓名", "身份证号", "手机号"],
        "ignored": [
            {"header": "序号", "derived": False},
            {"header": "出生日期", "derived": True},
            {"header": "备注", "derived": False},
        ],  # the error report's own row number column, when the report comes back, goes unmentioned
        "absent": [
            "民族",
            "学历",
            "政治面貌",
            "工作单位",
            "部门",
            "岗位",
            "入会日期",
            "会员编号",
            "是否农民工",
            "户籍所在地",
        ],
        "numbered": True,
        "joined_today": True,
    }
    client.force_login(world.staff_a)
    page = client.get(reverse("members:import_detail", args=[imp.pk])).content.decode()
    assert "<dt>不导入的列</dt><dd>序号、出生日期（由身份证号推算）、备注</dd>" in page
    assert "<dt>读取的列</dt><dd>姓名、身份证号、手机号</dd>" in page
    assert "已登记会员的这些信息保持不变。会员编号自动编排。入会日期记为导入当天。</span>" in page
    # a file with joining dates: only the numbering is said
    dated = preview(world, xlsx([row(2)]))
    assert (dated.columns["numbered"], dated.columns["joined_today"]) == (True, False)
    page = client.get(reverse("members:import_detail", args=[dated.pk])).content.decode()
    assert "已登记会员的这些信息保持不变。会员编号自动编排。</span>" in page


def test_the_preview_is_there_whenever_the_import_is_opened_until_it_is_imported(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=preview(world, xlsx([row(1)])), actor=world.staff_a)
    imp = preview(world, xlsx([row(1, edu="硕士"), row(2)]))
    client = Client()
    client.force_login(world.chair_a)  # not the uploader, in a later session: the rows are stored
    url = reverse("members:import_detail", args=[imp.pk])
    page = client.get(url).content.decode()
    assert "逐行预览（前50行）" in page
    assert person(2)["name"] in page and '<span class="small">学历</span>' in page
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=imp, actor=world.staff_a)
    imp.refresh_from_db()
    assert imp.preview == []  # gone with the sheet: names of people who may never have joined
    assert "逐行预览" not in client.get(url).content.decode()


def test_confirming_a_preview_another_import_overtook_says_what_it_did(
    world, django_capture_on_commit_callbacks
):
    data = xlsx([row(1), row(2, edu="硕士")])
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=preview(world, xlsx([row(1), row(2)])), actor=world.staff_a)
    first, second = preview(world, data), preview(world, data)
    assert (first.update_rows, second.update_rows) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=first, actor=world.staff_a)
        services.import_confirm(imp=second, actor=world.staff_a)
    second.refresh_from_db()
    assert (second.status, second.new_rows, second.update_rows, second.unchanged_rows) == ("done", 0, 0, 2)
    assert second.message == (
        "预览之后名册有了变化：预览时为新增0人、更新1人；其余的行导入时已与名册相同，未再改动。"
    )


def test_a_row_registered_by_another_import_after_the_preview_is_named_so(
    world, django_capture_on_commit_callbacks
):
    data = xlsx([row(1)])
    first = preview(world, data)
    second = preview(world, xlsx([row(1, edu="硕士")]))
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(imp=first, actor=world.staff_a)
        services.import_confirm(imp=second, actor=world.staff_a)
    second.refresh_from_db()
    assert second.errors == [
        {
            "row": 2,
            "column": "身份证号",
            "reason": "预览之后该身份证号已登记为会员（另一次导入或录入），请重新上传文件检查。",
        }
    ]


def test_an_id_number_excel_saved_as_a_number_in_a_csv_gets_the_same_message(world):
    p = person(1)
    text = f"姓名,身份证号,手机号\n{p['name']},3.30102E+17,{p['phone']}\n"
    imp = preview(world, text.encode(), "名单.csv")
    assert imp.errors == [
        {
            "row": 2,
            "column": "身份证号",
            "reason": "身份证号被存成了数字，后几位已丢失。请把该列设为“文本”格式后重新填写。",
        }
    ]
