import os
import subprocess
import sys

from django.conf import settings


def _check(env: dict) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings.prod", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    r = _check({})
    assert r.returncode != 0
    assert "SECRET_KEY must be set in the environment for production" in r.stderr


def test_production_refuses_sqlite():
    r = _check(
        {
            "SECRET_KEY": "x" * 60,
            "FIELD_ENCRYPTION_KEYS": "k" * 44,
            "FIELD_HASH_KEY": "h" * 40,
            "DATABASE_URL": "sqlite:///var/x.sqlite3",
            "ALLOWED_HOSTS": "example.org",
        }
    )
    assert r.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL in production." in r.stderr


def test_base_settings():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")  # tests only; see base.py for Argon2
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sqlite_pragmas_for_file_databases():
    from config.settings.base import database_config

    cfg = database_config("sqlite:///var/gonghui.sqlite3")
    assert cfg["NAME"] == str(settings.BASE_DIR / "var" / "gonghui.sqlite3")
    assert "PRAGMA journal_mode=WAL;" in cfg["OPTIONS"]["init_command"]
    assert cfg["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_empty_choice_of_select_boxes_is_in_the_users_language(db):
    from django import forms
    from django.utils import translation

    from orgs.models import Organization

    field = forms.ModelChoiceField(queryset=Organization.objects.none())
    with translation.override("zh-hans"):
        assert str(list(field.choices)[0][1]) == "请选择"
    with translation.override("en"):
        assert str(list(field.choices)[0][1]) == "Please choose"


def test_amounts_are_grouped_by_thousands_in_chinese():
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import translation

    t = Template("{% load humanize %}{{ v|floatformat:2|intcomma }} {{ n|intcomma }}")
    with translation.override("zh-hans"):
        assert t.render(Context({"v": Decimal("9274527"), "n": 1256})) == "9,274,527.00 1,256"
