"""Cancelling a meeting and publishing its agenda or minutes cannot be undone: the office
asks first, and a POST without the confirmation changes nothing."""

from __future__ import annotations

import pytest

from gremium.audit.models import AuditRecord
from gremium.meetings import services
from gremium.meetings.models import MeetingState
from tests.factories import MeetingFactory, SecretaryAssignmentFactory
from tests.office_scenario import BY

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(client):
    meeting = MeetingFactory()
    services.agenda_item_add(meeting=meeting, title="Skolestruktur", by=BY)
    client.force_login(SecretaryAssignmentFactory(organization=meeting.organization).user)
    return meeting


def _state(meeting) -> str:
    meeting.refresh_from_db()
    return meeting.state


@pytest.mark.parametrize(
    ("action", "question", "button"),
    [
        ("publish_agenda", "Offentliggør dagsordenen?", "Ja, offentliggør dagsordenen"),
        ("cancel", "Aflys mødet?", "Ja, aflys mødet"),
    ],
)
def test_a_post_without_confirmation_changes_nothing_and_asks(
    client, meeting, action, question, button
):
    url = f"/kontor/moeder/{meeting.pk}/status/"
    records = AuditRecord.objects.count()
    for response in (client.get(url, {"action": action}), client.post(url, {"action": action})):
        html = response.content.decode()
        assert response.status_code == 200
        assert question in html and "Er du sikker?" in html and button in html
        assert 'name="confirm" value="yes"' in html
    assert _state(meeting) == MeetingState.PLANNED
    assert AuditRecord.objects.count() == records
    # A confirmation sent by GET does nothing either: only a POST changes state.
    client.get(url, {"action": action, "confirm": "yes"})
    assert _state(meeting) == MeetingState.PLANNED


def test_the_confirmed_post_publishes_the_agenda(client, meeting):
    url = f"/kontor/moeder/{meeting.pk}/status/"
    response = client.post(url, {"action": "publish_agenda", "confirm": "yes"}, follow=True)
    assert "Dagsordenen er offentliggjort." in response.content.decode()
    assert _state(meeting) == MeetingState.AGENDA_PUBLISHED


def test_the_confirmed_post_cancels(client, meeting):
    url = f"/kontor/moeder/{meeting.pk}/status/"
    client.post(url, {"action": "cancel", "confirm": "yes"})
    assert _state(meeting) == MeetingState.CANCELLED


def test_publishing_the_minutes_asks_first(client, meeting):
    meeting = services.meeting_publish_agenda(meeting=meeting, by=BY)
    meeting = services.meeting_mark_held(meeting=meeting, by=BY)
    url = f"/kontor/moeder/{meeting.pk}/status/"
    html = client.post(url, {"action": "publish_minutes"}).content.decode()
    assert "Offentliggør referatet?" in html and "Ja, offentliggør referatet" in html
    assert _state(meeting) == MeetingState.HELD


def test_marking_a_meeting_held_needs_no_confirmation(client, meeting):
    services.meeting_publish_agenda(meeting=meeting, by=BY)
    client.post(f"/kontor/moeder/{meeting.pk}/status/", {"action": "mark_held"})
    assert _state(meeting) == MeetingState.HELD


def test_the_meeting_page_buttons_lead_to_the_question(client, meeting):
    page = client.get(f"/kontor/moeder/{meeting.pk}/").content.decode()
    # The buttons post without `confirm`: the first click only asks.
    assert 'name="confirm"' not in page
    assert 'value="publish_agenda"' in page and 'value="cancel"' in page
