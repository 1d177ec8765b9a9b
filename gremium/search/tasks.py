"""Search indexing as background jobs: a change is committed and shown at once, and the
index follows as soon as a worker gets to it. Indexing compares before it writes, so a job
repeated, or one of several queued for the same meeting, costs reads only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from gremium.jobs.labels import name_task
from gremium.search.indexing import index_directory, index_meeting


@task()
def reindex_meeting(*, meeting_id: int) -> None:
    index_meeting(meeting_id)


@task()
def reindex_directory() -> None:
    index_directory()


name_task(reindex_meeting.module_path, _("Søgeindeks for mødet"))
name_task(reindex_directory.module_path, _("Søgeindeks for udvalg og personer"))
