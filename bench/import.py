"""Importing a whole archive: a generated municipality's meetings in each kind (Markdown,
web page, PDF), beside bare text extraction measured in the same run.

    .venv/bin/python bench/import.py [--meetings 500] [--kinds md html pdf] [--jobs 2]

For each kind it writes the meetings as files into a folder, then prints:
- "extract": bare text extraction of every file in this process (the baseline: reading and
  decoding the text; pypdfium2's text for a PDF);
- "parse": reading every file into documents on all cores (`--jobs`), nothing stored;
- "import": `gremium import FOLDER --jobs N` into a fresh SQLite database (parsing on
  every core, storing in the main process, search index and audit log included), with
  meetings/s and pages/s and the time left for storing alone;
- the audit log's size per meeting and the database's size.
The last line extrapolates each kind's import to 5,500 meetings (20 years of five
committees), the issue's goal being under 5 minutes on 2 cores.

The extrapolation is by CPU time, the machine being shared: on `--jobs` idle cores a run
takes the larger of the main process's CPU (storing) and all processes' CPU spread over
the cores. Costs that do not grow with the archive are kept apart: the search index's own
process spends about a second starting a fresh Django (spawned, measured here once with
nothing to index) whether it indexes 300 meetings or 5,500. Earlier versions divided it by
the meetings of the run and multiplied it by 5,500, which overstated a big archive's time.
Worker processes are reaped (joined) before each CPU reading, so that one step's workers
are not counted in the next step's figures.

The kind "ocr" (not in the default kinds: `--kinds ocr`) is the PDFs scanned: every page
rasterised at 300 dpi into an image-only PDF, read with `--ocr` on all cores, nothing
stored. It prints pages/s alone, and the OCR confidence, for the first `--ocr-meetings`
meetings (OCR takes seconds per page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ["kommunen", "udvalget", "borgere", "indsats", "økonomi", "forvaltningen", "beslutning", "plan", "område", "tilbud", "skole", "vej", "budget", "ældre", "børn", "sag", "høring", "lokalplan"]  # fmt: skip  # noqa: E501
HEADINGS = ("Sagsresume", "Indstilling", "Sagsfremstilling", "Økonomi", "Procedure")
ARCHIVE = 5500


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    return " ".join(words).capitalize() + "."


COMMITTEES = ("Teknik- og Miljøudvalget", "Økonomiudvalget", "Børne- og Skoleudvalget",
              "Social- og Sundhedsudvalget", "Kultur- og Fritidsudvalget")  # fmt: skip


def meeting_day(index: int) -> dt.date:
    """5,500 meetings over 20 years: five committees, each about once a fortnight."""
    return dt.date(2006, 1, 2) + dt.timedelta(days=index * 4 // 3)


def meeting_lines(rng: random.Random, index: int) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind is title, label, heading, subheading or text."""
    day, committee = meeting_day(index), COMMITTEES[index % len(COMMITTEES)]
    date = f"{day:%d-%m-%Y}"
    parts = [("title", f"REFERAT {committee} d. {date}"),
             ("label", f"Mødedato: {day:%d.%m.%Y} kl. {8 + index % len(COMMITTEES)}:00"),
             ("label", "Mødested: Rådhuset"),
             ("label", "Mødedeltagere: Anne Holm, Bo Ek (Fravær), Carl Dahl")]  # fmt: skip
    for number in range(1, rng.randint(6, 12)):
        parts += [("heading", f"Punkt {number}: {sentence(rng)[:50].rstrip('.')}"),
                  ("text", f"25/{rng.randint(1000, 99999)}")]  # fmt: skip
        for heading in HEADINGS:
            parts.append(("subheading", heading))
            parts += [
                ("text", sentence(rng) + " " + sentence(rng)) for _ in range(rng.randint(1, 4))
            ]
        parts += [("subheading", f"Beslutning i {committee} den {date}"),
                  ("text", "Godkendt."), ("subheading", "Fraværende:"), ("text", "Bo Ek")]  # fmt: skip  # noqa: E501
    return parts


def as_markdown(parts: list[tuple[str, str]]) -> str:
    marks = {"title": "# ", "heading": "## ", "subheading": "### ", "label": "", "text": ""}
    return "\n\n".join(marks[kind] + text for kind, text in parts) + "\n"


def as_typst(parts: list[tuple[str, str]]) -> bytes:
    def escape(text: str) -> str:
        return "".join("\\" + c if c in "\\#*_`$<>@[]=-+/~\"'" else c for c in text)

    def block(kind: str, text: str) -> str:
        if kind in ("heading", "title"):
            return f'#text(weight: "bold", size: 13pt)[{escape(text)}]'
        if kind == "subheading":
            return f'#text(weight: "bold")[{escape(text)}]'
        return escape(text)

    setup = ('#set page(paper: "a4", header: [Teknik- og Miljøudvalget], '
             'footer: context [Side #counter(page).display() af #counter(page).final().first()])\n')  # fmt: skip  # noqa: E501
    return (setup + "\n\n".join(block(k, t) for k, t in parts)).encode()


