"""The sha512 and text the API publishes for each file: filled in when a file is stored,
and by the migrations for the files stored before."""

from __future__ import annotations

import hashlib
import importlib

import pytest
from django.apps import apps

from gremium.documents.models import StoredDocument
from gremium.meetings import services
from gremium.papers.models import Attachment
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _attachment(actor) -> Attachment:  # type: ignore[no-untyped-def]
    item = services.agenda_item_add(meeting=MeetingFactory(), title="Punkt", by=actor)
    return services.attachment_add(item=item, filename="plan.txt", content=b"Plan", by=actor)


def test_an_attachment_is_stored_with_its_sha512(actor):
    attachment = _attachment(actor)
    assert attachment.sha512 == hashlib.sha512(b"Plan").hexdigest()
    with attachment.file.open("rb") as handle:
        assert handle.read() == b"Plan"


def test_a_kept_pdf_is_stored_with_its_sha512_and_text(actor):
    meeting = MeetingFactory()
    services.agenda_item_add(meeting=meeting, title="Skolestruktur", by=actor)
    services.meeting_publish_agenda(meeting=meeting, by=actor)
    stored = StoredDocument.objects.get(meeting=meeting, audience="public")
    with stored.file.open("rb") as handle:
        assert hashlib.sha512(handle.read()).hexdigest() == stored.sha512
    assert "Skolestruktur" in stored.text and "\r" not in stored.text


def test_the_migrations_fill_in_the_files_stored_before(actor):
    attachment = _attachment(actor)
    meeting = attachment.agenda_item.meeting  # type: ignore[union-attr]
    services.meeting_publish_agenda(meeting=meeting, by=actor)
    Attachment.objects.update(sha512="")
    StoredDocument.objects.update(sha512="", text="")
    papers = importlib.import_module("gremium.papers.migrations.0003_file_facts")
    documents = importlib.import_module(
        "gremium.documents.migrations.0005_storeddocument_sha512_text"
    )
    papers.fill_sha512(apps, None)
    documents.fill(apps, None)
    attachment.refresh_from_db()
    assert attachment.sha512 == hashlib.sha512(b"Plan").hexdigest()
    assert all(d.sha512 and "Punkt" in d.text for d in StoredDocument.objects.all())
