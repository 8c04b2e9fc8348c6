"""Settings shared by every environment. Values come from the environment with safe local defaults."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("GONGHUI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def local_secret(filename: str, nbytes: int = 50) -> str:
    """Read a secret generated once into a git-ignored file under var/."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(nbytes))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret(".secret_key")
# Key for encrypting sensitive personal fields at rest (see core/crypto.py). One or more
# comma-separated Fernet keys; the first encrypts, all decrypt (rotation: core rotate_field_key).
FIELD_ENCRYPTION_KEYS = os.environ.get("FIELD_ENCRYPTION_KEYS", "")
FIELD_HASH_KEY = os.environ.get("FIELD_HASH_KEY", "")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Proxies whose X-Real-IP header names the client (audit log, rate limits): nginx on this host.
TRUSTED_PROXIES = {p for p in os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p}

INSTALLED_APPS = [
    # gonghui, as the product speaks
    "core",
    "audit",
    "accounts",
    "orgs",
    "members",
    "dues",
    "congress",
    "deadlines",
    "bargaining",
    "mediation",
    "appeals",
    "assistance",
    "proposals",
    "affairs",
    # framework
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "audit.middleware.RequestContextMiddleware",
    "core.middleware.HtmxMiddleware",
    "core.middleware.ApiPlainErrorsMiddleware",
    "core.middleware.PageMethodNotAllowedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]


def database_config(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = Path(config["NAME"])
        if not name.is_absolute() and str(name) != ":memory:":
            name = BASE_DIR / name
            name.parent.mkdir(parents=True, exist_ok=True)
        config["NAME"] = str(name)
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=10000;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA cache_size=-64000;"
                "PRAGMA temp_store=MEMORY;"
                "PRAGMA mmap_size=268435456;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    else:
        config["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
        config["CONN_HEALTH_CHECKS"] = True
        # Django's cursors bind parameters on the client and never prepare; this only lets the few
        # hot paths that ask for it (the delegate's ballot) keep a prepared statement on their
        # persistent connection. Behind a transaction-pooling PgBouncer older than 1.21, set
        # DB_PREPARED_STATEMENTS=0 (the hot paths then run unprepared).
        if os.environ.get("DB_PREPARED_STATEMENTS", "1") != "0":
            config.setdefault("OPTIONS", {})["prepare_threshold"] = 5
    return config


DATABASES = {"default": database_config(os.environ.get("DATABASE_URL", "sqlite:///var/gonghui.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

# Sessions end after 30 minutes without a request, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = False  # accounts.middleware.IdleSessionMiddleware: once a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login lockout (django-axes): 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False

# Two-factor login. Roles listed here must have a confirmed TOTP device before they can work.
GONGHUI_2FA_REQUIRED_ROLES: list[str] = []
OTP_TOTP_ISSUER = "工会 gonghui"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Our own number formats for Simplified Chinese (amounts grouped by thousands): config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Django's built-in Content Security Policy: nothing loads from outside this server.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own default console handler would print every django.* record a second time
        # (root's handler prints it too); configured here without it.
        "django": {"level": os.environ.get("LOG_LEVEL", "INFO")},
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

MAILERS = {
    "default": {"BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gonghui@localhost")

# Domain rules that are local or unconfirmed (DOMAIN.md): settings with these defaults.
GONGHUI = {
    # DOMAIN.md §1, Shenzhen table: (max members, min committee size, max committee size)
    "COMMITTEE_SIZE_TABLE": [
        (10, 1, 1),
        (25, 3, 3),
        (100, 3, 5),
        (200, 5, 7),
        (500, 7, 9),
        (1000, 9, 15),
        (5000, 15, 21),
        (10000, 21, 29),
        (50000, 29, 37),
        (None, 37, 45),
    ],
    "COMMITTEE_REQUIRED_FROM_MEMBERS": 25,
    "COMMITTEE_TERM_YEARS": (3, 5),
    "DEMO_MODE": False,
}

# Each module reads its own local/unconfirmed rules from these dicts; the values below are the
# defaults the code uses when a key is absent (DOMAIN.md names the sources). Override per deployment.
GONGHUI_DUES = {
    "rate": "0.005",
    "base_step": 10,
    "levy_rate": "0.02",
    "grassroots_share": "0.60",
    "lapse_months": 6,
    "min_wage": "100",  # a wage between 0 and this is refused as a likely typing slip
}
GONGHUI_CONGRESS = {
    "seat_preset": "national",  # national (>= 5%, min 30) | shanghai | zhejiang | custom
    "quorum": "2/3",
    "manager_max": "1/5",
    "presidium_front_min": "1/2",
    "competitive": True,
    "competitive_min_ratio": "0.05",
    "default_rule": "all_majority",  # > 1/2 of ALL delegates
    "document_days": 7,
    "report_working_days": 7,
    "assembly_threshold": 100,
    "constituency_turnout": "2/3",
    "credential_hours": 16,
}
GONGHUI_PROPOSALS = {"min_cosigners": 2, "collection_lead_days": 30, "reply_days": 30}
GONGHUI_AFFAIRS = {"answer_days": 30}
GONGHUI_BARGAINING = {"MIN_NEGOTIATORS": 3, "RENEWAL_MONTHS": 3}
GONGHUI_ASSISTANCE = {
    "NOTICE_WORKING_DAYS": 5,
    "RECHECK_DAYS": 365,
    "MEDICAL_SHARE": "0.8",
    "MIGRANT_MIN_YEARS": 1,
    "MAX_AID": "50000",  # a larger single aid amount is refused as a likely typing slip
}
# Deadline rules: name -> (days, "calendar" | "working" | "months"[, roll_forward]); see deadlines/calendar.py
GONGHUI_DEADLINES: dict = {}
# upload_keep_days: an uploaded member sheet not imported is deleted after this many days (an
# imported one at once: the registry holds its data). apply_per_hour: online applications sent to
# one union from one address in an hour (the public form says whether an ID number has a record,
# so it must not be tried over and over); only complete ones with a well-formed ID number count, and
# a sign-up drive sends many from one factory address; counted in the cache (CACHES: per process
# unless shared).
# retention_years: a former member's (or turned-down applicant's) personal data is due for deletion
# this many years after membership ended (local, unconfirmed: PIPL asks for no longer than needed).
GONGHUI_MEMBERS = {
    "import_max_rows": 1_000_000,
    "upload_keep_days": 7,
    "apply_per_hour": 60,
    "retention_years": 3,
}
