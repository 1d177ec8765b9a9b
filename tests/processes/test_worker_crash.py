"""A worker killed mid-job (SIGKILL: no chance to clean up) leaves its job running; once
the job's lease runs out a second worker takes it up and completes it."""

from __future__ import annotations

import signal

import pytest
from django_tasks_db.models import DBTaskResult

from gremium.jobs.models import Job
from tests import jobs_tasks
from tests.processes import running

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]


def test_a_job_whose_worker_was_killed_is_completed_by_another(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    marks = tmp_path / "marks"
    marks.mkdir()
    result = jobs_tasks.slow.enqueue(folder=str(marks), seconds=3)
    env = running.environment(
        tmp_path, GREMIUM_TASKS_LEASE_SECONDS="2", GREMIUM_TASKS_RETRY_SECONDS="1"
    )
    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"

    with running.worker(env, first_log, "--worker-id", "first") as first:
        running.wait_for(lambda: (marks / "started-0").exists(), "job started", first_log)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert not (marks / "finished-0").exists()
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"

    def done() -> bool:
        return DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"

    with running.worker(env, second_log, "--worker-id", "second"):
        running.wait_for(done, "job completed by the second worker", second_log, seconds=60)
    assert (marks / "finished-1").exists()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.worker_ids == ["first", "second"]
    job = Job.objects.get(pk=result.id)
    assert job.attempts == 2
    assert "worker first stopped" in job.last_error  # kept: the admin shows what happened
