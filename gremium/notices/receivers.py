"""Notices follow the domain's events: the domain announces (meetings/signals.py) and never
imports this. Each notice is sent after the commit, and a failure to queue it is logged,
never turned into an error page for the secretary who published."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from gremium.meetings.models import Meeting, MeetingState
from gremium.meetings.signals import (
    agenda_published,
    meeting_changed,
    minutes_approved,
    minutes_published,
)

log = logging.getLogger(__name__)


def _later(meeting_id: int, send: Callable[[Meeting], object]) -> None:
    def run() -> None:
        try:
            meeting = (
                Meeting.objects.select_related("organization__body", "location")
                .filter(pk=meeting_id)
                .first()
            )
            if meeting is not None:
                send(meeting)
        except Exception:
            log.exception("Could not queue the notices of meeting %s", meeting_id)

    transaction.on_commit(run)


@receiver(agenda_published, sender=Meeting)
def on_agenda_published(sender: Any, meeting: Meeting, **kwargs: Any) -> None:
    from gremium.notices.services import notify_agenda_published

    _later(meeting.pk, notify_agenda_published)


@receiver(meeting_changed, sender=Meeting)
def on_meeting_changed(sender: Any, meeting_id: int, **kwargs: Any) -> None:
    # Only a published agenda that is not yet held has changes to tell (the job checks).
    def queue() -> None:
        try:
            if Meeting.objects.filter(pk=meeting_id, state=MeetingState.AGENDA_PUBLISHED).exists():
                _queue_agenda_changes(meeting_id)
        except Exception:
            log.exception("Could not queue the agenda change notice of meeting %s", meeting_id)

    transaction.on_commit(queue)


def _queue_agenda_changes(meeting_id: int) -> None:
    from django.conf import settings
    from django.utils import timezone
    from django_tasks import default_task_backend

    from gremium.notices.tasks import notify_agenda_changes

    task = notify_agenda_changes
    delay = settings.GREMIUM_AGENDA_CHANGE_DELAY_SECONDS
    if delay > 0 and default_task_backend.supports_defer:
        task = task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    task.enqueue(meeting_id=meeting_id)


@receiver(minutes_published, sender=Meeting)
def on_minutes_published(sender: Any, meeting: Meeting, **kwargs: Any) -> None:
    _later(meeting.pk, _approval_requested)


def _approval_requested(meeting: Meeting) -> None:
    from gremium.meetings.minutes import current_minutes_version
    from gremium.notices.services import notify_approval_requested

    version = current_minutes_version(meeting)
    notify_approval_requested(meeting, version.sha256 if version else "")


@receiver(minutes_approved, sender=Meeting)
def on_minutes_approved(sender: Any, meeting: Meeting, **kwargs: Any) -> None:
    _later(meeting.pk, _approved)


def _approved(meeting: Meeting) -> None:
    from gremium.meetings.minutes import current_minutes_version
    from gremium.notices.services import notify_minutes_approved

    version = current_minutes_version(meeting)
    notify_minutes_approved(meeting, version.sha256 if version else "")
