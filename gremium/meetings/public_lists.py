"""Reads for what the public follows: the calendars, feeds and sitemap. Every list here
holds public meetings only (`access.public_meetings_q`), whoever asks: these documents
are the same for everyone and may be kept by any cache."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Max, Q, QuerySet

from gremium.meetings.access import held_during, public_meetings_q
from gremium.meetings.models import Meeting
from gremium.organizations.models import (
    Body,
    LegislativeTerm,
    Membership,
    Organization,
    Person,
)


def public_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(public_meetings_q())


def committee_meetings(organization: Organization) -> QuerySet[Meeting]:
    return public_meetings().filter(organization=organization)


def body_meetings(body: Body) -> QuerySet[Meeting]:
    return public_meetings().filter(organization__body=body)


def person_committee_meetings(person: Person) -> QuerySet[Meeting]:
    """The public meetings of the organizations the person sat in on the meeting day (any
    seat: chair, member or substitute)."""
    periods = [held_during(m) for m in Membership.objects.filter(person=person)]
    if not periods:
        return Meeting.objects.none()
    return public_meetings().filter(reduce(or_, periods))


@dataclass(frozen=True)
class ListStamp:
    """What changes whenever a list of meetings would read differently: how many there
    are and the newest change to any of them (`Meeting.modified`, set by every change and
    by admin repairs of what they show). Read in one aggregate query, without the rows."""

    count: int
    newest: dt.datetime | None

    @property
    def token(self) -> str:
        micros = int(self.newest.timestamp() * 1_000_000) if self.newest else 0
        return f"{self.count}.{micros}"


def list_stamp(meetings: QuerySet[Meeting]) -> ListStamp:
    found = meetings.order_by().aggregate(count=Count("pk"), newest=Max("modified"))
    return ListStamp(found["count"], found["newest"])


def persons_with_seats() -> QuerySet[Person]:
    return Person.objects.filter(Q(memberships__isnull=False)).distinct()


def directory_stamp() -> str:
    """What changes whenever the public directory reads differently: the bodies, terms,
    committees, people and seats, each counted with its newest change (one aggregate
    query each, without the rows)."""
    parts = []
    for model in (Body, LegislativeTerm, Organization, Person, Membership):
        found = model.objects.order_by().aggregate(count=Count("pk"), newest=Max("modified"))
        micros = int(found["newest"].timestamp() * 1_000_000) if found["newest"] else 0
        parts.append(f"{found['count']}.{micros}")
    return "-".join(parts)
