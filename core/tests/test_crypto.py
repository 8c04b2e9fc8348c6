import base64
import hashlib
import hmac

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from core import crypto


def test_encrypt_roundtrip_and_ciphertext_differs():
    token = crypto.encrypt("11010519491231002X")
    assert token != "11010519491231002X"
    assert "11010519491231002X" not in token
    assert crypto.encrypt("11010519491231002X") != token  # random nonce
    assert crypto.decrypt(token) == "11010519491231002X"
    assert crypto.encrypt("") == ""
    assert crypto.decrypt("") == ""


def test_new_values_are_aes_gcm_tokens_with_a_version_prefix():
    token = crypto.encrypt("张三 13800138000")
    assert token.startswith("a2:")
    # 12-byte nonce + ciphertext as long as the UTF-8 plaintext + 16-byte tag, URL-safe base64
    blob = base64.urlsafe_b64decode(token[3:])
    assert len(blob) == 12 + len("张三 13800138000".encode()) + 16
    assert crypto.decrypt(token) == "张三 13800138000"


def test_tampered_token_is_refused():
    token = crypto.encrypt("13800138000")
    blob = bytearray(base64.urlsafe_b64decode(token[3:]))
    blob[14] ^= 1
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt("a2:" + base64.urlsafe_b64encode(bytes(blob)).decode())
    with pytest.raises(ValueError, match="cannot decrypt"):
        crypto.decrypt("a2:!!!")


def test_existing_fernet_tokens_still_decrypt(settings):
    key = settings.FIELD_ENCRYPTION_KEYS.split(",")[0]
    legacy = Fernet(key.encode()).encrypt(b"11010519491231002X").decode()
    assert crypto.decrypt(legacy) == "11010519491231002X"


def test_token_of_an_unknown_key_is_refused(settings):
    token = crypto.encrypt("secret")
    legacy = crypto._fernet().encrypt(b"secret").decode()
    settings.FIELD_ENCRYPTION_KEYS = Fernet.generate_key().decode()
    crypto.reset_key_cache()
    for t in (token, legacy):
        with pytest.raises(ValueError, match="not configured"):
            crypto.decrypt(t)


def test_blind_index_is_stable_and_namespaced():
    assert crypto.blind_index("13800138000", "phone") == crypto.blind_index("13800138000", "phone")
    assert crypto.blind_index("13800138000", "phone") != crypto.blind_index("13800138000", "id")
    assert len(crypto.blind_index("x")) == 64


@pytest.mark.parametrize("key", ["short", "test-hash-key-not-secret", "k" * 64, "长" * 40])
def test_blind_index_is_plain_hmac_sha256(settings, key):
    """Stored blind indexes must keep matching: the fast path is exactly HMAC-SHA256."""
    settings.FIELD_HASH_KEY = key
    crypto.reset_key_cache()
    for value, purpose in (("13800138000", "member.phone"), ("11010519491231002X", "member.id_number")):
        expected = hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
        assert crypto.blind_index(value, purpose) == expected


def test_rotation_reencrypts_with_the_new_first_key(settings, world):
    from members.models import Member
    from members.tests.factories import make_member

    old_key = settings.FIELD_ENCRYPTION_KEYS
    token = crypto.encrypt("secret")
    m = make_member(world)
    legacy = crypto._fernet().encrypt(b"11010519491231002X").decode()
    Member.objects.filter(pk=m.pk).update(id_number_enc=legacy)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key},{old_key}"
    crypto.reset_key_cache()
    assert crypto.decrypt(token) == "secret"  # old ciphertext still readable during rotation
    assert crypto.decrypt(legacy) == "11010519491231002X"
    call_command("rotate_field_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rotated = crypto.encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = new_key
    crypto.reset_key_cache()
    assert crypto.decrypt(rotated) == "secret"
    m.refresh_from_db()
    assert m.id_number_enc.startswith("a2:")
    assert crypto.decrypt(m.id_number_enc) == "11010519491231002X"
    with pytest.raises(ValueError, match="not configured"):
        crypto.decrypt(token)  # encrypted with the dropped key only
