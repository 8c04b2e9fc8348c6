"""The issue's "Done when" journey for the member registry, driven through Chromium as a union chair,
the receiving union's staff and a member on a phone."""

import io
import re
from pathlib import Path

import pytest
import xlsxwriter
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from core.testing.qr import read_qr
from core.validators import id_check_char
from members.models import Member
from members.tests.factories import person

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp")  # noqa: S108 - screenshots to look at


def sheet_rows(path_or_bytes) -> list[list]:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def write_xlsx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("会员")
    ws.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
    wb.close()
    return path


def people_rows(header: list[str], n: int) -> list[list[str]]:
    out = []
    for i in range(1, n + 1):
        p = person(200 + i)
        values = {
            "姓名": "张三" if i == 1 else p["name"],
            "身份证号": p["id_number"],
            "手机号": p["phone"],
            "工作单位": "甲公司",
            "部门": "一车间",
            "岗位": "操作工",
            "入会日期": "2024-03-01",
            "是否农民工": "否",
            "民族": "汉族",
            "学历": "本科",
            "政治面貌": "群众",
        }
        out.append([values.get(h, "") for h in header])
    return out


def test_registry_journey(new_page, live_world, login, tmp_path):
    w = live_world
    page = new_page()
    login(page, "chair_a")
    page.locator("nav.sidebar").get_by_role("link", name="会员名册").click()
    expect(page.get_by_role("heading", name="会员名册")).to_be_visible()

    # 1. The template, with Chinese headers.
    page.get_by_role("button", name="批量导入").click()
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载导入模板").click()
    template = tmp_path / "template.xlsx"
    dl.value.save_as(template)
    header = sheet_rows(template)[0]
    assert header[:3] == ["姓名", "身份证号", "手机号"]

    # 2. A file with three planted bad rows.
    rows = people_rows(header, 10)
    good_rows = [list(r) for r in rows]
    idn = rows[3][1]
    rows[3][1] = idn[:17] + ("1" if id_check_char(idn[:17]) != "1" else "2")  # sheet row 5: check digit
    rows[5][2] = "1380013800"  # sheet row 7: a 10-digit phone
    rows[8][1] = rows[6][1]  # sheet row 10: the same ID number as row 8
    bad = write_xlsx(tmp_path / "会员名单.xlsx", header, rows)
    page.get_by_label("导入到").select_option(label="甲公司工会")
    page.get_by_label("Excel或CSV文件").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_role("heading", name="导入检查结果")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("有 3 行存在错误")
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(3)
    expect(errors.nth(0)).to_contain_text("第 5 行")
    expect(errors.nth(0)).to_contain_text("身份证号校验位不正确")
    expect(errors.nth(1)).to_contain_text("第 7 行")
    expect(errors.nth(1)).to_contain_text("手机号应为以1开头的11位数字")
    expect(errors.nth(2)).to_contain_text("第 10 行")
    expect(errors.nth(2)).to_contain_text("与第8行的身份证号重复")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "members-import-errors.png"), full_page=True)
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载错误报告（Excel）").click()
    report = sheet_rows(dl.value.path().read_bytes())
    # Every row, the three bad ones first with their reasons (the report can be fixed and re-uploaded).
    assert [r[0] for r in report[1:4]] == [5, 7, 10] and len(report) == 1 + 10
    assert (
        report[0][-1] == "错误原因" and all(r[-1] for r in report[1:4]) and not any(r[-1] for r in report[4:])
    )
    assert Member.objects.count() == 0

    # 3. Fixed and imported again: all ten, through the background task with its progress bar.
    rows[3][1] = good_rows[3][1]
    rows[5][2] = good_rows[5][2]
    rows[8][1] = good_rows[8][1]
    fixed = write_xlsx(tmp_path / "会员名单-已改.xlsx", header, rows)
    page.locator(".breadcrumbs").get_by_role("link", name="批量导入").click()
    page.get_by_label("导入到").select_option(label="甲公司工会")
    page.get_by_label("Excel或CSV文件").set_input_files(str(fixed))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role(
        "button", name="确认导入（新增 10 人，更新 0 人）"
    ).dblclick()  # an impatient double click
    expect(page.locator(".progress-box[data-status=done]")).to_be_visible()
    expect(page.locator(".progress-box")).to_have_count(1)
    expect(page.locator("#import-action .topbar")).to_have_count(0)  # no page inside the box
    expect(page.locator(".progress-box")).to_contain_text("新增10人")
    expect(page.get_by_role("button", name="确认导入（新增 10 人，更新 0 人）")).to_have_count(0)  # once only
    assert Member.objects.filter(org=w.union_a, status="active").count() == 10
    page.locator(".progress-box").get_by_role("link", name="查看结果").click()
    expect(page.get_by_role("heading", name="导入结果")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("导入完成：新增 10 人，更新 0 人。")
    expect(page.locator(".progress-box")).to_have_count(0)  # the result says it, in the reader's language

    # 4. Find 张三 by typing zs.
    page.locator("nav.sidebar").get_by_role("link", name="会员名册").click()
    page.get_by_label("搜索").fill("zs")
    expect(page.locator("#member-results").get_by_role("link", name="张三", exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "members-list.png"), full_page=True)

    # 5. Export the list: ID numbers masked. (Reload first: the test server shares one SQLite
    # connection between threads, so no search request may still be in flight.)
    page.reload()
    page.wait_for_load_state("networkidle")
    with page.expect_download() as dl:
        page.locator("#member-results").get_by_role("link", name="Excel").click()
    exported = sheet_rows(dl.value.path().read_bytes())
    assert exported[0][3] == "身份证号"
    assert exported[1][3].count("*") == 8
    assert all(r[3][6:14] == "********" for r in exported[1:])

    # 6. Transfer 张三 to union B.
    page.locator("#member-results").get_by_role("link", name="张三", exact=True).click()
    expect(page.get_by_role("heading", name="张三")).to_be_visible()
    page.get_by_text("转会", exact=True).click()
    page.get_by_label("转入工会").select_option(label="乙公司工会")
    page.get_by_label("新工作单位").fill("乙公司")
    page.get_by_label("原因").last.fill("调入乙公司工作")
    page.get_by_role("button", name="提交转会申请").click()
    expect(page.get_by_text("已提交转会申请，等待 乙公司工会 接收。")).to_be_visible()
    page.screenshot(path=str(SHOTS / "members-detail.png"), full_page=True)

    other = new_page()
    login(other, "staff_b")
    # the receiving union hears of it in the bell, which leads to the transfers page
    other.get_by_role("link", name="通知").click()
    asked = other.get_by_role("row", name="甲公司工会申请将会员张三转入本会，请接收或拒绝。")
    asked.get_by_role("button", name="查看").click()
    expect(other.get_by_role("heading", name="转会")).to_be_visible()
    other.get_by_role("row", name="张三").get_by_role("button", name="接收").click()
    expect(other.get_by_text("已接收 张三 转入本会。")).to_be_visible()
    expect(other.get_by_role("row", name=re.compile("张三.*已接收"))).to_be_visible()  # 最近处理
    other.goto("/members/?q=zs")
    other.locator("#member-results").get_by_role("link", name="张三", exact=True).click()
    timeline = other.locator("ol.timeline")
    expect(timeline.get_by_text("转出", exact=True)).to_have_count(1)  # the event in A
    expect(timeline.get_by_text("转入", exact=True)).to_have_count(1)  # and the one in B
    expect(timeline).to_contain_text("甲公司工会 → 乙公司工会")

    # The sending union keeps the history too.
    page.locator("nav.sidebar").get_by_role("link", name="会员名册").click()
    page.get_by_role("button", name="会籍变动").click()
    expect(page.get_by_role("row", name="张三").filter(has_text="转会").first).to_contain_text(
        "甲公司工会 → 乙公司工会"
    )
    page.screenshot(path=str(SHOTS / "members-events.png"), full_page=True)

    # 7. A member opens their card on a phone.
    zhang = Member.objects.get(name="张三")
    Member.objects.filter(pk=zhang.pk).update(user=w.member_a)
    phone = new_page(phone=True)
    login(phone, "member_a")
    phone.goto("/members/me/")
    card = phone.locator(".member-card")
    expect(card).to_contain_text("张三")
    expect(card).to_contain_text(zhang.card_no)
    expect(card.locator("svg")).to_be_visible()
    box = card.bounding_box()
    assert box["width"] <= 390
    # The whole code is on screen and a phone's camera reads the card's check page from it.
    from members.views import card_token

    check = f"/members/card/{zhang.pk}/{card_token(zhang)}/"
    (scanned,) = read_qr(card.locator(".card-qr").screenshot())
    assert scanned.endswith(check), scanned
    phone.goto(scanned)
    expect(phone.get_by_text("有效会员")).to_be_visible()
    phone.screenshot(path=str(SHOTS / "members-card-phone.png"), full_page=True)
    # A correction typed wrong comes back at its form, the reason in view (not two screens down).
    phone.goto("/members/me/data/")
    phone.get_by_label("需要更正的信息").select_option(label="手机号")
    phone.get_by_label("正确内容").fill("1398765432")
    phone.get_by_role("button", name="提交更正申请").click()
    expect(phone.get_by_text("手机号应为以1开头的11位数字。")).to_be_in_viewport()


def test_stats_and_application_pages(new_page, live_world, login):
    from members import services
    from members.tests.factories import make_member

    w = live_world
    for i in range(1, 6):
        make_member(w, i=300 + i)
    page = new_page()
    login(page, "chair_a")
    page.goto(f"/members/stats/?org={w.union_a.pk}")
    expect(page.get_by_role("heading", name="会员统计：甲公司工会")).to_be_visible()
    expect(page.locator("#chart-age canvas")).to_be_visible()
    page.screenshot(path=str(SHOTS / "members-stats.png"), full_page=True)

    page.goto("/members/applications/")
    page.get_by_role("link", name="甲公司工会").click()
    apply_url = page.locator("p.mono").inner_text().strip()
    assert read_qr(page.locator(".qr").screenshot()) == [apply_url]  # the poster's code, scanned
    phone = new_page(phone=True)
    phone.goto(apply_url)
    p = person(400)
    phone.get_by_label("姓名", exact=False).first.fill("王小明")
    # the language can be chosen here too, but not at the cost of what was typed
    asked = []
    phone.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    phone.select_option("select[name=language]", "en")
    assert asked == ["切换语言会重新打开本页，已填写但未提交的内容将丢失。确定切换吗？"]
    expect(phone.locator("select[name=language]")).to_have_value("zh-hans")
    expect(phone.get_by_label("姓名", exact=False).first).to_have_value("王小明")
    phone.get_by_role("textbox", name="身份证号").fill(p["id_number"])
    phone.get_by_role("textbox", name="手机号").fill(p["phone"])
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.get_by_text("请阅读上面的个人信息说明，勾选同意后再提交。")).to_be_visible()
    phone.get_by_label("我已阅读并同意").check()
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.get_by_text("王小明，您的入会申请已提交")).to_be_visible()
    phone.screenshot(path=str(SHOTS / "members-apply-phone.png"), full_page=True)

    page.goto("/members/applications/")
    page.get_by_role("row", name="王小明").get_by_role("button", name="批准入会").click()
    expect(page.get_by_text("已办理：批准入会。")).to_be_visible()
    assert Member.objects.get(name="王小明").member_no != ""
    _ = services