def as_html(parts: list[tuple[str, str]]) -> str:
    from html import escape

    tags = {"title": "h1", "heading": "h2", "subheading": "h3", "label": "p", "text": "p"}
    body = "\n".join(f"<{tags[k]}>{escape(t)}</{tags[k]}>" for k, t in parts)
    return f'<!doctype html><html lang="da"><head><meta charset="utf-8"></head><body>{body}</body></html>'  # noqa: E501


def scanned(pdf: bytes, dpi: int = 300) -> bytes:
    """The PDF as a scanner gives it: each page an image, no text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil()
              for i in range(len(document))]  # fmt: skip
    document.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def bench_ocr(archive: list[list[tuple[str, str]]], root: Path, jobs: int) -> None:
    import typst

    from gremium.importers.archive_run import RunOptions, archive_files, import_archive

    folder = root / "ocr"
    folder.mkdir(parents=True)
    for index, parts in enumerate(archive):
        (folder / f"scan-{index:05d}.pdf").write_bytes(scanned(typst.compile(as_typst(parts))))
    started, cpu_before = time.perf_counter(), sum(cpu_seconds())
    options = RunOptions(body="Benchkommune", dry_run=True, jobs=jobs, ocr=True)
    outcomes = list(import_archive(archive_files([folder]), options))
    for worker in multiprocessing.active_children():  # reaped: their CPU is counted
        worker.join(timeout=60)
    took, cpu = time.perf_counter() - started, sum(cpu_seconds()) - cpu_before
    pages = [p for o in outcomes if o.parsed for p in o.parsed.report.ocr_pages]
    failed = [o for o in outcomes if o.error]
    means = [p.mean_confidence for p in pages]
    print(f"ocr   ({len(archive)} scanned meetings, 300 dpi, {len(pages)} pages, "
          f"{len(failed)} failed)")  # fmt: skip
    print(f"      ocr       {took:7.2f} s {rate(len(pages), took)} pages, "
          f"{took / max(len(pages), 1):.2f} s per page ({jobs} processes); "
          f"confidence per page: mean {sum(means) / max(len(means), 1):.1f}, "
          f"lowest page mean {min(means, default=0):.1f}")  # fmt: skip
    # tesseract's CPU included (the workers wait for it); on a shared machine the wall
    # clock says little.
    per_page = cpu / max(len(pages), 1)
    print(f"      cpu       {cpu:.1f} s, {per_page:.2f} s per page; on {jobs} idle cores about "
          f"{jobs / per_page:.2f} pages/s")  # fmt: skip


def write_archive(kind: str, archive: list[list[tuple[str, str]]], folder: Path) -> float:
    """The meetings as files of one kind; the seconds it took (not part of any figure)."""
    import typst

    folder.mkdir(parents=True)
    started = time.perf_counter()
    for index, parts in enumerate(archive):
        path = folder / f"{index // 100:03d}" / f"referat-{index:05d}.{kind}"
        path.parent.mkdir(exist_ok=True)
        if kind == "md":
            path.write_text(as_markdown(parts), encoding="utf-8")
        elif kind == "html":
            path.write_text(as_html(parts), encoding="utf-8")
        else:
            path.write_bytes(typst.compile(as_typst(parts)))
    return time.perf_counter() - started


def extract(kind: str, files: list[Path]) -> tuple[float, int]:
    """Bare text extraction, one process: seconds and pages."""
    from gremium.importers.decoding import decode_text
    from gremium.importers.html_markdown import html_to_markdown
    from gremium.importers.pdf import extract_pages

    started, pages = time.perf_counter(), 0
    for path in files:
        data = path.read_bytes()
        if kind == "pdf":
            pages += len(extract_pages(data, path))
        elif kind == "html":
            html_to_markdown(decode_text(data, path)[0], headings=True)
        else:
            decode_text(data, path)
    return time.perf_counter() - started, pages


def parse_all(folder: Path, jobs: int) -> tuple[float, int]:
    from gremium.importers.archive_run import RunOptions, archive_files, import_archive

    started = time.perf_counter()
    files = archive_files([folder])
    options = RunOptions(body="Benchkommune", dry_run=True, jobs=jobs)
    items = sum(o.items for o in import_archive(files, options))
    reap_workers()
    return time.perf_counter() - started, items


def reap_workers() -> None:
    """Wait for finished worker processes: RUSAGE_CHILDREN counts a child once reaped, and
    a pool shut down without waiting would otherwise land in the next step's figure."""
    for worker in multiprocessing.active_children():
        worker.join(timeout=60)


def index_start_up() -> float:
    """CPU seconds the search index's process takes to start and stop with nothing to
    index: a fixed cost of a run, not one per meeting."""
    from gremium.search.background import AsideIndexer

    reap_workers()
    before = cpu_seconds()[1]
    indexer = AsideIndexer()
    indexer.add([0])  # no meeting 0: the process starts, finds nothing, and is done
    indexer.finish()
    reap_workers()
    return cpu_seconds()[1] - before


