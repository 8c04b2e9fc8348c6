import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from core.testing.qr import read_qr
from core.testing.world import PASSWORD

pytestmark = pytest.mark.browser


def _code(secret: str, offset: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    t = TOTP(key)
    t.time = time.time() + offset
    return f"{t.token():06d}"


def test_login_lands_on_the_role_home_page(page, live_world, login):
    login(page, "fed_admin")
    expect(page.get_by_role("heading", name="您好，街道管理员")).to_be_visible()
    expect(page.get_by_text("总工会管理员").first).to_be_visible()


def test_wrong_password_then_lockout(page, live_world):
    page.goto("/accounts/login/")
    for attempt in range(5):
        page.get_by_label("用户名").fill("staff_a")
        page.get_by_label("密码").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
    expect(page.get_by_role("alert").filter(has_text="该账户已被临时锁定")).to_be_visible()
    page.get_by_label("用户名").fill("staff_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert").filter(has_text="该账户已被临时锁定")).to_be_visible()
    assert page.url.endswith("/accounts/login/")


def test_enable_two_factor_then_log_in_with_a_code(page, live_world, login, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    # No clock-drift learning: a confirming code typed as its 30 seconds ran out would otherwise
    # teach the device a drift of one step, and refuse the next step's code used below (a flake).
    settings.OTP_TOTP_SYNC = False
    login(page, "staff_a")
    page.get_by_role("link", name="甲干事").click()
    page.get_by_role("button", name="开启双因素认证").click()
    page.get_by_role("button", name="开始设置").click()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    (scanned,) = read_qr(page.locator(".qr").screenshot())  # what the authenticator app reads
    assert scanned.startswith("otpauth://totp/") and f"secret={secret}" in scanned, scanned
    page.get_by_label("6位验证码").fill("000000")
    page.get_by_role("button", name="确认绑定").click()
    expect(page.get_by_text("验证码不正确")).to_be_visible()
    page.get_by_label("6位验证码").fill(_code(secret))
    page.get_by_role("button", name="确认绑定").click()
    expect(page.get_by_text("双因素认证已开启")).to_be_visible()
    page.get_by_role("button", name="退出").click()

    page.get_by_label("用户名").fill("staff_a")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="输入验证码")).to_be_visible()
    page.get_by_label("6位验证码").fill(_code(secret, 30))  # the next 30-second step: not yet used
    page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_role("heading", name="您好，甲干事")).to_be_visible()


def test_demo_login_page_says_two_factor_is_relaxed(page, live_world, settings):
    settings.GONGHUI = {**settings.GONGHUI, "DEMO_MODE": True}
    page.goto("/accounts/login/")
    expect(page.get_by_text("本地演示环境：双因素认证可选")).to_be_visible()
