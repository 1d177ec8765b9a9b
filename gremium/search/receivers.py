"""Keep the index current: a changed meeting, committee, person or membership is
reindexed by a background job (search/tasks.py) queued after the change commits (never
inside it: the change must not wait for, or fail with, the index). Several announcements
in one transaction queue one job.

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
from gremium.meetings.signals import attachment_text_pending, meeting_changed
from gremium.organizations.models import Membership, Organization, Person
from gremium.search.tasks import read_attachment_text
from gremium.search.tasks import reindex_directory as reindex_directory_job
from gremium.search.tasks import reindex_meeting as reindex_meeting_job

log = logging.getLogger(__name__)


class _AfterCommit:
    """A reindex waiting for the commit, known by its key so that it is queued once."""

    def __init__(self, key: str, run: Callable[[], object]) -> None:
        self.key = key
        self.run = run
        self.done = False

    def __call__(self) -> None:
        self.done = True
        # The change itself is committed; a job that cannot be queued must not turn it into
        # an error page. The log names it, and `gremium reindex` repairs it.
        try:
            self.run()
        except Exception:
            log.exception("Search index job not queued (%s)", self.key)


def _once_after_commit(key: str, run: Callable[[], object]) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block and _queued(connection, key):
        return
    transaction.on_commit(_AfterCommit(key, run))


def _queued(connection: Any, key: str) -> bool:
    """Whether the same reindex already waits for this transaction's commit. Django keeps
    the waiting callbacks as (savepoints, callback, robust) and drops those of a savepoint
    that is rolled back. So one still waiting was queued in a savepoint that is open now
    (around this change) or already released into one: either way it runs after the
    commit, after this change, unless this change is rolled back with it. (Each service
    is a savepoint of its own: an import's many services reindex a meeting once.)"""
    return any(
        isinstance(entry[1], _AfterCommit) and entry[1].key == key and not entry[1].done
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
    _once_after_commit(
        f"meeting:{meeting_id}", lambda: reindex_meeting_job.enqueue(meeting_id=meeting_id)
    )


@receiver(post_save, sender=Organization)
@receiver(post_delete, sender=Organization)
@receiver(post_save, sender=Person)
@receiver(post_delete, sender=Person)
@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def reindex_directory(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading a fixture: the data is not complete yet
        return
    _once_after_commit("directory", reindex_directory_job.enqueue)


@receiver(attachment_text_pending)
def read_text_later(sender: Any, attachment_id: int, meeting_id: int, **kwargs: Any) -> None:
    """An uploaded PDF's text is read by the worker. Queued inside the upload's
    transaction (one row in the database queue): the job commits with the attachment, so
    no stored file is left unread. (With GREMIUM_TASKS=immediate it runs here, as every
    job does there; its failure is recorded, not raised.)"""
    read_attachment_text.enqueue(attachment_id=attachment_id, meeting_id=meeting_id)
