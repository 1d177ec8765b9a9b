"""Background jobs on the database backend, run by gremium's worker in this process: a
job runs, fails and is tried again after a growing pause, gives up after the limit, is
taken up again when its worker's lease ran out; failures show in the office and admin."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gremium.jobs.models import Job
from gremium.jobs.worker import Worker, retry_delay
from tests import jobs_tasks
from tests.factories import MeetingFactory, SecretaryAssignmentFactory

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_BACKEND
    settings.GREMIUM_TASKS = "database"
    settings.GREMIUM_TASKS_MAX_ATTEMPTS = 3
    settings.GREMIUM_TASKS_RETRY_SECONDS = 30
    jobs_tasks.FAILURES["left"] = 0


def _work(worker_id: str = "w1") -> Worker:
    worker = Worker(worker_id=worker_id, batch=True, interval=0)
    worker.run()
    return worker


def _due_now(result_id) -> None:
    DBTaskResult.objects.filter(pk=result_id).update(run_after=timezone.now())


def _secretary_page(client, meeting) -> str:
    secretary = SecretaryAssignmentFactory(organization=meeting.organization).user
    client.force_login(secretary)
    return client.get(f"/kontor/moeder/{meeting.pk}/").content.decode()


def test_retry_pause_doubles_up_to_an_hour(settings):
    settings.GREMIUM_TASKS_RETRY_SECONDS = 30
    pauses = [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 10)]
    assert pauses == [30, 60, 120, 240, 3600]


def test_the_worker_runs_a_queued_job_once(queue):
    result = jobs_tasks.flaky.enqueue()
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    assert _work().done == 1
    stored = DBTaskResult.objects.get(pk=result.id)
    assert (stored.status, stored.return_value) == ("SUCCESSFUL", "done")
    assert Job.objects.get(pk=result.id).attempts == 1
    assert _work().done == 0  # nothing left


def test_a_failed_job_waits_and_is_tried_again_and_the_office_says_so(queue, client):
    meeting = MeetingFactory()
    jobs_tasks.FAILURES["left"] = 1
    result = jobs_tasks.flaky.enqueue(meeting_id=meeting.pk)
    before = timezone.now()
    _work()
    stored = DBTaskResult.objects.get(pk=result.id)
    job = Job.objects.get(pk=result.id)
    assert stored.status == "READY"
    assert (job.attempts, job.meeting_id) == (1, meeting.pk)
    assert "the printer is on fire" in job.last_error
    assert before + dt.timedelta(seconds=29) < stored.run_after < timezone.now() + retry_delay(1)
    assert _work().done == 0  # not due yet
    page = _secretary_page(client, meeting)
    assert "job-trouble" in page and "forsøg 1" in page and "Der prøves igen" in page

    _due_now(result.id)
    _work()
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert Job.objects.get(pk=result.id).attempts == 2
    assert "job-trouble" not in _secretary_page(client, meeting)


def test_a_job_failing_every_time_gives_up_after_the_limit_and_shows_it(queue, client):
    meeting = MeetingFactory()
    jobs_tasks.FAILURES["left"] = 99
    result = jobs_tasks.flaky.enqueue(meeting_id=meeting.pk)
    for _attempt in range(3):
        _due_now(result.id)
        _work()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "FAILED"
    assert "the printer is on fire" in stored.traceback
    assert Job.objects.get(pk=result.id).attempts == 3
    _due_now(result.id)
    assert _work().done == 0  # given up: not run again
    page = _secretary_page(client, meeting)
    assert "heller ikke efter 3 forsøg" in page
    assert "job-trouble" not in _secretary_page(
        client, MeetingFactory(organization=meeting.organization)
    )


def test_failed_jobs_are_listed_in_the_admin(queue, admin_client):
    jobs_tasks.FAILURES["left"] = 99
    result = jobs_tasks.flaky.enqueue()
    for _attempt in range(3):
        _due_now(result.id)
        _work()
    listing = admin_client.get("/admin/jobs/job/?result__status__exact=FAILED").content.decode()
    assert "tests.jobs_tasks.flaky" in listing
    detail = admin_client.get(f"/admin/jobs/job/{result.id}/change/").content.decode()
    assert "the printer is on fire" in detail


def test_a_job_whose_worker_stopped_renewing_its_lease_is_run_by_another(queue):
    result = jobs_tasks.flaky.enqueue()
    lost = Worker(worker_id="lost")
    assert lost.claim() is not None  # claimed, then the worker "dies"
    other = Worker(worker_id="other", batch=True, interval=0)
    assert other.recover() == 0  # its lease still runs
    Job.objects.filter(pk=result.id).update(lease_expires=timezone.now() - dt.timedelta(1))
    assert other.recover() == 1
    job = Job.objects.get(pk=result.id)
    assert "worker lost stopped" in job.last_error
    _due_now(result.id)
    other.run()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "SUCCESSFUL"
    assert stored.worker_ids == ["lost", "other"]


def test_mail_is_sent_by_the_worker(queue):
    from gremium.jobs.mail import send_mail

    send_mail.enqueue(subject="Referat til godkendelse", body="Se mødet", to=["a@example.dk"])
    assert mail.outbox == []  # queued, not sent by the request
    _work()
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Referat til godkendelse", ["a@example.dk"])
    ]


def test_the_agenda_pdf_is_rendered_by_the_worker_as_it_was_published(queue, actor, client):
    from gremium.meetings import services

    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Sommerfest i byparken", by=actor)
    services.meeting_publish_agenda(meeting=meeting, by=actor)
    assert not meeting.stored_documents.exists()  # the request did not render it
    response = client.get(f"/moeder/{meeting.pk}/dagsorden-udsendt.pdf")
    assert response.status_code == 404  # not there yet: no link, nothing stale
    item.refresh_from_db()
    services.agenda_item_update(
        item=item, by=actor, expected_version=item.version, title="Vinterfest i hallen"
    )
    _work()
    assert meeting.stored_documents.filter(kind="agenda").count() == 2  # public, internal
    sent = client.get(f"/moeder/{meeting.pk}/dagsorden-udsendt.pdf")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(sent.content)).pages)
    assert "Sommerfest i byparken" in text and "Vinterfest" not in text


def test_the_worker_command_refuses_when_jobs_run_in_the_request(settings):
    from django.core.management import CommandError, call_command

    settings.GREMIUM_TASKS = "immediate"
    with pytest.raises(CommandError, match="GREMIUM_TASKS=database"):
        call_command("worker", "--batch")


def _settings_in(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "CACHE_URL"}}
    code = (
        "import gremium.settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'], "
        "s.TASKS['default']['BACKEND'], s.SESSION_ENGINE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )


def test_the_shared_cache_and_queue_follow_the_environment(tmp_path):
    default = _settings_in({"GREMIUM_DATA_DIR": str(tmp_path)}).stdout.split()
    assert default == [
        "django.core.cache.backends.db.DatabaseCache",
        "gremium_cache",
        "django_tasks_db.DatabaseBackend",
        "django.contrib.sessions.backends.cached_db",
    ]
    redis = _settings_in(
        {"REDIS_URL": "redis://cache.internal:6379/2", "GREMIUM_TASKS": "immediate"}
    )
    assert redis.stdout.split()[:3] == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/2",
        "django_tasks.backends.immediate.ImmediateBackend",
    ]
    for bad, message in [
        ({"CACHE_URL": "memcached://x:11211"}, "CACHE_URL='memcached://x:11211'"),
        ({"GREMIUM_TASKS": "celery"}, "GREMIUM_TASKS='celery': use one of database, immediate"),
    ]:
        refused = _settings_in(bad)
        assert refused.returncode != 0 and message in refused.stderr, refused.stderr


@pytest.mark.parametrize(("setting", "expected"), [(7, [7]), (0, [])])
def test_the_worker_command_gives_the_readers_the_cpu_first(
    queue, settings, monkeypatch, setting, expected
):
    from django.core.management import call_command

    from gremium.jobs.management.commands import worker as command

    lowered: list[int] = []
    monkeypatch.setattr(command.os, "nice", lowered.append)
    settings.GREMIUM_WORKER_NICE = setting
    call_command("worker", "--batch")
    assert lowered == expected
