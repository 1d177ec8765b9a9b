"""A published agenda is kept as sent out; later changes are listed on the public page."""

from __future__ import annotations

import io

import pypdf
import pytest

from gremium.adminsite.audit import changes_audited_as
from gremium.audit.services import Actor, write_transaction
from gremium.documents.models import StoredDocument
from gremium.meetings import services
from tests.factories import MeetingFactory, SecretaryAssignmentFactory

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
        public_title="Lukket punkt",
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
    assert "HEMMELIG" not in html  # neither a closed item's text nor its internal title
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


def _page(client, meeting, user=None) -> str:  # type: ignore[no-untyped-def]
    if user is not None:
        client.force_login(user)
    return client.get(f"/moeder/{meeting.pk}/").content.decode()


def test_a_deleted_closed_item_leaves_nothing_on_the_public_list(client, actor):
    # Issue 8, defect 3: edited and given an attachment after publication, then deleted.
    meeting = _published(actor)
    secret = meeting.items.get(public=False)
    section = secret.sections.get()
    services.agenda_item_edit(
        item=secret,
        expected_version=secret.version,
        title=secret.title,
        public=False,
        public_title=secret.public_title,
        sections=[("Sagsfremstilling HEMMELIG-OVERSKRIFT", section.body)],
        by=actor,
    )
    services.attachment_add(
        item=secret, filename="HEMMELIG-KØBSAFTALE.txt", content=b"Aftale", by=actor
    )
    services.agenda_item_delete(item=secret, by=actor)
    html = _page(client, meeting)
    assert "Ændringer efter udsendelse af dagsordenen" in html
    assert "HEMMELIG" not in html
    assert "None" not in html
    assert f"Lukket punkt {secret.number}" in html  # its number was public: say it changed
    secretary = SecretaryAssignmentFactory(organization=meeting.organization).user
    internal = _page(client, meeting, secretary)
    assert "None" not in internal
    assert "bilag tilføjet: HEMMELIG-KØBSAFTALE" in internal  # the secretariat reads all


def test_an_item_closed_later_shows_the_public_only_its_number(client, actor):
    meeting = _published(actor)
    budget = meeting.items.get(title="Budget 2027")
    budget = services.agenda_item_update(
        item=budget, title="Budget 2027 med navnet Jens", expected_version=budget.version, by=actor
    )
    services.agenda_item_update(
        item=budget,
        public=False,
        public_title="Lukket punkt",
        expected_version=budget.version,
        by=actor,
    )
    html = _page(client, meeting)
    assert "Jens" not in html
    assert f"Punkt {budget.number} er ændret." in html


def test_a_deleted_open_item_is_named_by_number_only(client, actor):
    meeting = _published(actor)
    budget = meeting.items.get(title="Budget 2027")
    services.section_add(item=budget, heading="Bilagsoversigt", body="", by=actor)
    services.agenda_item_delete(item=budget, by=actor)
    html = _page(client, meeting)
    assert f"Punkt {budget.number} er udgået." in html
    assert "Bilagsoversigt" not in html and "Budget 2027" not in html


def test_an_attachment_made_internal_since_is_no_longer_named(client, actor):
    meeting = _published(actor)
    budget = meeting.items.get(title="Budget 2027")
    added = services.attachment_add(item=budget, filename="Tidsplan.txt", content=b"x", by=actor)
    assert f"Punkt {budget.number}: bilag tilføjet: Tidsplan" in _page(client, meeting)
    with write_transaction(), changes_audited_as(Actor.system("admin")):  # an admin repair
        added.public = False
        added.save()
    assert "Tidsplan" not in _page(client, meeting)
