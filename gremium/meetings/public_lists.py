"""Reads for what the public follows: the calendars, feeds and sitemap. Every list here
holds public meetings only (`access.public_meetings_q`), whoever asks: these documents
are the same for everyone and may be kept by any cache."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connections, router
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


# Everything the portal's list pages show comes from these tables.
_LISTED = (Meeting, Body, LegislativeTerm, Organization, Person, Membership)


def portal_stamp() -> str:
    """What changes whenever a list page of the portal would read differently: for every
    meeting (any state: a superset of what the public sees, which costs nothing but a
    rendering more) and every body, term, committee, person and seat, how many there are
    and the newest change. One query, without the rows and without the ORM's compiling,
    since it is asked on every anonymous request for those pages."""
    alias = router.db_for_read(Meeting)
    connection = connections[alias]
    quote = connection.ops.quote_name
    # Only the models' own table names go into the text; nothing from a request.
    columns = []
    for model in _LISTED:
        table = quote(model._meta.db_table)
        columns.append("(SELECT COUNT(*) FROM " + table + ")")  # noqa: S608
        columns.append("(SELECT MAX(modified) FROM " + table + ")")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        row = cursor.fetchone()
    return "-".join(str(value) for value in row)
