import time
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken
from audit.models import AuditEvent
from core.testing.world import PASSWORD


def _login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_success_audited(world, client):
    r = _login(client, "staff_a")
    assert r.status_code == 302 and r["Location"] == "/"
    assert AuditEvent.objects.filter(action="user.login", actor=world.staff_a).count() == 1


def test_wrong_password_message(world, client):
    r = _login(client, "staff_a", "wrong")
    assert r.status_code == 200
    assert "用户名或密码不正确。" in r.content.decode()


def test_lockout_after_five_failures(world, client):
    for _ in range(4):
        assert _login(client, "staff_a", "wrong").status_code == 200
    r = _login(client, "staff_a", "wrong")
    assert r.status_code == 429
    assert "该账户已被临时锁定" in r.content.decode()
    # even the right password is refused while locked
    r = _login(client, "staff_a")
    assert r.status_code == 429


def test_open_redirect_is_refused(world, client):
    r = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": "staff_a", "password": PASSWORD}
    )
    assert r["Location"] == "/"


def test_two_factor_login(world, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=world.staff_a, name="phone", confirmed=True)
    r = _login(client, "staff_a")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/verify/")
    assert client.get("/").status_code == 302  # not logged in yet
    r = client.post("/accounts/login/verify/", {"code": "000000"})
    assert "验证码不正确或已过期。" in r.content.decode()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    r = client.post("/accounts/login/verify/", {"code": code})
    assert r.status_code == 302
    assert client.get("/").status_code == 200


def test_two_factor_setup_and_requirement(world, client, settings):
    settings.GONGHUI_2FA_REQUIRED_ROLES = ["federation_admin"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(world.fed_admin)
    r = client.get("/orgs/")
    assert r.status_code == 302 and r["Location"] == "/accounts/me/two-factor/?required=1"
    # nor the account page's API tokens, nor the API with this session
    r = client.post("/accounts/me/tokens/", {"name": "脚本"})
    assert r.status_code == 302 and r["Location"] == "/accounts/me/two-factor/?required=1"
    r = client.get("/api/v1/deadlines/mine")
    assert r.status_code == 403 and r.json() == {"detail": "您的角色要求两步验证，请先在网页上完成设置。"}
    assert not ApiToken.objects.exists()
    # a token made before the requirement works only once 2FA is set up
    from accounts.services import api_token_create

    _token, raw = api_token_create(actor=world.fed_admin, name="脚本")
    bare = Client()
    assert bare.get("/api/v1/deadlines/mine", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    client.post("/accounts/me/two-factor/", {"action": "begin"})
    device = TOTPDevice.objects.get(user=world.fed_admin)
    assert device.confirmed is False
    r = client.post("/accounts/me/two-factor/", {"code": "123"})
    assert TOTPDevice.objects.get(user=world.fed_admin).confirmed is False
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    r = client.post("/accounts/me/two-factor/", {"code": code})
    assert r.status_code == 302
    assert TOTPDevice.objects.get(user=world.fed_admin).confirmed is True
    assert client.get("/orgs/").status_code == 200
    assert client.get("/api/v1/deadlines/mine").status_code == 200
    assert bare.get("/api/v1/deadlines/mine", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert AuditEvent.objects.filter(action="user.2fa_enable").count() == 1


def test_session_expires_after_30_idle_minutes_and_is_saved_at_most_once_a_minute(world, client):
    from unittest import mock

    from django.contrib.sessions.models import Session

    assert client.get("/").status_code == 302  # anonymous: no session row is made
    assert Session.objects.count() == 0
    t0 = time.time()
    with mock.patch("accounts.middleware.time.time", return_value=t0):
        _login(client, "staff_a", PASSWORD)
        assert client.get("/orgs/").status_code == 200
    row = Session.objects.get()
    first = row.expire_date
    with mock.patch("accounts.middleware.time.time", return_value=t0 + 30):
        assert client.get("/orgs/").status_code == 200
    assert Session.objects.get().expire_date == first  # not written again within the minute
    with mock.patch("accounts.middleware.time.time", return_value=t0 + 61):
        assert client.get("/orgs/").status_code == 200
    assert Session.objects.get().expire_date > first  # pushed forward
    later = Session.objects.get().expire_date
    assert 1790 <= (later - timezone.now()).total_seconds() <= 1800
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # 30 idle minutes on
    r = client.get("/orgs/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_invitation_page_sets_password(world, client):
    from accounts.services import user_invite

    user, raw = user_invite(
        actor=world.staff_a, org=world.union_a, role="member", username="newbie", full_name="新人"
    )
    r = client.get(f"/accounts/invitation/{raw}/")
    assert "newbie" in r.content.decode()
    r = client.post(
        f"/accounts/invitation/{raw}/", {"password1": "Long-enough-pass-1", "password2": "Long-enough-pass-2"}
    )
    assert "两次输入的密码不一致。" in r.content.decode()
    r = client.post(
        f"/accounts/invitation/{raw}/", {"password1": "Long-enough-pass-1", "password2": "Long-enough-pass-1"}
    )
    assert r.status_code == 302
    assert client.get(f"/accounts/invitation/{raw}/").status_code == 404
    assert _login(client, "newbie", "Long-enough-pass-1").status_code == 302


def test_the_login_page_offers_the_language_before_signing_in(client):
    """A browser set to English gets the English page: the visitor can switch there, not only after
    signing in; the page names its icon (no /favicon.ico 404 in every log)."""
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in" in page and 'action="/i18n/setlang/"' in page
    assert '<option value="zh-hans" lang="zh-hans" >简体中文</option>' in page.replace("  ", " ")
    assert 'rel="icon" href="/static/img/favicon.svg"' in page
    assert client.get("/favicon.ico")["Location"] == "/static/img/favicon.svg"
    r = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"}, follow=True)
    assert "工会 · 登录" in r.content.decode()
