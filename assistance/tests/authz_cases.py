from django.urls import reverse

from core.testing.authz import AuthzCase
from core.testing.world import make_user

from .factories import id_number, make_household


def _with(status, **extra):
    def setup(w):
        w.household = make_household(w, status)
        w.member = w.household.members.get(name="李秀英")
        if extra.get("fund"):
            from assistance.models import Fund

            w.fund = Fund.objects.create(org=w.fed, name="街道帮扶资金")
        if extra.get("payment"):
            from assistance.models import Fund

            from .factories import make_payment

            w.fund = Fund.objects.create(org=w.fed, name="街道帮扶资金")
            w.payment = make_payment(w, w.household, w.fund, "1500")
        if extra.get("nobody"):
            w.nobody = make_user("nobody")

    return setup


def _absent(*needles):
    def check(world, response):
        body = response.content.decode()
        for n in needles:
            assert n not in body

    return check


def _page(name, status, *, method="get", data=None, ok=200, target="household", args=(), **kw):
    return AuthzCase(
        f"assistance:{name}",
        lambda w: reverse(f"assistance:{name}", args=[getattr(w, target).pk, *args]),
        method=method,
        data=data,
        ok_status=ok,
        setup=_with(status, **kw.pop("setup_extra", {})),
        **kw,
    )


CASES = [
    AuthzCase(
        "assistance:home",
        lambda w: reverse("assistance:home"),
        other_org_check=_absent("王建国"),
        no_perm_status=403,
        setup=_with("applied"),
    ),
    AuthzCase(
        "assistance:create", lambda w: reverse("assistance:create"), other_org_status=200, no_perm_status=403
    ),
    AuthzCase(
        "assistance:create",
        lambda w: reverse("assistance:create"),
        method="post",
        data=lambda w: {
            "org": w.union_a.pk,
            "head_name": "赵六",
            "id_number": id_number("11010519800101002"),
            "employer": "甲公司",
            "applied_on": "2026-03-02",
            "annual_income": "100",
            "main_cause": "illness",
        },
        ok_status=302,
        other_org_status=200,  # the form does not offer union A to B's staff
        no_perm_status=403,
    ),
    AuthzCase(
        "assistance:notice",
        lambda w: reverse("assistance:notice"),
        other_org_check=_absent("王**"),
        no_perm="nobody",
        no_perm_status=403,
        setup=_with("noticed", nobody=True),
        allowed="member_a",
    ),
    AuthzCase(
        "assistance:funds",
        lambda w: reverse("assistance:funds"),
        other_org_check=_absent("王建国"),
        no_perm_status=403,
        setup=_with("archived"),
    ),
    AuthzCase(
        "assistance:funds",
        lambda w: reverse("assistance:funds"),
        method="post",
        data=lambda w: {"org": w.union_a.pk, "name": "甲互助金"},
        ok_status=302,
        other_org_status=200,
        no_perm_status=403,
    ),
    AuthzCase(
        "assistance:standards",
        lambda w: reverse("assistance:standards"),
        allowed="fed_admin",
        no_perm="staff_a",
        no_perm_status=403,
        other_org_status=403,
    ),
    AuthzCase(
        "assistance:standards",
        lambda w: reverse("assistance:standards"),
        method="post",
        data=lambda w: {"org": w.fed.pk, "year": 2026, "monthly_amount": "1000"},
        ok_status=302,
        allowed="fed_admin",
        no_perm="staff_a",
        no_perm_status=403,
        other_org_status=403,
    ),
    _page("detail", "visited"),
    _page("detail", "visited", no_perm="delegate_a"),
    _page("print", "archived"),
    _page(
        "member_add",
        "applied",
        method="post",
        data={"name": "王大爷", "relation": "parent", "annual_income": "100"},
        ok=302,
    ),
    _page("member_remove", "applied", method="post", ok=302, target="member"),
    _page("member_reveal", "applied", method="post", target="member"),
    _page("member_reveal", "applied", method="post", target="member", no_perm="finance_a"),
    _page("reveal", "applied", method="post", args=["bank_account"]),
    _page("reveal", "applied", method="post", args=["id_number"], no_perm="finance_a"),
    _page("reveal", "applied", method="post", args=["health"], no_perm="mediator_a"),
    _page("reclassify", "applied", method="post", ok=302),
    _page(
        "consent", "visited", method="post", data={"signed_on": "2026-03-10", "income_check": "on"}, ok=302
    ),
    _page("review", "applied", method="post", data={"reviewed_on": "2026-03-05"}, ok=302),
    _page(
        "visit",
        "reviewed",
        method="post",
        data={"visited_on": "2026-03-09", "visitors": "甲干事", "note": "属实"},
        ok=302,
    ),
    _page(
        "notice_start",
        "visited",
        method="post",
        data={"start_on": "2026-03-10", "proposed_amount": "100"},
        ok=302,
    ),
    _page("approve", "noticed", method="post", data={"approved_on": "2026-03-18"}, ok=302),
    _page("archive", "approved", method="post", data={"archived_on": "2026-03-19"}, ok=302),
    _page("recheck", "archived", method="post", data={"checked_on": "2026-11-01"}, ok=302),
    _page("close", "archived", method="post", data={"closed_on": "2026-06-01", "reason": "moved"}, ok=302),
    _page(
        "payment_add",
        "archived",
        method="post",
        ok=302,
        allowed="finance_a",
        setup_extra={"fund": True},
        data=lambda w: {
            "fund": w.fund.pk,
            "budget_year": 2026,
            "kind": "living",
            "amount": "100",
            "paid_on": "2026-04-01",
        },
    ),
    _page(
        "payment_reverse",
        "archived",
        method="post",
        ok=302,
        allowed="finance_a",
        target="payment",
        setup_extra={"payment": True},
        data={"reason": "重复登记", "reversed_on": "2026-04-02"},
    ),
    _page(
        "payment_reverse",
        "archived",
        method="post",
        ok=302,
        allowed="chair_a",
        no_perm="delegate_a",
        target="payment",
        setup_extra={"payment": True},
        data={"reason": "金额录错", "reversed_on": "2026-04-02"},
    ),
    AuthzCase(
        "assistance_payment_reverse",
        lambda w: f"/api/v1/assistance/payments/{w.payment.pk}/reversal",
        api=True,
        method="post",
        data={"reason": "重复登记", "reversed_on": "2026-04-02"},
        ok_status=201,
        allowed="finance_a",
        no_perm_status=403,
        setup=_with("archived", payment=True),
    ),
    AuthzCase(
        "assistance_list",
        lambda w: "/api/v1/assistance/households",
        api=True,
        no_perm_status=403,
        other_org_check=lambda w, r: _api_empty(r),
        setup=_with("applied"),
    ),
    AuthzCase(
        "assistance_get",
        lambda w: f"/api/v1/assistance/households/{w.household.pk}",
        api=True,
        no_perm_status=404,
        setup=_with("archived"),
    ),
    AuthzCase(
        "assistance_notice",
        lambda w: "/api/v1/assistance/notice",
        api=True,
        allowed="member_a",
        no_perm="nobody",
        no_perm_status=403,
        other_org_check=lambda w, r: _api_empty_list(r),
        setup=_with("noticed", nobody=True),
    ),
    AuthzCase(
        "assistance_fund_totals",
        lambda w: "/api/v1/assistance/fund-totals",
        api=True,
        no_perm_status=403,
        other_org_check=lambda w, r: _api_empty_list(r),
    ),
]


def _api_empty(response):
    assert response.json()["items"] == []


def _api_empty_list(response):
    assert response.json() == []
