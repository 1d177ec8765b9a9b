from __future__ import annotations

import pytest

from gremium.audit.services import Actor


@pytest.fixture
def actor() -> Actor:
    return Actor.system("test")


@pytest.fixture
def demo_meeting(db):
    from gremium.demo.seed import seed_document
    from gremium.meetings.from_document import meeting_store_document

    return meeting_store_document(document=seed_document(), by=Actor.system("test")).meeting


@pytest.fixture(autouse=True)
def _empty_cache():
    # Login throttling counts in the cache: every test starts with no failures.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds per test user; production keeps the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
