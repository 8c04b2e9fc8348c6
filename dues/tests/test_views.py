from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dues import services
from dues.models import DuesLine, DuesPayment, DuesPolicy, DuesRun, FundsPayment, PayrollBatch, WageBase
from members.models import Member

from .factories import make_member

OCT = date(2026, 10, 1)


@pytest.fixture
def union_a_dues(world):
    members = [make_member(world.union_a, f"会员{i:02d}", member_no=f"A{i:03d}") for i in range(30)]
    for m in members[:25]:
        services.wage_set(member=m, month=OCT, wage="4321", actor=world.finance_a)
    run = services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    services.dues_payment_record(
        line=DuesLine.objects.filter(run=run, kind="charged").first(), actor=world.finance_a
    )
    services.funds_assess(org=world.union_a, month=OCT, payroll_total="100000", actor=world.finance_a)
    return run


@pytest.mark.parametrize(
    "name",
    ["dues:home", "dues:union", "dues:run", "dues:arrears", "dues:wages", "dues:ledger"],
)
def test_pages_render_in_bounded_queries(client, world, union_a_dues, django_assert_max_num_queries, name):
    client.force_login(world.finance_a)
    arg = {"dues:home": None, "dues:run": union_a_dues.pk}.get(name, world.union_a.pk)
    url = reverse(name, args=[arg] if arg else [])
    # the statement also counts what changed since it was computed (wages, membership events)
    with django_assert_max_num_queries(14 if name == "dues:run" else 12):
        r = client.get(url)
    assert r.status_code == 200
    assert "甲公司工会" in r.content.decode()


def test_run_page_shows_lines_and_print_version(client, world, union_a_dues):
    client.force_login(world.finance_a)
    body = client.get(reverse("dues:run", args=[union_a_dues.pk])).content.decode()
    assert "登记工资代扣（未缴 24 人）" in body
    assert body.count('name="amount"') == 24
    assert "缺工资基数" in body
    printed = client.get(reverse("dues:run", args=[union_a_dues.pk]) + "?print=1").content.decode()
    assert "会费缴纳明细表" in printed
    assert "data-print" in printed
    assert "540.00" in printed  # 25 × 21.60
    staff = client.get(reverse("dues:run", args=[union_a_dues.pk]))
    assert staff.status_code == 200


def test_staff_sees_but_cannot_record(client, world, union_a_dues):
    client.force_login(world.staff_a)
    body = client.get(reverse("dues:run", args=[union_a_dues.pk])).content.decode()
    assert 'name="amount"' not in body
    assert "登记工资代扣" not in body


def test_batch_and_payment_through_views(client, world, union_a_dues):
    client.force_login(world.chair_a)
    line = DuesLine.objects.filter(run=union_a_dues, kind="charged", paid=0).first()
    r = client.post(
        reverse("dues:pay", args=[line.pk]), {"method": "cash", "amount": "1.60", "next": "receipt"}
    )
    payment = DuesPayment.objects.get(line=line)
    assert r["Location"] == reverse("dues:receipt", args=[payment.pk])
    receipt = client.get(r["Location"]).content.decode()
    assert "工会会费收据" in receipt and payment.receipt_no in receipt and "1.60" in receipt
    assert "壹元陆角整" in receipt
    r = client.post(reverse("dues:batch", args=[union_a_dues.pk]), {"paid_on": "2026-11-05"})
    assert r.status_code == 302
    run = DuesRun.objects.get(pk=union_a_dues.pk)
    assert run.paid_amount == run.total_amount == Decimal("540.00")
    r = client.post(reverse("dues:batch", args=[union_a_dues.pk]), {}, follow=True)
    assert "已全部缴清" in r.content.decode()


