"""The members' reading room: the start page, an item read with its attachments inline
(the PDF framed from an access-checked address), private notes on items and attachments
(saved, cleared, all deleted on request, purged after the membership ended) and the search
of the member's own committees, closed items included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from gremium.demo.seed import seed_expected
from gremium.documents.pdf import render_pdf
from gremium.meetings import services
from gremium.notes.models import Note
from gremium.notes.services import note_save
from gremium.organizations.models import Membership
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = render_pdf(seed_expected())
SECRET = "Fortroligt-tilbud-8812"


@pytest.fixture
def room(actor):
    start = timezone.now() + dt.timedelta(days=7)
    meeting = MeetingFactory(organization__name="Teknik- og Miljøudvalget", start=start)
    open_item = services.agenda_item_add(
        meeting=meeting, title="Vejplan", sections=[("Sagsfremstilling", "Om veje.")], by=actor
    )
    closed = services.agenda_item_add(
        meeting=meeting,
        title="Køb af grund",
        public=False,
        public_title="Lukket punkt",
        sections=[("Sagsfremstilling", f"Prisen er {SECRET}")],
        by=actor,
    )
    pdf = services.attachment_add(item=closed, filename="tilbud.pdf", content=PDF, by=actor)
    text = services.attachment_add(item=closed, filename="notat.txt", content=b"Notat", by=actor)
    member = UserFactory(username="laeser")
    MembershipFactory(person=PersonFactory(user=member), organization=meeting.organization)
    outsider = UserFactory(username="udenfor")
    MembershipFactory(person=PersonFactory(user=outsider))
    return {
        "meeting": meeting,
        "open": open_item,
        "closed": closed,
        "pdf": pdf,
        "text": text,
        "member": member,
        "outsider": outsider,
    }


def test_start_page_lists_coming_meetings_and_own_committees(client, room):
    client.force_login(room["member"])
    html = client.get("/medlem/").content.decode()
    assert f'href="/medlem/moeder/{room["meeting"].pk}/"' in html
    assert "Teknik- og Miljøudvalget" in html
    client.force_login(room["outsider"])
    assert f"/medlem/moeder/{room['meeting'].pk}/" not in client.get("/medlem/").content.decode()


def test_item_reads_with_pdf_framed_and_text_shown(client, room):
    client.force_login(room["member"])
    response = client.get(f"/medlem/punkter/{room['closed'].pk}/")
    html = response.content.decode()
    assert SECRET in html
    assert f'<iframe class="pdf" src="/medlem/bilag/{room["pdf"].pk}/vis/"' in html
    assert "frame-src 'self'" in response["Content-Security-Policy"]
    assert "Beskæftigelses- og Borgerserviceudvalget" in html  # the PDF's extracted text
    assert f'href="/medlem/punkter/{room["open"].pk}/" rel="prev"' in html

    inline = client.get(f"/medlem/bilag/{room['pdf'].pk}/vis/")
    assert inline.status_code == 200
    assert b"".join(inline.streaming_content) == PDF
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]
    assert "Content-Disposition" not in inline or "inline" in inline["Content-Disposition"]
    # Only PDFs are framed; anything else is downloaded through the portal.
    assert client.get(f"/medlem/bilag/{room['text'].pk}/vis/").status_code == 404


def test_outsiders_get_nothing(client, room):
    client.force_login(room["outsider"])
    for url in (
        f"/medlem/punkter/{room['closed'].pk}/",
        f"/medlem/moeder/{room['meeting'].pk}/",
        f"/medlem/bilag/{room['pdf'].pk}/vis/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/medlem/punkter/{room['closed'].pk}/note/",
        {f"note-punkt-{room['closed'].pk}-text": "ind ad bagdøren"},
    )
    assert response.status_code == 404
    assert not Note.objects.exists()


def test_notes_on_item_and_attachment_are_the_authors_alone(client, room):
    closed, pdf = room["closed"], room["pdf"]
    client.force_login(room["member"])
    item_field, file_field = f"note-punkt-{closed.pk}-text", f"note-bilag-{pdf.pk}-text"
    client.post(f"/medlem/punkter/{closed.pk}/note/", {item_field: "Spørg-note-551"})
    client.post(f"/medlem/bilag/{pdf.pk}/note/", {file_field: "Bilagsnote-662 <b>"})
    html = client.get(f"/medlem/punkter/{closed.pk}/").content.decode()
    assert ">Spørg-note-551</textarea>" in html
    assert "Bilagsnote-662 &lt;b&gt;</textarea>" in html  # user text is escaped
    assert Note.objects.filter(author=room["member"]).count() == 2

    colleague = UserFactory(username="kollega")
    MembershipFactory(person=PersonFactory(user=colleague), organization=closed.organization)
    client.force_login(colleague)
    html = client.get(f"/medlem/punkter/{closed.pk}/").content.decode()
    assert "Spørg-note-551" not in html and "Bilagsnote-662" not in html

    client.force_login(room["member"])
    client.post(f"/medlem/punkter/{closed.pk}/note/", {item_field: "  "})
    assert list(Note.objects.values_list("text", flat=True)) == ["Bilagsnote-662 <b>"]
    response = client.post("/medlem/noter/slet/")
    assert response.status_code == 302
    assert not Note.objects.exists()


def test_too_long_note_is_refused_and_changes_nothing(client, room):
    closed = room["closed"]
    client.force_login(room["member"])
    client.post(f"/medlem/punkter/{closed.pk}/note/", {f"note-punkt-{closed.pk}-text": "Kort"})
    response = client.post(
        f"/medlem/punkter/{closed.pk}/note/",
        {f"note-punkt-{closed.pk}-text": "x" * 20_001},
        follow=True,
    )
    assert "Noten blev ikke gemt" in response.content.decode()
    assert list(Note.objects.values_list("text", flat=True)) == ["Kort"]


def test_notes_are_purged_after_the_membership_ended(room, settings):
    settings.GREMIUM_NOTES_KEEP_DAYS_AFTER_MEMBERSHIP = 30
    member = room["member"]
    note_save(author=member, text="Min note", item=room["closed"])
    seat = Membership.objects.get(person__user=member)
    seat.end_date = timezone.localdate() - dt.timedelta(days=29)
    seat.save()
    call_command("purge-notes")
    assert Note.objects.count() == 1  # within the period: kept
    seat.end_date = timezone.localdate() - dt.timedelta(days=31)
    seat.save()
    call_command("purge-notes")
    assert not Note.objects.exists()


def test_member_searches_own_committees_closed_items(
    client, room, django_capture_on_commit_callbacks
):
    from gremium.search.indexing import index_meeting

    index_meeting(room["meeting"].pk)
    slug = room["meeting"].organization.slug
    client.force_login(room["member"])
    html = client.get("/medlem/").content.decode()
    assert f'<option value="{slug}">' in html
    found = client.get("/soeg/", {"q": SECRET, "udvalg": slug}).content.decode()
    assert "/punkt/" in found and "Køb af grund" in found
    client.force_login(room["outsider"])
    assert "Køb af grund" not in client.get("/soeg/", {"q": SECRET}).content.decode()


def test_content_is_marked_danish_in_another_interface_language(client, room):
    client.force_login(room["member"])
    client.cookies["django_language"] = "en"
    html = client.get(f"/medlem/punkter/{room['closed'].pk}/").content.decode()
    assert 'lang="en"' in html and "Save note" in html
    assert '<span lang="da">Køb af grund</span>' in html
    client.cookies["django_language"] = "da"
    html = client.get(f"/medlem/punkter/{room['closed'].pk}/").content.decode()
    assert '<span lang="da">' not in html and "Gem note" in html
