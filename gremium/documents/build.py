"""Build the plain `Document` from the database: the only place renderers' input comes from.

The content comes from the domain (`meetings.minutes`): the frozen version once the
minutes are published, the live data before. This module adds what is not content (the
signatures, where the files are, the logo) and cuts the variant for the audience: a public
document never contains a closed item's content, so no renderer, cache or download can
leak it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils import timezone

from gremium.documents.variants import make_variant
from gremium.lib import document_structure as s
from gremium.meetings.minutes import frozen_name, minutes_content
from gremium.meetings.models import Meeting, MeetingState, MinutesVersion
from gremium.papers.models import Attachment


def build_document(meeting: Meeting, *, kind: s.DocumentKind, audience: s.Audience) -> s.Document:
    """The meeting as a document of the given kind for the given audience: the internal
    minutes are built from the record, and the variant is cut from them. The minutes'
    signatures are the approvals that count: of the current version, neither withdrawn
    nor superseded; attending members who have not signed get an empty line."""
    return build_documents(meeting, kind=kind, audiences=(audience,))[audience]


def build_documents(
    meeting: Meeting,
    *,
    kind: s.DocumentKind,
    audiences: Iterable[s.Audience],
    find: Callable[[s.AttachmentRef], Attachment | None] | None = None,
) -> dict[s.Audience, s.Document]:
    """`build_document` for several audiences: the record is read once, and each
    audience's variant cut from the same internal minutes. `find` is the meeting's
    `attachment_finder` when the caller has one already (the search index reads the
    attachments with their text anyway)."""
    meeting = Meeting.objects.select_related("organization__body").get(pk=meeting.pk)
    content, version = minutes_content(meeting)
    logo = meeting.organization.body.logo
    document = dataclasses.replace(
        _with_files(content, find or attachment_finder(meeting)),
        signatures=_signatures(meeting, version, content),
        approved=meeting.state == MeetingState.APPROVED,
        logo_path=(logo.name or "") if logo else "",
    )
    return {audience: make_variant(document, kind, audience) for audience in audiences}


def attachment_finder(
    meeting: Meeting, *, with_text: bool = False
) -> Callable[[s.AttachmentRef], Attachment | None]:
    """The stored attachment (with its file) that a document's attachment names, found by
    its content hash and name among the meeting's attachments (the record names no paths).
    Their extracted text is read only `with_text` (the search index): it is most of a row."""
    query = Attachment.objects.filter(agenda_item__meeting=meeting).exclude(file="")
    rows = list(query if with_text else query.defer("text"))
    # The same content under the record's name first; a later rename still finds the file.
    # The open/closed flag must agree, so a file withdrawn from the public stays withdrawn.
    named = {(a.sha256, a.name, a.public): a for a in rows}
    unnamed = {(a.sha256, a.public): a for a in rows}

    def find(ref: s.AttachmentRef) -> Attachment | None:
        return named.get((ref.sha256, ref.name, ref.public)) or unnamed.get(
            (ref.sha256, ref.public)
        )

    return find


def _with_files(
    document: s.Document, find: Callable[[s.AttachmentRef], Attachment | None]
) -> s.Document:
    """Where each attachment's file is now and where readers download it."""
    items = []
    for item in document.items:
        refs = []
        for ref in item.attachments:
            found = find(ref)
            if found is not None:
                ref = dataclasses.replace(
                    ref,
                    path=found.file.name or "",
                    url=reverse("portal:attachment", args=[found.pk]),
                )
            refs.append(ref)
        items.append(dataclasses.replace(item, attachments=tuple(refs)))
    return dataclasses.replace(document, items=tuple(items))


def _signatures(
    meeting: Meeting, version: MinutesVersion | None, content: s.Document
) -> tuple[s.Signature, ...]:
    if version is None:
        return ()
    approvals = list(
        meeting.approvals.select_related("person", "reservation_item").order_by("approved_at")
    )
    # An approval of another version does not count: it must not print as a signature.
    signed = [
        _signature(a, version)
        for a in approvals
        if not (a.withdrawn_at or a.superseded_at) and a.version_id == version.pk
    ]
    names = {sig.name for sig in signed}
    withdrawn = {
        _signer_name(a, version): timezone.localtime(a.withdrawn_at)
        for a in approvals
        if a.withdrawn_at is not None
    }
    # Attending members who have not signed yet get an empty line to sign on.
    pending = [
        s.Signature(p.name, None, withdrawn_at=withdrawn.get(p.name))
        for p in content.participants
        if not p.absent and p.name not in names
    ]
    return tuple(signed + pending)


def _signer_name(approval, version: MinutesVersion) -> str:  # type: ignore[no-untyped-def]
    # The name the version holds for the person; the one they signed under otherwise.
    return approval.person_name or frozen_name(version, approval.person_id, approval.person.name)


def _signature(approval, version: MinutesVersion) -> s.Signature:  # type: ignore[no-untyped-def]
    item = approval.reservation_item
    reservation = approval.reservation
    if item is not None and reservation:
        reservation = f"Punkt {item.label}: {reservation}"
    return s.Signature(
        _signer_name(approval, version),
        timezone.localtime(approval.approved_at),
        reservation,
        reservation_item=item.number if item is not None else None,
    )
