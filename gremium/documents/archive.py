"""PDFs of a meeting: rendered on demand, or stored once the minutes are approved."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from gremium.documents.build import build_document
from gremium.documents.models import StoredDocument
from gremium.documents.output import render_document
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.meetings.models import Meeting, MeetingState


def meeting_pdf(
    meeting: Meeting, *, kind: DocumentKind, audience: Audience, with_attachments: bool = False
) -> bytes:
    """The PDF of a meeting. Approved minutes are rendered once, stored with their sha256
    and served from the store from then on."""
    if not (kind is DocumentKind.MINUTES and meeting.state == MeetingState.APPROVED):
        return _render(meeting, kind, audience, with_attachments)
    stored = StoredDocument.objects.filter(
        meeting=meeting, kind=kind, audience=audience, with_attachments=with_attachments
    ).first()
    if stored is None:
        stored = _store(meeting, kind, audience, with_attachments)
    with stored.file.open("rb") as handle:
        return handle.read()


def store_published_agenda(meeting: Meeting) -> None:
    """Keep the agenda PDFs exactly as published, for the public and for members."""
    for audience in (Audience.PUBLIC, Audience.INTERNAL):
        _store(meeting, DocumentKind.AGENDA, audience, False)


def published_agenda_pdf(meeting: Meeting, audience: Audience) -> bytes | None:
    """The agenda as it was sent out, or None for a meeting published before it was kept."""
    stored = StoredDocument.objects.filter(
        meeting=meeting, kind=DocumentKind.AGENDA, audience=audience, with_attachments=False
    ).first()
    if stored is None:
        return None
    with stored.file.open("rb") as handle:
        return handle.read()


def _render(
    meeting: Meeting, kind: DocumentKind, audience: Audience, with_attachments: bool
) -> bytes:
    document = build_document(meeting, kind=kind, audience=audience)
    return render_document(document, "pdf", with_attachments=with_attachments)


def _store(
    meeting: Meeting, kind: DocumentKind, audience: Audience, with_attachments: bool
) -> StoredDocument:
    pdf = _render(meeting, kind, audience, with_attachments)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"{meeting.pk}-{kind}-{audience}{'-samlet' if with_attachments else ''}.pdf"
    try:
        with transaction.atomic():
            return StoredDocument.objects.create(
                meeting=meeting,
                kind=kind,
                audience=audience,
                with_attachments=with_attachments,
                sha256=digest,
                size=len(pdf),
                file=ContentFile(pdf, name=name),
            )
    except IntegrityError:  # another request stored it first: serve that one
        return StoredDocument.objects.get(
            meeting=meeting, kind=kind, audience=audience, with_attachments=with_attachments
        )
