"""The full rebuild of the search index on an existing archive (one made by
`bench/search.py --cache DIR`): every entry deleted, then `rebuild()`, timed (wall and the
process's CPU time; PostgreSQL's server CPU is not in it), optionally under cProfile.

    .venv/bin/python bench/reindex.py DATA_DIR_OR_POSTGRES_URL [--profile N]

Run it on a copy of the cached archive: it rewrites the index there.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
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
    profile = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profile is not None:
        profile.enable()
    meetings = rebuild()
    if profile is not None:
        profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    entries = SearchEntry.objects.count()
    print(f"rebuild: {meetings} meetings, {entries} entries, {wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
