from cryptography.fernet import Fernet
from django.core.management import call_command

from core import crypto


def test_encrypt_roundtrip_and_ciphertext_differs():
    token = crypto.encrypt("11010519491231002X")
    assert token != "11010519491231002X"
    assert crypto.encrypt("11010519491231002X") != token  # random IV
    assert crypto.decrypt(token) == "11010519491231002X"
    assert crypto.encrypt("") == ""


def test_blind_index_is_stable_and_namespaced():
    assert crypto.blind_index("13800138000", "phone") == crypto.blind_index("13800138000", "phone")
    assert crypto.blind_index("13800138000", "phone") != crypto.blind_index("13800138000", "id")
    assert len(crypto.blind_index("x")) == 64


def test_rotation_reencrypts_with_the_new_first_key(settings, db):
    old_key = settings.FIELD_ENCRYPTION_KEYS
    token = crypto.encrypt("secret")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = f"{new_key},{old_key}"
    crypto.reset_key_cache()
    assert crypto.decrypt(token) == "secret"  # old ciphertext still readable during rotation
    call_command("rotate_field_key", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rotated = crypto.encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = new_key
    crypto.reset_key_cache()
    assert crypto.decrypt(rotated) == "secret"
