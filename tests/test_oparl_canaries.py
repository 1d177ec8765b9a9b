"""The canary matrix extended to the OParl API: closed content, internal attachments,
unpublished meetings and deleted or withdrawn content reach no OParl object and no File,
whoever asks (the API is public: a logged-in member or administrator gets what anyone
gets). Removed objects appear only as `deleted: true` stubs, and only to a client asking
for changes (`modified_since`)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pypdf
import pytest
from django.test import Client

from gremium.audit.services import Actor
from gremium.meetings import services
from tests.factories import MeetingFactory
from tests.oparl_archive import CANARIES, generate
from tests.oparl_crawler import Crawler, Report, django_get
from tests.test_permissions import (
    CLOSED_CANARY,
    CLOSED_TITLE_CANARY,
    DELETED_CANARY,
    PLANNED_CANARY,
    _client,
    world,
)
from tests.test_permissions_documents import files

pytestmark = pytest.mark.django_db
__all__ = ["files", "world"]  # the shared fixtures
SYSTEM = "http://testserver/oparl/v1.1/"
EPOCH = quote("2000-01-01T00:00:00+00:00")


def _file_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"] == "application/pdf":
        reader = pypdf.PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() for page in reader.pages)
    return body.decode("utf-8", errors="replace")


def everything(client: Client) -> tuple[Report, str]:
    """Every answer of a crawl, every File's content at both of its URLs, and every list
    again as changes since long ago (with the removed objects as stubs)."""
    crawler = Crawler(django_get(client))
    report = crawler.crawl(SYSTEM)
    texts = list(report.texts)
    for found in report.by_type("File"):
        texts += [_file_text(client, found["accessUrl"]), _file_text(client, found["downloadUrl"])]
    for url in list(report.lists):
        if "/body/" in url:
            crawler.walk_list(f"{url}?modified_since={EPOCH}", stub_ok=True)
    return report, "\n".join([*texts, *report.texts])


def assert_absent(text: str, canaries: tuple[str, ...]) -> None:
    for canary in canaries:
        assert canary not in text, canary


@pytest.mark.parametrize("role", ["anonymous", "member", "secretary", "admin"])
def test_the_permission_world_leaks_nothing_to_the_api(world, files, role):
    report, text = everything(_client(world, role))
    assert report.errors == []
    assert_absent(text, (CLOSED_CANARY, CLOSED_TITLE_CANARY, DELETED_CANARY, PLANNED_CANARY))
    assert f"meeting/{world.planned.pk}" not in text
    # The public attachment is a File; the closed item's, the internal and the planned
    # meeting's are not.
    names = {f.get("name") for f in report.by_type("File")}
    assert "plan" in names
    assert not names & {"tilbud", "notat", "udkast"}


def test_the_planned_meeting_does_not_exist_for_the_api(world, client):
    assert client.get(f"{SYSTEM}meeting/{world.planned.pk}").status_code == 404
    for item in world.planned.items.all():
        assert client.get(f"{SYSTEM}agendaItem/{item.pk}").status_code == 404


@pytest.fixture
def archive():  # type: ignore[no-untyped-def]
    return generate(10)


def test_a_generated_archive_leaks_nothing(archive, client):
    report, text = everything(client)
    assert report.errors == []
    assert_absent(text, CANARIES)
    shown = {m["id"] for m in report.by_type("Meeting") if not m.get("deleted")}
    assert shown == {f"{SYSTEM}meeting/{m.pk}" for m in archive.public}
    for meeting in archive.hidden:
        assert client.get(f"{SYSTEM}meeting/{meeting.pk}").status_code == 404


def _changes(client: Client, list_name: str, body_id: int) -> list[dict[str, Any]]:
    crawler = Crawler(django_get(client))
    url = f"{SYSTEM}body/{body_id}/{list_name}?modified_since={EPOCH}"
    elements = crawler.walk_list(url, stub_ok=True)
    assert crawler.report.errors == []
    return elements


def _stubs(elements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in elements if e.get("deleted")}


def test_removed_objects_are_stubs_only_among_changes(archive, client):
    body = archive.body.pk
    (deleted_item,) = archive.deleted_items
    (deleted_meeting,) = archive.deleted_meetings
    (withdrawn,) = archive.withdrawn_items
    item_url = f"{SYSTEM}agendaItem/{deleted_item}"
    meeting_url = f"{SYSTEM}meeting/{deleted_meeting}"

    items = _stubs(_changes(client, "agendaItem", body))
    meetings = _stubs(_changes(client, "meeting", body))
    files = _stubs(_changes(client, "file", body))
    papers = _stubs(_changes(client, "paper", body))
    assert item_url in items and meeting_url in meetings
    for stub in (items[item_url], meetings[meeting_url]):
        assert set(stub) <= {"id", "type", "created", "modified", "deleted", "order"}
    # The deleted item keeps the place it had: after the meeting's four items.
    assert items[item_url]["order"] == 4
    # The deleted meeting's five items went with it, and their files and cases; so did
    # the withdrawn item's file and case.
    gone_meeting = [i for i in items if i != item_url]
    assert len(gone_meeting) == 5
    withdrawn_file = withdrawn.attachments.get(name="trukket")
    assert f"{SYSTEM}file/attachment/{withdrawn_file.pk}" in files
    assert f"{SYSTEM}paper/{withdrawn.paper_id}" in papers
    # Files: the deleted item's one, the withdrawn item's two, the deleted meeting's three.
    assert len(files) == 1 + 2 + 3 and len(papers) == 1 + 3

    # A stub answers at its own URL; without modified_since a list has no stubs.
    for url in (item_url, meeting_url, *files, *papers):
        answer = client.get(url)
        assert answer.status_code == 200 and answer.json()["deleted"] is True
    plain = Crawler(django_get(client))
    for name in ("agendaItem", "meeting", "file", "paper"):
        listed = plain.walk_list(f"{SYSTEM}body/{body}/{name}")
        assert not any(e.get("deleted") for e in listed)
    # The withdrawn item itself stays, closed: number and public title only.
    shown = client.get(f"{SYSTEM}agendaItem/{withdrawn.pk}").json()
    assert shown["public"] is False
    assert shown["name"] == "Lukket punkt: Lukket efter udsendelse"


def test_an_unpublished_meeting_leaves_no_stub(client):
    actor = Actor.system("test")
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Kladde", by=actor)
    services.agenda_item_delete(item=item, by=actor)
    services.meeting_delete(meeting=meeting, by=actor)
    body = meeting.organization.body_id
    for name in ("meeting", "agendaItem", "paper", "file", "consultation"):
        assert _changes(client, name, body) == []
    assert client.get(f"{SYSTEM}meeting/{meeting.pk}").status_code == 404
