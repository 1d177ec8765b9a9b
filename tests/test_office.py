"""The office through HTTP: the secretary prepares and records, members approve."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gremium.audit.models import AuditRecord
from gremium.meetings.models import AgendaItem, Meeting, MeetingState
from gremium.organizations.models import MembershipRole
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretaryAssignmentFactory,
    UserFactory,
)
from tests.hostile_files import simple_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_client(client):
    organization = OrganizationFactory(name="Børne- og Uddannelsesudvalget")
    assignment = SecretaryAssignmentFactory(organization=organization)
    client.force_login(assignment.user)
    client.organization = organization
    return client


def _create_meeting(client) -> Meeting:
    response = client.post(
        "/kontor/moeder/nyt/",
        {
            "meeting-organization": client.organization.pk,
            "meeting-start": "2026-03-02T16:00",
            "meeting-name": "",
        },
    )
    assert response.status_code == 302, response.content
    return Meeting.objects.get()


def test_new_meeting_starts_with_the_standing_items_numbered_on(secretary_client):
    meeting = _create_meeting(secretary_client)
    items = list(meeting.items.order_by("order"))
    assert [i.title for i in items] == [
        "Godkendelse af dagsorden",
        "Gensidig orientering",
        "Eventuelt",
        "Underskriftsside",
    ]
    assert [i.number for i in items] == [1, 2, 3, 4]
    assert [i.decision_required for i in items] == [True, False, False, False]
    response = secretary_client.post(
        f"/kontor/moeder/{meeting.pk}/punkter/nyt/",
        {
            "new-item-title": "Skolestruktur",
            "new-item-public": "on",
            "new-item-reference": "26/123",
        },
    )
    assert response.status_code == 302
    titles = list(meeting.items.order_by("order").values_list("number", "title"))
    # New items go before the closing standing items, and the numbers follow the order.
    assert titles[1] == (2, "Skolestruktur")
    assert titles[-1] == (5, "Underskriftsside")
    assert AgendaItem.objects.get(title="Skolestruktur").paper.reference == "26/123"


def test_move_item_up_renumbers(secretary_client):
    meeting = _create_meeting(secretary_client)
    eventuelt = meeting.items.get(title="Eventuelt")
    secretary_client.post(f"/kontor/punkter/{eventuelt.pk}/flyt/", {"direction": "up"})
    assert list(meeting.items.order_by("order").values_list("title", "number"))[1:3] == [
        ("Eventuelt", 2),
        ("Gensidig orientering", 3),
    ]


def test_bad_input_names_the_field_and_changes_nothing(secretary_client):
    response = secretary_client.post(
        "/kontor/moeder/nyt/",
        {"meeting-organization": secretary_client.organization.pk, "meeting-start": "i morgen"},
        follow=True,
    )
    assert "Mødestart" in response.content.decode()
    assert not Meeting.objects.exists()


def test_item_text_with_preview_and_stale_edit_keeps_my_text(secretary_client, client):
    meeting = _create_meeting(secretary_client)
    item = meeting.items.first()
    url = f"/kontor/punkter/{item.pk}/"
    form = {
        "item-version": item.version,
        "section_count": "0",
        "item-title": item.title,
        "item-public": "on",
        "item-public_title": "",
        "item-heading_0": "Indstilling",
        "item-body_0": "**Godkendes**",
    }
    preview = secretary_client.post(url, {**form, "preview": "1"})
    assert "<strong>Godkendes</strong>" in preview.content.decode()
    item.refresh_from_db()
    assert not item.sections.exists()  # a preview saves nothing
    assert secretary_client.post(url, {**form, "save": "1"}).status_code == 302
    assert item.sections.get().body == "**Godkendes**"
    # Now a second editor saves with the version they loaded before the first save.
    stale = secretary_client.post(url, {**form, "item-body_0": "Min egen tekst", "save": "1"})
    html = stale.content.decode()
    assert stale.status_code == 409
    assert "ændret af en anden" in html
    assert "Min egen tekst" in html and "**Godkendes**" in html
    assert item.sections.get().body == "**Godkendes**"


def test_attachment_limits(secretary_client, settings):
    settings.GREMIUM_MAX_UPLOAD_MB = 1
    meeting = _create_meeting(secretary_client)
    item = meeting.items.first()
    url = f"/kontor/punkter/{item.pk}/bilag/"
    pdf = simple_pdf("Notat")
    ok = SimpleUploadedFile("notat.pdf", pdf, content_type="application/pdf")
    secretary_client.post(url, {"attachment-file": ok, "attachment-public": "on"})
    attachment = item.attachments.get()
    assert (attachment.mime_type, attachment.size) == ("application/pdf", len(pdf))
    assert len(attachment.sha256) == 64
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    html = secretary_client.post(url, {"attachment-file": fake}, follow=True).content.decode()
    assert "Filen virus.pdf kan ikke bruges: indholdet er ikke en PDF-fil." in html
    exe = SimpleUploadedFile("prog.exe", b"MZ", content_type="application/octet-stream")
    assert (
        "ikke tilladt"
        in secretary_client.post(url, {"attachment-file": exe}, follow=True).content.decode()
    )
    big = SimpleUploadedFile("stor.txt", b"a" * (1024 * 1024 + 1), content_type="text/plain")
    html = secretary_client.post(url, {"attachment-file": big}, follow=True).content.decode()
    assert "filen er 1,0 MB; højst 1 MB" in html
    assert item.attachments.count() == 1


def _record_and_publish(client, meeting, members):
    url = f"/kontor/moeder/{meeting.pk}/"
    assert (
        client.post(url + "status/", {"action": "publish_agenda", "confirm": "yes"}).status_code
        == 302
    )
    client.post(url + "status/", {"action": "mark_held"})
    client.post(url + "fremmoede/", {f"attendance-status_{p.pk}": "present" for p in members})
    item = meeting.items.get(title="Godkendelse af dagsorden")
    client.post(
        f"/kontor/punkter/{item.pk}/beslutning/",
        {"decision-outcome": "godkendt", "decision-text": ""},
    )
    client.post(url + "status/", {"action": "publish_minutes", "confirm": "yes"})
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_PUBLISHED
    return item


def test_members_approve_withdraw_and_an_addendum_asks_again(secretary_client, client):
    meeting = _create_meeting(secretary_client)
    users = [UserFactory() for _ in range(2)]
    members = [
        MembershipFactory(
            organization=meeting.organization,
            person=PersonFactory(user=user),
            role=MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER,
        ).person
        for n, user in enumerate(users)
    ]
    item = _record_and_publish(secretary_client, meeting, members)
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(users[0])
    second.force_login(users[1])
    assert f"/kontor/moeder/{meeting.pk}/godkend/" in first.get("/kontor/").content.decode()
    url = f"/kontor/moeder/{meeting.pk}/godkend/"
    first.post(url, {"approval-reservation_item": item.pk, "approval-reservation": "Uenig"})
    first.post(f"/kontor/moeder/{meeting.pk}/tilbagetraek/")
    for member in (first, second):
        response = member.post(url, {}, follow=True)
        assert "Du har godkendt referatet." in response.content.decode(), response.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    public = client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert members[0].name in public and members[1].name in public
    # A correction after approval: an addendum; the members see it and approve again.
    secretary_client.post(
        f"/kontor/punkter/{item.pk}/tilfoejelse/",
        {"addendum-text": "Rettet dato", "addendum-reason": "Fejl"},
    )
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.MINUTES_PUBLISHED
    html = first.get(url).content.decode()
    assert "Ændret siden din godkendelse" in html and "Rettet dato" in html
    history = secretary_client.get(f"/kontor/moeder/{meeting.pk}/historik/").content.decode()
    assert "Tilføjelse: tilføjet" in history and "Møde: godkendt" in history


def test_tampering_with_an_office_change_is_found_by_audit_verify(secretary_client):
    from django.core.management import CommandError, call_command

    meeting = _create_meeting(secretary_client)
    call_command("audit", "verify")
    record = AuditRecord.objects.filter(meeting_id=meeting.pk, action="agenda_item.add").first()
    record.after = {**record.after, "title": "Forfalsket"}
    record.save()
    with pytest.raises(CommandError, match=f"#{record.pk}"):
        call_command("audit", "verify")


def test_a_wrongly_recorded_absence_can_be_removed_and_the_removal_is_audited(
    secretary_client,
):
    meeting = _create_meeting(secretary_client)
    member = MembershipFactory(organization=meeting.organization).person
    url = f"/kontor/moeder/{meeting.pk}/"
    secretary_client.post(url + "status/", {"action": "publish_agenda", "confirm": "yes"})
    secretary_client.post(url + "status/", {"action": "mark_held"})
    item = meeting.items.get(title="Godkendelse af dagsorden")
    secretary_client.post(
        f"/kontor/punkter/{item.pk}/deltagelse/",
        {"participation-person": member.pk, "participation-kind": "absent"},
    )
    participation = item.participations.get()
    page = secretary_client.get(f"/kontor/punkter/{item.pk}/").content.decode()
    assert f"/kontor/punkter/{item.pk}/deltagelse/{participation.pk}/fjern/" in page
    response = secretary_client.post(
        f"/kontor/punkter/{item.pk}/deltagelse/{participation.pk}/fjern/", follow=True
    )
    assert "Fravær/inhabilitet er fjernet." in response.content.decode()
    assert not item.participations.exists()
    removal = AuditRecord.objects.get(action="item_participation.remove")
    assert removal.before["person_id"] == member.pk and removal.after is None


def test_another_organizations_secretary_cannot_remove_an_absence(secretary_client, client):
    meeting = _create_meeting(secretary_client)
    member = MembershipFactory(organization=meeting.organization).person
    url = f"/kontor/moeder/{meeting.pk}/"
    secretary_client.post(url + "status/", {"action": "publish_agenda", "confirm": "yes"})
    secretary_client.post(url + "status/", {"action": "mark_held"})
    item = meeting.items.get(title="Godkendelse af dagsorden")
    secretary_client.post(
        f"/kontor/punkter/{item.pk}/deltagelse/",
        {"participation-person": member.pk, "participation-kind": "conflict"},
    )
    participation = item.participations.get()
    other = SecretaryAssignmentFactory()
    client.force_login(other.user)
    response = client.post(f"/kontor/punkter/{item.pk}/deltagelse/{participation.pk}/fjern/")
    assert response.status_code in (403, 404)
    assert item.participations.exists()


def test_the_secretary_moves_a_published_meeting_and_the_public_sees_it(secretary_client, client):
    from gremium.organizations.models import Location

    meeting = _create_meeting(secretary_client)
    hall = Location.objects.create(body=meeting.organization.body, description="Byrådssalen")
    url = f"/kontor/moeder/{meeting.pk}/"
    secretary_client.post(url + "status/", {"action": "publish_agenda", "confirm": "yes"})
    meeting.refresh_from_db()
    form = {
        "meeting-version": meeting.version,
        "meeting-start": "2026-03-03T17:00",
        "meeting-end": "",
        "meeting-location": hall.pk,
        "meeting-name": "",
    }
    response = secretary_client.post(url + "rediger/", form, follow=True)
    assert "Mødets tid og sted er gemt." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.location == hall
    public = client.get(f"/moeder/{meeting.pk}/").content.decode()
    assert "Mødet er flyttet til 03-03-2026 kl. 17:00." in public
    assert "Mødestedet er ændret til Byrådssalen." in public
    # The same stale form again is refused and changes nothing.
    form["meeting-start"] = "2026-03-04T09:00"
    stale = secretary_client.post(url + "rediger/", form, follow=True).content.decode()
    assert "ændret af en anden" in stale
    meeting.refresh_from_db()
    assert meeting.start.day == 3


def test_a_meeting_with_items_cannot_move_to_another_year(secretary_client):
    meeting = _create_meeting(secretary_client)
    form = {
        "meeting-version": meeting.version,
        "meeting-start": "2027-01-05T16:00",
        "meeting-end": "",
        "meeting-location": "",
        "meeting-name": "",
    }
    response = secretary_client.post(f"/kontor/moeder/{meeting.pk}/rediger/", form, follow=True)
    assert "kan ikke flyttes til et andet år" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.start.year == 2026
