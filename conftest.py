import pytest

from core.testing.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def clock():
    """deadlines.calendar's clock for a test: `clock(date)` freezes today; thawed afterwards."""
    from deadlines import calendar

    yield calendar.freeze
    calendar.freeze(None)


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    from core import crypto

    crypto.reset_key_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counters kept in the cache (the public application form's) start from zero in each test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in the default language: a request in English (its cookie) leaves
    English active on the thread, and the next test's Chinese messages would come out in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# ---- Browser tests: Playwright's Python package driving Debian's Chromium ----------------------


def _serve_one_request_at_a_time_on_in_memory_sqlite():
    """On the in-memory SQLite test database the live server's threads all share one connection, and
    two requests at once (a page and the htmx request it starts on load) can break it ("bad
    parameter or other API misuse"). There the live server answers one request at a time (Django's
    server then closes each connection, so the browser's parallel requests queue instead of
    waiting on a kept-alive one). PostgreSQL keeps the threaded server: a connection per thread."""
    import os

    if os.environ.get("DATABASE_URL", "sqlite://:memory:") != "sqlite://:memory:":
        return
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # The live server thread itself installs the shared connection before serving.
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = SerialWSGIServer


_serve_one_request_at_a_time_on_in_memory_sqlite()

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    import os

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
    # synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def live_world(transactional_db):
    return build_world()


@pytest.fixture
def new_page(browser, live_server):
    """Factory for pages in fresh browser contexts (one context = one person's phone or PC)."""
    contexts = []

    def make(*, phone: bool = False, locale: str = "zh-CN"):
        opts = {"locale": locale, "base_url": live_server.url}
        if phone:
            opts.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        ctx = browser.new_context(**opts)
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page):
    return new_page()


def browser_login(page, username: str, password: str | None = None):
    """Log in through the real login form."""
    from core.testing.world import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.fixture
def login():
    return browser_login


# Property tests: no wall-clock deadlines or "too slow" health checks — CI machines are shared and
# timings vary; correctness is what the properties assert.
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("gonghui", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("gonghui")