def test_editing_a_member_keeps_the_dates_it_was_not_asked_to_change(new_page, live_world, login):
    # A Chinese date format in a date picker showed nothing, and saving erased the joining date.
    from datetime import date

    from members.tests.factories import make_member

    m = make_member(live_world, i=500, joined_on=date(2023, 6, 7))
    page = new_page()
    login(page, "staff_a")
    page.goto(f"/members/{m.pk}/edit/")
    expect(page.get_by_label("入会日期")).to_have_value("2023-06-07")
    page.get_by_label("部门").fill("总装车间")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    m.refresh_from_db()
    assert (m.department, m.joined_on) == ("总装车间", date(2023, 6, 7))


def test_a_chair_reveals_an_id_number_once_and_it_is_audited(new_page, live_world, login):
    from audit.models import AuditEvent
    from members.tests.factories import make_member

    m = make_member(live_world, i=501)
    page = new_page()
    login(page, "chair_a")
    page.goto(f"/members/{m.pk}/")
    expect(page.get_by_text(m.id_number_masked)).to_be_visible()
    page.get_by_role("button", name="查看完整号码").first.click()
    expect(page.get_by_text(person(501)["id_number"], exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="查看完整号码")).to_have_count(1)  # the phone's is left
    assert AuditEvent.objects.filter(action="sensitive.reveal").count() == 1


