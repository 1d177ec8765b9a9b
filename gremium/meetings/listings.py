"""Reads for the portal's lists: the front page, the archive and a committee's meetings.

Every list is taken from what the access layer lets the reader see (the caller passes
`access.meetings_visible_to(user)`, built once per request) and is bounded, so that a
page costs the same in a new archive and in one of twenty years:

- the front page's lists have a fixed length and each is one index range (start, or the
  agenda's and the minutes' publication time);
- the archive shows one year at a time, newest first in (start, id) order, in pages of
  `PAGE_SIZE`. OFFSET and COUNT(*) then run inside one year, so their cost is bounded by
  how many meetings a year holds, not by how many years the archive holds; the years
  around are found by one indexed look-up each (the newest meeting before the year, the
  oldest after it). Following "older" from the first page therefore reaches every meeting
  exactly once: within a year the order is total, and the years follow each other.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gremium.meetings.access import MINUTES_STATES
from gremium.meetings.models import Meeting

PAGE_SIZE = 50
FRONT_PAGE_LENGTH = 8


class PageOutOfRange(LookupError):
    """The asked page lies beyond the last page of its year."""

    def __init__(self, year: int, pages: int) -> None:
        super().__init__(year, pages)
        self.year, self.pages = year, pages


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The local year as a half-open range of moments: [1 January, next 1 January)."""
    return local_midnight(dt.date(year, 1, 1)), local_midnight(dt.date(year + 1, 1, 1))


def local_year(moment: dt.datetime) -> int:
    return timezone.localtime(moment).year


def upcoming_meetings(meetings: QuerySet[Meeting], *, today: dt.date) -> list[Meeting]:
    """The next meetings from today on (a cancelled one too: readers must learn of it).
    `meetings` is what the reader sees (`meetings_visible_to`), as for every list here."""
    upcoming = meetings.filter(start__gte=local_midnight(today))
    return list(upcoming.order_by("start", "pk")[:FRONT_PAGE_LENGTH])


def latest_agendas(meetings: QuerySet[Meeting]) -> list[Meeting]:
    published = meetings.filter(agenda_published_at__isnull=False)
    return list(published.order_by("-agenda_published_at", "-pk")[:FRONT_PAGE_LENGTH])


def latest_minutes(meetings: QuerySet[Meeting]) -> list[Meeting]:
    published = meetings.filter(state__in=MINUTES_STATES, minutes_published_at__isnull=False)
    return list(published.order_by("-minutes_published_at", "-pk")[:FRONT_PAGE_LENGTH])


@dataclass(frozen=True)
class ArchivePage:
    """One page of one year. `older`/`newer` are the (year, page) to go on to, or None at
    the ends of the archive; `years` runs from the newest to the oldest year with meetings."""

    year: int | None
    number: int = 1
    pages: int = 1
    count: int = 0
    meetings: list[Meeting] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    older: tuple[int, int] | None = None
    newer: tuple[int, int] | None = None


def archive_page(
    meetings: QuerySet[Meeting], *, year: int | None = None, page: int = 1
) -> ArchivePage:
    """Page `page` of the meetings of `year` (default: the year of the newest meeting),
    newest first. `meetings` is already narrowed to what the reader sees (and, for a
    committee, to the committee). Every page asks the same six queries, wherever it lies."""
    newest, oldest = _edge(meetings, "-start"), _edge(meetings, "start")
    if newest is None or oldest is None:
        return ArchivePage(year=year)
    years = list(range(local_year(newest), local_year(oldest) - 1, -1))
    year = year if year is not None else years[0]
    start, end = year_bounds(year)
    older_year = _year_of(_edge(meetings.filter(start__lt=start), "-start"))
    newer_year = _year_of(_edge(meetings.filter(start__gte=end), "start"))
    count, newer_count = _counts(meetings, year, newer_year)
    pages = _pages(count)
    if not 1 <= page <= pages:
        raise PageOutOfRange(year, pages)
    first = (page - 1) * PAGE_SIZE
    in_year = meetings.filter(start__gte=start, start__lt=end).order_by("-start", "-pk")
    older: tuple[int, int] | None = (year, page + 1)
    if page == pages:  # on to the first page of the next older year
        older = (older_year, 1) if older_year is not None else None
    newer: tuple[int, int] | None = (year, page - 1)
    if page == 1:  # back to the last page of the next newer year
        newer = (newer_year, _pages(newer_count)) if newer_year is not None else None
    return ArchivePage(
        year=year,
        number=page,
        pages=pages,
        count=count,
        meetings=list(in_year[first : first + PAGE_SIZE]),
        years=years,
        older=older,
        newer=newer,
    )


def _pages(count: int) -> int:
    return max(1, math.ceil(count / PAGE_SIZE))


def _edge(meetings: QuerySet[Meeting], order: str) -> dt.datetime | None:
    # ORDER BY start LIMIT 1 walks the start index on both databases; SQLite would scan
    # the table for MIN() under a WHERE clause.
    return meetings.order_by(order).values_list("start", flat=True).first()


def _year_of(moment: dt.datetime | None) -> int | None:
    return local_year(moment) if moment is not None else None


def _counts(meetings: QuerySet[Meeting], year: int, newer_year: int | None) -> tuple[int, int]:
    """The meetings of `year` and of `newer_year` (whose last page the "newer" link
    opens), counted in one pass over the two years' index range."""
    start, end = year_bounds(year)
    newer_start, newer_end = year_bounds(newer_year) if newer_year is not None else (end, end)
    counted = meetings.filter(
        Q(start__gte=start, start__lt=end) | Q(start__gte=newer_start, start__lt=newer_end)
    ).aggregate(
        this=Count("pk", filter=Q(start__lt=end)),
        newer=Count("pk", filter=Q(start__gte=newer_start)),
    )
    return counted["this"], counted["newer"]


def neighbours(
    meetings: QuerySet[Meeting], meeting: Meeting
) -> tuple[Meeting | None, Meeting | None]:
    """The committee's meeting before and after this one, among `meetings`."""
    mine = meetings.filter(organization_id=meeting.organization_id)
    same_start = Q(start=meeting.start)
    before = mine.filter(Q(start__lt=meeting.start) | (same_start & Q(pk__lt=meeting.pk)))
    after = mine.filter(Q(start__gt=meeting.start) | (same_start & Q(pk__gt=meeting.pk)))
    return before.order_by("-start", "-pk").first(), after.order_by("start", "pk").first()
