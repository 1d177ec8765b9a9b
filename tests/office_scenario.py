"""A meeting with something on every office form: built through the services, so tests of
the pages (ids, accessibility, layout) do not depend on the forms they look at."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    DecisionOutcome,
    ItemParticipationKind,
    Meeting,
    VoteChoice,
)
from gremium.organizations.models import MembershipRole, Person
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretaryAssignmentFactory,
    UserFactory,
)

BY = Actor.system("test")


@dataclass
class Scenario:
    meeting: Meeting
    item: AgendaItem  # an ordinary item with an attachment, a vote and a dissent
    secretary: object  # auth user
    members: list[Person]


def recorded_meeting(*, usernames: tuple[str, str] = ("anne", "bo")) -> Scenario:
    """A meeting whose minutes are published: attendance, decisions, an absence, a vote,
    a dissent and an attachment are recorded, so the item page shows every form."""
    organization = OrganizationFactory(name="Børne- og Uddannelsesudvalget")
    secretary = SecretaryAssignmentFactory(organization=organization).user
    members = []
    for n, username in enumerate(usernames):
        person = PersonFactory(
            name=f"{username.title()} Medlem", user=UserFactory(username=username)
        )
        role = MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER
        MembershipFactory(organization=organization, person=person, role=role)
        members.append(person)
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 16, 0))
    meeting = services.meeting_create_with_standing_items(
        organization=organization, start=start, by=BY
    )
    item = services.agenda_item_add_before_closing(meeting=meeting, title="Skolestruktur", by=BY)
    services.attachment_add(item=item, filename="notat.txt", content=b"Notat", public=True, by=BY)
    meeting = services.meeting_publish_agenda(meeting=meeting, by=BY)
    meeting = services.meeting_mark_held(meeting=meeting, by=BY)
    for person in members:
        services.attendance_set(
            meeting=meeting, person=person, status=AttendanceStatus.PRESENT, by=BY
        )
    for decided in meeting.items.filter(decision_required=True):
        services.decision_record(
            item=decided, outcome=DecisionOutcome.APPROVED, text="Godkendt.", by=BY
        )
    first_item = meeting.items.order_by("order").first()
    assert first_item is not None
    services.item_participation_add(
        item=first_item, person=members[1], kind=ItemParticipationKind.ABSENT, by=BY
    )
    services.vote_record(item=item, person=members[0], choice=VoteChoice.FOR, by=BY)
    services.dissent_add(item=item, person=members[1], text="Imod lukningen.", by=BY)
    services.meeting_publish_minutes(meeting=meeting, by=BY)
    meeting.refresh_from_db()
    item.refresh_from_db()
    return Scenario(meeting=meeting, item=item, secretary=secretary, members=members)


def approve_all(scenario: Scenario) -> None:
    for person in scenario.members:
        services.minutes_approve(meeting=scenario.meeting, person=person, by=BY)
    scenario.meeting.refresh_from_db()
