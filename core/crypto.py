"""Encryption at rest for sensitive personal fields (PIPL art. 28, 51).

Each sensitive value is stored as authenticated ciphertext beside a keyed HMAC-SHA256 "blind index"
used for uniqueness and exact look-up, and usually a masked copy for display.

Ciphertext formats (`decrypt` reads both):

- ``a2:`` + URL-safe base64 of ``nonce (12 bytes) || AES-256-GCM ciphertext || tag (16 bytes)``,
  with the ``a2:`` prefix as associated data. Written by `encrypt` since the import speed-up
  (about 6× cheaper than Fernet per value). The 256-bit AES key is derived from each configured
  key with HKDF-SHA256 (info ``gonghui field encryption a2``), so the keys themselves and their
  format are unchanged. Nonces are random (96 bits, `os.urandom`); NIST SP 800-38D allows 2**32
  encryptions per key with random nonces, far above what a federation's registry writes (millions
  of values, each rewritten on rotation), and `rotate_field_key` starts a fresh key anyway.
- Fernet tokens (AES-128-CBC + HMAC-SHA256, ``gAAAA…``): everything written before. Still read;
  `rotate_field_key` rewrites them in the ``a2:`` format.

Keys come from FIELD_ENCRYPTION_KEYS (comma separated Fernet keys, i.e. URL-safe base64 of 32 random
bytes; the first encrypts, all decrypt) and FIELD_HASH_KEY; for local use they are generated once
into git-ignored files under var/. Rotation: put a new key first, run `manage.py rotate_field_key`,
then drop the old key.
"""

import base64
import binascii
import hashlib
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.db import transaction

PREFIX = "a2:"
_AAD = PREFIX.encode()
_NONCE = 12


def _local_key(filename: str, factory) -> str:
    from config.settings.base import VAR_DIR

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(factory())
        path.chmod(0o600)
    return path.read_text().strip()


@cache
def _keys() -> tuple[str, ...]:
    raw = settings.FIELD_ENCRYPTION_KEYS or _local_key(".field_keys", lambda: Fernet.generate_key().decode())
    keys = tuple(k.strip() for k in raw.split(",") if k.strip())
    for k in keys:
        Fernet(k.encode())  # refuses a malformed key at first use, as before
    return keys


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in _keys()])


def _aes_key(key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"gonghui field encryption a2").derive(
        base64.urlsafe_b64decode(key.encode())
    )


@cache
def _aeads() -> tuple[AESGCM, ...]:
    return tuple(AESGCM(_aes_key(k)) for k in _keys())


@cache
def _hash_key() -> bytes:
    raw = settings.FIELD_HASH_KEY or _local_key(".field_hash_key", lambda: Fernet.generate_key().decode())
    return raw.encode()


@cache
def _hmac_pads() -> tuple:
    """HMAC-SHA256 (RFC 2104) inner and outer states for the hash key, computed once: the blind
    index is the same as hmac.new(key, msg, sha256) at a third of the cost per value."""
    key = _hash_key()
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return (
        hashlib.sha256(bytes(b ^ 0x36 for b in key)),
        hashlib.sha256(bytes(b ^ 0x5C for b in key)),
    )


def reset_key_cache() -> None:
    for f in (_keys, _fernet, _aeads, _hash_key, _hmac_pads):
        f.cache_clear()


def encrypt(value: str) -> str:
    if value == "":
        return ""
    nonce = os.urandom(_NONCE)
    sealed = _aeads()[0].encrypt(nonce, value.encode(), _AAD)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if token == "":
        return ""
    if token.startswith(PREFIX):
        try:
            blob = base64.urlsafe_b64decode(token[len(PREFIX) :].encode())
        except (binascii.Error, ValueError):
            raise ValueError("cannot decrypt: malformed ciphertext") from None
        if len(blob) < _NONCE + 16:
            raise ValueError("cannot decrypt: malformed ciphertext")
        nonce, sealed = blob[:_NONCE], blob[_NONCE:]
        for aead in _aeads():
            try:
                return aead.decrypt(nonce, sealed, _AAD).decode()
            except InvalidTag:
                continue
        raise ValueError("cannot decrypt: the key that encrypted this value is not configured")
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt: the key that encrypted this value is not configured") from None


def blind_index(value: str, purpose: str = "") -> str:
    """Keyed hash for equality look-ups; `purpose` separates namespaces (id number vs phone).
    HMAC-SHA256 of "purpose:value" under FIELD_HASH_KEY, as hex."""
    inner, outer = _hmac_pads()
    i = inner.copy()
    i.update(f"{purpose}:{value}".encode())
    o = outer.copy()
    o.update(i.digest())
    return o.hexdigest()


def encrypted_models():
    """Models that declare ENCRYPTED_FIELDS = [...] (names of ciphertext columns)."""
    return [m for m in apps.get_models() if getattr(m, "ENCRYPTED_FIELDS", None)]


def rotate(token: str) -> str:
    """The same plaintext encrypted afresh with the first key (in the current format)."""
    return encrypt(decrypt(token)) if token else token


def rotate_all(batch_size: int = 2000) -> dict[str, int]:
    """Re-encrypt every encrypted column with the first configured key."""
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
                            setattr(row, f, rotate(value))
                model.objects.bulk_update(rows, fields, batch_size=batch_size)
            done += len(rows)
            last_pk = rows[-1].pk
        counts[model._meta.label] = done
    return counts
