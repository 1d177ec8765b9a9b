"""Calendars of the public meetings (RFC 5545): for the whole body, a committee, or the
committees a person sits in.

The calendar's frame and its VTIMEZONE come from the `icalendar` package. The events are
written here line by line with that package's own escaping and folding: a whole body's
archive of 10,000 meetings must build in well under a second, which building one
`icalendar.Event` per meeting does not (bench/ics.py). Each event holds only what
the public meeting page shows of the meeting itself: the organization, the time, the
place and the address of the page. No item titles: they would need the public document of
every meeting, and a summary must never carry a closed item's title.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import icalendar
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar.parser import Contentline
from icalendar.prop import vText

from gremium.lib.calendar_uid import uid_domain
from gremium.meetings.models import Meeting, MeetingState

CONTENT_TYPE = "text/calendar; charset=utf-8"
# What a subscribing client is asked to wait between fetches (RFC 7986 REFRESH-INTERVAL).
REFRESH = "PT1H"
_FIELDS = (
    "pk",
    "start",
    "end",
    "state",
    "sequence",
    "modified",
    "organization__name",
    "organization__body__name",
    "location__description",
)


def calendar_bytes(
    meetings: QuerySet[Meeting], *, name: str, page_url: Callable[[int], str]
) -> bytes:
    """The meetings as one VCALENDAR; `page_url(pk)` is each meeting page's address."""
    rows = list(meetings.order_by("start", "pk").values_list(*_FIELDS))
    zone = settings.TIME_ZONE
    frame = _frame(name, zone, [row[1] for row in rows]).to_ical()
    head, tail = frame.rsplit(b"END:VCALENDAR", 1)
    events = "".join(_events(rows, zone, page_url)).encode("utf-8")
    return head + events + b"END:VCALENDAR" + tail


def meeting_page_url(build_absolute_uri: Callable[[str], str]) -> Callable[[int], str]:
    """The absolute page address for a meeting id, resolved once for the whole list: one
    `reverse` per event would cost more than the rest of the event."""
    marker = 999_999_999_999
    template = build_absolute_uri(reverse("portal:meeting", args=[marker]))
    head, tail = template.split(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"


def _frame(name: str, zone: str, starts: list[dt.datetime]) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//gremium//gremium//DA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone)
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    if starts:
        calendar.add_component(_timezone(zone, min(starts).year, max(starts).year))
    return calendar


@lru_cache(maxsize=16)
def _timezone(zone: str, first_year: int, last_year: int) -> icalendar.Timezone:
    # The transitions of the years the meetings span, so every client reads the times
    # right even without its own copy of the zone database.
    return icalendar.Timezone.from_tzid(
        zone, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year + 2, 1, 1)
    )


def _events(rows: Iterable[tuple], zone: str, page_url: Callable[[int], str]) -> Iterator[str]:  # type: ignore[type-arg]
    tz = zoneinfo.ZoneInfo(zone)
    summaries: dict[tuple[str, bool], str] = {}
    places: dict[str, str] = {}
    domains: dict[str, str] = {}
    for pk, start, end, state, sequence, modified, organization, body, place in rows:
        cancelled = state == MeetingState.CANCELLED
        if (organization, cancelled) not in summaries:
            summaries[organization, cancelled] = _line("SUMMARY", _summary(organization, cancelled))
        if body not in domains:
            domains[body] = uid_domain(body)
        changed = _utc(modified)
        url = page_url(pk)
        yield (
            "BEGIN:VEVENT\r\n"
            f"UID:meeting-{pk}@{domains[body]}\r\n"
            f"DTSTAMP:{changed}\r\n"
            f"LAST-MODIFIED:{changed}\r\n"
            f"SEQUENCE:{sequence}\r\n"
            f"DTSTART;TZID={zone}:{_local(start, tz)}\r\n"
        )
        if end is not None:
            yield f"DTEND;TZID={zone}:{_local(end, tz)}\r\n"
        yield summaries[organization, cancelled]
        if place:
            if place not in places:
                places[place] = _line("LOCATION", place)
            yield places[place]
        yield _line("URL;VALUE=URI", url, escape=False)
        yield _line("DESCRIPTION", _("Dagsorden og referat: %(url)s") % {"url": url})
        yield f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}\r\nEND:VEVENT\r\n"


def _summary(organization: str, cancelled: bool) -> str:
    if cancelled:
        return _("Aflyst: møde i %(organization)s") % {"organization": organization}
    return _("Møde i %(organization)s") % {"organization": organization}


def _line(name: str, value: str, *, escape: bool = True) -> str:
    text = vText(value).to_ical().decode("utf-8") if escape else value
    line = f"{name}:{text}"
    if len(line.encode("utf-8")) > 75:  # RFC 5545 folds longer lines
        line = Contentline(line).to_ical().decode("utf-8")
    return line + "\r\n"


def _local(moment: dt.datetime, tz: dt.tzinfo) -> str:
    return moment.astimezone(tz).strftime("%Y%m%dT%H%M%S")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
