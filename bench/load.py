"""Load on the portal while the office writes: 200 concurrent anonymous readers (asyncio
streams, 127.0.0.1 only, bounded by --seconds) on the portal's pages, while a scripted
secretary stores and publishes meetings and their members approve the minutes, and
`gremium worker` renders, seals and indexes what that queues. The same run does this
against `gremium serve` alone, against the same server behind nginx's proxy_cache
configured from gremium's cache headers (as docs/operations.md recommends deploying it;
the configuration is bench/serve.py's), and against Django's development server.

    .venv/bin/python bench/load.py [--seconds 600] [--readers 200] [--only serve|nginx|runserver]

Per server it prints requests/s, p50/p95/p99 latency (over all pages and per page),
errors, the worker queue's largest age and depth seen, the CPU seconds the server, the
worker and the secretary used, and checks that no write was lost: every meeting the
secretary stored is in the database, approved by every member present.

The writes go through gremium's services in this process (the office's code path below
the forms), not over HTTP: what is measured is the readers' experience while the
database takes writes and the worker runs.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import approved_demo_meeting, free_port, nginx, running, wait_for
from bench.throwaway_site import ROOT, production_environment, setup

PYTHON = sys.executable
# Each stored meeting gets its own year, over every server's run.
_MEETING_NUMBERS = itertools.count(1)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    per_path: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    # What a caching proxy said it did (X-Cache-Status: HIT, MISS, UPDATING, ...).
    cache: dict[str, int] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # the readers' own processes


@dataclass
class Writes:
    meetings: list[int] = field(default_factory=list)
    failed: int = 0
    queue_age: float = 0.0
    queue_depth: int = 0
    cpu_seconds: float = 0.0  # the secretary's thread


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants, from /proc (Linux);
    0 where /proc is not there."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except (OSError, IndexError, ValueError):
            continue
    return total


TIMEOUT = 30.0  # seconds: a request without an answer by then counts as an error


class Connection:
    """One reader's keep-alive HTTP/1.1 connection, on asyncio's streams. A minimal client
    on purpose: httpx costs the load generator so much CPU per request that on 2 cores
    it, not the server, set the latency (measured: behind nginx, every answer a cache hit
    and the server idle, 36 requests/s at p50 4.4 s)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[int, dict[str, str]]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
        await writer.drain()
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            await self._chunks(reader)
        else:
            await reader.read()  # the body ends with the connection
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers

    @staticmethod
    async def _chunks(reader: asyncio.StreamReader) -> None:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                return

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


def _count(table: dict[str, int], kind: str) -> None:
    table[kind] = table.get(kind, 0) + 1


async def reader(base: str, paths: list[str], stop: float, tally: Tally) -> None:
    host, _, port = base.removeprefix("http://").partition(":")
    connection = Connection(host, int(port))
    n = 0
    while time.monotonic() < stop:
        path = paths[n % len(paths)]
        n += 1
        started = time.perf_counter()
        try:
            status, headers = await asyncio.wait_for(connection.get(path), TIMEOUT)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError,
                TimeoutError) as error:  # fmt: skip
            connection.close()
            tally.errors += 1
            _count(tally.error_kinds, type(error).__name__)
            continue
        if status != 200:
            tally.errors += 1
            _count(tally.error_kinds, str(status))
            continue
        took = time.perf_counter() - started
        if "x-cache-status" in headers:
            _count(tally.cache, headers["x-cache-status"])
        tally.latencies.append(took)
        tally.per_path.setdefault(path, []).append(took)
    connection.close()


async def readers(base: str, turns: list[list[str]], seconds: int) -> Tally:
    tally = Tally()
    stop = time.monotonic() + seconds
    await asyncio.gather(*(reader(base, turn, stop, tally) for turn in turns))
    tally.cpu_seconds = time.process_time()
    return tally


def _reader_process(base: str, turns: list[list[str]], seconds: int) -> Tally:
    return asyncio.run(readers(base, turns, seconds))


def all_readers(base: str, paths: list[str], count: int, seconds: int) -> Tally:
    """`count` readers in processes of their own, one per core: in this process the
    secretary's thread would hold the interpreter lock while the readers' answers wait to
    be read, and the latency measured would be the load generator's, not the server's."""
    # Each reader starts at another page, so that every page is asked for as often.
    turns = [paths[i % len(paths) :] + paths[: i % len(paths)] for i in range(count)]
    shares = max(1, min(os.cpu_count() or 1, count))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(shares, mp_context=context) as pool:
        parts = [
            pool.submit(_reader_process, base, turns[share::shares], seconds)
            for share in range(shares)
        ]
        results = [part.result() for part in parts]
    tally = Tally()
    for part in results:
        tally.cpu_seconds += part.cpu_seconds
        tally.latencies += part.latencies
        tally.errors += part.errors
        for path, values in part.per_path.items():
            tally.per_path.setdefault(path, []).extend(values)
        for table, merged in ((part.error_kinds, tally.error_kinds), (part.cache, tally.cache)):
            for kind, n in table.items():
                merged[kind] = merged.get(kind, 0) + n
    return tally


