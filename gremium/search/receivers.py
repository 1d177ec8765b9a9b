"""Keep the index current: a changed meeting, committee, person or membership is
reindexed after the change commits (never inside it: the change must not wait for, or
fail with, the index). Several announcements in one transaction reindex once.

Changes written past the services (the admin, the shell) reach the index for committees,
people and memberships through their model signals; a meeting edited in the admin is
reindexed by its next change through the office, or by `gremium reindex`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from gremium.meetings.models import Meeting
from gremium.meetings.signals import meeting_changed
from gremium.organizations.models import Membership, Organization, Person
from gremium.search.indexing import index_directory, index_meeting

log = logging.getLogger(__name__)


class _AfterCommit:
    """A reindex waiting for the commit, known by its key so that it is queued once."""

    def __init__(self, key: str, run: Callable[[], None]) -> None:
        self.key = key
        self.run = run
        self.done = False

    def __call__(self) -> None:
        self.done = True
        # The change itself is committed; a failing index must not turn it into an error
        # page. The log names it, and `gremium reindex` repairs it.
        try:
            self.run()
        except Exception:
            log.exception("Search index not updated (%s)", self.key)


def _once_after_commit(key: str, run: Callable[[], None]) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block and _queued(connection, key):
        return
    transaction.on_commit(_AfterCommit(key, run))


def _queued(connection: Any, key: str) -> bool:
    """Whether the same reindex already waits for this transaction's commit. Django keeps
    the waiting callbacks as (savepoints, callback, robust) and drops those of a savepoint
    that is rolled back; one queued at this level or around it runs after this change."""
    current = set(connection.savepoint_ids)
    return any(
        isinstance(entry[1], _AfterCommit)
        and entry[1].key == key
        and not entry[1].done
        and entry[0] <= current
        for entry in connection.run_on_commit
    )


# While an archive import runs, the meetings it changes are collected here and indexed by
# a process of their own (search.background), beside the storing instead of after it.
_deferred: ContextVar[set[int] | None] = ContextVar("deferred_reindex", default=None)


@contextmanager
def reindex_deferred() -> Iterator[set[int]]:
    """Collect the ids of the meetings changed inside the block instead of reindexing
    them; whoever opens the block indexes them (or leaves them to `gremium reindex`)."""
    changed: set[int] = set()
    token = _deferred.set(changed)
    try:
        yield changed
    finally:
        _deferred.reset(token)


@receiver(meeting_changed, sender=Meeting)
def reindex_meeting(sender: Any, meeting_id: int, **kwargs: Any) -> None:
    deferred = _deferred.get()
    if deferred is not None:
        deferred.add(meeting_id)
        return
    _once_after_commit(f"meeting:{meeting_id}", lambda: index_meeting(meeting_id))


@receiver(post_save, sender=Organization)
@receiver(post_delete, sender=Organization)
@receiver(post_save, sender=Person)
@receiver(post_delete, sender=Person)
@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def reindex_directory(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading a fixture: the data is not complete yet
        return
    _once_after_commit("directory", index_directory)
