"""Search indexing as background jobs: a change is committed and shown at once, and the
index follows as soon as a worker gets to it. Indexing compares before it writes, so a job
repeated, or one of several queued for the same meeting, costs reads only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from gremium.jobs.labels import name_task
from gremium.lib.pdf_text import pdf_page_texts
from gremium.meetings import services
from gremium.papers.models import Attachment
from gremium.search.indexing import index_directory, index_meeting


@task()
def reindex_meeting(*, meeting_id: int) -> None:
    index_meeting(meeting_id)


@task()
def reindex_directory() -> None:
    index_directory()


@task()
def read_attachment_text(*, attachment_id: int, meeting_id: int) -> None:
    """Read an uploaded PDF's text, keep it and index the meeting with it. A file that
    cannot be read fails the job (PdfTextError): it is tried again, then shown as failed
    to the secretary and in the admin, like every job."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or not attachment.file:
        return  # removed meanwhile: nothing to read
    with attachment.file.open("rb") as handle:
        content = handle.read()
    text = "\n\n".join(pdf_page_texts(content))
    if services.attachment_text_store(
        attachment_id=attachment_id, sha256=attachment.sha256, text=text
    ):
        index_meeting(meeting_id)


name_task(reindex_meeting.module_path, _("Søgeindeks for mødet"))
name_task(reindex_directory.module_path, _("Søgeindeks for udvalg og personer"))
name_task(read_attachment_text.module_path, _("Tekst af bilag til søgning"))
