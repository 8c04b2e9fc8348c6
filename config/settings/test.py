"""The test suite: SQLite in memory unless DATABASE_URL points elsewhere (CI runs it on PostgreSQL too)."""

import os

from .base import *  # noqa: F403
from .base import GONGHUI, database_config

DATABASES = {"default": database_config(os.environ.get("DATABASE_URL", "sqlite://:memory:"))}
# Argon2 stays the production hasher; tests hash with MD5 so thousands of logins stay fast.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
FIELD_ENCRYPTION_KEYS = "lGt1x5DDNPjX7_TvL6VkGk3bJEc8k8LYv1Ck5xhA0yw="
FIELD_HASH_KEY = "test-hash-key-not-secret"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
GONGHUI["DEMO_MODE"] = False
ALLOWED_HOSTS = ["*"]
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
