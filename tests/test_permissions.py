"""Every role × every office and public URL × open, closed, deleted and unpublished content.

A closed item's text and internal title, a deleted closed item's heading and attachment
name, and an unpublished meeting's text are canaries: they must never appear in a response
to anyone without the right to read them. Access follows the membership period: a former
member reads the meetings of their period, a future member none yet, and a substitute only
the meetings they were called in to (docs/architecture.md, "Access").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import AttendanceStatus, DecisionOutcome, Meeting
from gremium.organizations.models import MembershipRole
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
CLOSED_TITLE_CANARY = "Kanariefugl-titel-4410"
DELETED_CANARY = "Kanariefugl-slettet-2093"
PLANNED_CANARY = "Kanariefugl-planlagt-1187"
ROLES = [
    "anonymous",
    "plain",
    "member_other",
    "member",
    "left_since",
    "former",
    "future",
    "substitute",
    "substitute_not_called",
    "secretary",
    "secretary_other",
    "admin",
]
# Who reads the internal documents of the held meeting (2 March 2026), and of the planned
# one (7 September 2026). `left_since` sat until 30 April 2026; the substitute was called
# in to the held meeting only.
READS_HELD = {"member", "left_since", "substitute", "secretary", "admin"}
READS_PLANNED = {"member", "secretary", "admin"}
INSIDERS = READS_HELD  # shared with the document matrix
SIGNS_HELD = {"member", "left_since", "substitute"}
HELD_DAY = dt.date(2026, 3, 2)
PLANNED_DAY = dt.date(2026, 9, 7)

# Status codes per role for: home, public page (held, planned), office dashboard, create,
# edit (held, planned), history (held), approve (held, planned), closed item edit (held),
# planned item edit.
_LOGIN = 302
OUTSIDER = [200, 200, 404, 200, 403, 403, 404, 403, 403, 404, 403, 404]
HELD_ONLY = [200, 200, 404, 200, 403, 403, 404, 403, 200, 404, 403, 404]
EXPECTED = {
    "anonymous": [200, 200, 404] + [_LOGIN] * 9,
    "plain": OUTSIDER,
    "member_other": OUTSIDER,
    "member": [200, 200, 200, 200, 403, 403, 403, 403, 200, 200, 403, 403],
    "left_since": HELD_ONLY,
    "former": OUTSIDER,
    "future": OUTSIDER,
    "substitute": HELD_ONLY,
    "substitute_not_called": OUTSIDER,
    "secretary": [200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200],
    "secretary_other": [200, 200, 404, 200, 200, 403, 404, 403, 403, 404, 403, 404],
    "admin": [200, 200, 200, 200, 200, 200, 200, 200, 403, 403, 200, 200],
}


@dataclass
class World:
    users: dict[str, Any]
    urls: list[str]
    held: Meeting
    planned: Meeting

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter((self.users, self.urls))


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))


def _seat(organization, username: str, **period: Any) -> User:
    user = UserFactory(username=username)
    MembershipFactory(organization=organization, person=PersonFactory(user=user), **period)
    return user


def _delete_a_changed_closed_item(meeting: Meeting, actor: Actor) -> None:
    """A closed item added, given a section and an attachment after the agenda went out,
    then deleted: the public list of changes must show nothing of it."""
    doomed = services.agenda_item_add(
        meeting=meeting,
        title=f"Udgået {DELETED_CANARY}",
        public=False,
        public_title="Lukket punkt",
        sections=[(f"Afsnit {DELETED_CANARY}", "Tekst")],
        by=actor,
    )
    services.attachment_add(
        item=doomed, filename=f"{DELETED_CANARY}.txt", content=b"Indhold", by=actor
    )
    services.agenda_item_delete(item=doomed, by=actor)


@pytest.fixture
def world() -> World:
    actor = Actor.system("test")
    organization = OrganizationFactory()
    other = OrganizationFactory()
    held = MeetingFactory(organization=organization, start=_at(HELD_DAY))
    services.agenda_item_add(meeting=held, title="Åbent punkt", by=actor)
    closed = services.agenda_item_add(
        meeting=held,
        title=f"Personalesag {CLOSED_TITLE_CANARY}",
        public=False,
        public_title="Lukket punkt",
        by=actor,
        sections=[("Sagsfremstilling", CLOSED_CANARY)],
    )
    held = services.meeting_publish_agenda(meeting=held, by=actor)
    _delete_a_changed_closed_item(held, actor)
    held = services.meeting_mark_held(meeting=held, by=actor)
    users = {
        "anonymous": None,
        "plain": UserFactory(username="borger"),
        "member": _seat(organization, "medlem"),
        "left_since": _seat(organization, "udtraadt", end_date=dt.date(2026, 4, 30)),
        "former": _seat(organization, "tidligere", end_date=dt.date(2021, 12, 31)),
        "future": _seat(organization, "kommende", start_date=dt.date(2027, 1, 1)),
        "substitute": _seat(organization, "stedfortraeder", role=MembershipRole.SUBSTITUTE),
        "substitute_not_called": _seat(
            organization, "ikke-indkaldt", role=MembershipRole.SUBSTITUTE
        ),
        "member_other": _seat(other, "andet-medlem"),
        "secretary": SecretaryAssignmentFactory(organization=organization).user,
        "secretary_other": SecretaryAssignmentFactory(organization=other).user,
        "admin": User.objects.create_superuser("admin", password="x"),
    }
    absent = MembershipFactory(organization=organization).person
    attendance = [
        (users["member"].person, AttendanceStatus.PRESENT, None),
        (users["left_since"].person, AttendanceStatus.PRESENT, None),
        (absent, AttendanceStatus.ABSENT, None),
        (users["substitute"].person, AttendanceStatus.SUBSTITUTE, absent),
    ]
    for person, status, instead_of in attendance:
        services.attendance_set(
            meeting=held, person=person, status=status, substitute_for=instead_of, by=actor
        )
    for item in held.items.all():
        services.decision_record(item=item, outcome=DecisionOutcome.APPROVED, text="", by=actor)
    held = services.meeting_publish_minutes(meeting=held, by=actor)
    planned = MeetingFactory(organization=organization, start=_at(PLANNED_DAY))
    planned_item = services.agenda_item_add(
        meeting=planned, title="Plan", by=actor, sections=[("Sagsresume", PLANNED_CANARY)]
    )
    # is_staff alone must change nothing: give it to the plain user.
    users["plain"].is_staff = True
    users["plain"].save()
    urls = [
        "/",
        f"/moeder/{held.pk}/",
        f"/moeder/{planned.pk}/",
        "/kontor/",
        "/kontor/moeder/nyt/",
        f"/kontor/moeder/{held.pk}/",
        f"/kontor/moeder/{planned.pk}/",
        f"/kontor/moeder/{held.pk}/historik/",
        f"/kontor/moeder/{held.pk}/godkend/",
        f"/kontor/moeder/{planned.pk}/godkend/",
        f"/kontor/punkter/{closed.pk}/",
        f"/kontor/punkter/{planned_item.pk}/",
    ]
    return World(users, urls, held, planned)


def assert_no_canary(role: str, url: str, text: str, world: World) -> None:
    """What a role without the right must not find in one response (page, PDF or file)."""
    assert "Punkt None" not in text, (role, url)
    if role not in READS_HELD:
        for canary in (CLOSED_CANARY, CLOSED_TITLE_CANARY, DELETED_CANARY):
            assert canary not in text, (role, url, canary)
    if role not in READS_PLANNED:
        assert PLANNED_CANARY not in text, (role, url)
        assert f'href="/moeder/{world.planned.pk}/"' not in text, (role, url)


def _client(world: World, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    client = _client(world, role)
    seen = []
    for url, expected in zip(world.urls, EXPECTED[role], strict=True):
        response = client.get(url)
        assert response.status_code == expected, (role, url, response.status_code)
        html = response.content.decode()
        seen.append(html)
        assert_no_canary(role, url, html, world)
    if role in READS_HELD:
        assert CLOSED_CANARY in seen[1]  # insiders read the closed item in the minutes
    if role in READS_PLANNED:
        assert PLANNED_CANARY in seen[2]
    approve_link = f"/kontor/moeder/{world.held.pk}/godkend/"
    assert (approve_link in seen[3]) == (role in SIGNS_HELD), role


@pytest.mark.parametrize("role", ["anonymous", "plain", "member", "former", "secretary_other"])
def test_outsiders_cannot_post_changes(world, role):
    client = _client(world, role)
    edit_url = world.urls[5]
    response = client.post(edit_url + "status/", {"action": "cancel", "confirm": "yes"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/konto/log-ind/")
    response = client.post(
        world.urls[10],
        {"item-version": 1, "item-title": "Hacket", "section_count": "0", "save": "1"},
    )
    assert response.status_code in (302, 403)
    from gremium.meetings.models import AgendaItem

    assert not AgendaItem.objects.filter(title="Hacket").exists()