def test_batch_leaving_out_members_through_the_view(client, world, union_a_dues):
    client.force_login(world.finance_a)
    url = reverse("dues:batch", args=[union_a_dues.pk])
    # a typo: refused, nothing recorded, and the form comes back with the reason and what was typed
    r = client.post(url, {"paid_on": "2026-11-05", "skip": "A005，A0O6"})
    run_url = reverse("dues:run", args=[union_a_dues.pk])
    assert r["Location"] == run_url + "#batch"  # the names stay out of the address
    r = client.get(r["Location"])
    assert r.context["batch_errors"] == ["本月会费明细中没有会员编号或姓名为“A0O6”的应缴会员。"]
    assert list(r.context["messages"]) == []
    body = r.content.decode()
    assert "<li>本月会费明细中没有会员编号或姓名为“A0O6”的应缴会员。</li>" in body
    assert ">\nA005，A0O6</textarea>" in body
    assert client.get(run_url).context["batch_errors"] == []  # shown once
    assert not PayrollBatch.objects.exists()
    r = client.post(url, {"paid_on": "2026-11-05", "skip": "A005，A006"}, follow=True)
    assert [str(m) for m in r.context["messages"]] == ["已登记工资代扣：22人，合计475.20元。 仍有2人未缴。"]
    assert set(
        DuesLine.objects.filter(run=union_a_dues, kind="charged", paid=0).values_list(
            "member__member_no", flat=True
        )
    ) == {"A005", "A006"}


def test_run_page_finds_a_member_and_a_refused_payment_names_them(client, world, union_a_dues):
    client.force_login(world.finance_a)
    url = reverse("dues:run", args=[union_a_dues.pk])
    r = client.get(url, {"q": "会员07"})
    lines = list(r.context["lines"])
    assert [line.member.name for line in lines] == ["会员07"]
    body = r.content.decode()
    # the amount due is filled in (what is sent), with today's date, both to correct if need be
    assert 'value="21.60"' in body and f'name="paid_on" value="{timezone.localdate().isoformat()}"' in body
    assert client.get(url, {"q": "zzz"}).content.decode().count("本月明细中没有与“zzz”匹配的会员。") == 1
    line = lines[0]
    r = client.post(
        reverse("dues:pay", args=[line.pk]), {"method": "cash", "amount": "99", "q": "会员07", "page": "1"}
    )
    assert r["Location"] == url + "?q=%E4%BC%9A%E5%91%9807&page=1"
    r = client.get(r["Location"])
    assert [str(m) for m in r.context["messages"]] == [f"{line.member.name}：金额超过未缴的21.60元。"]
    assert not DuesPayment.objects.filter(line=line).exists()
    r = client.post(reverse("dues:pay", args=[line.pk]), {"method": "cash", "amount": "0"}, follow=True)
    assert [str(m) for m in r.context["messages"]] == [f"{line.member.name}：金额（元）：不能小于0.01。"]
    assert not DuesPayment.objects.filter(line=line).exists()
    r = client.post(
        reverse("dues:pay", args=[line.pk]),
        {"method": "transfer", "amount": "21.60", "paid_on": "2026-11-02"},
    )
    p = DuesPayment.objects.get(line=line)
    assert (p.amount, p.method, p.paid_on) == (Decimal("21.60"), "transfer", date(2026, 11, 2))


def test_a_paid_statement_charges_members_whose_wage_base_came_later(client, world, union_a_dues):
    client.force_login(world.finance_a)
    url = reverse("dues:run", args=[union_a_dues.pk])
    body = client.get(url).content.decode()
    assert "补计会费" in body and "已计费的明细和缴费不变" in body
    late = DuesLine.objects.filter(run=union_a_dues, kind="missing").first().member
    services.wage_set(member=late, month=OCT, wage="4321", actor=world.finance_a)
    r = client.post(reverse("dues:run_create", args=[world.union_a.pk]), {"month": "2026-10"}, follow=True)
    assert r.redirect_chain[-1][0] == url
    line = DuesLine.objects.get(run=union_a_dues, member=late)
    assert (line.kind, line.amount) == ("charged", Decimal("21.60"))
    run = DuesRun.objects.get(pk=union_a_dues.pk)
    assert (run.charged_count, run.missing_count, run.paid_amount) == (26, 4, Decimal("21.60"))


