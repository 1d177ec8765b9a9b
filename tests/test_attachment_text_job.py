"""An uploaded PDF's text is read by the worker, not in the upload request: the request
checks the file (every page loaded) and stores it, the worker then reads the text, keeps
it and indexes the meeting, so that search finds it. A failure is a failed job like any
other: tried again, and shown to the secretary."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from gremium.jobs.models import Job
from gremium.lib import pdf_checks, pdf_text
from gremium.meetings import services
from gremium.meetings.models import AgendaItem
from gremium.papers.models import Attachment
from gremium.search import tasks
from gremium.search.models import SearchEntry
from tests import hostile_files as files
from tests.test_attachment_uploads import _upload, item  # noqa: F401 (a fixture)
from tests.test_jobs import _secretary_page, _work, queue  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
WORD = "Vandløbsregulativet"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """Counts every reading of a PDF's text, wherever it happens."""
    calls: list[int] = []
    real = pdf_text.pdf_page_texts

    def counted(data: bytes) -> list[str]:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(pdf_checks, "pdf_page_texts", counted)
    monkeypatch.setattr(tasks, "pdf_page_texts", counted)
    return calls


def _text_jobs() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=tasks.read_attachment_text.module_path))


def test_the_upload_stores_the_pdf_and_leaves_its_text_to_the_worker(
    queue,  # noqa: F811
    client,
    item: AgendaItem,  # noqa: F811
    reads,
):
    response = _upload(client, item, "regulativ.pdf", files.simple_pdf(WORD, pages=3))
    assert "Bilaget er tilføjet." in response.content.decode()
    attachment = Attachment.objects.get()
    assert attachment.text == "" and attachment.file
    assert reads == []  # the request read no text
    [job] = _text_jobs()
    assert job.status == "READY"
    assert not SearchEntry.objects.filter(doc_key=f"attachment:{attachment.pk}").exists() or (
        WORD not in SearchEntry.objects.get(doc_key=f"attachment:{attachment.pk}").text
    )

    _work()
    attachment.refresh_from_db()
    assert len(reads) == 1
    assert f"{WORD} 1" in attachment.text and f"{WORD} 3" in attachment.text
    entry = SearchEntry.objects.get(doc_key=f"attachment:{attachment.pk}", audience="internal")
    assert WORD in entry.text


def test_search_finds_the_published_attachment_by_its_text(
    queue,  # noqa: F811
    client,
    item: AgendaItem,  # noqa: F811
    actor,
):
    _upload(client, item, "regulativ.pdf", files.simple_pdf(WORD))
    _work()
    services.meeting_publish_agenda(meeting=item.meeting, by=actor, keep_pdf=False)
    _work()
    client.logout()
    found = client.get("/soeg/", {"q": WORD.lower()}).content.decode()
    assert "regulativ" in found


def test_a_pdf_whose_text_cannot_be_read_is_a_failed_job_the_secretary_sees(
    queue,  # noqa: F811
    client,
    item: AgendaItem,  # noqa: F811
    monkeypatch,
):
    _upload(client, item, "regulativ.pdf", files.simple_pdf(WORD))

    def unreadable(data: bytes) -> list[str]:
        raise pdf_text.PdfTextError("a page of the PDF cannot be read (test)")

    monkeypatch.setattr(tasks, "pdf_page_texts", unreadable)
    _work()
    [result] = _text_jobs()
    job = Job.objects.get(pk=result.pk)
    assert result.status == "READY" and job.attempts == 1  # tried again later
    assert "cannot be read" in job.last_error and job.meeting_id == item.meeting_id
    assert "job-trouble" in _secretary_page(client, item.meeting)
    assert Attachment.objects.get().text == ""


def test_a_damaged_pdf_is_still_refused_in_the_request(client, item):  # noqa: F811
    broken = files.simple_pdf(WORD)
    broken = broken[: len(broken) // 2]
    response = _upload(client, item, "halv.pdf", broken)
    assert "halv.pdf" in response.content.decode()
    assert not Attachment.objects.exists()
