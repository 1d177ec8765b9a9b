"""One mirror run: read the source (only what changed since the last complete run of each
list, unless `full`), fetch what the lists did not hold, and store it all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from gremium.importers.oparl.client import Client, Fetch
from gremium.importers.oparl.crawl import Crawl
from gremium.importers.oparl.models import MirroredList
from gremium.importers.oparl.problems import Problems
from gremium.importers.oparl.store import Mirror, Tally

# A change is dated when it is made and visible when its transaction commits: ask for a
# little more than the time since the last run (docs/oparl.md, "modified").
OVERLAP = dt.timedelta(minutes=1)


@dataclass
class Progress:
    """Called as the run goes on: objects read, meetings stored."""

    read: Callable[[int], None] = lambda n: None
    stored: Callable[[], None] = lambda: None
    phase: Callable[[str, int], None] = lambda name, total: None


@dataclass
class RunResult:
    started: dt.datetime
    tally: Tally
    problems: Problems
    requests: int = 0
    incremental_lists: int = 0
    lists: int = 0
    ok: bool = True  # False when the entry URL was neither a System nor a Body
    objects_read: int = 0
    notes: list[str] = field(default_factory=list)


def run(
    url: str,
    fetch: Fetch,
    *,
    workers: int = 4,
    full: bool = False,
    files: bool = False,
    retries: int = 3,
    backoff: float = 0.5,
    progress: Progress | None = None,
) -> RunResult:
    progress = progress or Progress()
    started = timezone.now()
    problems = Problems()
    client = Client(fetch, problems, retries=retries, backoff=backoff)
    crawl = Crawl(client, workers=workers, progress=progress.read)
    result = RunResult(started, Tally(), problems)
    if not crawl.start(url):
        result.ok = False
        result.requests = client.requests
        return result
    previous = {row.url: row for row in MirroredList.objects.all()}

    def since(list_url: str) -> str | None:
        row = previous.get(list_url)
        if full or row is None or row.completed is None or row.started is None:
            return None
        result.incremental_lists += 1
        return timezone.localtime(row.started - OVERLAP).isoformat(timespec="seconds")

    crawl.read_lists(since)
    mirror = Mirror(crawl.objects, problems, download=client if files else None)
    crawl.follow_links(mirror.known)
    result.objects_read = len(crawl.objects)
    progress.phase("store", len(crawl.objects))
    mirror.apply(progress.stored)
    _remember_lists(crawl, started)
    result.tally = mirror.tally
    result.requests = client.requests
    result.lists = len(crawl.lists)
    return result


def _remember_lists(crawl: Crawl, started: dt.datetime) -> None:
    """A list read to its end is asked only for changes next time; one that broke off is
    read in full again."""
    for done in crawl.lists:
        row = MirroredList.objects.filter(url=done.url).first() or MirroredList(url=done.url)
        row.body_id = done.body_id
        row.objects_seen = done.objects
        if done.complete:
            row.started, row.completed = started, timezone.now()
        row.save()