def test_statement_search_by_a_whole_id_number_is_recorded(client, world, union_a_dues):
    from audit.models import AuditEvent
    from core import crypto

    client.force_login(world.finance_a)
    line = DuesLine.objects.filter(run=union_a_dues, kind="charged").select_related("member").first()
    idn = crypto.decrypt(line.member.id_number_enc)
    r = client.get(reverse("dues:run", args=[union_a_dues.pk]), {"q": idn})
    assert [x.member_id for x in r.context["lines"]] == [line.member_id]
    event = AuditEvent.objects.get(action="members.lookup")
    assert (event.target_id, event.details["field"]) == (str(line.member_id), "id_number")
    assert idn not in str(event.details)
    # and a payment dated before its month is refused, as a payroll batch's is
    r = client.post(
        reverse("dues:pay", args=[line.pk]), {"method": "cash", "paid_on": "2026-09-30"}, follow=True
    )
    assert f"{line.member.name}：缴费日期不能早于会费所属月份（2026年10月）。" in [
        str(m) for m in r.context["messages"]
    ]


def test_arrears_print_version_lists_everyone_its_totals_count(client, world, union_a_dues):
    client.force_login(world.finance_a)
    url = reverse("dues:arrears", args=[world.union_a.pk])
    screen = client.get(url)
    assert len(screen.context["items"]) == screen.context["count"] == 24
    printed = client.get(url, {"print": "1"})
    assert printed.context["page"] is None
    assert len(printed.context["items"]) == 24
    body = printed.content.decode()
    assert "合计 24 人" in body and "518.40" in body and "data-print" in body
    # one who has left since stays on the list, marked: what is owed stays on the union's books
    from members import services as members

    gone, moved = screen.context["items"][0].member, screen.context["items"][1].member
    members.member_withdraw(member=gone, actor=world.staff_a, reason="本人申请")
    members.transfer_accept(
        transfer=members.transfer_request(member=moved, to_org=world.union_b, actor=world.staff_a),
        actor=world.staff_b,
    )
    r = client.get(url, {"print": "1"})
    marks = {row.member.name: row.still_member for row in r.context["items"]}
    assert len(marks) == 24 and [name for name, still in marks.items() if not still] == [
        gone.name,
        moved.name,
    ]
    body = r.content.decode()
    assert f'{gone.name} <span class="badge"' in body and ">已退会</span>" in body
    assert f"已转至{world.union_b.name}</span>" in body


def test_wage_import_says_from_when_the_wages_count(client, world, union_a_dues):
    client.force_login(world.finance_a)
    url = reverse("dues:wage_import", args=[world.union_a.pk])
    sheet = "会员编号,工资\nA001,5000元\nA002,6000\n".encode()
    r = client.post(url, {"month": "2026-11", "file": SimpleUploadedFile("工资.csv", sheet)}, follow=True)
    assert [str(m) for m in r.context["messages"]] == [
        "工资表导入成功：2人的工资从2026年11月起按新填的金额计缴。"
    ]
    sheet = "会员编号,工资\nA001,5100\n".encode()
    r = client.post(url, {"month": "2026-11", "file": SimpleUploadedFile("工资.csv", sheet)}, follow=True)
    assert [str(m) for m in r.context["messages"]] == [
        "工资表导入成功：1人的工资从2026年11月起按新填的金额计缴。其中1人该月原已登记工资，已替换。"
    ]


def test_wage_import_errors_are_listed_and_nothing_saved(client, world, union_a_dues):
    client.force_login(world.finance_a)
    before = WageBase.objects.count()
    f = SimpleUploadedFile("工资.csv", "会员编号,工资\nA001,5000\nZ999,5000\nA002,-3\n".encode())
    r = client.post(reverse("dues:wage_import", args=[world.union_a.pk]), {"month": "2026-11", "file": f})
    body = r.content.decode()
    assert r.status_code == 200
    assert "工资表有 2 处问题，未导入任何数据" in body
    assert "第3行：本工会没有会员编号为“Z999”的在册会员。" in body
    assert "第4行：工资金额不能为负数。" in body
    assert WageBase.objects.count() == before


