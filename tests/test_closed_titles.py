"""A closed item reaches the public under its public title only (issue 8, defect 7).

Closing an item requires a public title; the office prefills the neutral "Lukket punkt";
an agenda with a closed item lacking one is not published; and a public document never
falls back to the internal title.
"""

from __future__ import annotations

import dataclasses
import io

import pypdf
import pytest

from gremium.demo.seed import seed_document
from gremium.documents.variants import make_variant
from gremium.lib.document_structure import Audience, DocumentKind, Item
from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.from_document import meeting_store_document
from gremium.meetings.models import AgendaItem, MeetingState
from tests.factories import MeetingFactory, SecretaryAssignmentFactory

pytestmark = pytest.mark.django_db
INTERNAL_TITLE = "Personsag vedr. Jens Hansen, Slotsgade 3"


def test_adding_a_closed_item_without_public_title_is_refused(actor):
    meeting = MeetingFactory()
    with pytest.raises(DomainError, match="Offentlig titel"):
        services.agenda_item_add(meeting=meeting, title=INTERNAL_TITLE, public=False, by=actor)
    with pytest.raises(DomainError, match="Offentlig titel"):
        services.agenda_item_add(
            meeting=meeting, title=INTERNAL_TITLE, public=False, public_title="  ", by=actor
        )
    assert not AgendaItem.objects.exists()


def test_closing_an_item_without_public_title_is_refused(actor):
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title=INTERNAL_TITLE, by=actor)
    with pytest.raises(DomainError, match="Offentlig titel"):
        services.agenda_item_update(
            item=item, public=False, expected_version=item.version, by=actor
        )
    with pytest.raises(DomainError, match="Offentlig titel"):
        services.agenda_item_edit(
            item=item,
            expected_version=item.version,
            title=item.title,
            public=False,
            public_title="",
            sections=[],
            by=actor,
        )
    item.refresh_from_db()
    assert item.public and item.version == 1


def test_publishing_refuses_closed_items_without_public_title(actor):
    meeting = MeetingFactory()
    first = services.agenda_item_add(meeting=meeting, title="Åbent", by=actor)
    second = services.agenda_item_add(meeting=meeting, title=INTERNAL_TITLE, by=actor)
    third = services.agenda_item_add(meeting=meeting, title="Grundsalg", by=actor)
    # As a record from before this rule (or a data repair in the admin) would hold them.
    AgendaItem.objects.filter(pk__in=[second.pk, third.pk]).update(public=False, public_title="")
    with pytest.raises(DomainError) as refused:
        services.meeting_publish_agenda(meeting=meeting, by=actor)
    message = refused.value.message
    assert f"{second.number}, {third.number}" in message and "Offentlig titel" in message
    assert str(first.number) not in message.split(":")[0]
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_the_public_variant_never_shows_the_internal_title():
    closed = Item(number=7, title=INTERNAL_TITLE, public=False)
    document = dataclasses.replace(seed_document(), items=(closed,))
    shown = make_variant(document, DocumentKind.AGENDA, Audience.PUBLIC).items[0]
    assert shown.title == "Lukket punkt"
    for public_title, title in [
        ("Ejendomssag", "Lukket punkt: Ejendomssag"),
        ("Lukket punkt", "Lukket punkt"),
        ("Lukket punkt: Personalesag", "Lukket punkt: Personalesag"),
    ]:
        item = dataclasses.replace(closed, public_title=public_title)
        document = dataclasses.replace(document, items=(item,))
        assert make_variant(document, DocumentKind.AGENDA, Audience.PUBLIC).items[0].title == title


def test_a_closed_item_of_an_old_record_is_public_under_the_neutral_title(client, actor):
    meeting = MeetingFactory()
    services.agenda_item_add(meeting=meeting, title="Åbent", by=actor)
    item = services.agenda_item_add(meeting=meeting, title=INTERNAL_TITLE, by=actor)
    services.meeting_publish_agenda(meeting=meeting, by=actor)
    # Closed before this rule (or in the admin): no public title.
    AgendaItem.objects.filter(pk=item.pk).update(public=False, public_title="")
    for url in (f"/moeder/{meeting.pk}/", f"/moeder/{meeting.pk}/dagsorden.pdf"):
        response = client.get(url)
        text = _text(response) if url.endswith(".pdf") else response.content.decode()
        assert INTERNAL_TITLE not in text and "Jens Hansen" not in text, url
        assert f"Punkt {item.number}: Lukket punkt" in text, url


def _text(response) -> str:  # type: ignore[no-untyped-def]
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_an_imported_closed_item_without_public_title_gets_the_neutral_one(actor):
    seed = seed_document()
    closed = dataclasses.replace(seed.items[1], public=False, public_title="")
    document = dataclasses.replace(seed, items=(seed.items[0], closed, *seed.items[2:]))
    meeting = meeting_store_document(document=document, by=actor).meeting
    stored = meeting.items.get(number=closed.number)
    assert (stored.public, stored.public_title) == (False, "Lukket punkt")
    assert meeting_store_document(document=document, by=actor).changed is False


@pytest.fixture
def secretary(client):
    meeting = MeetingFactory()
    client.force_login(SecretaryAssignmentFactory(organization=meeting.organization).user)
    return client, meeting


def test_the_add_item_form_asks_for_the_public_title_prefilled(secretary):
    client, meeting = secretary
    html = client.get(f"/kontor/moeder/{meeting.pk}/").content.decode()
    assert 'name="new-item-public_title"' in html and 'value="Lukket punkt"' in html
    url = f"/kontor/moeder/{meeting.pk}/punkter/nyt/"
    form = {"new-item-title": INTERNAL_TITLE}
    refused = client.post(url, {**form, "new-item-public_title": ""}, follow=True)
    assert "Offentlig titel" in refused.content.decode()
    assert not AgendaItem.objects.filter(title=INTERNAL_TITLE).exists()
    client.post(url, {**form, "new-item-public_title": "Personalesag"})
    item = AgendaItem.objects.get(title=INTERNAL_TITLE)
    assert (item.public, item.public_title) == (False, "Personalesag")


def test_the_item_form_prefills_and_requires_the_public_title(secretary, actor):
    client, meeting = secretary
    item = services.agenda_item_add(meeting=meeting, title=INTERNAL_TITLE, by=actor)
    url = f"/kontor/punkter/{item.pk}/"
    legacy = services.agenda_item_add(meeting=meeting, title="Gammelt lukket punkt", by=actor)
    AgendaItem.objects.filter(pk=legacy.pk).update(public=False)  # from before the rule
    assert 'value="Lukket punkt"' in client.get(f"/kontor/punkter/{legacy.pk}/").content.decode()
    form = {"item-version": item.version, "section_count": "0", "item-title": item.title}
    refused = client.post(url, {**form, "item-public_title": "", "save": "1"})
    assert refused.status_code == 400
    assert "Offentlig titel" in refused.content.decode()
    item.refresh_from_db()
    assert item.public
    assert (
        client.post(url, {**form, "item-public_title": "Lukket punkt", "save": "1"}).status_code
        == 302
    )
    item.refresh_from_db()
    assert (item.public, item.public_title) == (False, "Lukket punkt")
