"""PDFs of a meeting: rendered on demand, or stored as records.

The agenda is kept as it was sent out. Approved minutes are kept once per approved
version (its fingerprint is part of the key): the current version is served as stored,
and the earlier ones stay available and are listed, so an addendum and a new approval add
a document rather than replace one.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from gremium.documents.build import build_document
from gremium.documents.models import StoredDocument
from gremium.documents.output import render_document
from gremium.documents.rendered import kept_rendering
from gremium.lib.document_structure import Audience, Document, DocumentKind
from gremium.meetings.minutes import current_minutes_version
from gremium.meetings.models import Meeting, MeetingState
from gremium.meetings.services import meetings_changed


def meeting_pdf(
    meeting: Meeting, *, kind: DocumentKind, audience: Audience, with_attachments: bool = False
) -> bytes:
    """The PDF of a meeting. Approved minutes are rendered once per approved version,
    stored with their sha256 and served from the store from then on; every other PDF is
    rendered once per state of the meeting (documents/rendered.py)."""
    if not (kind is DocumentKind.MINUTES and meeting.state == MeetingState.APPROVED):
        name = f"{kind}-{audience}{'-samlet' if with_attachments else ''}.pdf"
        return kept_rendering(
            meeting, name, lambda: _render(meeting, kind, audience, with_attachments)
        )
    return _read(_approved(meeting, audience, with_attachments))


def store_approved_minutes(meeting: Meeting) -> None:
    """Keep the approved version's minutes PDFs, for the public and for members."""
    if meeting.state != MeetingState.APPROVED:
        return
    for audience in (Audience.PUBLIC, Audience.INTERNAL):
        _approved(meeting, audience, False)


def approved_minutes_versions(meeting: Meeting, audience: Audience) -> list[StoredDocument]:
    """Every approved version's minutes PDF kept for the audience, oldest first; the last
    is the current one while the meeting is approved."""
    rows = StoredDocument.objects.filter(
        meeting=meeting, kind=DocumentKind.MINUTES, audience=audience, with_attachments=False
    ).exclude(minutes_sha256="")
    return list(rows.order_by("created", "id"))


def stored_pdf(document: StoredDocument) -> bytes:
    return _read(document)


def store_published_agenda(meeting: Meeting, documents: dict[Audience, Document]) -> None:
    """Keep the agenda PDFs exactly as published, for the public and for members, rendered
    from the documents built at the publication (the meeting may have changed since). An
    agenda already kept stays as it is."""
    for audience, document in documents.items():
        if published_agenda(meeting, audience) is None:
            _store(meeting, DocumentKind.AGENDA, audience, False, "", document)


def published_agenda(meeting: Meeting, audience: Audience) -> StoredDocument | None:
    return StoredDocument.objects.filter(
        meeting=meeting, kind=DocumentKind.AGENDA, audience=audience, with_attachments=False
    ).first()


def published_agenda_pdf(meeting: Meeting, audience: Audience) -> bytes | None:
    """The agenda as it was sent out, or None for a meeting published before it was kept
    (or whose agenda is still being rendered)."""
    stored = published_agenda(meeting, audience)
    if stored is None:
        return None
    return _read(stored)


def _approved(meeting: Meeting, audience: Audience, with_attachments: bool) -> StoredDocument:
    version = current_minutes_version(meeting)
    sha256 = version.sha256 if version else ""
    stored = StoredDocument.objects.filter(
        meeting=meeting,
        kind=DocumentKind.MINUTES,
        audience=audience,
        with_attachments=with_attachments,
        minutes_sha256=sha256,
    ).first()
    if stored is None:
        stored = _store(meeting, DocumentKind.MINUTES, audience, with_attachments, sha256)
    return stored


def _read(stored: StoredDocument) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def _render(
    meeting: Meeting,
    kind: DocumentKind,
    audience: Audience,
    with_attachments: bool,
    document: Document | None = None,
) -> bytes:
    if document is None:
        document = build_document(meeting, kind=kind, audience=audience)
    return render_document(document, "pdf", with_attachments=with_attachments)


def _store(
    meeting: Meeting,
    kind: DocumentKind,
    audience: Audience,
    with_attachments: bool,
    minutes_sha256: str,
    document: Document | None = None,
) -> StoredDocument:
    pdf = _render(meeting, kind, audience, with_attachments, document)
    digest = hashlib.sha256(pdf).hexdigest()
    version = f"-{minutes_sha256[:12]}" if minutes_sha256 else ""
    name = f"{meeting.pk}-{kind}-{audience}{'-samlet' if with_attachments else ''}{version}.pdf"
    key = {
        "meeting": meeting,
        "kind": kind,
        "audience": audience,
        "with_attachments": with_attachments,
        "minutes_sha256": minutes_sha256,
    }
    try:
        with transaction.atomic():
            stored = StoredDocument.objects.create(
                **key, sha256=digest, size=len(pdf), file=ContentFile(pdf, name=name)
            )
    except IntegrityError:  # another request stored it first: serve that one
        return StoredDocument.objects.get(**key)
    if not with_attachments:
        # The meeting page links the kept PDFs: its stored renderings are out of date.
        meetings_changed([meeting.pk])
    return stored
