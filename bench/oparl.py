"""A full crawl of the OParl API on a generated archive, beside a static file server.

    .venv/bin/python bench/oparl.py [--meetings 2000]

Generates an archive of N meetings through the services (tests/oparl_archive.py: every
public state, closed items, attachments, votes; the PDFs are not rendered, so the files
are the attachments, and no search index is built) into a fresh SQLite database, starts
`gremium runserver` on it (one process, one thread, DEBUG off) and walks every page of
every list of the body, as a mirror's first full run does. Then it serves the very same
JSON answers as plain files with `python -m http.server` and fetches them the same way:
both are measured in the same run, over HTTP, one connection per request. Prints objects/s
and pages/s for both.

Then `gremium import-oparl` mirrors the API into a second, empty database (its own
process, 4 workers, every meeting stored through the services as an import stores it)
and runs again: the second run asks each list only for what changed since the first
(`modified_since`), which here is nothing. Prints the time of both runs and the first's
objects/s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=300) as answer:  # noqa: S310 (our own server)
        return bytes(answer.read())


@contextmanager
def _serving(command: list[str], env: dict[str, str], port: int):  # type: ignore[no-untyped-def]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _environment(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gremium.settings",
        "GREMIUM_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DEBUG": "0",
    }


def generate(meetings: int, env: dict[str, str]) -> tuple[int, float]:
    """The archive, written in one transaction; returns (body id, seconds)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from gremium.documents.receivers import keep_approved_minutes
    from gremium.meetings.models import Meeting
    from gremium.meetings.signals import meeting_changed, minutes_approved
    from gremium.search.receivers import reindex_meeting
    from tests.oparl_archive import generate as make_archive

    call_command("migrate", verbosity=0)
    # Rendering each approved meeting's PDFs, and indexing each meeting for search after
    # every change, would take most of the setup time; the API needs neither.
    minutes_approved.disconnect(receiver=keep_approved_minutes, sender=Meeting)
    meeting_changed.disconnect(receiver=reindex_meeting, sender=Meeting)
    started = time.perf_counter()
    with transaction.atomic():
        archive = make_archive(meetings, pdfs=0)
    return archive.body.pk, time.perf_counter() - started


def crawl_api(base: str, body_id: int, answers: Path) -> tuple[int, int, float]:
    """Every page of every list of the body; each answer is kept as a file. Returns
    (objects, pages, seconds)."""
    started = time.perf_counter()
    body = json.loads(_fetch(f"{base}body/{body_id}"))
    objects = pages = 0
    for name in LISTS:
        url: str | None = body[name]
        while url:
            raw = _fetch(url)
            pages += 1
            (answers / f"{pages:05d}.json").write_bytes(raw)
            page: dict[str, Any] = json.loads(raw)
            objects += len(page["data"])
            url = page["links"].get("next")
    return objects, pages, time.perf_counter() - started


def crawl_static(base: str, answers: Path) -> tuple[int, float]:
    """The same answers as static files, fetched and parsed the same way."""
    started = time.perf_counter()
    objects = 0
    for path in sorted(answers.iterdir()):
        objects += len(json.loads(_fetch(f"{base}{path.name}"))["data"])
    return objects, time.perf_counter() - started


def mirror_runs(system: str, work: Path, env: dict[str, str]) -> list[tuple[float, str]]:
    """`gremium import-oparl` twice into a database of its own: (seconds, summary line)."""
    target = work / "mirror"
    target.mkdir()
    mirror_env = {
        **env,
        "GREMIUM_DATA_DIR": str(target),
        "DATABASE_URL": f"sqlite:///{target / 'mirror.sqlite3'}",
    }
    gremium = [sys.executable, "-m", "gremium.manage"]
    subprocess.run([*gremium, "migrate", "-v0"], env=mirror_env, check=True)
    runs = []
    for _run in range(2):
        started = time.perf_counter()
        done = subprocess.run(
            [*gremium, "import-oparl", system, "--workers", "4"],
            env=mirror_env,
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append((time.perf_counter() - started, done.stdout.splitlines()[0]))
    return runs


LISTS = (
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaItem",
    "paper",
    "consultation",
    "file",
    "locationList",
    "legislativeTermList",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--meetings", type=int, default=2000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gremium-oparl-bench-"))
    try:
        env = _environment(work)
        body_id, generated = generate(args.meetings, env)
        generated_at = time.monotonic()
        print(f"Archive: {args.meetings} meetings generated in {generated:.0f} s")
        answers = work / "answers"
        answers.mkdir()
        api_port, static_port = _free_port(), _free_port()
        gremium = [sys.executable, "-m", "gremium.manage", "runserver"]
        server = [*gremium, "--noreload", "--nothreading", f"127.0.0.1:{api_port}"]
        with _serving(server, env, api_port):
            objects, pages, api_seconds = crawl_api(
                f"http://127.0.0.1:{api_port}/oparl/v1.1/", body_id, answers
            )
            # A mirror asks for changes since a minute before its last run (docs/oparl.md):
            # so that the second run finds none, the first starts a minute after the data.
            time.sleep(max(0.0, generated_at + 61 - time.monotonic()))
            mirrored = mirror_runs(f"http://127.0.0.1:{api_port}/oparl/v1.1/", work, env)
        size = sum(p.stat().st_size for p in answers.iterdir()) / 1e6
        static = [sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1"]
        with _serving([*static, "--directory", str(answers)], env, static_port):
            same, static_seconds = crawl_static(f"http://127.0.0.1:{static_port}/", answers)
        assert same == objects
        print(
            f"OParl API (gremium runserver, one thread): {objects} objects on {pages} pages "
            f"({size:.1f} MB) in {api_seconds:.1f} s: {objects / api_seconds:.0f} objects/s, "
            f"{pages / api_seconds:.1f} pages/s"
        )
        print(
            f"Baseline, the same {pages} JSON answers from python -m http.server: "
            f"{static_seconds:.2f} s: {objects / static_seconds:.0f} objects/s, "
            f"{pages / static_seconds:.1f} pages/s (the API at 1/"
            f"{api_seconds / static_seconds:.0f} of it)"
        )
        (first, first_summary), (second, second_summary) = mirrored
        print(
            f"Mirror, first run (gremium import-oparl into an empty database): {first:.1f} s, "
            f"{objects / first:.0f} API objects/s; {first_summary}"
        )
        print(
            f"Mirror, second run (only what changed; nothing did): {second:.2f} s "
            f"({first / second:.0f}× faster); {second_summary}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
