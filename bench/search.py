"""Search latency on a generated archive, on SQLite (FTS5) and PostgreSQL (tsvector + GIN),
beside a plain LIKE '%word%' scan of the same rows, and the time to build the index.

    .venv/bin/python bench/search.py [--scale 0.05] [--queries 200] [--backend both]

The archive at --scale 1 is 20 years × 25 committees: 5,500 meetings, about 70,000 items
and attachment text of about 300,000 pages (2,400 characters a page). --scale shrinks the
number of meetings and keeps each meeting's size, so the documents stay realistic; the
scale used is printed. The data is written straight into the tables (bulk inserts, not the
services: generating it through them would take hours); the index is then built by the
real `rebuild()`, from the public and the internal document of every meeting.

Each query is timed as the search page does it for an anonymous visitor (wall clock, and
the CPU time of the searching thread, which is all of SQLite's work): the search with
its count, the 20 entries of the first page and their snippets. The baseline is the same
first word of each query found with LIKE '%word%' in the same entries' text (ILIKE on
PostgreSQL, where LIKE is case sensitive), counting all matches as the result count needs.
With --backend both (the default) each database runs in a fresh process: SQLite in a
temporary folder, PostgreSQL as a throwaway server from scripts/postgres.sh.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS, COMMITTEES, MEETINGS_PER_YEAR = 20, 25, 11
ITEMS_PER_MEETING = 12.7  # 70,000 items
PAGES_PER_ITEM = 4.3  # 300,000 pages
PAGE_CHARS = 2400

ROOTS = "kommune udvalg borger indsats økonomi forvaltning beslutning plan område tilbud skole vej budget ældre børn sag høring lokalplan bolig cykelsti daginstitution beskæftigelse nytteindsats jobcenter ydelse handicap psykiatri sundhed forebyggelse trafik parkering kollektiv transport bus affald genbrug natur miljø vand kloak klima energi byggeri tilladelse dispensation ejendom skat takst gebyr anlæg drift regnskab revision personale løn overenskomst kultur idræt bibliotek musik forening tilskud frivillig integration flygtning sprog uddannelse ungdom fritid klub familie anbringelse forældre pleje hjemmepleje plejehjem rehabilitering genoptræning hjælpemiddel kørsel sygedagpenge ledighed virksomhed erhverv turisme havn strand skov landbrug grundvand spildevand varme fjernvarme belysning fortov asfalt bro rundkørsel vinter snerydning digitalisering it borgerservice pas kørekort valg demokrati høringssvar klage afgørelse politik strategi handleplan evaluering status orientering temadrøftelse".split()  # noqa: E501, SIM905
GENERIC = "kommune udvalg forvaltning beslutning sag borger område økonomi indstilling administration direktør møde orientering ændring forslag".split()  # noqa: E501, SIM905
SUFFIXES = ["", "", "", "en", "er", "erne", "et", "s", "ens", "ernes", "ets", "e"]
FILLER = "og i at det en den til er som på de med af for ikke der var har om vi kan skal blev efter ved også fra men".split()  # noqa: E501, SIM905
PARTIES = "A B C F I K O V Ø Å".split()  # noqa: SIM905
FIRST = "Anne Bo Carl Dorte Erik Frida Gitte Hans Ida Jens Karen Lars Mette Niels Ole Pia Rasmus Susanne Tove Ulla".split()  # noqa: E501, SIM905
LAST = "Holm Ek Dahl Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen Petersen Madsen Kristensen Olsen Thomsen Poulsen Bødker".split()  # noqa: E501, SIM905


class Words:
    """Danish-looking text. Each word is a stop word (35 %), one of the words every case
    uses (15 %: kommune, udvalg, ...), one of the item's topic words (15 %: a few roots of
    its committee's field, so "lokalplan" is common in one committee and rare in the
    others) or a word of a long tail (35 %: compounds and made-up words, Zipf-skewed)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        compounds = [a + b for a in ROOTS for b in ROOTS if a != b]
        rng.shuffle(compounds)
        syllables = [c + v for c in "bdfghjklmnprstv" for v in "aeiouyæøå"]
        made_up = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(30000)}
        self.tail = compounds[:8000] + sorted(made_up)
        rng.shuffle(self.tail)
        self.cumulative = list(accumulate(1 / (rank + 5) for rank in range(len(self.tail))))

    def theme(self) -> list[str]:
        """A committee's field: 15 of the roots."""
        return self.rng.sample(ROOTS, 15)

    def topic(self, theme: list[str]) -> list[str]:
        return self.rng.sample(theme, 4)

    def word(self, topic: list[str] | None = None) -> str:
        return self._inflect(self.rng.choice(topic or ROOTS))

    def _inflect(self, word: str) -> str:
        return word + self.rng.choice(SUFFIXES)

    def text(self, chars: int, topic: list[str]) -> str:
        count = chars // 7 + 1  # about 7 characters a word with its space
        rng = self.rng
        tail = iter(rng.choices(self.tail, cum_weights=self.cumulative, k=count))
        words = []
        for draw in (rng.random() for _ in range(count)):
            if draw < 0.35:
                words.append(rng.choice(FILLER))
            elif draw < 0.50:
                words.append(self._inflect(rng.choice(GENERIC)))
            elif draw < 0.65:
                words.append(self._inflect(rng.choice(topic)))
            else:
                words.append(next(tail))
        out, start = [], 0
        while start < len(words):
            end = start + rng.randint(8, 22)
            out.append(" ".join(words[start:end]).capitalize() + ".")
            start = end
        return " ".join(out)