def import_all(folder: Path, jobs: int, body: str) -> float:
    from django.core.management import CommandError, call_command

    started = time.perf_counter()
    errors = io.StringIO()
    try:
        call_command(
            "import", str(folder), "--body", body, "--jobs", str(jobs),
            stdout=io.StringIO(), stderr=errors,
        )  # fmt: skip
    except CommandError as error:  # a file the importer refused: named, the run went on
        print(f"      ({error}: {errors.getvalue().strip()[:300]})")
    reap_workers()
    return time.perf_counter() - started


def audit_bytes() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(CAST(before AS TEXT)) + "
            "LENGTH(CAST(after AS TEXT))), 0) FROM audit_auditrecord"
        )
        count, size = cursor.fetchone()
    return int(count), int(size)


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:8.1f}/s"


def bench_kind(
    kind: str, archive: list[list[tuple[str, str]]], root: Path, jobs: int, fixed: float
) -> tuple[float, float]:
    """(CPU seconds per meeting, CPU seconds once per run) on `jobs` idle cores; `fixed` is
    the index process's start-up, which the run's worker CPU includes once."""
    folder = root / kind
    made = write_archive(kind, archive, folder)
    files = sorted(folder.rglob(f"*.{kind}"))
    n = len(files)
    print(f"{kind:<5} ({n} files written in {made:.1f} s)")
    seconds, pages = extract(kind, files)
    pages_note = f" {rate(pages, seconds)} pages" if pages else ""
    print(f"      extract   {seconds:7.2f} s {rate(n, seconds)} meetings{pages_note}"
          "   (baseline: bare text extraction, 1 process)")  # fmt: skip
    parsed, items = parse_all(folder, jobs)
    print(f"      parse     {parsed:7.2f} s {rate(n, parsed)} meetings, {items} items "
          f"({jobs} processes)")  # fmt: skip
    before_count, before_bytes = audit_bytes()
    main_before, workers_before = cpu_seconds()
    took = import_all(folder, jobs, f"Benchkommune {kind}")
    main_after, workers_after = cpu_seconds()
    main_cpu, workers_cpu = main_after - main_before, workers_after - workers_before
    count, size = audit_bytes()
    pages_note = f" {rate(pages, took)} pages" if pages else ""
    print(f"      import    {took:7.2f} s {rate(n, took)} meetings{pages_note}, "
          f"{took / n * 1000:.1f} ms per meeting ({took / seconds:.1f}x extraction)")  # fmt: skip
    # On a machine shared with other work the wall clock says little: the CPU the run
    # used, and what it takes on two idle cores (the busier of main process and the rest).
    # The index process's start-up is paid once per run (none below _ASIDE_FROM files).
    fixed = fixed if n >= 50 and jobs > 1 else 0.0
    growing = max(workers_cpu - fixed, 0.0)
    idle = max(main_cpu, (main_cpu + growing) / jobs)
    print(f"      cpu       main process {main_cpu:.2f} s ({main_cpu / n * 1000:.1f} ms per "
          f"meeting), parse and index processes {workers_cpu:.2f} s ({fixed:.2f} s of it the "
          f"index process's start-up); on {jobs} idle cores about {idle + fixed / jobs:.2f} s, "
          f"{idle / n * 1000:.1f} ms per meeting and {fixed / jobs:.2f} s once")  # fmt: skip
    entries = search_entries()
    print(f"      search    {entries} index entries")
    print(f"      audit     {(count - before_count) / n:.1f} records, "
          f"{(size - before_bytes) / n / 1024:.2f} KB per meeting")  # fmt: skip
    return idle / n, fixed / jobs


def cpu_seconds() -> tuple[float, float]:
    """User and system CPU of this process, and of its finished child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def search_entries() -> int:
    from gremium.search.models import SearchEntry

    return SearchEntry.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=500)
    parser.add_argument("--kinds", nargs="+", default=["md", "html", "pdf"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--ocr-meetings", type=int, default=4)
    args = parser.parse_args()
    from bench.throwaway_site import setup

    data_dir = setup()
    rng = random.Random(2025)
    archive = [meeting_lines(rng, i) for i in range(args.meetings)]
    per_meeting: dict[str, tuple[float, float]] = {}
    fixed = index_start_up() if set(args.kinds) - {"ocr"} else 0.0
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.kinds:
            if kind == "ocr":
                bench_ocr(archive[: args.ocr_meetings], Path(folder), args.jobs)
                continue
            per_meeting[kind] = bench_kind(kind, archive, Path(folder), args.jobs, fixed)
    if not per_meeting:
        return
    database = sum(p.stat().st_size for p in data_dir.rglob("*.sqlite3*"))
    print(f"database  {database / 1e6:.1f} MB after {args.meetings * len(per_meeting)} meetings")
    guesses = ", ".join(
        f"{k} {(per * ARCHIVE + once) / 60:.1f} min" for k, (per, once) in per_meeting.items()
    )
    print(f"{ARCHIVE} meetings on {args.jobs} idle cores, extrapolated from {args.meetings} "
          f"by CPU time: {guesses} (goal: < 5 min)")  # fmt: skip


if __name__ == "__main__":
    main()
