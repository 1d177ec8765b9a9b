"""A generated archive for tests of the portal's lists: many meetings over many years,
written in one bulk insert (the lists read only the meeting rows, so the services' work on
items and documents would only cost time).

Two meetings share each start, so the order needs its tie-breaker (the id); every state
occurs, including the two that the public never sees (planned, and cancelled before the
agenda went out); and two meetings sit around midnight of New Year's Eve, where the UTC
year and the local year differ.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gremium.meetings.access import public_meetings_q
from gremium.meetings.models import Meeting, MeetingState
from gremium.organizations.models import Organization

# (state, agenda published, minutes published)
KINDS = [
    (MeetingState.APPROVED, True, True),
    (MeetingState.MINUTES_PUBLISHED, True, True),
    (MeetingState.HELD, True, False),
    (MeetingState.AGENDA_PUBLISHED, True, False),
    (MeetingState.PLANNED, False, False),
    (MeetingState.CANCELLED, True, False),
    (MeetingState.CANCELLED, False, False),
]
FIRST = dt.datetime(2010, 1, 4, 16, 0)


def _meeting(organization: Organization, start: dt.datetime, n: int) -> Meeting:
    state, agenda, minutes = KINDS[n % len(KINDS)]
    return Meeting(
        organization=organization,
        start=start,
        state=state,
        agenda_published_at=start - dt.timedelta(days=7) if agenda else None,
        minutes_published_at=start + dt.timedelta(days=2) if minutes else None,
    )


def generate_archive(count: int, organizations: list[Organization]) -> list[Meeting]:
    """`count` meetings spread over the organizations, two to a start, every third day
    from January 2010 (2,000 meetings reach into 2018)."""
    meetings = []
    for n in range(count - 2):
        start = timezone.make_aware(FIRST + dt.timedelta(days=3 * (n // 2)))
        meetings.append(_meeting(organizations[n % len(organizations)], start, n))
    for moment in (dt.datetime(2012, 12, 31, 23, 30), dt.datetime(2013, 1, 1, 0, 30)):
        meetings.append(_meeting(organizations[0], timezone.make_aware(moment), 0))
    return Meeting.objects.bulk_create(meetings[:count])


def public_ids() -> set[int]:
    return set(Meeting.objects.filter(public_meetings_q()).values_list("pk", flat=True))
