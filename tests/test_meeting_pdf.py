"""The meeting page offers its PDFs; approved minutes are served as stored."""

from __future__ import annotations

import hashlib
import io

import pypdf
import pytest

from gremium.documents.models import StoredDocument
from gremium.meetings.models import AgendaItem, MeetingState

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_meeting_page_links_to_agenda_and_minutes_pdfs(client, demo_meeting):
    html = client.get(f"/moeder/{demo_meeting.pk}/").content.decode()
    for variant in ("dagsorden", "referat", "samlet-referat"):
        assert f'href="/moeder/{demo_meeting.pk}/{variant}.pdf"' in html


def test_public_minutes_pdf_hides_a_closed_item(client, demo_meeting, actor):
    from gremium.meetings import services

    item = AgendaItem.objects.get(number=16)
    services.agenda_item_update(
        item=item, by=actor, expected_version=None, public=False, public_title="Et lukket punkt"
    )
    response = client.get(f"/moeder/{demo_meeting.pk}/referat.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Resultat af KL borgerundersøgelse" in text
    assert "345 virksomheder" not in text  # punkt 16's account
    assert "Lukket punkt" in text


def test_unknown_variant_is_not_found(client, demo_meeting):
    assert client.get(f"/moeder/{demo_meeting.pk}/hemmeligt.pdf").status_code == 404


def test_approved_minutes_are_stored_once_and_served_as_stored(client, demo_meeting):
    type(demo_meeting).objects.filter(pk=demo_meeting.pk).update(state=MeetingState.APPROVED)
    first = client.get(f"/moeder/{demo_meeting.pk}/referat.pdf").content
    stored = StoredDocument.objects.get()
    assert stored.sha256 == hashlib.sha256(first).hexdigest()
    # A later change to the data (a repair in the admin, say) must not alter what is served.
    AgendaItem.objects.filter(number=12).update(title="Ændret efter godkendelse")
    second = client.get(f"/moeder/{demo_meeting.pk}/referat.pdf").content
    assert second == first
    assert StoredDocument.objects.count() == 1


def test_a_reservation_about_a_closed_item_is_not_shown_to_the_public(demo_meeting, actor):
    from gremium.documents.build import build_document
    from gremium.lib.document_structure import Audience, DocumentKind
    from gremium.meetings import services
    from gremium.organizations.models import Person

    closed = AgendaItem.objects.get(number=16)
    services.agenda_item_update(
        item=closed, by=actor, expected_version=None, public=False, public_title="Et lukket punkt"
    )
    member = Person.objects.get(name="Inga Lykke")
    services.minutes_approve(
        meeting=demo_meeting,
        person=member,
        by=actor,
        reservation="Jeg kan ikke støtte den hemmelige aftale",
        reservation_item=closed,
    )
    internal = build_document(demo_meeting, kind=DocumentKind.MINUTES, audience=Audience.INTERNAL)
    public = build_document(demo_meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    assert "hemmelige aftale" in internal.signatures[0].reservation
    assert [s.reservation for s in public.signatures if s.name == "Inga Lykke"] == [
        "Forbehold vedrørende et lukket punkt"
    ]


def test_text_the_pdf_fonts_cannot_show_breaks_neither_publishing_nor_the_pdfs(client, actor):
    from gremium.meetings import services
    from tests.factories import MeetingFactory

    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Sommerfest 🎉", by=actor)
    services.section_add(item=item, heading="Sagsfremstilling", body="Tak 👍 \uf0b7 王", by=actor)
    services.meeting_publish_agenda(meeting=meeting, by=actor)  # stores the agenda PDF
    for variant in ("dagsorden", "dagsorden-udsendt", "samlet-dagsorden"):
        response = client.get(f"/moeder/{meeting.pk}/{variant}.pdf")
        assert response.status_code == 200
        assert "Sommerfest" in _text(response.content)