def test_policy_form_in_percent(client, world):
    client.force_login(world.fed_admin)
    r = client.post(
        reverse("dues:policy", args=[world.fed.pk]),
        {"rate_pct": "1", "base_step": "100", "levy_pct": "2", "share_pct": "70"},
    )
    assert r.status_code == 302
    p = DuesPolicy.objects.get(org=world.fed)
    assert (p.rate, p.base_step, p.levy_rate, p.grassroots_share) == (
        Decimal("0.0100"),
        100,
        Decimal("0.0200"),
        Decimal("0.7000"),
    )
    r = client.post(
        reverse("dues:policy", args=[world.fed.pk]),
        {"rate_pct": "50", "base_step": "10", "levy_pct": "2", "share_pct": "60"},
    )
    assert r.status_code == 200
    assert "会费比例应大于0，且不超过10%。" in r.content.decode()
    client.force_login(world.finance_a)  # finance of a union cannot set the federation's policy
    assert client.get(reverse("dues:policy", args=[world.fed.pk])).status_code == 404


def test_ledger_says_which_months_have_no_payroll_total_or_no_statement(client, world, union_a_dues):
    services.funds_assess(
        org=world.union_a, month=date(2026, 9, 1), payroll_total="5000", actor=world.finance_a
    )
    client.force_login(world.finance_a)
    r = client.get(reverse("dues:ledger", args=[world.union_a.pk]))
    rows = {row.month: (row.has_dues, row.has_funds) for row in r.context["ledger"].rows}
    assert rows == {OCT: (True, True), date(2026, 9, 1): (False, True)}
    body = r.content.decode()
    assert body.count("本月未核定会费") == 1 and "本月未登记单位工资总额" not in body
    services.dues_run(org=world.union_a, month=date(2026, 8, 1), actor=world.finance_a)
    body = client.get(reverse("dues:ledger", args=[world.union_a.pk])).content.decode()
    assert body.count("本月未登记单位工资总额，应拨缴经费未计算") == 1


def test_api_ledger_and_runs(client, world, union_a_dues):
    client.force_login(world.staff_a)
    runs = client.get(f"/api/v1/dues/orgs/{world.union_a.pk}/runs").json()
    assert [(r["month"], r["total_amount"], r["charged_count"]) for r in runs] == [
        ("2026-10-01", "540.00", 25)
    ]
    ledger = client.get(f"/api/v1/dues/orgs/{world.union_a.pk}/ledger").json()
    assert ledger["total"]["levy"] == "2000.00"
    assert ledger["total"]["dues_paid"] == "21.60"
    assert "month" not in ledger["total"]  # a total is of no one month


def test_wage_page_enters_missing_bases_from_the_statements_month(client, world, union_a_dues):
    """The statement's "missing wage base" link opens the wage page at its month with only the
    members missing one; a wage saved there counts from that month, so re-running the month
    charges them."""
    client.force_login(world.finance_a)
    run_page = client.get(reverse("dues:run", args=[union_a_dues.pk])).content.decode()
    link = reverse("dues:wages", args=[world.union_a.pk]) + "?month=2026-10&amp;missing=1"
    assert link in run_page
    body = client.get(link.replace("&amp;", "&")).content.decode()
    assert [f"会员{i:02d}" for i in range(25, 30)] == [
        n for n in (f"会员{i:02d}" for i in range(30)) if n in body
    ]
    # Each row's form, the page's month chooser and the payroll import's month.
    assert body.count('name="month" value="2026-10"') == 5 + 2

    m = Member.objects.get(name="会员27")
    r = client.post(
        reverse("dues:wage_set", args=[m.pk]),
        {"month": "2026-10", "wage": "5000", "back": link.replace("&amp;", "&")},
        follow=True,
    )
    assert "已保存会员27的工资基数：从2026年10月起按5,000元计缴。" in r.content.decode()
    assert list(WageBase.objects.filter(member=m).values_list("month", "base")) == [(OCT, Decimal("5000.00"))]
    assert "会员27" not in r.content.decode().split("<tbody>")[1]  # no longer missing in October

    # December shows October's bases (the latest from that month or before).
    dec = client.get(
        reverse("dues:wages", args=[world.union_a.pk]) + "?month=2026-12&missing=1"
    ).content.decode()
    assert "会员27" not in dec and "会员28" in dec
    bad = client.get(reverse("dues:wages", args=[world.union_a.pk]) + "?month=2026-13", follow=True)
    assert "月份格式不正确，已显示本月。" in bad.content.decode()


