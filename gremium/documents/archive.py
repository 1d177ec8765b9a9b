"""PDFs of a meeting: rendered on demand, or stored as records.

The agenda is kept as it was sent out. Approved minutes are kept once per approved
version (its fingerprint is part of the key): the current version is served as stored,
and the earlier ones stay available and are listed, so an addendum and a new approval add
a document rather than replace one.

Approved minutes are sealed before they are stored (documents/sealing.py): the stored
bytes, their sha256 and sha512 are the sealed file's, and the rendering is the sealed
file's beginning, so `matches_rendering` can still compare a fresh rendering with it.
When sealing fails (a timestamp service that does not answer), the minutes are served
unsealed and not stored, so the next request seals and stores them.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from gremium.documents.build import build_document
from gremium.documents.models import StoredDocument
from gremium.documents.output import render_document
from gremium.documents.rendered import kept_rendering
from gremium.documents.sealing import SealingError, seal_minutes_pdf, unsealed_pdf
from gremium.lib.document_structure import Audience, Document, DocumentKind
from gremium.meetings.minutes import current_minutes_version
from gremium.meetings.models import Meeting, MeetingState
from gremium.meetings.services import meetings_changed

log = logging.getLogger(__name__)


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
    stored = _approved(meeting, audience, with_attachments)
    if isinstance(stored, bytes):  # could not be sealed: served, but not kept
        return stored
    return _read(stored)


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


def matches_rendering(document: StoredDocument) -> bool:
    """Whether rendering the stored document's meeting again gives the PDF that was stored
    (without the seal appended to it): the check after a restore or a move."""
    meeting = document.meeting
    fresh = _render(
        meeting, DocumentKind(document.kind), Audience(document.audience), document.with_attachments
    )
    return unsealed_pdf(_read(document)) == fresh


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


def _approved(
    meeting: Meeting, audience: Audience, with_attachments: bool
) -> StoredDocument | bytes:
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
        return _store(meeting, DocumentKind.MINUTES, audience, with_attachments, sha256)
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


def _render_sealed(
    meeting: Meeting, audience: Audience, with_attachments: bool, sha256: str
) -> tuple[bytes, bool]:
    """The approved minutes with the body's seal, which states the approved version's
    fingerprint and who approved it, and whether the seal could be made."""
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=audience)
    pdf = render_document(document, "pdf", with_attachments=with_attachments)
    signed = [s.name for s in document.signatures if s.signed_at is not None]
    try:
        return seal_minutes_pdf(
            pdf, meeting.organization.body, fingerprint=sha256, signers_names=signed
        ), True
    except SealingError:
        log.exception("minutes of meeting %s not sealed; served, not stored", meeting.pk)
        return pdf, False


def _store(
    meeting: Meeting,
    kind: DocumentKind,
    audience: Audience,
    with_attachments: bool,
    minutes_sha256: str,
    document: Document | None = None,
) -> StoredDocument | bytes:
    if minutes_sha256:
        pdf, sealed = _render_sealed(meeting, audience, with_attachments, minutes_sha256)
        if not sealed:
            return pdf
    else:
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
