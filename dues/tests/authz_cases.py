from datetime import date

from django.urls import reverse

from core.testing.authz import AuthzCase

OCT = date(2026, 10, 1)


def _no_union_a(world, response):
    assert "甲公司工会" not in response.content.decode()


def dues_world(w):
    """Union A with two members, a wage base, October's run, one payment and a funds assessment."""
    from dues import services
    from dues.models import DuesLine
    from dues.tests.factories import make_member

    if hasattr(w, "dues_run"):
        return
    w.dues_zhang = make_member(w.union_a, "张三", member_no="A001")
    w.dues_li = make_member(w.union_a, "李四", member_no="A002")
    services.wage_set(member=w.dues_zhang, month=OCT, wage="5000", actor=w.finance_a)
    services.wage_set(member=w.dues_li, month=OCT, wage="4000", actor=w.finance_a)
    w.dues_run = services.dues_run(org=w.union_a, month=OCT, actor=w.finance_a)
    w.dues_line_paid = DuesLine.objects.get(run=w.dues_run, member=w.dues_zhang)
    w.dues_line_open = DuesLine.objects.get(run=w.dues_run, member=w.dues_li)
    w.dues_payment = services.dues_payment_record(line=w.dues_line_paid, actor=w.finance_a)
    w.dues_funds = services.funds_assess(org=w.union_a, month=OCT, payroll_total="100000", actor=w.finance_a)
    w.dues_funds_payment = services.funds_payment_record(
        assessment=w.dues_funds, amount="500", actor=w.finance_a
    )


def dues_batch_world(w):
    """dues_world plus a payroll deduction for the member still owing."""
    from dues import services

    dues_world(w)
    if not hasattr(w, "dues_batch"):
        w.dues_batch = services.dues_batch_record(run=w.dues_run, actor=w.finance_a)


def _own_payment(w):
    """dues_world, with 张三 (who paid) linked to member_a's account."""
    from members.models import Member

    dues_world(w)
    Member.objects.filter(pk=w.dues_zhang.pk).update(user=w.member_a)


MANAGE = {"allowed": "finance_a", "no_perm": "staff_a", "other_org": "chair_b", "setup": dues_world}
VIEW = {"setup": dues_world}