def test_running_a_month_again_says_whether_it_replaced_or_supplemented(client, world, union_a_dues):
    client.force_login(world.finance_a)
    url = reverse("dues:run_create", args=[world.union_a.pk])
    first = client.post(url, {"month": "2026-11"}, follow=True).content.decode()
    assert "已核定2026年11月会费：应缴25人，合计540.00元；保留会籍免缴0人；缺工资基数5人。" in first
    again = client.post(url, {"month": "2026-11"}, follow=True).content.decode()
    assert "已重新核定2026年11月会费，原明细已替换：应缴25人，合计540.00元" in again
    m = Member.objects.get(name="会员27")
    services.wage_set(member=m, month=OCT, wage="5000", actor=world.finance_a)
    more = client.post(url, {"month": "2026-10"}, follow=True).content.decode()  # October has a payment
    assert "已补计2026年10月会费：现应缴26人，合计565.00元" in more
    assert DuesRun.objects.filter(org=world.union_a).count() == 2


def test_a_statement_with_nobody_charged_is_not_shown_as_paid(client, world):
    make_member(world.union_a, "无基数")
    services.dues_run(org=world.union_a, month=OCT, actor=world.finance_a)
    client.force_login(world.finance_a)
    body = client.get(reverse("dues:union", args=[world.union_a.pk])).content.decode()
    runs = body.split("<tbody>")[1].split("</tbody>")[0]
    assert "无应缴" in runs and "已缴清" not in runs


def test_the_federation_overview_adds_up_its_unions(client, world, union_a_dues):
    b = make_member(world.union_b, "乙会员", member_no="B001")
    services.wage_set(member=b, month=OCT, wage="6000", actor=world.finance_a)
    services.dues_run(org=world.union_b, month=OCT, actor=world.finance_a)
    fa = services.funds_assess(org=world.union_b, month=OCT, payroll_total="50000", actor=world.finance_a)
    services.funds_payment_record(assessment=fa, amount="1000", actor=world.finance_a)
    client.force_login(world.fed_admin)
    body = client.get(reverse("dues:home")).content.decode()
    total = body.split('class="dues-total"')[1].split("</tr>")[0]
    # Dues: A 25 × 21.60 = 540.00 (21.60 paid), B 30.00; funds: A 2,000.00, B 1,000.00 levy, 1,000 paid (400 up);
    # still owed upward: A's 40% of 2,000.00 (nothing paid), B nothing.
    cells = [c.split("<")[0] for c in total.split('class="dues-num')[1:]]
    assert [c.split(">", 1)[1] for c in cells] == [
        "570.00",
        "548.40",
        "3,000.00",
        "2,000.00",
        "400.00",
        "800.00",
    ]
    assert "合计（3 个）" in total  # the federation's own row, A and B


def test_a_payroll_sheet_for_a_month_out_of_range_is_refused_with_a_message(client, world, union_a_dues):
    client.force_login(world.finance_a)
    r = client.get(reverse("dues:wage_template", args=[world.union_a.pk]) + "?month=2099-01", follow=True)
    assert r.status_code == 200 and r.redirect_chain[-1][0].startswith(
        reverse("dues:wages", args=[world.union_a.pk])
    )
    assert "月份" in "".join(str(m) for m in r.context["messages"])


