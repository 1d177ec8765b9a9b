"""The secretary sees who has signed the minutes and who is missing, and reminds the
missing members by one mail each through the task queue."""

from __future__ import annotations

import pytest
from django.core import mail

from gremium.audit.models import AuditRecord
from gremium.audit.services import Actor
from gremium.meetings import services
from tests.office_scenario import recorded_meeting

pytestmark = pytest.mark.django_db
BY = Actor.system("test")


@pytest.fixture
def published(client):
    scenario = recorded_meeting(usernames=("anne", "bo", "carl"))
    for n, person in enumerate(scenario.members):
        person.email = f"medlem{n}@example.org"
        person.save()
    services.minutes_approve(meeting=scenario.meeting, person=scenario.members[0], by=BY)
    client.force_login(scenario.secretary)
    return scenario, client


def test_the_meeting_page_shows_who_signed_and_who_is_missing(published):
    scenario, client = published
    html = client.get(f"/kontor/moeder/{scenario.meeting.pk}/").content.decode()
    assert "1 af 3 har godkendt" in html
    signed = html.split("Har godkendt:")[1].split("</p>")[0]
    missing = html.split("Mangler:")[1].split("</p>")[0]
    assert "Anne Medlem" in signed and "Anne Medlem" not in missing
    assert "Bo Medlem" in missing and "Carl Medlem" in missing


def test_a_reminder_mails_only_the_missing_members_and_is_shown(
    published, django_capture_on_commit_callbacks
):
    scenario, client = published
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/kontor/moeder/{scenario.meeting.pk}/paamind/", follow=True)
    assert response.status_code == 200
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["medlem1@example.org", "medlem2@example.org"]
    message = mail.outbox[0]
    assert message.subject.startswith("Påmindelse: godkend referatet")
    assert f"/kontor/moeder/{scenario.meeting.pk}/godkend/" in message.body
    assert "Imod lukningen" not in message.body  # no content of the minutes
    html = response.content.decode()
    assert "Påmindelsen er sendt." in html
    assert "Sidste påmindelse sendt" in html
    assert AuditRecord.objects.filter(action="approval.remind").count() == 1


def test_a_member_cannot_send_reminders(published):
    scenario, client = published
    client.force_login(scenario.members[1].user)
    mail.outbox.clear()
    assert client.post(f"/kontor/moeder/{scenario.meeting.pk}/paamind/").status_code == 403
    assert mail.outbox == []
    assert not AuditRecord.objects.filter(action="approval.remind").exists()
