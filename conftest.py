import pytest

from core.testing.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _fresh_key_cache():
    from core import crypto

    crypto.reset_key_cache()
    yield