def test_a_member_opens_their_own_receipts_and_no_one_elses(client, world):
    from .authz_cases import _own_payment

    _own_payment(world)
    client.force_login(world.member_a)
    history = client.get(reverse("members:my_history")).content.decode()
    url = reverse("dues:my_receipt", args=[world.dues_payment.pk])
    assert f'href="{url}"' in history
    body = client.get(url).content.decode()
    assert world.dues_payment.receipt_no in body and "张三" in body and "返回我的会费" in body
    assert "冲销" not in body  # the staff's reversal form is not the member's
    # 李四's payment (by payroll deduction) is not 张三's
    services.dues_batch_record(run=world.dues_run, actor=world.finance_a)
    other = DuesPayment.objects.get(member=world.dues_li)
    assert client.get(reverse("dues:my_receipt", args=[other.pk])).status_code == 404
    # a reversed receipt still opens, marked void
    services.dues_payment_reverse(payment=world.dues_payment, reason="重复录入", actor=world.finance_a)
    body = client.get(url).content.decode()
    assert "本收据已冲销作废" in body and "重复录入" in body


def test_entering_a_months_payroll_total_again_says_what_it_replaced(client, world):
    client.force_login(world.finance_a)
    url = reverse("dues:funds_assess", args=[world.union_a.pk])
    r = client.post(url, {"month": "2026-10", "payroll_total": "10000003.33"}, follow=True)
    assert [str(m) for m in r.context["messages"]] == [
        "2026年10月工会经费：工资总额10,000,003.33元，应拨缴200,000.07元。"
    ]
    r = client.post(url, {"month": "2026-10", "payroll_total": "10000000"}, follow=True)
    assert [str(m) for m in r.context["messages"]] == [
        "2026年10月工会经费：工资总额10,000,000.00元，应拨缴200,000.00元。原登记的工资总额10,000,003.33元已替换。"
    ]


def test_the_run_form_offers_the_month_after_the_latest_statement(client, world):
    from dues import rules

    client.force_login(world.finance_a)
    url = reverse("dues:union", args=[world.union_a.pk])
    today = timezone.localdate()
    this = today.replace(day=1)
    assert client.get(url).context["run_form"].initial["month"] == f"{this:%Y-%m}"  # none yet
    earlier = rules.add_months(this, -3)
    DuesRun.objects.create(org=world.union_a, month=earlier, rate=Decimal("0.005"), base_step=10)
    assert rules.next_run_month(earlier, today) == rules.add_months(this, -2)  # the gap first
    assert client.get(url).context["run_form"].initial["month"] == f"{rules.add_months(this, -2):%Y-%m}"
    DuesRun.objects.create(org=world.union_a, month=this, rate=Decimal("0.005"), base_step=10)
    assert rules.next_run_month(this, today) == this  # never a month ahead
    assert client.get(url).context["run_form"].initial["month"] == f"{this:%Y-%m}"


