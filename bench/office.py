"""The office's cost as the archive grows: the member's dashboard with N sets of minutes
waiting for their signature, unpaginated (before issue 13: every one on one page) against
paginated (now), and the approval page's queries (how many, how many repeated). On a
throwaway SQLite site (or DATABASE_URL), through Django's test client.

    .venv/bin/python bench/office.py [--meetings 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway_site import setup

UNPAGINATED = 10**9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--meetings", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gremium.meetings.models import Meeting, MeetingState
    from gremium.office import paging
    from tests.office_scenario import recorded_meeting

    scenario = recorded_meeting()
    start = timezone.make_aware(dt.datetime(2020, 1, 6, 16, 0))
    Meeting.objects.bulk_create(
        Meeting(
            organization=scenario.meeting.organization,
            start=start + dt.timedelta(days=n),
            state=MeetingState.MINUTES_PUBLISHED,
        )
        for n in range(args.meetings)
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(scenario.members[0].user)

    def measure(url: str) -> tuple[float, int, int, int]:
        times, size, queries = [], 0, []
        for _ in range(args.rounds):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
            assert response.status_code == 200, (url, response.status_code)
            size, queries = len(response.content), [q["sql"] for q in captured]
        repeated = sum(c - 1 for c in Counter(queries).values() if c > 1)
        return statistics.median(times) * 1000, size, len(queries), repeated

    print(f"dashboard of a member with {args.meetings + 1} minutes to approve:")
    for label, per_page in (("before (one page)", UNPAGINATED), ("now (paginated)", 25)):
        paging.PER_PAGE = per_page
        ms, size, queries, _repeated = measure("/kontor/")
        print(f"  {label:18} {ms:7.1f} ms  {size / 1024:7.1f} KB  {queries} queries")
    ms, size, queries, repeated = measure(f"/kontor/moeder/{scenario.meeting.pk}/godkend/")
    print(
        f"approval page: {ms:.1f} ms, {size / 1024:.1f} KB, {queries} queries, {repeated} repeated"
    )


if __name__ == "__main__":
    main()
