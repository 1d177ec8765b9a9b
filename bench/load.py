"""Load on the portal while the office writes: 200 concurrent anonymous readers (httpx +
asyncio, 127.0.0.1 only, bounded by --seconds) on the portal's pages, while a scripted
secretary stores and publishes meetings and their members approve the minutes, and
`gremium worker` renders, seals and indexes what that queues. The same run does this
against `gremium serve` and then against Django's development server.

    .venv/bin/python bench/load.py [--seconds 600] [--readers 200]

Per server it prints requests/s, p50/p95/p99 latency, errors, the worker queue's largest
age and depth seen, and checks that no write was lost: every meeting the secretary stored
is in the database, approved by every member present.

The writes go through gremium's services in this process (the office's code path below
the forms), not over HTTP: what is measured is the readers' experience while the
database takes writes and the worker runs.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import approved_demo_meeting, free_port, running, wait_for
from bench.throwaway_site import ROOT, production_environment, setup

PYTHON = sys.executable
# Each stored meeting gets its own year, over every server's run.
_MEETING_NUMBERS = itertools.count(1)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class Writes:
    meetings: list[int] = field(default_factory=list)
    failed: int = 0
    queue_age: float = 0.0
    queue_depth: int = 0


async def reader(client: httpx.AsyncClient, paths: list[str], stop: float, tally: Tally) -> None:
    n = 0
    while time.monotonic() < stop:
        path = paths[n % len(paths)]
        n += 1
        started = time.perf_counter()
        try:
            response = await client.get(path)
            if response.status_code != 200:
                kind = str(response.status_code)
                tally.errors += 1
                tally.error_kinds[kind] = tally.error_kinds.get(kind, 0) + 1
                continue
        except httpx.HTTPError as error:
            tally.errors += 1
            kind = type(error).__name__
            tally.error_kinds[kind] = tally.error_kinds.get(kind, 0) + 1
            continue
        tally.latencies.append(time.perf_counter() - started)


async def readers(base: str, paths: list[str], count: int, seconds: int) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    timeout = httpx.Timeout(30.0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        stop = time.monotonic() + seconds
        await asyncio.gather(*(reader(client, paths[i:] + paths[:i], stop, tally)
                               for i in range(count)))  # fmt: skip
    return tally


def secretary(stop: threading.Event, writes: Writes) -> None:
    """Stores a meeting, publishes it and has every member present approve, in a loop;
    watches the worker queue between rounds."""
    from django.db import close_old_connections

    from gremium.jobs.selectors import oldest_waiting_age, waiting_count

    while not stop.is_set():
        try:
            writes.meetings.append(stored_and_approved(next(_MEETING_NUMBERS)))
        except Exception as error:  # a write refused under load is counted, not fatal
            writes.failed += 1
            print(f"  write failed: {error!r}", file=sys.stderr)
        age = oldest_waiting_age()
        writes.queue_age = max(writes.queue_age, age.total_seconds() if age else 0.0)
        writes.queue_depth = max(writes.queue_depth, waiting_count())
        close_old_connections()
        stop.wait(1.0)


def stored_and_approved(n: int) -> int:
    """The demo minutes as a new meeting n years later (items are numbered per year),
    published and approved by every
    member present: one secretary's and several members' writes."""
    import dataclasses

    from gremium.audit.services import Actor
    from gremium.demo.seed import seed_document
    from gremium.meetings import services
    from gremium.meetings.from_document import meeting_store_document
    from gremium.meetings.models import AttendanceStatus

    actor = Actor.system("bench")
    document = seed_document()
    document = dataclasses.replace(
        document, start=document.start.replace(year=document.start.year + n)
    )
    meeting = meeting_store_document(document=document, by=actor).meeting
    for attendance in meeting.attendances.exclude(status=AttendanceStatus.ABSENT):
        services.minutes_approve(meeting=meeting, person=attendance.person, by=actor)
    return meeting.pk


def lost_writes(meeting_ids: list[int]) -> int:
    from gremium.meetings.models import Meeting, MeetingState

    found = Meeting.objects.filter(pk__in=meeting_ids, state=MeetingState.APPROVED).count()
    return len(meeting_ids) - found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def report(name: str, seconds: int, tally: Tally, writes: Writes) -> None:
    done = len(tally.latencies)
    rate = done / seconds
    if done:
        p50 = statistics.median(tally.latencies) * 1000
        p95, p99 = percentile(tally.latencies, 0.95), percentile(tally.latencies, 0.99)
    else:
        p50 = p95 = p99 = float("nan")
    lost = lost_writes(writes.meetings)
    print(
        f"{name:<12} {rate:8.1f} req/s  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"p99 {p99:7.1f} ms  errors {tally.errors} {tally.error_kinds or ''}  "
        f"writes {len(writes.meetings)} (failed {writes.failed}, lost {lost})  "
        f"queue max age {writes.queue_age:.1f} s, max depth {writes.queue_depth}"
    )


def portal_paths(meeting: int) -> list[str]:
    from gremium.organizations.models import Organization

    committees = [
        f"/udvalg/{slug}/" for slug in Organization.objects.values_list("slug", flat=True)
    ]
    return ["/", "/moeder/", f"/moeder/{meeting}/", *committees[:3]]


def measure(name: str, command: list[str], port: int, env: dict[str, str], args, paths) -> None:
    log = Path(env["GREMIUM_DATA_DIR"]) / f"{name}.log"
    with running(command, env, log):
        wait_for(f"http://127.0.0.1:{port}/health/live")
        for path in paths:  # warm-up: each page once
            wait_for(f"http://127.0.0.1:{port}{path}")
        writes, stop = Writes(), threading.Event()
        writer = threading.Thread(target=secretary, args=(stop, writes))
        writer.start()
        try:
            tally = asyncio.run(
                readers(f"http://127.0.0.1:{port}", paths, args.readers, args.seconds)
            )
        finally:
            stop.set()
            writer.join()
        report(name, args.seconds, tally, writes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600, help="per server (bounded)")
    parser.add_argument("--readers", type=int, default=200, help="concurrent readers")
    parser.add_argument("--only", choices=["serve", "runserver"], help="one server only")
    args = parser.parse_args()
    data_dir = setup()
    env = production_environment(data_dir)
    env["GREMIUM_TASKS"] = "database"
    os.environ["GREMIUM_TASKS"] = "database"
    meeting = approved_demo_meeting()
    paths = portal_paths(meeting)
    manage = [PYTHON, str(ROOT / "manage.py")]
    print(
        f"{args.readers} readers for {args.seconds} s per server on {', '.join(paths)}; "
        f"{os.cpu_count()} cores; a secretary stores, publishes and has approved one "
        "meeting a second; `gremium worker` runs the jobs"
    )
    with running([*manage, "worker"], env, data_dir / "worker.log"):
        servers = {
            "serve": lambda port: [*manage, "serve", "--bind", f"127.0.0.1:{port}"],
            "runserver": lambda port: [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        }
        for name, command in servers.items():
            if args.only and name != args.only:
                continue
            port = free_port()
            measure(name, command(port), port, env, args, paths)


if __name__ == "__main__":
    main()
