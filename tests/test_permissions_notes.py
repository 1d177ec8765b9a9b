"""The reading room and the private notes in the permission matrix (the world of
tests/test_permissions.py): every role × the reading room's pages, and a member's note on
the closed item, which no one but its author finds, on any page, in the OParl API, in the
search index or in the audit chain."""

from __future__ import annotations

import pytest
from django.contrib import admin

from gremium.audit.models import AuditRecord
from gremium.notes.models import Note
from gremium.search.models import SearchEntry
from gremium.search.query import parse
from gremium.search.searching import search
from tests.test_permissions import (
    CLOSED_CANARY,
    READS_HELD,
    READS_PLANNED,
    ROLES,
    _client,
    assert_no_canary,
    world,
)

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the shared fixture
NOTE_CANARY = "Kanariefugl-note-6021"


def _closed_item(world):  # type: ignore[no-untyped-def]
    return world.held.items.get(public=False)


@pytest.fixture
def noted(world):  # type: ignore[no-untyped-def]
    item = _closed_item(world)
    client = _client(world, "member")
    text = f"Husk notesoegeord {NOTE_CANARY}"
    response = client.post(f"/medlem/punkter/{item.pk}/note/", {f"note-punkt-{item.pk}-text": text})
    assert response.status_code == 302
    return world


def _reading_urls(world) -> list[tuple[str, set[str] | None]]:  # type: ignore[no-untyped-def]
    planned_item = world.planned.items.first()
    return [
        ("/medlem/", None),
        (f"/medlem/moeder/{world.held.pk}/", READS_HELD),
        (f"/medlem/punkter/{_closed_item(world).pk}/", READS_HELD),
        (f"/medlem/moeder/{world.planned.pk}/", READS_PLANNED),
        (f"/medlem/punkter/{planned_item.pk}/", READS_PLANNED),
        ("/medlem/meddelelser/", None),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_reading_room_matrix(noted, role):
    world = noted
    client = _client(world, role)
    for url, opens_for in _reading_urls(world):
        response = client.get(url)
        if world.users[role] is None:
            assert response.status_code == 302, (role, url)
            assert response["Location"].startswith("/konto/log-ind/")
            continue
        expected = 200 if opens_for is None or role in opens_for else 404
        assert response.status_code == expected, (role, url, response.status_code)
        text = response.content.decode()
        assert_no_canary(role, url, text, world)
        if role != "member":
            assert NOTE_CANARY not in text, (role, url)
    if role in READS_HELD:
        page = client.get(f"/medlem/punkter/{_closed_item(world).pk}/").content.decode()
        assert CLOSED_CANARY in page  # insiders read the closed item's text here
        assert (NOTE_CANARY in page) == (role == "member")


@pytest.mark.parametrize("role", ROLES)
def test_no_one_else_finds_the_note_anywhere(noted, role):
    world = noted
    client = _client(world, role)
    urls = [
        *world.urls,
        "/soeg/?q=notesoegeord",
        "/oparl/v1.1/",
        f"/oparl/v1.1/meeting/{world.held.pk}",
        f"/oparl/v1.1/agendaItem/{_closed_item(world).pk}",
    ]
    for url in urls:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
        assert NOTE_CANARY.encode() not in body, (role, url)
    assert search(world.users[role], parse("notesoegeord")).total == 0


def test_note_is_in_no_audit_entry_index_or_admin(noted):
    assert Note.objects.filter(text__contains=NOTE_CANARY).count() == 1  # it was saved
    assert not [r for r in AuditRecord.objects.all() if NOTE_CANARY in str(r.__dict__)]
    assert not SearchEntry.objects.filter(text__contains=NOTE_CANARY).exists()
    assert Note not in admin.site._registry  # the administrator reads no one's notes
