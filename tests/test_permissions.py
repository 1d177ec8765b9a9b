"""Every role × every office and public URL × open, closed and unpublished content.

A closed item's text and an unpublished meeting's text are canaries: they must never
appear in a response to anyone outside the organization.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import AttendanceStatus, DecisionOutcome
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretaryAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
CLOSED_CANARY = "Kanariefugl-lukket-7731"
PLANNED_CANARY = "Kanariefugl-planlagt-1187"
ROLES = ["anonymous", "plain", "member_other", "member", "secretary", "secretary_other", "admin"]
INSIDERS = {"member", "secretary", "admin"}

# Status codes per role for: home, public page (published, planned), office dashboard,
# create, edit (published, planned), history (published), approve (published, planned),
# closed item edit (published), planned item edit.
_LOGIN = 302
EXPECTED = {
    "anonymous": [
        200,
        200,
        404,
        _LOGIN,
        _LOGIN,
        _LOGIN,
        _LOGIN,
        _LOGIN,
        _LOGIN,
        _LOGIN,
        _LOGIN,
        _LOGIN,
    ],
    "plain": [200, 200, 404, 200, 403, 403, 404, 403, 403, 404, 403, 404],
    "member_other": [200, 200, 404, 200, 403, 403, 404, 403, 403, 404, 403, 404],
    "member": [200, 200, 200, 200, 403, 403, 403, 403, 200, 200, 403, 403],
    "secretary": [200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200],
    "secretary_other": [200, 200, 404, 200, 200, 403, 404, 403, 403, 404, 403, 404],
    "admin": [200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200],
}


@pytest.fixture
def world():
    actor = Actor.system("test")
    organization = OrganizationFactory()
    other = OrganizationFactory()
    published = MeetingFactory(organization=organization)
    services.agenda_item_add(meeting=published, title="Åbent punkt", by=actor)
    closed = services.agenda_item_add(
        meeting=published,
        title="Personalesag",
        public=False,
        by=actor,
        sections=[("Sagsfremstilling", CLOSED_CANARY)],
    )
    published = services.meeting_publish_agenda(meeting=published, by=actor)
    published = services.meeting_mark_held(meeting=published, by=actor)
    member_user = UserFactory(username="medlem")
    member = MembershipFactory(organization=organization, person=PersonFactory(user=member_user))
    services.attendance_set(
        meeting=published, person=member.person, status=AttendanceStatus.PRESENT, by=actor
    )
    for item in published.items.all():
        services.decision_record(item=item, outcome=DecisionOutcome.APPROVED, text="", by=actor)
    services.meeting_publish_minutes(meeting=published, by=actor)
    planned = MeetingFactory(organization=organization)
    planned_item = services.agenda_item_add(
        meeting=planned, title="Plan", by=actor, sections=[("Sagsresume", PLANNED_CANARY)]
    )
    other_user = UserFactory(username="andet-medlem")
    MembershipFactory(organization=other, person=PersonFactory(user=other_user))
    users = {
        "anonymous": None,
        "plain": UserFactory(username="borger"),
        "member_other": other_user,
        "member": member_user,
        "secretary": SecretaryAssignmentFactory(organization=organization).user,
        "secretary_other": SecretaryAssignmentFactory(organization=other).user,
        "admin": User.objects.create_superuser("admin", password="x"),
    }
    # is_staff alone must change nothing: give it to the plain user.
    users["plain"].is_staff = True
    users["plain"].save()
    urls = [
        "/",
        f"/moeder/{published.pk}/",
        f"/moeder/{planned.pk}/",
        "/kontor/",
        "/kontor/moeder/nyt/",
        f"/kontor/moeder/{published.pk}/",
        f"/kontor/moeder/{planned.pk}/",
        f"/kontor/moeder/{published.pk}/historik/",
        f"/kontor/moeder/{published.pk}/godkend/",
        f"/kontor/moeder/{planned.pk}/godkend/",
        f"/kontor/punkter/{closed.pk}/",
        f"/kontor/punkter/{planned_item.pk}/",
    ]
    return users, urls


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    users, urls = world
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    seen = []
    for url, expected in zip(urls, EXPECTED[role], strict=True):
        response = client.get(url)
        assert response.status_code == expected, (role, url, response.status_code)
        html = response.content.decode()
        seen.append(html)
        if role not in INSIDERS:
            assert CLOSED_CANARY not in html, (role, url)
            assert PLANNED_CANARY not in html, (role, url)
    if role in INSIDERS:
        assert CLOSED_CANARY in seen[1]  # insiders read the closed item in the minutes


@pytest.mark.parametrize("role", ["anonymous", "plain", "member", "secretary_other"])
def test_outsiders_cannot_post_changes(world, role):
    users, urls = world
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    edit_url = urls[5]
    response = client.post(edit_url + "status/", {"action": "cancel", "confirm": "yes"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/konto/log-ind/")
    response = client.post(
        urls[10],
        {"item-version": 1, "item-title": "Hacket", "section_count": "0", "save": "1"},
    )
    assert response.status_code in (302, 403)
    from gremium.meetings.models import AgendaItem

    assert not AgendaItem.objects.filter(title="Hacket").exists()
