"""Files go through Django's storage API, named by their content: on the local disk and,
against a local S3 server (moto) started here, in an S3 bucket. Downloads stream with an
ETag and byte ranges, after the access check."""

from __future__ import annotations

import hashlib
import io
import socket

import boto3
import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer

from gremium.documents.archive import meeting_pdf
from gremium.documents.models import Rendering, StoredDocument
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.lib.storage import content_name, discard_unreferenced, move_into_content_names
from gremium.meetings import services
from gremium.meetings.models import AttendanceStatus, DecisionOutcome, MeetingState
from gremium.organizations.models import MembershipRole
from gremium.papers.models import Attachment
from tests.factories import MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _pdf(pages: int = 1) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def local(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(scope="module")
def s3_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, request):
    bucket = f"gremium-{request.node.name.lower().replace('_', '-')[:40]}"
    options = {
        "bucket_name": bucket,
        "endpoint_url": s3_server,
        "access_key": "test",
        "secret_key": "test",
        "region_name": "us-east-1",
        "default_acl": None,
    }
    client = boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id="test", aws_secret_access_key="test",
        region_name="us-east-1",
    )  # fmt: skip
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "gremium.lib.storage.S3ContentStorage", "OPTIONS": options},
    }
    return client, bucket


def _keys(client, bucket) -> set[str]:
    listing = client.list_objects_v2(Bucket=bucket)
    return {entry["Key"] for entry in listing.get("Contents", [])}


def _approved(actor, content: bytes):
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Budget", by=actor)
    attachment = services.attachment_add(
        item=item, filename="budget.pdf", content=content, by=actor
    )
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor)
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    chair = MembershipFactory(organization=meeting.organization, role=MembershipRole.CHAIR)
    services.attendance_set(
        meeting=meeting, person=chair.person, status=AttendanceStatus.PRESENT, by=actor
    )
    services.decision_record(item=item, outcome=DecisionOutcome.APPROVED, text="Ja.", by=actor)
    meeting = services.meeting_publish_minutes(meeting=meeting, by=actor)
    services.minutes_approve(meeting=meeting, person=chair.person, by=actor)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    return meeting, attachment


def test_a_file_is_named_by_its_content_and_kept_once(local, actor):
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Punkt", by=actor)
    content = _pdf()
    first = services.attachment_add(item=item, filename="a.pdf", content=content, by=actor)
    second = services.attachment_add(item=item, filename="b.pdf", content=content, by=actor)
    name = content_name(hashlib.sha256(content).hexdigest())
    assert first.file.name == second.file.name == name
    assert (first.filename, second.filename) == ("a.pdf", "b.pdf")
    assert (local / name).read_bytes() == content
    assert [p.name for p in local.rglob("*") if p.is_file()] == [name.rsplit("/", 1)[1]]


def test_download_streams_with_etag_and_ranges(local, client, actor):
    content = _pdf(3)
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Punkt", by=actor)
    found = services.attachment_add(item=item, filename="plan.pdf", content=content, by=actor)
    services.meeting_publish_agenda(meeting=meeting, by=actor, keep_pdf=False)
    url = f"/bilag/{found.pk}/"
    whole = client.get(url)
    etag = whole["ETag"]
    assert etag == f'"{found.sha256}"' and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == content
    assert 'filename="plan.pdf"' in whole["Content-Disposition"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    part = client.get(url, headers={"range": "bytes=10-19"})
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 10-19/{len(content)}"
    assert b"".join(part.streaming_content) == content[10:20]
    tail = client.get(url, headers={"range": "bytes=-5"})
    assert b"".join(tail.streaming_content) == content[-5:]
    other = client.get(url, headers={"range": "bytes=0-3", "if-range": '"other"'})
    assert other.status_code == 200 and b"".join(other.streaming_content) == content
    beyond = client.get(url, headers={"range": f"bytes={len(content)}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(content)}"


def test_the_access_check_comes_before_any_file_header(local, client, actor):
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Punkt", by=actor)
    hidden = services.attachment_add(item=item, filename="x.pdf", content=_pdf(), by=actor)
    response = client.get(f"/bilag/{hidden.pk}/", headers={"range": "bytes=0-3"})
    assert response.status_code == 404 and "ETag" not in response


def test_renderings_share_a_file_until_none_names_it(
    local, actor, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    for key in ("1.1.x", "1.2.x"):
        rendering = Rendering(meeting=meeting, key=key, name="side.html", sha256="", size=1)
        rendering.file.save("side.html", ContentFile(b"<p>samme</p>"), save=True)
    name = rendering.file.name
    assert name.startswith("rendered/sha256/")
    Rendering.objects.filter(key="1.1.x").delete()
    with django_capture_on_commit_callbacks(execute=True):
        discard_unreferenced(Rendering, "file", {name})
    assert default_storage.exists(name)  # the newer rendering still names it
    Rendering.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        discard_unreferenced(Rendering, "file", {name})
    assert not default_storage.exists(name)


def test_files_of_the_old_layout_move_to_their_content_names(
    local, actor, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Punkt", by=actor)
    content = _pdf()
    old = "attachments/ab/abc/gammel.pdf"
    (local / old).parent.mkdir(parents=True)
    (local / old).write_bytes(content)
    row = Attachment.objects.create(agenda_item=item, name="gammel")
    Attachment.objects.filter(pk=row.pk).update(file=old)
    missing = Attachment.objects.create(agenda_item=item, name="væk")
    Attachment.objects.filter(pk=missing.pk).update(file="attachments/væk.pdf")
    reports: list[str] = []
    with django_capture_on_commit_callbacks(execute=True):
        move_into_content_names(Attachment, "file", report=reports.append)
    row.refresh_from_db()
    assert row.file.name == content_name(hashlib.sha256(content).hexdigest())
    assert default_storage.open(row.file.name).read() == content
    assert not (local / old).exists()
    missing.refresh_from_db()
    assert missing.file.name == "attachments/væk.pdf"
    assert len(reports) == 1 and "væk.pdf" in reports[0]


def test_s3_upload_download_combined_pdf_and_stored_minutes(s3, client, actor):
    bucket_client, bucket = s3
    content = _pdf(2)
    meeting, attachment = _approved(actor, content)
    keys = _keys(bucket_client, bucket)
    assert content_name(attachment.sha256) in keys
    stored = StoredDocument.objects.filter(meeting=meeting, kind=DocumentKind.MINUTES)
    assert stored and all(row.file.name in keys for row in stored)
    assert all(key.startswith(("sha256/", "rendered/sha256/")) for key in keys)
    response = client.get(f"/bilag/{attachment.pk}/")
    assert b"".join(response.streaming_content) == content
    part = client.get(f"/bilag/{attachment.pk}/", headers={"range": "bytes=5-9"})
    assert part.status_code == 206 and b"".join(part.streaming_content) == content[5:10]
    minutes = meeting_pdf(meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    kept = bucket_client.get_object(Bucket=bucket, Key=stored.get(audience="public").file.name)
    assert kept["Body"].read() == minutes
    combined = meeting_pdf(
        meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC, with_attachments=True
    )
    pages = len(pypdf.PdfReader(io.BytesIO(combined)).pages)
    assert pages == len(pypdf.PdfReader(io.BytesIO(minutes)).pages) + 2
