"""One rule says whose "Godkend" counts: the approval service enforces it, and the
secretary's progress view and the reminder notices read it, so "who is missing" is the same
on the page, in the reminder and at the service."""

from __future__ import annotations

import pytest
from django.db import transaction

from gremium.audit.services import Actor
from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.approval_progress import approval_progress
from gremium.notices.recipients import pending_signers
from gremium.organizations.models import MembershipRole, Person
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.office_scenario import recorded_meeting

pytestmark = pytest.mark.django_db
BY = Actor.system("test")


def _accepted_by_the_service(meeting, people: list[Person]) -> set[int]:
    accepted = set()
    for person in people:
        try:
            with transaction.atomic():
                services.minutes_approve(meeting=meeting, person=person, by=BY)
                transaction.set_rollback(True)
            accepted.add(person.pk)
        except DomainError:
            pass
    return accepted


def test_progress_reminders_and_the_approval_service_agree_on_who_may_sign():
    scenario = recorded_meeting(usernames=("anne", "bo", "carl"))
    meeting = scenario.meeting
    organization = meeting.organization
    without_vote = PersonFactory(name="Uden Stemmeret", user=UserFactory(username="uden"))
    MembershipFactory(organization=organization, person=without_vote, voting_right=False)
    not_called_in = PersonFactory(name="Ikke Indkaldt", user=UserFactory(username="ikke"))
    MembershipFactory(
        organization=organization, person=not_called_in, role=MembershipRole.SUBSTITUTE
    )
    everyone = [*scenario.members, without_vote, not_called_in]
    for n, person in enumerate(everyone):
        person.email = f"p{n}@example.org"
        person.save()

    may_sign = _accepted_by_the_service(meeting, everyone)
    assert may_sign == {p.pk for p in scenario.members}  # the rule is not empty or everyone

    progress = approval_progress(meeting)
    assert {p.pk for p in progress.missing} == may_sign
    assert set(pending_signers(meeting).values_list("pk", flat=True)) == may_sign

    services.minutes_approve(meeting=meeting, person=scenario.members[0], by=BY)
    progress = approval_progress(meeting)
    assert [p.pk for p in progress.signed] == [scenario.members[0].pk]
    still = may_sign - {scenario.members[0].pk}
    assert {p.pk for p in progress.missing} == still
    assert set(pending_signers(meeting).values_list("pk", flat=True)) == still
