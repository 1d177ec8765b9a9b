"""Reads the office needs, already narrowed by the access layer's notion of roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gremium.meetings.access import organizations_for_office, person_of
from gremium.meetings.models import Approval, Meeting, MeetingState
from gremium.organizations.models import Person


def members_on_day(meeting: Meeting) -> QuerySet[Person]:
    """Persons with a seat in the meeting's organization on the meeting day."""
    day = meeting.start.date()
    return (
        Person.objects.filter(memberships__organization_id=meeting.organization_id)
        .filter(Q(memberships__start_date__isnull=True) | Q(memberships__start_date__lte=day))
        .filter(Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=day))
        .distinct()
        .order_by("name")
    )


def office_meetings(user: Any) -> QuerySet[Meeting]:
    organizations = organizations_for_office(user)
    return (
        Meeting.objects.filter(organization__in=organizations)
        .select_related("organization")
        .order_by("-start")
    )


def meetings_to_approve(user: Any) -> QuerySet[Meeting]:
    person = person_of(user)
    if person is None:
        return Meeting.objects.none()
    return (
        Meeting.objects.filter(
            state=MeetingState.MINUTES_PUBLISHED,
            organization__memberships__person=person,
        )
        .select_related("organization")
        .distinct()
        .order_by("-start")
    )


def active_approval(meeting: Meeting, person: Person) -> Approval | None:
    return meeting.approvals.filter(
        person=person, withdrawn_at__isnull=True, superseded_at__isnull=True
    ).first()
