"""The PDFs kept as records, rendered by the worker rather than in the request that
published or approved (a long meeting takes seconds). Each task is safe to repeat: what is
kept already stays, and a job about an approval that is no longer current does nothing.

Until a PDF is kept, the meeting page does not link it (the agenda as sent out) or it is
rendered when asked for and kept then (the approved minutes, archive.meeting_pdf)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from gremium.documents.archive import store_approved_minutes, store_published_agenda
from gremium.jobs.labels import name_task
from gremium.lib.document_json import document_from_dict
from gremium.lib.document_structure import Audience
from gremium.meetings.minutes import current_minutes_version
from gremium.meetings.models import Meeting, MeetingState


@task()
def keep_agenda_pdfs(*, meeting_id: int, documents: dict[str, dict[str, Any]]) -> None:
    """`documents`: the agenda per audience as built when it was published."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return
    built = {Audience(name): document_from_dict(data) for name, data in documents.items()}
    store_published_agenda(meeting, built)


@task()
def keep_minutes_pdfs(*, meeting_id: int, minutes_sha256: str) -> None:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or meeting.state != MeetingState.APPROVED:
        return
    version = current_minutes_version(meeting)
    if version is None or version.sha256 != minutes_sha256:
        return  # a later approval replaced this one and has a job of its own
    store_approved_minutes(meeting)


name_task(keep_agenda_pdfs.module_path, _("PDF af dagsordenen som udsendt"))
name_task(keep_minutes_pdfs.module_path, _("PDF af det godkendte referat"))
