"""Permission rows for the recording pages of issue 13: the whole-meeting attendance
form, the record page, a decision saved from it and the approval reminder. Each answers
every role exactly as the meeting's office page does, and no refused POST changes
anything or sends mail."""

from __future__ import annotations

import pytest
from django.core import mail

from gremium.audit.models import AuditRecord
from gremium.meetings.models import Attendance, Decision
from tests.test_permissions import EXPECTED, ROLES, _client, world  # noqa: F401

pytestmark = pytest.mark.django_db
HELD_EDIT = 5  # the column of the held meeting's office page in the matrix


def _pages(meeting_id: int) -> list[str]:
    return [f"/kontor/moeder/{meeting_id}/fremmoede/", f"/kontor/moeder/{meeting_id}/beslutninger/"]


@pytest.mark.parametrize("role", ROLES)
def test_recording_pages_answer_like_the_meetings_office_page(world, role):  # noqa: F811
    client = _client(world, role)
    for url in _pages(world.held.pk):
        response = client.get(url)
        assert response.status_code == EXPECTED[role][HELD_EDIT], (role, url)


@pytest.mark.parametrize("role", [r for r in ROLES if EXPECTED[r][HELD_EDIT] != 200])
def test_refused_roles_change_nothing(world, role, django_capture_on_commit_callbacks):  # noqa: F811
    client = _client(world, role)
    held = world.held
    attendance = list(Attendance.objects.filter(meeting=held).values_list("person", "status"))
    decisions = list(
        Decision.objects.filter(agenda_item__meeting=held).values_list("outcome", "text")
    )
    item = held.items.order_by("order").first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.post(f"/kontor/moeder/{held.pk}/fremmoede/", {}),
            client.post(
                f"/kontor/punkter/{item.pk}/beslutning/gem/",
                {f"decision-{item.pk}-outcome": "afvist", f"decision-{item.pk}-expected": ""},
            ),
            client.post(f"/kontor/moeder/{held.pk}/paamind/"),
        ]
    for response in responses:
        assert response.status_code in (302, 403), (role, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/konto/log-ind/")
    assert list(Attendance.objects.filter(meeting=held).values_list("person", "status")) == (
        attendance
    )
    assert (
        list(Decision.objects.filter(agenda_item__meeting=held).values_list("outcome", "text"))
        == decisions
    )
    assert mail.outbox == []
    assert not AuditRecord.objects.filter(action="approval.remind").exists()
