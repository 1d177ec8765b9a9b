"""What a publication or an approval makes the request wait for: the receivers that keep
the agenda's and the minutes' PDFs, with the jobs run in the request (GREMIUM_TASKS=
immediate, the baseline: how it was before the worker) against queued for the worker
(database), on the seed meeting and a generated 100-item meeting, in one process on a
throwaway SQLite site (or DATABASE_URL). Then the worker's time for the queued jobs.

    .venv/bin/python bench/jobs.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway_site import setup

BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    setup()
    from bench.meeting import large_meeting
    from gremium.audit.services import Actor
    from gremium.demo.seed import seed_document
    from gremium.meetings.from_document import meeting_store_document

    seed = seed_document()
    large = dataclasses.replace(
        large_meeting(seed), start=seed.start + dt.timedelta(days=7), end=None
    )
    print(f"{'meeting':<10} {'receiver':<16} {'immediate (s)':>14} {'queued (s)':>11}")
    for name, document in (("seed", seed), ("100 items", large)):
        meeting = meeting_store_document(document=document, by=Actor.system("bench")).meeting
        _approved(meeting)
        for receiver, timed in _receivers(meeting).items():
            figures = {backend: _median(timed, backend, rounds) for backend in BACKENDS}
            print(
                f"{name:<10} {receiver:<16} {figures['immediate']:>14.3f} "
                f"{figures['database']:>11.3f}"
            )
    _worker()


def _approved(meeting) -> None:  # type: ignore[no-untyped-def]
    """The stored meeting as approved minutes with a frozen version, as an approval leaves
    it (set directly: the signatures are not what is measured)."""
    from gremium.meetings.minutes import minutes_freeze
    from gremium.meetings.models import Meeting, MeetingState

    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_PUBLISHED)
    meeting.refresh_from_db()
    minutes_freeze(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.APPROVED)
    meeting.refresh_from_db()


def _receivers(meeting) -> dict[str, Callable[[], None]]:  # type: ignore[no-untyped-def]
    from gremium.documents.receivers import keep_approved_minutes, keep_published_agenda
    from gremium.meetings.models import Meeting

    def agenda() -> None:
        meeting.stored_documents.all().delete()  # kept PDFs are not made again: start empty
        keep_published_agenda(sender=Meeting, meeting=meeting)

    def minutes() -> None:
        meeting.stored_documents.all().delete()
        keep_approved_minutes(sender=Meeting, meeting=meeting)

    return {"agenda published": agenda, "minutes approved": minutes}


def _median(run: Callable[[], None], backend: str, rounds: int) -> float:
    from django.test import override_settings

    times = []
    with override_settings(TASKS={"default": {"BACKEND": BACKENDS[backend]}}):
        for _round in range(rounds):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def _worker() -> None:
    from django_tasks_db.models import DBTaskResult

    from gremium.jobs.worker import Worker

    queued = DBTaskResult.objects.ready().count()
    started = time.perf_counter()
    Worker(worker_id="bench", batch=True, interval=0).run()
    took = time.perf_counter() - started
    failed = DBTaskResult.objects.failed().count()
    print(f"worker: {queued} queued jobs (PDFs and reindexing) in {took:.1f} s, {failed} failed")


if __name__ == "__main__":
    main()