def secretary(stop: threading.Event, writes: Writes) -> None:
    """Stores a meeting, publishes it and has every member present approve, in a loop;
    watches the worker queue between rounds."""
    from django.db import close_old_connections

    from gremium.jobs.selectors import oldest_waiting_age, waiting_count

    while not stop.is_set():
        started = time.thread_time()
        try:
            writes.meetings.append(stored_and_approved(next(_MEETING_NUMBERS)))
        except Exception as error:  # a write refused under load is counted, not fatal
            writes.failed += 1
            print(f"  write failed: {error!r}", file=sys.stderr)
        age = oldest_waiting_age()
        writes.queue_age = max(writes.queue_age, age.total_seconds() if age else 0.0)
        writes.queue_depth = max(writes.queue_depth, waiting_count())
        close_old_connections()
        writes.cpu_seconds += time.thread_time() - started
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


def latencies(values: list[float]) -> str:
    if not values:
        return "p50     nan ms  p95     nan ms  p99     nan ms"
    p50 = statistics.median(values) * 1000
    p95, p99 = percentile(values, 0.95), percentile(values, 0.99)
    return f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p99 {p99:7.1f} ms"


@dataclass
class Cpu:
    server: float
    worker: float
    writer: float


def report(name: str, seconds: int, tally: Tally, writes: Writes, cpu: Cpu) -> None:
    rate = len(tally.latencies) / seconds
    lost = lost_writes(writes.meetings)
    print(
        f"{name:<10} {rate:8.1f} req/s  {latencies(tally.latencies)}  "
        f"errors {tally.errors} {tally.error_kinds or ''}  "
        f"writes {len(writes.meetings)} (failed {writes.failed}, lost {lost})  "
        f"queue max age {writes.queue_age:.1f} s, max depth {writes.queue_depth}  "
        f"CPU s: server {cpu.server:.1f}, worker {cpu.worker:.1f}, secretary {cpu.writer:.1f}, "
        f"readers {tally.cpu_seconds:.1f}  "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    if tally.cache:
        print(f"    proxy cache: {dict(sorted(tally.cache.items()))}")
    for path, values in sorted(tally.per_path.items()):
        print(f"    {path:<58} {len(values) / seconds:7.1f} req/s  {latencies(values)}")


def portal_paths(meeting: int) -> list[str]:
    from gremium.organizations.models import Organization

    committees = [
        f"/udvalg/{slug}/" for slug in Organization.objects.values_list("slug", flat=True)
    ]
    return ["/", "/moeder/", f"/moeder/{meeting}/", *committees[:3]]


def measure(name: str, port: int, args, paths, server: int, worker: int) -> None:  # type: ignore[no-untyped-def]
    """Readers on 127.0.0.1:port while the secretary writes; `server` and `worker` are the
    process ids whose CPU time is counted."""
    for path in paths:  # warm-up: each page once
        wait_for(f"http://127.0.0.1:{port}{path}")
    writes, stop = Writes(), threading.Event()
    writer = threading.Thread(target=secretary, args=(stop, writes))
    server_cpu, worker_cpu = cpu_seconds(server), cpu_seconds(worker)
    writer.start()
    try:
        tally = all_readers(f"http://127.0.0.1:{port}", paths, args.readers, args.seconds)
    finally:
        stop.set()
        writer.join()
    cpu = Cpu(
        cpu_seconds(server) - server_cpu, cpu_seconds(worker) - worker_cpu, writes.cpu_seconds
    )
    report(name, args.seconds, tally, writes, cpu)


def served(name, command, env, args, paths, worker: int) -> None:  # type: ignore[no-untyped-def]
    """One app server measured alone, and (for `gremium serve`) behind nginx's cache."""
    port = free_port()
    log = Path(env["GREMIUM_DATA_DIR"]) / f"{name}.log"
    with running(command(port), env, log) as process:
        wait_for(f"http://127.0.0.1:{port}/health/live")
        if args.only in (None, name):
            measure(name, port, args, paths, process.pid, worker)
        if name == "serve" and args.only in (None, "nginx"):
            behind_nginx(port, args, paths, process.pid, worker)


def behind_nginx(app_port: int, args, paths, server: int, worker: int) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        print("nginx         skipped: nginx is missing (apt-get install nginx-light)")
        return
    folder = Path(tempfile.mkdtemp(prefix="gremium-load-nginx-"))
    folder.chmod(0o755)  # nginx's workers may run as another user
    (folder / "files").mkdir()
    proxy_port = free_port()
    try:
        with nginx(folder, app_port, proxy_port, free_port(), 2) as proxy:
            wait_for(f"http://127.0.0.1:{proxy_port}/")
            measure("nginx", proxy_port, args, paths, server, worker)
            print(f"    (nginx itself: {cpu_seconds(proxy.pid):.1f} CPU s over the whole run)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600, help="per server (bounded)")
    parser.add_argument("--readers", type=int, default=200, help="concurrent readers")
    parser.add_argument(
        "--only", choices=["serve", "nginx", "runserver"], help="one measurement only"
    )
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
    with running([*manage, "worker"], env, data_dir / "worker.log") as worker:
        servers = {
            "serve": lambda port: [*manage, "serve", "--bind", f"127.0.0.1:{port}"],
            "runserver": lambda port: [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        }
        for name, command in servers.items():
            wanted = {"serve": (None, "serve", "nginx"), "runserver": (None, "runserver")}
            if args.only in wanted[name]:
                served(name, command, env, args, paths, worker.pid)


if __name__ == "__main__":
    main()
