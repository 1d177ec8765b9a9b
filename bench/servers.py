"""Which production server, which worker class: gunicorn (sync and gthread workers) and
granian on the same approved meeting page and its minutes PDF, one after another in the
same run on the same machine, and `gremium serve` as it starts by default last.

    apt-get install wrk                 # Debian's load generator
    .venv/bin/python bench/servers.py [--seconds 5] [--connections 10]

The baseline is gunicorn's sync worker with one process per core: every other row prints
its rate as a share of it. wrk (two threads, on the same two cores as the servers) loads
127.0.0.1 only, for a bounded time per figure, after a one-second warm-up; the rows take
turns over several rounds, and each figure is the median over the rounds. Each row also
gives the server's resident memory after the run (all its processes), and the script
ends with the cost of `django.setup()` in a fresh process with and without compiled
bytecode (`uv sync --compile-bytecode`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serve import (
    Result,
    approved_demo_meeting,
    descends_from,
    free_port,
    running,
    wait_for,
    wrk,
)
from bench.throwaway_site import ROOT, production_environment, setup

BIN = Path(sys.executable).parent
CORES = os.cpu_count() or 1


@dataclass
class Candidate:
    name: str
    command: list[str]


def candidates(port: int, threads: int) -> list[Candidate]:
    bind = f"127.0.0.1:{port}"
    gunicorn = [str(BIN / "gunicorn"), "gremium.wsgi:application", "--bind", bind]
    gunicorn += ["--chdir", str(ROOT), "--log-level", "warning", "--keep-alive", "5"]
    granian = [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1"]
    granian += ["--port", str(port), "--working-dir", str(ROOT), "--log-level", "warning"]
    spare = 2 * CORES + 1
    return [
        Candidate(f"gunicorn sync x{CORES} (baseline)", [*gunicorn, "-w", str(CORES)]),
        Candidate(f"gunicorn sync x{spare}", [*gunicorn, "-w", str(spare)]),
        Candidate(
            f"gunicorn gthread x{CORES}x{threads}",
            [*gunicorn, "-w", str(CORES), "-k", "gthread", "--threads", str(threads)],
        ),
        Candidate(
            f"granian wsgi x{CORES}",
            [*granian, "--workers", str(CORES), "gremium.wsgi:application"],
        ),
        Candidate(
            f"granian wsgi x{CORES}, {threads} threads",
            [
                *granian,
                "--workers",
                str(CORES),
                "--blocking-threads",
                str(threads),
                "gremium.wsgi:application",
            ],
        ),
        Candidate("gremium serve (defaults)", [str(BIN / "gremium"), "serve", "--bind", bind]),
    ]


def resident_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if descends_from(int(entry.name), pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def measure_row(urls: dict[str, str], seconds: int, connections: int) -> dict[str, Result]:
    row = {}
    for label, url in urls.items():
        wrk(url, connections, 1)  # warm-up: stored PDF rendered, caches filled
        row[label] = wrk(url, connections, seconds)
    return row


def median_row(rows: list[dict[str, Result]]) -> dict[str, Result]:
    """Per URL, the median of each figure over the rounds."""
    return {
        label: Result(
            statistics.median(row[label].requests_per_second for row in rows),
            statistics.median(row[label].p50_ms for row in rows),
            statistics.median(row[label].p99_ms for row in rows),
            "; ".join(row[label].errors for row in rows if row[label].errors),
        )
        for label in rows[0]
    }


def print_row(name: str, row: dict[str, Result], base: dict[str, Result], mb: float) -> None:
    cells = []
    for label, found in row.items():
        share = found.requests_per_second / base[label].requests_per_second
        cells.append(
            f"{label} {found.requests_per_second:6.0f}/s ({share:4.0%}) "
            f"p50 {found.p50_ms:6.1f} p99 {found.p99_ms:6.1f} ms {found.errors}"
        )
    print(f"{name:<30} " + "   ".join(cells) + f"   {mb:5.0f} MB", flush=True)


def setup_cost(runs: int) -> tuple[float, float]:
    """Median seconds of `django.setup()` in a fresh process: with the bytecode that
    `uv sync --compile-bytecode` writes, and compiling every module from source."""
    code = "import time,django;t=time.perf_counter();django.setup();print(time.perf_counter()-t)"
    env = production_environment(Path(tempfile.mkdtemp(prefix="gremium-setup-")))

    def once(extra: dict[str, str]) -> float:
        out = subprocess.run(
            [sys.executable, "-c", code], env={**env, **extra}, capture_output=True, text=True
        )
        return float(out.stdout.strip())

    once({})  # writes any bytecode still missing, as --compile-bytecode would have
    compiled = statistics.median(once({}) for _ in range(runs))
    source = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as empty:
            # An empty cache folder and no writing: every module compiles from source.
            source.append(once({"PYTHONPYCACHEPREFIX": empty, "PYTHONDONTWRITEBYTECODE": "1"}))
    return compiled, statistics.median(source)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5, help="per measurement (bounded)")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--threads", type=int, default=4, help="threads per threaded worker")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each over every row")
    parser.add_argument("--setup-runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="rows whose name holds one of these words")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="gremium-servers-"))
    try:
        run(folder, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    compiled, source = setup_cost(args.setup_runs)
    print(
        f"django.setup() in a fresh process: {compiled:.2f} s with compiled bytecode, "
        f"{source:.2f} s compiling from source (median of {args.setup_runs})"
    )


def run(folder: Path, args: argparse.Namespace) -> None:
    data_dir = setup(folder / "data")
    meeting = approved_demo_meeting()
    env = production_environment(data_dir)
    port = free_port()
    urls = {
        "page": f"http://127.0.0.1:{port}/moeder/{meeting}/",
        "pdf": f"http://127.0.0.1:{port}/moeder/{meeting}/referat.pdf",
    }
    chosen = [
        c
        for c in candidates(port, args.threads)
        if not args.only or any(word in c.name for word in args.only)
    ]
    print(
        f"approved demo meeting {meeting}; {CORES} cores; wrk -t2 -c{args.connections}, "
        f"{args.seconds} s per figure, median of {args.rounds} rounds taken in turn; "
        "rate (share of the first row), latency, memory after the run"
    )
    rows: dict[str, list[dict[str, Result]]] = {c.name: [] for c in chosen}
    memory: dict[str, list[float]] = {c.name: [] for c in chosen}
    # Rounds in turn rather than each server's rounds together: a change in the machine's
    # other load then spreads over every row instead of landing on one.
    for _ in range(args.rounds):
        for candidate in chosen:
            with running(candidate.command, env, folder / "server.log") as process:
                try:
                    wait_for(urls["page"], seconds=60)
                except OSError:
                    sys.exit(
                        f"{candidate.name} did not start:\n{(folder / 'server.log').read_text()}"
                    )
                rows[candidate.name].append(measure_row(urls, args.seconds, args.connections))
                memory[candidate.name].append(resident_mb(process.pid))
            time.sleep(0.5)  # the port and the cores free again
    base = median_row(rows[chosen[0].name])
    for candidate in chosen:
        row = median_row(rows[candidate.name])
        print_row(candidate.name, row, base, statistics.median(memory[candidate.name]))


if __name__ == "__main__":
    main()