CASES = [
    AuthzCase(
        "dues:home", lambda w: reverse("dues:home"), other_org_check=_no_union_a, no_perm_status=403, **VIEW
    ),
    AuthzCase("dues:union", lambda w: reverse("dues:union", args=[w.union_a.pk]), **VIEW),
    AuthzCase("dues:arrears", lambda w: reverse("dues:arrears", args=[w.union_a.pk]), **VIEW),
    AuthzCase("dues:wages", lambda w: reverse("dues:wages", args=[w.union_a.pk]), **VIEW),
    AuthzCase("dues:ledger", lambda w: reverse("dues:ledger", args=[w.union_a.pk]), **VIEW),
    AuthzCase("dues:run", lambda w: reverse("dues:run", args=[w.dues_run.pk]), **VIEW),
    AuthzCase("dues:receipt", lambda w: reverse("dues:receipt", args=[w.dues_payment.pk]), **VIEW),
    AuthzCase(
        "dues:my_receipt",
        lambda w: reverse("dues:my_receipt", args=[w.dues_payment.pk]),
        setup=_own_payment,
        allowed="member_a",
        no_perm="staff_a",
    ),
    AuthzCase(
        "dues:funds_receipt", lambda w: reverse("dues:funds_receipt", args=[w.dues_funds_payment.pk]), **VIEW
    ),
    AuthzCase(
        "dues:wage_template",
        lambda w: reverse("dues:wage_template", args=[w.union_a.pk]) + "?month=2026-10",
        **MANAGE,
    ),
    AuthzCase(
        "dues:run_create",
        lambda w: reverse("dues:run_create", args=[w.union_a.pk]),
        method="post",
        data={"month": "2026-11"},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:batch",
        lambda w: reverse("dues:batch", args=[w.dues_run.pk]),
        method="post",
        data={},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:pay",
        lambda w: reverse("dues:pay", args=[w.dues_line_open.pk]),
        method="post",
        data={"method": "cash", "amount": "5"},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:wage_set",
        lambda w: reverse("dues:wage_set", args=[w.dues_li.pk]),
        method="post",
        data={"month": "2026-11", "wage": "4100"},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:wage_import",
        lambda w: reverse("dues:wage_import", args=[w.union_a.pk]),
        method="post",
        data=lambda w: {"month": "2026-11", "file": _csv("会员编号,工资\nA001,5100\n")},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:funds_assess",
        lambda w: reverse("dues:funds_assess", args=[w.union_a.pk]),
        method="post",
        data={"month": "2026-11", "payroll_total": "120000"},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:funds_pay",
        lambda w: reverse("dues:funds_pay", args=[w.dues_funds.pk]),
        method="post",
        data={"amount": "100"},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:payment_reverse",
        lambda w: reverse("dues:payment_reverse", args=[w.dues_payment.pk]),
        method="post",
        data={"reason": "收错了人"},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:batch_reverse",
        lambda w: reverse("dues:batch_reverse", args=[w.dues_batch.pk]),
        method="post",
        data={"reason": "工资表用错了月份"},
        ok_status=302,
        **{**MANAGE, "setup": dues_batch_world},
    ),
    AuthzCase(
        "dues:funds_payment_reverse",
        lambda w: reverse("dues:funds_payment_reverse", args=[w.dues_funds_payment.pk]),
        method="post",
        data={"reason": "银行退回"},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:funds_official_no",
        lambda w: reverse("dues:funds_official_no", args=[w.dues_funds_payment.pk]),
        method="post",
        data={"official_no": "0012345"},
        ok_status=302,
        **MANAGE,
    ),
    AuthzCase(
        "dues:policy",
        lambda w: reverse("dues:policy", args=[w.fed.pk]),
        allowed="fed_admin",
        no_perm="staff_a",
        other_org="chair_b",
        other_org_status=(403, 404),
    ),
    AuthzCase(
        "dues:policy",
        lambda w: reverse("dues:policy", args=[w.fed.pk]),
        method="post",
        data={"rate_pct": "0.5", "base_step": "10", "levy_pct": "2", "share_pct": "60"},
        ok_status=302,
        allowed="fed_admin",
        no_perm="staff_a",
        other_org="chair_b",
        other_org_status=(403, 404),
    ),
    AuthzCase("dues_runs", lambda w: f"/api/v1/dues/orgs/{w.union_a.pk}/runs", api=True, **VIEW),
    AuthzCase("dues_run_get", lambda w: f"/api/v1/dues/runs/{w.dues_run.pk}", api=True, **VIEW),
    AuthzCase("dues_ledger", lambda w: f"/api/v1/dues/orgs/{w.union_a.pk}/ledger", api=True, **VIEW),
    AuthzCase(
        "dues_payment_reverse",
        lambda w: f"/api/v1/dues/payments/{w.dues_payment.pk}/reversal",
        api=True,
        method="post",
        data={"reason": "收错了人"},
        ok_status=201,
        **MANAGE,
    ),
    AuthzCase(
        "dues_batch_reverse",
        lambda w: f"/api/v1/dues/batches/{w.dues_batch.pk}/reversal",
        api=True,
        method="post",
        data={"reason": "工资表用错了月份"},
        ok_status=201,
        **{**MANAGE, "setup": dues_batch_world},
    ),
    AuthzCase(
        "dues_funds_payment_reverse",
        lambda w: f"/api/v1/dues/funds/payments/{w.dues_funds_payment.pk}/reversal",
        api=True,
        method="post",
        data={"reason": "银行退回"},
        ok_status=201,
        **MANAGE,
    ),
]


def _csv(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("工资.csv", text.encode(), content_type="text/csv")
