"""The whole body's calendar (ICS) of a generated archive of meetings.

    .venv/bin/python bench/ics.py [--meetings 10000]

Prints the time to build /kalender.ics through the view (the query, every event, the
response), best and median of several runs, beside the baseline measured in the same run:
the same rows built as one `icalendar.Event` per meeting with the package's own
serializer. Goal: under 1 s for 10,000 meetings. DATABASE_URL picks PostgreSQL, e.g. the
tests' throwaway server: `source scripts/postgres.sh; postgres_start;
DATABASE_URL="${POSTGRES_URL%/gremium}/postgres" .venv/bin/python bench/ics.py`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway_site import setup

RUNS = 5


def generate(count: int) -> None:
    """`count` public meetings of 25 committees, every few days back from 2026, with a
    place, an end, some moved (SEQUENCE) and some cancelled."""
    from django.utils import timezone

    from gremium.meetings.models import Meeting, MeetingState
    from gremium.organizations.models import Body, Location, Organization

    body = Body.objects.create(name="Haderslev Kommune")
    places = [
        Location.objects.create(body=body, description=f"Mødelokale {n}, Rådhuset, Gravene 2")
        for n in range(5)
    ]
    committees = [
        Organization.objects.create(body=body, name=f"Udvalget for område nr. {n}, by og land")
        for n in range(25)
    ]
    first = timezone.make_aware(dt.datetime(2026, 6, 1, 16, 0))
    now = timezone.now()
    states = [MeetingState.APPROVED] * 8 + [MeetingState.AGENDA_PUBLISHED, MeetingState.CANCELLED]
    Meeting.objects.bulk_create(
        Meeting(
            organization=committees[n % 25],
            start=first - dt.timedelta(days=n // 3, hours=n % 3),
            end=first - dt.timedelta(days=n // 3, hours=n % 3 - 2),
            location=places[n % 5],
            state=states[n % 10],
            agenda_published_at=now,
            minutes_published_at=now,
            sequence=n % 3,
        )
        for n in range(count)
    )


def timed(build) -> tuple[float, float, float, int]:  # type: ignore[no-untyped-def]
    """Best and median wall-clock seconds, and the best CPU seconds of this process (which
    other load on a shared machine changes far less), over RUNS builds."""
    times, cpu, size = [], [], 0
    for _ in range(RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        size = len(build())
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return min(times), statistics.median(times), min(cpu), size


def through_the_view() -> bytes:
    from django.test import Client

    response = Client(HTTP_HOST="127.0.0.1").get("/kalender.ics")
    assert response.status_code == 200, response.status_code
    return response.content


def one_event_each() -> bytes:
    """The baseline: every meeting as an `icalendar.Event`, the package's serializer."""
    import icalendar

    from gremium.meetings.public_lists import public_meetings

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//gremium//bench//DA")
    calendar.add("version", "2.0")
    rows = public_meetings().select_related("organization", "location").order_by("start")
    for meeting in rows:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@bench")
        event.add("dtstamp", meeting.modified)
        event.add("last-modified", meeting.modified)
        event.add("sequence", meeting.sequence)
        event.add("dtstart", meeting.start)
        event.add("dtend", meeting.end)
        event.add("summary", f"Møde i {meeting.organization.name}")
        event.add("location", meeting.location.description if meeting.location else "")
        event.add("url", f"http://127.0.0.1/moeder/{meeting.pk}/")
        event.add("description", f"Dagsorden og referat: http://127.0.0.1/moeder/{meeting.pk}/")
        event.add("status", "CANCELLED" if meeting.state == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gremium-bench-") as folder:
        setup(Path(folder))
        run(args.meetings)


def run(meetings: int) -> None:
    from django.db import connection

    started = time.perf_counter()
    generate(meetings)
    print(f"({meetings} meetings generated in {time.perf_counter() - started:.1f} s on "
          f"{connection.vendor})")  # fmt: skip
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    best, median, cpu, size = timed(through_the_view)
    print(f"GET /kalender.ics   best {best:.3f} s  median {median:.3f} s  CPU {cpu:.3f} s"
          f"  ({size / 1e6:.1f} MB)   goal < 1 s   (load average {load})")  # fmt: skip
    best, median, cpu, size = timed(one_event_each)
    print(f"baseline: one icalendar.Event per meeting   best {best:.3f} s  median {median:.3f} s"
          f"  CPU {cpu:.3f} s  ({size / 1e6:.1f} MB)")  # fmt: skip


if __name__ == "__main__":
    main()
