"""The full rebuild of the search index on an existing archive (one made by
`bench/search.py --cache DIR`): every entry deleted, then `rebuild()`, timed (wall and the
process's CPU time, and on PostgreSQL on the same machine the server's: its processes,
the ones that ended included), optionally under cProfile.

    .venv/bin/python bench/reindex.py DATA_DIR_OR_POSTGRES_URL [--profile N]

Run it on a copy of the cached archive: it rewrites the index there.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="a SQLite data folder or a postgres:// URL")
    parser.add_argument("--profile", type=int, metavar="N", help="print the N costliest calls")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gremium.settings")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    os.environ.pop("DEBUG", None)
    if args.target.startswith("postgres"):
        os.environ["DATABASE_URL"] = args.target
    else:
        os.environ["GREMIUM_DATA_DIR"] = str(Path(args.target).resolve())
    import django

    django.setup()
    from gremium.search.indexing import rebuild
    from gremium.search.models import SearchEntry

    SearchEntry.objects.all().delete()
    server = _server_cpu()
    server_before = server()
    profile = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    meetings = rebuild()
    if profile is not None:
        profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    server_cpu = server() - server_before
    entries = SearchEntry.objects.count()
    print(f"rebuild: {meetings} meetings, {entries} entries, {wall:.1f} s wall, {cpu:.1f} s CPU")
    if server_cpu:
        total = cpu + server_cpu
        print(f"PostgreSQL server CPU: {server_cpu:.1f} s (with the client's {total:.1f} s)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)


def _server_cpu() -> Callable[[], float]:
    """The CPU seconds of the PostgreSQL server so far, of all its processes (the
    postmaster's own, its children's that ended, the living children's, from /proc): 0
    on SQLite or for a server on another machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        pid_file = Path(cursor.fetchone()[0]) / "postmaster.pid"
    try:
        postmaster = int(pid_file.read_text().split()[0])
    except OSError:
        return lambda: 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def fields(pid: str) -> list[str]:
        with contextlib.suppress(OSError):
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return []

    def total() -> float:
        ticks = sum(int(x) for x in fields(str(postmaster))[11:15])  # own and ended children's
        for pid in os.listdir("/proc"):
            stat = fields(pid) if pid.isdigit() else []
            if stat and int(stat[1]) == postmaster:  # a living child: its own time
                ticks += int(stat[11]) + int(stat[12])
        return ticks / tick

    return total


if __name__ == "__main__":
    main()
