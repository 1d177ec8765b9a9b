"""Ordering and clearing the agenda in the office: one request per reorder, the keyboard
fallback, deleting items and removing, renaming and reordering bilag, with what readers
see after publication."""

from __future__ import annotations

import pytest

from gremium.audit.models import AuditRecord
from gremium.audit.services import Actor
from gremium.lib.document_structure import Audience
from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.agenda_changes import agenda_changes
from gremium.meetings.models import AgendaItem, Meeting
from gremium.papers.models import Attachment
from tests.factories import MeetingFactory, SecretaryAssignmentFactory, UserFactory
from tests.hostile_files import simple_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    meeting = MeetingFactory()
    assignment = SecretaryAssignmentFactory(organization=meeting.organization)
    by = Actor.of(assignment.user)
    for title in ("Alfa", "Beta", "Gamma", "Delta"):
        services.agenda_item_add(meeting=meeting, title=title, by=by)
    client.force_login(assignment.user)
    return client, meeting, by


def _titles(meeting: Meeting) -> list[str]:
    return list(meeting.items.order_by("order").values_list("title", flat=True))


def _ids(meeting: Meeting) -> list[int]:
    return list(meeting.items.order_by("order").values_list("pk", flat=True))


def test_drag_and_drop_posts_the_whole_order_once_and_renumbers(setup):
    client, meeting, _by = setup
    a, b, c, d = _ids(meeting)
    numbers = sorted(meeting.items.values_list("number", flat=True))
    response = client.post(
        f"/kontor/moeder/{meeting.pk}/raekkefoelge/",
        {"order": f"{d},{a},{c},{b}"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert _titles(meeting) == ["Delta", "Alfa", "Gamma", "Beta"]
    # The numbers follow the order: the meeting's own numbers, handed out again.
    assert list(meeting.items.order_by("order").values_list("number", flat=True)) == numbers
    assert [row["id"] for row in response.json()["items"]] == [d, a, c, b]
    assert AuditRecord.objects.filter(action="meeting.reorder", meeting_id=meeting.pk).count() == 1


@pytest.mark.parametrize("order", ["{a},{b},{c}", "{a},{a},{b},{c}", "{a},{b},{c},x", ""])
def test_an_order_that_does_not_name_every_item_once_changes_nothing(setup, order):
    client, meeting, _by = setup
    a, b, c, _d = _ids(meeting)
    before = _titles(meeting)
    response = client.post(
        f"/kontor/moeder/{meeting.pk}/raekkefoelge/",
        {"order": order.format(a=a, b=b, c=c)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]
    assert _titles(meeting) == before


def test_an_item_of_another_meeting_in_the_order_is_refused(setup):
    client, meeting, by = setup
    other = MeetingFactory(organization=meeting.organization)
    stranger = services.agenda_item_add(meeting=other, title="Fremmed", by=by)
    a, b, c, _d = _ids(meeting)
    response = client.post(
        f"/kontor/moeder/{meeting.pk}/raekkefoelge/", {"order": f"{a},{b},{c},{stranger.pk}"}
    )
    assert response.status_code == 302
    assert _titles(meeting) == ["Alfa", "Beta", "Gamma", "Delta"]
    assert stranger.meeting_id == other.pk


def test_keyboard_fallback_moves_an_item_to_a_position(setup):
    client, meeting, _by = setup
    _a, _b, _c, d = _ids(meeting)
    response = client.post(f"/kontor/punkter/{d}/position/", {f"move-{d}-position": "2"})
    assert response.status_code == 302
    assert _titles(meeting) == ["Alfa", "Delta", "Beta", "Gamma"]
    page = client.get(f"/kontor/moeder/{meeting.pk}/")
    assert f'id="move-{d}-position"'.encode() in page.content


@pytest.mark.parametrize("position", ["0", "5", "to"])
def test_a_position_outside_the_list_is_refused_with_a_message(setup, position):
    client, meeting, _by = setup
    d = _ids(meeting)[-1]
    response = client.post(
        f"/kontor/punkter/{d}/position/", {f"move-{d}-position": position}, follow=True
    )
    assert _titles(meeting) == ["Alfa", "Beta", "Gamma", "Delta"]
    assert "position" in response.content.decode().lower()


def test_order_is_fixed_after_publication(setup):
    _client, meeting, by = setup
    services.meeting_publish_agenda(meeting=meeting, by=by)
    a, b, c, d = _ids(meeting)
    with pytest.raises(DomainError):
        services.agenda_items_reorder(meeting=meeting, item_ids=[d, c, b, a], by=by)
    assert _titles(meeting) == ["Alfa", "Beta", "Gamma", "Delta"]


def test_deleting_an_item_asks_first(setup):
    client, meeting, _by = setup
    b = _ids(meeting)[1]
    page = client.get(f"/kontor/punkter/{b}/slet/")
    assert page.status_code == 200
    assert "Beta" in page.content.decode()
    client.post(f"/kontor/punkter/{b}/slet/", {})  # no confirmation: nothing happens
    assert AgendaItem.objects.filter(pk=b).exists()
    response = client.post(f"/kontor/punkter/{b}/slet/", {"confirm": "yes"})
    assert response.status_code == 302
    assert _titles(meeting) == ["Alfa", "Gamma", "Delta"]


def test_a_deletion_after_publication_is_a_change_readers_see(setup):
    client, meeting, by = setup
    services.meeting_publish_agenda(meeting=meeting, by=by)
    b = _ids(meeting)[1]
    page = client.get(f"/kontor/punkter/{b}/slet/")
    assert "ændring af dagsordenen" in page.content.decode()
    client.post(f"/kontor/punkter/{b}/slet/", {"confirm": "yes"})
    meeting.refresh_from_db()
    texts = [c.text for c in agenda_changes(meeting, Audience.PUBLIC)]
    assert any("udgået" in t for t in texts), texts


def test_a_held_meeting_keeps_its_items(setup):
    client, meeting, by = setup
    services.meeting_publish_agenda(meeting=meeting, by=by)
    meeting.refresh_from_db()
    services.meeting_mark_held(meeting=meeting, by=by)
    b = _ids(meeting)[1]
    client.post(f"/kontor/punkter/{b}/slet/", {"confirm": "yes"})
    assert AgendaItem.objects.filter(pk=b).exists()


def _attach(item: AgendaItem, by: Actor, name: str, *, public: bool = True) -> Attachment:
    return services.attachment_add(
        item=item, filename=f"{name}.pdf", content=simple_pdf(name), by=by, public=public
    )


def test_attachments_are_renamed_reordered_and_removed(setup):
    client, meeting, by = setup
    item = meeting.items.order_by("order").first()
    first, second, third = (_attach(item, by, n) for n in ("en", "to", "tre"))
    client.post(
        f"/kontor/punkter/{item.pk}/bilag/{second.pk}/omdoeb/",
        {f"rename-{second.pk}-name": "Budget 2027"},
    )
    second.refresh_from_db()
    assert second.name == "Budget 2027"
    client.post(
        f"/kontor/punkter/{item.pk}/bilag/{third.pk}/flyt/",
        {f"attachment-move-{third.pk}-position": "1"},
    )
    order = list(item.attachments.order_by("order").values_list("pk", flat=True))
    assert order == [third.pk, first.pk, second.pk]
    assert client.get(f"/kontor/punkter/{item.pk}/bilag/{first.pk}/fjern/").status_code == 200
    client.post(f"/kontor/punkter/{item.pk}/bilag/{first.pk}/fjern/", {"confirm": "yes"})
    assert not Attachment.objects.filter(pk=first.pk).exists()
    actions = set(
        AuditRecord.objects.filter(meeting_id=meeting.pk).values_list("action", flat=True)
    )
    assert {"attachment.rename", "attachment.reorder", "attachment.delete"} <= actions


def test_an_empty_name_is_refused(setup):
    client, meeting, by = setup
    item = meeting.items.order_by("order").first()
    attachment = _attach(item, by, "en")
    response = client.post(
        f"/kontor/punkter/{item.pk}/bilag/{attachment.pk}/omdoeb/",
        {f"rename-{attachment.pk}-name": "   "},
        follow=True,
    )
    attachment.refresh_from_db()
    assert attachment.name == "en"
    assert "Nyt navn" in response.content.decode()


def test_an_attachment_of_another_item_is_not_found(setup):
    client, meeting, by = setup
    first, second = meeting.items.order_by("order")[:2]
    attachment = _attach(second, by, "en")
    response = client.post(
        f"/kontor/punkter/{first.pk}/bilag/{attachment.pk}/fjern/", {"confirm": "yes"}
    )
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_removing_a_public_attachment_after_publication_is_a_public_change(setup):
    _client, meeting, by = setup
    item = meeting.items.order_by("order").first()
    open_one = _attach(item, by, "aaben")
    closed_one = _attach(item, by, "hemmelig", public=False)
    services.meeting_publish_agenda(meeting=meeting, by=by)
    services.attachment_rename(attachment=open_one, name="Kort", by=by)
    services.attachment_remove(attachment=open_one, by=by)
    services.attachment_remove(attachment=closed_one, by=by)
    meeting.refresh_from_db()
    public = " ".join(c.text for c in agenda_changes(meeting, Audience.PUBLIC))
    assert "bilag fjernet: Kort" in public
    assert "omdøbt fra aaben til Kort" in public
    assert "hemmelig" not in public  # a closed bilag's name never reaches the public
    internal = " ".join(c.text for c in agenda_changes(meeting, Audience.INTERNAL))
    assert "bilag fjernet: hemmelig" in internal


def test_only_the_organizations_secretary_reorders(client, setup):
    _client, meeting, _by = setup
    ids = _ids(meeting)
    client.force_login(UserFactory())
    response = client.post(
        f"/kontor/moeder/{meeting.pk}/raekkefoelge/", {"order": ",".join(map(str, ids[::-1]))}
    )
    assert response.status_code in (403, 404)
    assert _ids(meeting) == ids