def test_a_chair_deletes_former_members_personal_data(new_page, live_world, login):
    # PIPL art. 47: the list of records past the retention period, and one deletion asked for early.
    from datetime import timedelta

    from members import services
    from members.models import MemberEvent
    from members.tests.factories import make_member

    w = live_world
    long_ago = services.member_withdraw(member=make_member(w, i=510), actor=w.staff_a, reason="本人申请")
    MemberEvent.objects.filter(member=long_ago).update(on=services.today() - timedelta(days=4 * 366))
    recent = services.member_withdraw(member=make_member(w, i=511), actor=w.staff_a, reason="本人申请")
    page = new_page()
    login(page, "chair_a")
    page.goto("/members/")
    page.get_by_role("button", name="到期删除个人信息").click()
    expect(page.get_by_role("heading", name="到期删除个人信息")).to_be_visible()
    expect(page.get_by_role("link", name=long_ago.name)).to_be_visible()
    expect(page.get_by_role("link", name=recent.name)).to_have_count(0)  # left a moment ago
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    expect(page.get_by_role("checkbox", name=f"删除{long_ago.name}的个人信息")).to_be_checked()
    page.get_by_role("button", name="删除所勾选人员的个人信息").click()
    expect(page.get_by_text("已删除1人的个人信息。")).to_be_visible()
    assert asked == ["确定删除所勾选人员的个人信息？删除后无法恢复。"]
    expect(page.get_by_text("没有到期应删除个人信息的人员。")).to_be_visible()
    page.goto(f"/members/{long_ago.pk}/")
    expect(page.locator("#id-number")).to_have_text("已删除")
    expect(page.get_by_role("button", name="查看完整号码")).to_have_count(0)

    # The other asked for their data to be deleted at once.
    page.goto(f"/members/{recent.pk}/")
    page.get_by_text("删除个人信息", exact=True).first.click()
    page.get_by_label("原因").fill("本人要求删除")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="删除个人信息").click()
    expect(page.get_by_text(f"已删除{recent.name}的个人信息。")).to_be_visible()
    expect(page.locator("#id-number")).to_have_text("已删除")
    page.screenshot(path=SHOTS / "member_erased.png", full_page=True)
    recent.refresh_from_db()
    assert recent.erased_at is not None and recent.id_number_enc == ""