# -- the archive --------------------------------------------------------------------------


def generate(scale: float, rng: random.Random) -> dict[str, int]:
    from django.utils import timezone

    from gremium.meetings.models import Meeting, MeetingState
    from gremium.organizations.models import Body, Membership, Organization, Person

    words = Words(rng)
    body = Body.objects.create(name="Benchmark Kommune")
    names = [f"{r.capitalize()}udvalget" for r in rng.sample(ROOTS, COMMITTEES)]
    organizations = Organization.objects.bulk_create(
        [Organization(body=body, name=name, slug=f"udvalg-{n}") for n, name in enumerate(names)]
    )
    people = Person.objects.bulk_create(
        [Person(body=body, name=f"{rng.choice(FIRST)} {rng.choice(LAST)}") for _ in range(600)]
    )
    Membership.objects.bulk_create(
        Membership(
            person=rng.choice(people),
            organization=organization,
            party=rng.choice(PARTIES),
            start_date=dt.date(2006 + 4 * term, 1, 1),
            end_date=dt.date(2009 + 4 * term, 12, 31),
        )
        for organization in organizations
        for term in range(5)
        for _ in range(9)
    )
    total = round(YEARS * COMMITTEES * MEETINGS_PER_YEAR * scale)
    counts = {"meetings": 0, "items": 0, "attachments": 0, "pages": 0}
    themes = {organization.pk: words.theme() for organization in organizations}
    for n in range(total):
        organization = organizations[n % COMMITTEES]
        year = 2006 + (n * YEARS) // total
        day = dt.datetime(year, 1 + (n // COMMITTEES) % 11, 1 + n % 27, 16, 0)
        state = MeetingState.APPROVED if n < total - COMMITTEES else MeetingState.PLANNED
        meeting = Meeting.objects.create(
            organization=organization,
            start=timezone.make_aware(day),
            state=state,
            agenda_published_at=timezone.now() if state != MeetingState.PLANNED else None,
        )
        counts["meetings"] += 1
        theme = themes[organization.pk]
        _meeting_content(meeting, organization, year, (words, theme), rng, counts)
        if n % 100 == 99:
            print(f"  generated {n + 1}/{total} meetings", file=sys.stderr)
    return counts


def _meeting_content(meeting, organization, year, language, rng, counts) -> None:  # type: ignore[no-untyped-def]
    from gremium.meetings.models import AgendaItem, Decision, DecisionOutcome, Section
    from gremium.papers.models import Attachment, Paper

    words, theme = language
    topics = []
    number_base = AgendaItem.objects.filter(organization=organization, year=year).count()
    items = []
    papers = []
    for order in range(rng.randint(9, 16)):
        reference = f"{year % 100:02d}/{rng.randint(1000, 99999)}"
        if rng.random() < 0.1:
            reference = f"EMN-{year}-{rng.randint(1, 999999):06d}"
        papers.append(Paper(body_id=organization.body_id, reference=reference, name=""))
        public = rng.random() > 0.05
        topics.append(words.topic(theme))
        items.append(
            AgendaItem(
                meeting=meeting,
                organization=organization,
                year=year,
                number=number_base + order + 1,
                order=order,
                title=" ".join(
                    words.word(topics[-1]) for _ in range(rng.randint(2, 5))
                ).capitalize(),
                public=public,
                public_title="" if public else "Personalesag",
            )
        )
    papers = Paper.objects.bulk_create(papers, ignore_conflicts=True)
    stored = {
        p.reference: p for p in Paper.objects.filter(reference__in=[p.reference for p in papers])
    }
    for item, paper in zip(items, papers, strict=True):
        item.paper = stored.get(paper.reference)
    items = AgendaItem.objects.bulk_create(items)
    counts["items"] += len(items)
    sections, decisions, attachments = [], [], []
    for item, topic in zip(items, topics, strict=True):
        for order, heading in enumerate(("Sagsresume", "Indstilling", "Sagsfremstilling")):
            chars = 1800 if heading == "Sagsfremstilling" else 300
            sections.append(
                Section(
                    agenda_item=item, order=order, heading=heading, body=words.text(chars, topic)
                )
            )
        decisions.append(
            Decision(
                agenda_item=item, outcome=DecisionOutcome.APPROVED, text=words.text(120, topic)
            )
        )
        pages = max(0, round(rng.gauss(PAGES_PER_ITEM, 2.5)))
        while pages > 0:
            size = min(pages, rng.randint(1, 12))
            pages -= size
            text = words.text(size * PAGE_CHARS, topic)
            sha = hashlib.sha256(text.encode()).hexdigest()
            attachments.append(
                Attachment(
                    agenda_item=item,
                    name=f"Bilag {words.word(topic)}",
                    file=f"attachments/{sha[:2]}/{sha}/bilag.pdf",
                    mime_type="application/pdf",
                    sha256=sha,
                    text=text,
                    public=rng.random() > 0.05,
                )
            )
            counts["pages"] += size
    Section.objects.bulk_create(sections)
    Decision.objects.bulk_create(decisions)
    Attachment.objects.bulk_create(attachments)
    counts["attachments"] += len(attachments)


# -- queries ------------------------------------------------------------------------------


def make_queries(count: int, rng: random.Random) -> list[tuple[str, dict[str, object]]]:
    """What visitors type: mostly one or two words of a field ("lokalplan", "skole
    bus"), some phrases, case numbers, names and rarer words, now and then a word every
    case uses ("kommune"); one in ten with a committee or a year."""
    from gremium.meetings.models import Section
    from gremium.organizations.models import Organization, Person
    from gremium.papers.models import Paper
    from gremium.search.words import STOP_WORDS

    words = Words(rng)
    references = list(Paper.objects.values_list("reference", flat=True)[:5000])
    names = list(Person.objects.values_list("name", flat=True)[:200])
    organizations = list(Organization.objects.values_list("pk", flat=True))
    bodies = list(Section.objects.values_list("body", flat=True)[:500])
    queries: list[tuple[str, dict[str, object]]] = []
    for n in range(count):
        kind = n % 20
        filters: dict[str, object] = {}
        if kind < 7:
            text = words.word()
        elif kind < 10:
            text = f"{words.word()} {words.word()}"
        elif kind < 12:
            found = [w for w in rng.choice(bodies).split() if w.isalpha() and w not in STOP_WORDS]
            at = rng.randrange(len(found) - 1)
            text = f'"{found[at]} {found[at + 1]}"'
        elif kind < 14:
            text = rng.choice(references)
        elif kind == 14:
            text = rng.choice(names).split()[-1]
        elif kind < 17:
            text = words.tail[rng.randint(50, 5000)]
        elif kind == 17:
            text = rng.choice(GENERIC)
        else:
            text = words.word()
            filters = {"organization_id": rng.choice(organizations)}
            if kind == 19:
                year = rng.randint(2006, 2025)
                filters = {"date_from": dt.date(year, 1, 1), "date_to": dt.date(year, 12, 31)}
        queries.append((text, filters))
    rng.shuffle(queries)
    return queries


def time_search(
    queries: list[tuple[str, dict[str, object]]],
) -> tuple[list[float], list[float], list[float], int]:
    """Per query: the search alone (count and first page), with the snippets, and the
    CPU time of this thread for the search with snippets. On SQLite that is all the
    work, and unlike the wall-clock time it does not grow when other processes share the
    cores; on PostgreSQL the server's work is not in it."""
    from gremium.search.query import parse
    from gremium.search.searching import Filters, search
    from gremium.search.snippets import highlight, snippet

    alone, with_snippets, cpu, found = [], [], [], 0
    server = _server_cpu()
    for text, filters in queries:
        started, cpu_started = time.perf_counter(), time.thread_time() + server()
        query = parse(text)
        results = search(None, query, filters=Filters(**filters))  # type: ignore[arg-type]
        searched = time.perf_counter()
        for entry in results.entries:
            highlight(entry.title, query)
            snippet(entry.text, query)
        alone.append(searched - started)
        with_snippets.append(time.perf_counter() - started)
        cpu.append(time.thread_time() + server() - cpu_started)
        found += results.total > 0
    return alone, with_snippets, cpu, found


def _prewarm() -> None:
    """PostgreSQL with --cache (whose server gets a production's shared buffers): the
    search table's rows and its public indexes read into shared buffers first, as a
    server that has run a while holds them (docs/operations.md sizes the buffers so). The
    TOAST (the texts, vectors and pairs, read for snippets and phrases) stays where the
    operating system's cache has it, as SQLite's whole file does."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            "SELECT SUM(pg_prewarm(oid)) FROM pg_class WHERE relname = 'search_searchentry' "
            "OR (relkind = 'i' AND relname LIKE 'search%%' AND relname NOT LIKE '%%internal')"
        )
        pages = cursor.fetchone()[0]
    print(f"[postgresql] prewarmed {pages * 8 / 1024:,.0f} MB of the search table", file=sys.stderr)


def _server_cpu() -> Callable[[], float]:
    """The CPU seconds of this connection's PostgreSQL server process so far (Linux's
    schedstat, in nanoseconds): with the client's, all the work of a search, which the
    wall clock of a shared machine is not. 0 on SQLite, whose work is in this thread."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
    if not stat.exists():  # the server on another machine
        return lambda: 0.0
    return lambda: int(stat.read_text().split()[0]) / 1e9


def time_like(queries: list[tuple[str, dict[str, object]]]) -> list[float]:
    from django.db import connection

    operator = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
    sql = (
        f"SELECT COUNT(*) FROM search_searchentry WHERE audience = 'public' "  # noqa: S608
        f"AND (title {operator} %s OR text {operator} %s)"
    )
    timings = []
    with connection.cursor() as cursor:
        for text, _filters in queries:
            word = text.strip('"').split()[0]
            started = time.perf_counter()
            cursor.execute(sql, [f"%{word}%", f"%{word}%"])
            cursor.fetchall()
            timings.append(time.perf_counter() - started)
    return timings


def percentiles(timings: list[float]) -> str:
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms"


# What main's query path (before the changes of the `searchspeed` branch) measured, CPU of
# a search with snippets (client thread, plus the server process on PostgreSQL), 200 queries:
BEFORE = {
    "sqlite": "scale-1-sized index (the 0.05 archive's public entries copied 19 times, "
    "185,000 entries): p50 29.5 ms, p95 145.1 ms; after: p50 30.8 ms, p95 108.4 ms",
    "postgresql": "scale 0.05: p50 17.8 ms, p95 139.2 ms; after: p50 16.4 ms, p95 44.8 ms",
}


# -- one database -------------------------------------------------------------------------


def _cache_dir(args: argparse.Namespace, backend: str) -> Path | None:
    """Where a generated and indexed archive is kept between runs (--cache), by backend,
    scale and seed."""
    if not args.cache:
        return None
    return Path(args.cache).resolve() / f"{backend}-scale{args.scale}-seed{args.seed}"


def run(args: argparse.Namespace) -> None:
    cache = _cache_dir(args, "sqlite")
    if cache is not None and "DATABASE_URL" not in os.environ:
        cache.mkdir(parents=True, exist_ok=True)
        if not (cache / "generated.json").exists():  # nothing finished there yet: start afresh
            for old in cache.glob("gremium.sqlite3*"):
                old.unlink()
        data = cache
    else:
        data = Path(tempfile.mkdtemp(prefix="gremium-bench-search-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "gremium.settings",
            "SECRET_KEY": "bench-" + "x" * 50,
            "GREMIUM_DATA_DIR": str(data),
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("DEBUG", None)
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    # The search code is read now, not after the hour of generation at --scale 1.
    import gremium.search.searching
    import gremium.search.snippets  # noqa: F401

    vendor = connection.vendor
    counts, generated, built = _archive(args, vendor)
    if args.generate_only:
        print(f"[{vendor}] archive generated in {generated:.0f} s, no index", file=sys.stderr)
        return

    from gremium.search.models import SearchEntry

    queries = make_queries(args.queries, random.Random(args.seed + 1))
    time_search(queries[:20])  # warm the caches as a running server has them
    if vendor == "postgresql" and args.cache:
        _prewarm()
    gc.collect()
    gc.freeze()  # as gremium.wsgi does once a server's worker has started
    alone, timings, cpu, found = time_search(queries)
    print(
        f"\n== {vendor} ==\n"
        f"archive: {counts['meetings']:,} meetings, {counts['items']:,} items, "
        f"{counts['attachments']:,} attachments, {counts['pages']:,} pages of attachment text "
        f"(scale {args.scale}; generated in {generated:.0f} s)\n"
        f"index build (rebuild(), both audiences): {built:.1f} s, "
        f"{SearchEntry.objects.count():,} entries\n"
        f"search, {len(queries)} queries ({found} with hits), anonymous, first page of 20:\n"
        f"  query and count   {percentiles(alone)}\n"
        f"  with snippets     {percentiles(timings)}\n"
        f"  CPU (this thread{' and the server' if vendor == 'postgresql' else ''}) "
        f"{percentiles(cpu)}\n"
        f"  before (main at 30bb0fe, recorded): {BEFORE[vendor]}",
        flush=True,
    )
    # The scan costs seconds a query at --scale 1: --like-queries takes the first N only.
    scanned = queries[: args.like_queries] if args.like_queries else queries
    like = time_like(scanned)
    print(
        f"baseline LIKE '%word%' count over the same entries ({len(scanned)} of the queries):\n"
        f"  {percentiles(like)}"
    )


def _archive(args: argparse.Namespace, vendor: str) -> tuple[dict[str, int], float, float]:
    """Generate the archive and build its index, or find both in the cache (with the
    times the first run measured)."""
    from gremium.search.indexing import rebuild
    from gremium.search.models import SearchEntry

    cache = _cache_dir(args, vendor)
    mark = cache / "built.json" if cache is not None else None
    archive = cache / "generated.json" if cache is not None else None
    if mark is not None and mark.exists() and not args.reindex:
        print(f"[{vendor}] archive and index from the cache {cache}", file=sys.stderr)
        kept = json.loads(mark.read_text())
        return kept["counts"], kept["generated"], kept["built"]
    if archive is not None and archive.exists():
        print(f"[{vendor}] archive from the cache {cache}; index built anew", file=sys.stderr)
        kept = json.loads(archive.read_text())
        counts, generated = kept["counts"], kept["generated"]
        if mark is not None:
            mark.unlink(missing_ok=True)
        SearchEntry.objects.all().delete()  # a build from nothing, as the first one
    else:
        print(f"[{vendor}] generating the archive at scale {args.scale} ...", file=sys.stderr)
        started = time.perf_counter()
        counts = generate(args.scale, random.Random(args.seed))
        generated = time.perf_counter() - started
        if archive is not None:
            archive.parent.mkdir(parents=True, exist_ok=True)
            archive.write_text(json.dumps({"counts": counts, "generated": generated}))
    if args.generate_only:
        return counts, generated, 0.0
    print(f"[{vendor}] building the index ...", file=sys.stderr)
    started = time.perf_counter()
    rebuild()
    built = time.perf_counter() - started
    if mark is not None:
        mark.write_text(json.dumps({"counts": counts, "generated": generated, "built": built}))
    return counts, generated, built


# A PostgreSQL server for one run: throwaway (scripts/postgres.sh), or kept in the cache
# folder given as the first argument, created there the first time.
POSTGRES = """
if [ -z "$1" ]; then
  source scripts/postgres.sh && postgres_start &&
  $PG_AS "$PG_BIN/createdb" -h "$PG_TMP" -U gremium gremium
  shift; DATABASE_URL="$POSTGRES_URL" "$@"; exit
fi
dir="$1"; shift
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as=(); if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
if [ ! -d "$dir/data" ]; then
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U gremium --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log"
fi
trap '"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1' EXIT
# Shared buffers as docs/operations.md advises a production server: a quarter of the
# memory (at most 8 GB), not the 128 MB default.
buffers=$(awk '/^MemTotal/ {mb = int($2 / 4096); print (mb > 8192 ? 8192 : mb) "MB"}' /proc/meminfo)
options="-k $dir -c listen_addresses='' -c fsync=off -c full_page_writes=off"
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "$options -c shared_buffers=$buffers" start >/dev/null
if [ ! -f "$dir/generated.json" ]; then  # nothing finished there yet: start afresh
  "${as[@]}" "$bin/dropdb" --if-exists -h "$dir" -U gremium gremium
  "${as[@]}" "$bin/createdb" -h "$dir" -U gremium gremium
fi
DATABASE_URL="postgres://gremium@$(printf %s "$dir" | sed 's|/|%2F|g')/gremium" "$@"
"""


def run_postgresql(args: argparse.Namespace) -> None:
    own = [sys.executable, __file__, "--scale", str(args.scale), "--queries", str(args.queries)]
    own += ["--seed", str(args.seed), "--backend", "postgresql", "--inner", *_flags(args)]
    cache = _cache_dir(args, "postgresql")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run(
        ["bash", "-c", POSTGRES, "bench", str(cache or ""), *own], check=True, cwd=ROOT, env=env
    )


def _flags(args: argparse.Namespace) -> list[str]:
    """The options a run passes on to the process of each database."""
    flags = ["--cache", args.cache] if args.cache else []
    flags += ["--like-queries", str(args.like_queries)]
    return flags + ["--reindex"] * args.reindex + ["--generate-only"] * args.generate_only


def run_both(args: argparse.Namespace) -> None:
    own = [sys.executable, __file__, "--scale", str(args.scale), "--queries", str(args.queries)]
    own += ["--seed", str(args.seed), *_flags(args)]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run([*own, "--backend", "sqlite"], check=True, env=env)
    run_postgresql(args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.05, help="1 = 5,500 meetings")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--backend", choices=["both", "sqlite", "postgresql"], default="both")
    parser.add_argument(
        "--cache",
        metavar="DIR",
        help="keep the generated archive and its index in DIR and use them again "
        "(for the same scale and seed): a run at --scale 1 then skips the hour of generation",
    )
    parser.add_argument(
        "--reindex",
        action="store_true",
        help="with --cache: build the index anew on the kept archive (after a change to indexing)",
    )
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="with --cache: generate and keep the archive, build no index and time no query",
    )
    parser.add_argument(
        "--like-queries",
        type=int,
        default=0,
        metavar="N",
        help="time the LIKE baseline on the first N queries only (default: all)",
    )
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend == "both":
        run_both(args)
    elif args.backend == "postgresql" and not args.inner:
        run_postgresql(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
