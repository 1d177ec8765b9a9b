"""A published agenda is kept as sent out; later changes are listed on the public page."""

from __future__ import annotations

import io

import pypdf
import pytest

from gremium.documents.models import StoredDocument
from gremium.meetings import services
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _published(actor):
    meeting = MeetingFactory()
    services.agenda_item_add(
        meeting=meeting,
        title="Budget 2027",
        by=actor,
        sections=[("Sagsfremstilling", "Oprindelig tekst.")],
    )
    services.agenda_item_add(
        meeting=meeting,
        title="Grundsalg",
        public=False,
        by=actor,
        sections=[("Sagsfremstilling", "HEMMELIG-KØBESUM 4,2 mio.")],
    )
    return services.meeting_publish_agenda(meeting=meeting, by=actor)


def _text(pdf: bytes) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_publishing_keeps_the_agenda_pdf_for_the_public_and_for_members(actor):
    meeting = _published(actor)
    stored = {d.audience for d in StoredDocument.objects.filter(meeting=meeting, kind="agenda")}
    assert stored == {"public", "internal"}


def test_later_changes_are_listed_and_the_published_agenda_stays(client, actor):
    meeting = _published(actor)
    budget, secret = meeting.items.order_by("order")
    services.agenda_item_update(
        item=budget, title="Budget 2027 – revideret", expected_version=budget.version, by=actor
    )
    services.agenda_item_update(
        item=secret, title="Grundsalg til HEMMELIG KØBER", expected_version=secret.version, by=actor
    )
    services.agenda_item_add(meeting=meeting, title="Ekstra punkt", by=actor)
    html = client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert "Ændringer efter udsendelse af dagsordenen" in html
    assert f"Punkt {budget.number} har fået ny titel: Budget 2027 – revideret" in html
    assert f"Lukket punkt {secret.number} er ændret." in html
    assert "HEMMELIG-KØBESUM" not in html  # a closed item's title is public; its text not
    assert "er tilføjet: Ekstra punkt" in html
    sent = client.get(f"/moeder/{meeting.pk}/dagsorden-udsendt.pdf")
    assert sent.status_code == 200
    assert "revideret" not in _text(sent.content)
    assert "HEMMELIG-KØBESUM" not in _text(sent.content)
    current = client.get(f"/moeder/{meeting.pk}/dagsorden.pdf")
    assert "revideret" in _text(current.content)


def test_changes_before_publication_are_not_listed(client, actor):
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Første udkast", by=actor)
    services.agenda_item_update(
        item=item, title="Andet udkast", expected_version=item.version, by=actor
    )
    services.meeting_publish_agenda(meeting=meeting, by=actor)
    html = client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert "Ændringer efter udsendelse" not in html
