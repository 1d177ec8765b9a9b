"""Reads the office needs, already narrowed by the access layer's notion of roles."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gremium.meetings.access import approvable_meetings, organizations_for_office
from gremium.meetings.models import Approval, Meeting, MeetingState
from gremium.organizations.models import Membership, Person


def members_on_day(meeting: Meeting) -> QuerySet[Person]:
    """Persons with a seat in the meeting's organization on the meeting day."""
    seats = Membership.objects.filter(organization_id=meeting.organization_id).on(meeting.day)
    return Person.objects.filter(pk__in=seats.values("person_id")).order_by("name")


def office_meetings(user: Any) -> QuerySet[Meeting]:
    organizations = organizations_for_office(user)
    return (
        Meeting.objects.filter(organization__in=organizations)
        .select_related("organization")
        .order_by("-start")
    )


def meetings_to_approve(user: Any) -> QuerySet[Meeting]:
    """Published minutes waiting for the user's signature (the access layer's rule)."""
    return approvable_meetings(user).filter(state=MeetingState.MINUTES_PUBLISHED).order_by("-start")


def active_approval(meeting: Meeting, person: Person) -> Approval | None:
    return meeting.approvals.filter(
        person=person, withdrawn_at__isnull=True, superseded_at__isnull=True
    ).first()
