"""Keep the PDFs the domain's events call for: the agenda as sent out, and each approved
version of the minutes as approved. Both are rendered by a background job (tasks.py); the
publication or approval is committed already, so a job that cannot be queued is logged,
never turned into an error page."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from gremium.documents.build import build_document
from gremium.documents.tasks import keep_agenda_pdfs, keep_minutes_pdfs
from gremium.lib.document_json import document_to_dict
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.meetings.minutes import current_minutes_version
from gremium.meetings.models import Meeting
from gremium.meetings.signals import agenda_published, minutes_approved

log = logging.getLogger(__name__)


@receiver(agenda_published, sender=Meeting)
def keep_published_agenda(sender: Any, meeting: Meeting, **kwargs: Any) -> None:
    # Built now, rendered later: the PDF shows the agenda as it was when it went out,
    # whatever changes meanwhile.
    try:
        documents = {
            audience.value: document_to_dict(
                build_document(meeting, kind=DocumentKind.AGENDA, audience=audience)
            )
            for audience in (Audience.PUBLIC, Audience.INTERNAL)
        }
        keep_agenda_pdfs.enqueue(meeting_id=meeting.pk, documents=documents)
    except Exception:
        log.exception("Could not queue the published agenda of meeting %s", meeting.pk)


@receiver(minutes_approved, sender=Meeting)
def keep_approved_minutes(sender: Any, meeting: Meeting, **kwargs: Any) -> None:
    # Until the job has run, the minutes PDF is rendered and kept at its first download.
    try:
        version = current_minutes_version(meeting)
        if version is not None:
            keep_minutes_pdfs.enqueue(meeting_id=meeting.pk, minutes_sha256=version.sha256)
    except Exception:
        log.exception("Could not queue the approved minutes of meeting %s", meeting.pk)
