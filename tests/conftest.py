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
def _empty_cache(request, django_db_blocker):
    # Login throttling counts in the shared cache, a table of the test database: a test
    # in a transaction leaves none of its rows behind, one that commits (live servers,
    # transaction=True) has its rows removed here. The local cache is the process's memory.
    from django.core.cache import caches

    caches["local"].clear()
    yield
    caches["local"].clear()
    if _commits(request):
        with django_db_blocker.unblock():
            caches["default"].clear()


def _commits(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs seconds per test user; production keeps the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # A request leaves its language active in the thread (Django's LocaleMiddleware does
    # not deactivate): without this, a test after an English or German request would build
    # its data, and anything rendered outside a request, in that language.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
