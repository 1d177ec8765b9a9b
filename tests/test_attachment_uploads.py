"""Damaged or hostile uploads never break a page: the office refuses them with a message,
what is stored and served carries no active content, and the public combined PDF leaves a
bad stored attachment out instead of failing for every visitor."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from gremium.audit.models import AuditRecord
from gremium.documents.models import StoredDocument
from gremium.meetings import services
from gremium.meetings.models import AgendaItem, DecisionOutcome, Meeting, MeetingState
from gremium.papers.models import Attachment
from tests import hostile_files as files
from tests.documents.pdf_reading import page_texts
from tests.factories import MeetingFactory, OrganizationFactory, SecretaryAssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def item(client) -> AgendaItem:
    organization = OrganizationFactory()
    client.force_login(SecretaryAssignmentFactory(organization=organization).user)
    response = client.post(
        "/kontor/moeder/nyt/",
        {
            "meeting-organization": organization.pk,
            "meeting-start": "2026-03-02T16:00",
            "meeting-name": "",
        },
    )
    assert response.status_code == 302
    return Meeting.objects.get().items.first()


def _upload(client, item: AgendaItem, name: str, content: bytes):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(
        f"/kontor/punkter/{item.pk}/bilag/",
        {"attachment-file": upload, "attachment-public": "on"},
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("oedelagt.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "beskadiget"),
        ("krypteret.pdf", files.encrypted_pdf("hemmelig"), "kryptering"),
        ("kun-ejer.pdf", files.encrypted_pdf(""), "kryptering"),
        ("polyglot.pdf", files.html_polyglot("after"), "HTML-kode"),
        ("skadet.docx", files.docx()[:200], "ZIP-pakken"),
        ("afkortet.png", files.png()[:-12], "afkortet"),
    ],
)
def test_an_unusable_upload_gets_a_message_naming_it_and_nothing_is_stored(
    client, item, name, content, reason
):
    response = _upload(client, item, name, content)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Filen {name} kan ikke bruges" in html and reason in html
    assert not item.attachments.exists()
    assert not AuditRecord.objects.filter(action="attachment.add").exists()


def test_a_hostile_pdf_is_stored_and_served_without_its_active_content(client, item):
    hostile = files.pdf_with_page_action("Side med handling")
    _upload(client, item, "handling.pdf", hostile)
    attachment = item.attachments.get()
    served = b"".join(client.get(f"/bilag/{attachment.pk}/").streaming_content)
    assert files.active_content(served) == []
    assert "Side med handling" in page_texts(served)[0]
    assert attachment.sha256 == hashlib.sha256(served).hexdigest()
    assert attachment.size == len(served)
    after = AuditRecord.objects.get(action="attachment.add").after
    assert after["removed_active_content"] == ["/AA", "/JS"]
    assert after["uploaded_sha256"] == hashlib.sha256(hostile).hexdigest()


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(client, item, settings):
    settings.GREMIUM_MAX_UPLOAD_MB = 1
    big = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024 + 200 * 1024)  # 3.2 MB
    upload = SimpleUploadedFile("stor.pdf", big, content_type="application/pdf")
    response = client.post(
        f"/kontor/punkter/{item.pk}/bilag/", {"attachment-file": upload, "attachment-public": "on"}
    )
    assert response.status_code == 302
    # Most of the request body was never read: the file stopped at its first bytes.
    assert len(response.wsgi_request.environ["wsgi.input"]) > 2 * 1024 * 1024
    html = client.get(response["Location"]).content.decode()
    assert "Filen stor.pdf kan ikke bruges: filen er 3,2 MB; højst 1 MB." in html
    assert not item.attachments.exists()


def test_a_file_just_over_the_limit_gives_its_real_size(client, item, settings):
    settings.GREMIUM_MAX_UPLOAD_MB = 1
    response = _upload(client, item, "lidt-for-stor.txt", b"a" * (1024 * 1024 + 10))
    assert "filen er 1,0 MB; højst 1 MB" in response.content.decode()
    assert not item.attachments.exists()


def _stored_attachment(item: AgendaItem, name: str, content: bytes) -> Attachment:
    """An attachment stored as it was before uploads were checked: straight to the disk."""
    attachment = Attachment(
        agenda_item=item,
        name=name,
        mime_type="application/pdf",
        order=item.attachments.count() + 1,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment.file.save(f"{name}.pdf", ContentFile(content), save=False)
    attachment.save()
    return attachment


def _published_with(actor, attachments: dict[str, bytes]) -> Meeting:
    """Public minutes of a meeting whose one item carries these files, stored unchecked."""
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Budget 2027", by=actor)
    for name, content in attachments.items():
        _stored_attachment(item, name, content)
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor, keep_pdf=False)
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    services.decision_record(item=item, outcome=DecisionOutcome.APPROVED, text="Ja.", by=actor)
    return services.meeting_publish_minutes(meeting=meeting, by=actor)


def test_the_public_combined_pdf_leaves_a_bad_stored_attachment_out(client, actor):
    meeting = _published_with(
        actor,
        {
            "Krypteret": files.encrypted_pdf("hemmelig"),
            "Ødelagt": b"%PDF-1.7\nthis is not really a PDF",
            "Handling": files.pdf_with_page_action("Bilag med sidehandling"),
            "Forsvundet": files.simple_pdf("Forsvundet"),
        },
    )
    missing = Attachment.objects.get(name="Forsvundet")
    missing.file.storage.delete(missing.file.name)
    for variant in ("samlet-dagsorden", "samlet-referat"):
        response = client.get(f"/moeder/{meeting.pk}/{variant}.pdf")
        assert response.status_code == 200
        text = " ".join(" ".join(page_texts(response.content)).split())
        for name in ("Krypteret", "Ødelagt", "Forsvundet"):
            assert f"Bilaget {name} kunne ikke vedlægges" in text
        assert "Bilag med sidehandling" in text  # a readable attachment is still appended
        assert files.active_content(response.content) == []


def test_stored_approved_bundle_carries_no_active_content(client, actor):
    meeting = _published_with(actor, files.every_kind_of_active_content())
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.APPROVED)
    response = client.get(f"/moeder/{meeting.pk}/samlet-referat.pdf")
    assert response.status_code == 200
    assert len(page_texts(response.content)) > len(files.every_kind_of_active_content())
    assert files.active_content(response.content) == []
    stored = StoredDocument.objects.get(with_attachments=True)
    with stored.file.open("rb") as handle:
        assert files.active_content(handle.read()) == []


def test_an_attachment_whose_file_is_gone_is_not_found_rather_than_an_error(client, actor):
    meeting = _published_with(actor, {"Væk": files.simple_pdf("Væk")})
    attachment = Attachment.objects.get(name="Væk")
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(f"/bilag/{attachment.pk}/").status_code == 404
    assert client.get(f"/moeder/{meeting.pk}/").status_code == 200


def test_the_admin_shows_an_attachment_but_takes_no_file(admin_client, actor):
    # Every file arrives through the checked upload: the admin cannot bypass it.
    _published_with(actor, {"Plan": files.simple_pdf("Plan")})
    attachment = Attachment.objects.get(name="Plan")
    page = admin_client.get(f"/admin/papers/attachment/{attachment.pk}/change/")
    assert page.status_code == 200
    assert 'type="file"' not in page.content.decode()


@pytest.mark.django_db(transaction=True)  # a retry happens only outside a transaction
def test_an_upload_tried_again_on_a_busy_database_keeps_its_bytes(client, item, monkeypatch):
    from django.db import OperationalError

    real = services.attachment_add
    calls = []

    def busy_once(**kwargs):
        calls.append(len(kwargs["content"]))
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(services, "attachment_add", busy_once)
    pdf = files.simple_pdf("Prøvet igen")
    response = _upload(client, item, "igen.pdf", pdf)
    assert "Bilaget er tilføjet." in response.content.decode()
    assert calls == [len(pdf), len(pdf)]  # the second try got the whole file too
    assert item.attachments.get().size == len(pdf)
