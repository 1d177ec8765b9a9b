"""`gremium worker`: runs the jobs queued in the database, one at a time per process.

On top of the database backend's queue (django_tasks_db) a job here
- is leased: its worker renews the lease while the job runs, and a job whose lease ran out
  (its worker was killed, the machine died) is queued again by any other worker;
- is tried again after a failure, each time after twice the pause before (backoff), up to
  GREMIUM_TASKS_MAX_ATTEMPTS attempts; then it stays failed, for the admin and the office.

A job may thus run more than once (a worker that died after the work but before it said
so): every task must be safe to repeat.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import sys
import threading
import time
import uuid
from traceback import format_exception
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from gremium.jobs.models import Job

log = logging.getLogger(__name__)

BACKOFF_CAP_SECONDS = 3600
# Jobs whose lease ran out, requeued per look: a bound on one transaction's work.
RECOVER_BATCH = 20


class WorkerLost(Exception):
    """The worker running a job stopped before the job finished."""


def retry_delay(attempts: int) -> dt.timedelta:
    """The pause before the next attempt of a job that failed `attempts` times."""
    seconds = settings.GREMIUM_TASKS_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, BACKOFF_CAP_SECONDS))


class Worker:
    def __init__(
        self,
        *,
        worker_id: str,
        backend_name: str = "default",
        interval: float = 1.0,
        batch: bool = False,
        max_jobs: int | None = None,
    ) -> None:
        self.worker_id = worker_id
        self.backend_name = backend_name
        self.interval = interval
        self.batch = batch
        self.max_jobs = max_jobs
        self.running = True
        self.in_job = False
        self.done = 0

    # -- the loop -------------------------------------------------------------------------

    def run(self) -> None:
        log.info("Worker %s started", self.worker_id)
        while self.running:
            if not connection.in_atomic_block:  # (a caller's transaction: a test's)
                close_old_connections()
            self.recover()
            result = self.claim()
            if result is not None:
                self.run_job(result)
                if self.max_jobs is not None and self.done >= self.max_jobs:
                    return
            elif self.batch:
                return
            elif self.running:
                time.sleep(self.interval)

    def stop(self, signum: int, frame: FrameType | None) -> None:
        """First signal: finish the job at hand, then stop. Second: stop now (the job's
        lease runs out and another worker takes it up)."""
        if not self.running or not self.in_job:
            sys.exit(0 if not self.in_job else 1)
        log.warning("Worker %s stops after the job at hand", self.worker_id)
        self.running = False

    def handle_signals(self) -> None:
        for name in ("SIGINT", "SIGTERM", "SIGQUIT"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), self.stop)

    # -- claiming and recovering -----------------------------------------------------------

    def claim(self) -> DBTaskResult | None:
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        try:
            with exclusive_transaction(ready.db):
                result = ready.get_locked()
                if result is None:
                    return None
                result.claim(self.worker_id)
                job, _created = Job.objects.get_or_create(
                    result=result, defaults={"meeting_id": _meeting_of(result)}
                )
                job.attempts += 1
                job.worker_id = self.worker_id
                job.lease_expires = timezone.now() + _lease()
                job.save()
                return result
        except OperationalError as error:
            if is_locked_database_exception(error):  # SQLite busy: look again next round
                return None
            raise

    def recover(self) -> int:
        """Queue again the running jobs whose worker stopped renewing their lease."""
        lost = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING,
            backend_name=self.backend_name,
            gremium_job__lease_expires__lt=timezone.now(),
        )
        try:
            with exclusive_transaction(lost.db):
                rows = list(lost.select_for_update(skip_locked=True, of=("self",))[:RECOVER_BATCH])
                for result in rows:
                    job = Job.objects.get(pk=result.pk)
                    log.warning("Job %s: worker %s stopped; queued again", result.pk, job.worker_id)
                    error = WorkerLost(f"worker {job.worker_id} stopped during the job")
                    _retry_or_fail(result, job, error)
                return len(rows)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return 0
            raise

    # -- running ---------------------------------------------------------------------------

    def run_job(self, result: DBTaskResult) -> None:
        self.in_job = True
        lease = _LeaseKeeper(result.pk, self.worker_id)
        lease.start()
        try:
            task = result.task
            task_result = result.task_result
            backend = type(task.get_backend())
            task_started.send(sender=backend, task_result=task_result)
            args, kwargs = task_result.args, task_result.kwargs
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *args, **kwargs)
            else:
                value = task.call(*args, **kwargs)
            result.set_successful(value)
            Job.objects.filter(pk=result.pk).update(lease_expires=None)
            task_finished.send(sender=backend, task_result=result.task_result)
        except Exception as error:
            log.exception("Job %s (%s) failed", result.pk, result.task_path)
            with transaction.atomic():
                _retry_or_fail(result, Job.objects.get(pk=result.pk), error)
        finally:
            lease.stop()
            self.in_job = False
            self.done += 1


def _retry_or_fail(result: DBTaskResult, job: Job, error: BaseException) -> None:
    job.last_error = "".join(format_exception(error))[-10_000:]
    job.lease_expires = None
    job.save(update_fields=["last_error", "lease_expires"])
    if job.attempts < settings.GREMIUM_TASKS_MAX_ATTEMPTS:
        result.status = TaskResultStatus.READY
        result.run_after = timezone.now() + retry_delay(job.attempts)
        result.save(update_fields=["status", "run_after"])
    else:
        result.set_failed(error)


def _meeting_of(result: DBTaskResult) -> int | None:
    meeting_id: Any = (result.args_kwargs.get("kwargs") or {}).get("meeting_id")
    return meeting_id if isinstance(meeting_id, int) else None


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.GREMIUM_TASKS_LEASE_SECONDS)


class _LeaseKeeper(threading.Thread):
    """Renews the lease of the job at hand every third of its length, on a connection of
    its own, until the job ends."""

    def __init__(self, job_id: uuid.UUID, worker_id: str) -> None:
        super().__init__(daemon=True, name=f"lease-{job_id}")
        self.job_id = job_id
        self.worker_id = worker_id
        self.finished = threading.Event()

    def run(self) -> None:
        try:
            while not self.finished.wait(settings.GREMIUM_TASKS_LEASE_SECONDS / 3):
                try:
                    Job.objects.filter(pk=self.job_id, worker_id=self.worker_id).update(
                        lease_expires=timezone.now() + _lease()
                    )
                except OperationalError:  # busy database: the next renewal is in time
                    log.warning("Job %s: lease not renewed this time", self.job_id)
        finally:
            connections["default"].close()

    def stop(self) -> None:
        self.finished.set()
        self.join()
