"""Keep the PDFs the domain's events call for: the agenda as sent out, and each approved
version of the minutes as approved."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from gremium.documents.archive import store_approved_minutes, store_published_agenda
from gremium.meetings.models import Meeting
from gremium.meetings.signals import agenda_published, minutes_approved

log = logging.getLogger(__name__)


@receiver(agenda_published, sender=Meeting)
def keep_published_agenda(sender: Any, meeting: Meeting, **kwargs: Any) -> None:
    store_published_agenda(meeting)


@receiver(minutes_approved, sender=Meeting)
def keep_approved_minutes(sender: Any, meeting: Meeting, **kwargs: Any) -> None:
    # The approval itself has been committed; a failed rendering must not undo it. The
    # PDF is then rendered and stored at its first download instead.
    try:
        store_approved_minutes(meeting)
    except Exception:
        log.exception("Could not store the approved minutes of meeting %s", meeting.pk)
