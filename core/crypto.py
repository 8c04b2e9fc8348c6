"""Encryption at rest for sensitive personal fields (PIPL art. 28, 51).

Each sensitive value is stored as Fernet ciphertext (AES-128-CBC + HMAC-SHA256) beside a keyed
HMAC-SHA256 "blind index" used for uniqueness and exact look-up, and usually a masked copy for
display. Keys come from FIELD_ENCRYPTION_KEYS (comma separated; the first encrypts, all decrypt)
and FIELD_HASH_KEY; for local use they are generated once into git-ignored files under var/.
Rotation: put a new key first, run `manage.py rotate_field_key`, then drop the old key.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import transaction


def _local_key(filename: str, factory) -> str:
    from config.settings.base import VAR_DIR

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(factory())
        path.chmod(0o600)
    return path.read_text().strip()


@cache
def _fernet() -> MultiFernet:
    raw = settings.FIELD_ENCRYPTION_KEYS or _local_key(".field_keys", lambda: Fernet.generate_key().decode())
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


@cache
def _hash_key() -> bytes:
    raw = settings.FIELD_HASH_KEY or _local_key(".field_hash_key", lambda: Fernet.generate_key().decode())
    return raw.encode()


def reset_key_cache() -> None:
    _fernet.cache_clear()
    _hash_key.cache_clear()


def encrypt(value: str) -> str:
    if value == "":
        return ""
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if token == "":
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt: the key that encrypted this value is not configured") from None


def blind_index(value: str, purpose: str = "") -> str:
    """Keyed hash for equality look-ups; `purpose` separates namespaces (id number vs phone)."""
    return hmac.new(_hash_key(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def encrypted_models():
    """Models that declare ENCRYPTED_FIELDS = [...] (names of ciphertext columns)."""
    return [m for m in apps.get_models() if getattr(m, "ENCRYPTED_FIELDS", None)]


def rotate_all(batch_size: int = 2000) -> dict[str, int]:
    """Re-encrypt every encrypted column with the first configured key."""
    fernet = _fernet()
    counts: dict[str, int] = {}
    for model in encrypted_models():
        fields = list(model.ENCRYPTED_FIELDS)
        done = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                rows = list(
                    model.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", *fields)[:batch_size]
                )
                if not rows:
                    break
                for row in rows:
                    for f in fields:
                        value = getattr(row, f)
                        if value:
                            setattr(row, f, fernet.rotate(value.encode()).decode())
                model.objects.bulk_update(rows, fields, batch_size=batch_size)
            done += len(rows)
            last_pk = rows[-1].pk
        counts[model._meta.label] = done
    return counts
