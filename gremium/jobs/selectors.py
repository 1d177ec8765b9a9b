"""Reads of the job queue: the trouble of one meeting's jobs, and the queue's age."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone
from django.utils.functional import Promise
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gremium.jobs.labels import task_label
from gremium.jobs.models import Job

# The newest jobs of a meeting that are looked at: trouble is in the newest ones.
RECENT_JOBS = 50


@dataclasses.dataclass(frozen=True)
class JobTrouble:
    label: Promise | str
    failed: bool  # False: it is tried again at `next_attempt`
    attempts: int
    next_attempt: dt.datetime | None


def meeting_job_trouble(meeting_id: int) -> list[JobTrouble]:
    """For each kind of job of the meeting, its newest job if that one failed (finally, or
    once and waits for its next attempt). A later job of the same kind that succeeded
    means the trouble is over."""
    jobs = (
        Job.objects.filter(meeting_id=meeting_id)
        .select_related("result")
        .order_by("-result__enqueued_at")[:RECENT_JOBS]
    )
    newest: dict[str, Job] = {}
    for job in jobs:
        newest.setdefault(job.result.task_path, job)
    return [trouble for job in newest.values() if (trouble := _trouble(job)) is not None]


def _trouble(job: Job) -> JobTrouble | None:
    status = job.result.status
    if status == TaskResultStatus.FAILED:
        return JobTrouble(task_label(job.result.task_path), True, job.attempts, None)
    if status == TaskResultStatus.READY and job.last_error:
        return JobTrouble(
            task_label(job.result.task_path), False, job.attempts, job.result.run_after
        )
    return None


def oldest_waiting_age() -> dt.timedelta | None:
    """How long the oldest job that is due now has waited: the figure to watch."""
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").first()
    return timezone.now() - oldest.enqueued_at if oldest is not None else None


def waiting_count() -> int:
    """How many jobs are due now and wait for a worker."""
    return DBTaskResult.objects.ready().count()