def test_a_statement_says_when_wages_or_memberships_changed_after_it(client, world, union_a_dues):
    """A wage entered for an assessed month, or a membership change dated in it, is not on the
    statement until it is computed again: the wage's message and the statement both say so."""
    from members import services as members

    client.force_login(world.finance_a)
    nov = client.post(reverse("dues:run_create", args=[world.union_a.pk]), {"month": "2026-11"}, follow=True)
    run = DuesRun.objects.get(org=world.union_a, month=date(2026, 11, 1))
    page = reverse("dues:run", args=[run.pk])
    assert "明细中尚未反映" not in client.get(page).content.decode()
    assert nov.status_code == 200
    m = Member.objects.get(name="会员03")
    r = client.post(reverse("dues:wage_set", args=[m.pk]), {"month": "2026-10", "wage": "9000"}, follow=True)
    assert [str(x) for x in r.context["messages"]] == [
        "已保存会员03的工资基数：从2026年10月起按9,000元计缴。"
        "2026年11月的会费已经核定，请重新核定后按新基数计算。"
        "2026年10月的会费已有缴费记录：已计费的会员不再重算，尚未计费的可以补计会费。"
    ]
    members.member_withdraw(
        member=Member.objects.get(name="会员04"),
        actor=world.staff_a,
        reason="本人申请",
        on=date(2026, 11, 20),
    )
    body = client.get(page).content.decode()
    assert "又登记了 2 名会员的工资基数或会籍变动，明细中尚未反映。" in body
    assert ">重新核定</button>" in body
    # October has payments: it is only supplemented, so only what a supplement takes in counts
    paid_page = reverse("dues:run", args=[union_a_dues.pk])
    assert "明细中尚未反映" not in client.get(paid_page).content.decode()  # 会员03 was charged there
    services.wage_set(member=Member.objects.get(name="会员27"), month=OCT, wage="5000", actor=world.finance_a)
    paid = client.get(paid_page).content.decode()
    assert "又登记了 1 名会员的工资基数或会籍变动" in paid and ">补计会费</button>" in paid
    client.post(reverse("dues:run_create", args=[world.union_a.pk]), {"month": "2026-10"})
    assert "明细中尚未反映" not in client.get(paid_page).content.decode()
    client.post(reverse("dues:run_create", args=[world.union_a.pk]), {"month": "2026-11"})
    line = DuesLine.objects.get(run=run, member=m)
    assert (line.base, line.amount) == (Decimal("9000.00"), Decimal("45.00"))
    assert not DuesLine.objects.filter(run=run, member__name="会员04").exists()
    assert "明细中尚未反映" not in client.get(page).content.decode()


def test_funds_payment_with_its_official_receipt_number_on_the_ledger_and_voucher(
    client, world, union_a_dues
):
    fa = services.funds_assess(org=world.union_a, month=OCT, payroll_total="50000", actor=world.finance_a)
    client.force_login(world.finance_a)
    url = reverse("dues:funds_pay", args=[fa.pk])
    r = client.post(url, {"amount": "600", "paid_on": "2026-11-10", "official_no": "0012345"}, follow=True)
    assert "已登记经费到账600.00元" in "".join(str(m) for m in r.context["messages"])
    r = client.post(url, {"amount": "100", "paid_on": "2026-11-10", "official_no": "0012345"}, follow=True)
    assert [str(m) for m in r.context["messages"]] == [
        "专用收据0012345已登记在2026年10月的经费到账（凭证号JF2026-000001）上，请核对号码。"
    ]
    payment = FundsPayment.objects.get()
    ledger = client.get(reverse("dues:ledger", args=[world.union_a.pk])).content.decode()
    row = ledger.split('id="payments"')[1].split("</tr>")[1]
    assert "JF2026-000001" in row and ">0012345<" in row
    voucher = client.get(reverse("dues:funds_receipt", args=[payment.pk])).content.decode()
    assert "工会经费到账凭证" in voucher and "专用收据号码" in voucher and "0012345" in voucher
    assert "工会经费收入专用收据</h2>" not in voucher  # ours is not the official form
    # The number is put right on the voucher.
    r = client.post(
        reverse("dues:funds_official_no", args=[payment.pk]), {"official_no": "0012346"}, follow=True
    )
    assert [str(m) for m in r.context["messages"]] == ["已登记专用收据号码0012346（凭证号JF2026-000001）。"]
    assert 'value="0012346"' in r.content.decode()
    # A payment recorded before the vouchers (old number) does not claim no official receipt was issued.
    FundsPayment.objects.filter(pk=payment.pk).update(receipt_no=f"JF2026{payment.pk:08d}", official_no="")
    voucher = client.get(reverse("dues:funds_receipt", args=[payment.pk])).content.decode()
    assert "未登记</span>" in voucher and "尚未开具工会经费收入专用收据" not in voucher
