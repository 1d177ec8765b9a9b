"""Indexing in a process of its own, beside a long run of changes (an archive import):
the run stores, this process reads back what was stored and indexes it, and the two
cores share the work. Used only where a second connection sees the run's commits (not in
a test's transaction, not an in-memory database)."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor

from django.db import connection

log = logging.getLogger(__name__)


def _start_worker() -> None:
    import django

    django.setup()


def _index(meeting_ids: list[int]) -> int:
    from gremium.search.indexing import index_meeting

    for meeting_id in meeting_ids:
        index_meeting(meeting_id)
    return len(meeting_ids)


def can_index_aside() -> bool:
    """Whether another process would see what this one commits."""
    if connection.in_atomic_block:
        return False
    name = str(connection.settings_dict.get("NAME", ""))
    return not (connection.vendor == "sqlite" and (":memory:" in name or "mode=memory" in name))


class AsideIndexer:
    """Meetings handed over after their commit are indexed by one spawned process."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh Django, own connection
        self.pool = ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker)
        self.pending: list[Future[int]] = []

    def add(self, meeting_ids: Iterable[int]) -> None:
        batch = sorted(meeting_ids)
        if batch:
            self.pending.append(self.pool.submit(_index, batch))

    def finish(self) -> int:
        """Wait for every handed-over meeting; how many were indexed. A failure is logged:
        `gremium reindex` repairs the index."""
        done = 0
        for future in self.pending:
            try:
                done += future.result()
            except Exception:
                log.exception("Search index not updated during the import; run gremium reindex")
        self.pool.shutdown()
        return done

    def abandon(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
