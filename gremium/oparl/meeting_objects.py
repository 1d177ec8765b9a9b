"""The API's meetings and what prints from them: agenda items, consultations, papers and
files. Content comes from the meeting's public record (`record.py`); links only to objects
the API shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from gremium.documents.models import StoredDocument
from gremium.lib.document_structure import DocumentKind
from gremium.meetings.models import AgendaItem, Meeting, MeetingState
from gremium.oparl import visibility
from gremium.oparl.context import Context, compact, dates, head, iso
from gremium.oparl.extension import PersonUrl, item_extension, meeting_extension
from gremium.oparl.kinds import KINDS
from gremium.oparl.record import PublicMeeting
from gremium.organizations.models import Location
from gremium.papers.models import Attachment, Consultation, Paper

# OParl's recommended meeting states: planned (terminiert), invited until the minutes are
# released (eingeladen), held with released minutes (durchgeführt). A cancelled meeting
# had its agenda sent out and keeps that state, with `cancelled`.
MEETING_STATES = {
    MeetingState.PLANNED: "terminiert",
    MeetingState.AGENDA_PUBLISHED: "eingeladen",
    MeetingState.HELD: "eingeladen",
    MeetingState.CANCELLED: "eingeladen",
    MeetingState.MINUTES_PUBLISHED: "durchgeführt",
    MeetingState.APPROVED: "durchgeführt",
}


def meetings(ctx: Context, rows: Sequence[Meeting]) -> list[dict[str, Any]]:
    ids = [m.pk for m in rows]
    ctx.prepare(rows)
    documents = _documents_by_meeting(ids) if not ctx.omit_internal else {}
    return [_meeting(ctx, m, documents.get(m.pk, [])) for m in rows]


def _meeting(ctx: Context, meeting: Meeting, documents: list[StoredDocument]) -> dict[str, Any]:
    record = ctx.record(meeting)
    data = {
        **head(ctx, "meeting", meeting),
        "name": str(meeting),
        "meetingState": MEETING_STATES[MeetingState(meeting.state)],
        "cancelled": meeting.state == MeetingState.CANCELLED,
        "start": iso(meeting.start),
        "end": iso(meeting.end),
        "organization": [ctx.url("organization", meeting.organization_id)],
        "participant": _participants(ctx, record),
        "web": ctx.site("portal:meeting", meeting.pk),
        **meeting_extension(record.document, _person_url(ctx, record)),
    }
    if not ctx.omit_internal:
        data.update(_meeting_files(ctx, documents))
        if meeting.location is not None:
            data["location"] = location(ctx, meeting.location)
        data["agendaItem"] = [_agenda_item(ctx, record, row) for row in record.rows]
    return compact({**data, **dates(meeting)})


def _participants(ctx: Context, record: PublicMeeting) -> list[str]:
    present = [p.name for p in record.document.participants if not p.absent]
    ids = [record.person_ids[name] for name in present if name in record.person_ids]
    return [ctx.url("person", pk) for pk in ids]


def _documents_by_meeting(meeting_ids: list[int]) -> dict[int, list[StoredDocument]]:
    rows = (
        KINDS["document"].annotated().filter(meeting_id__in=meeting_ids).select_related("meeting")
    )
    found: dict[int, list[StoredDocument]] = {}
    for stored in rows.order_by("created", "pk"):
        found.setdefault(stored.meeting_id, []).append(stored)
    return found


def _meeting_files(ctx: Context, documents: list[StoredDocument]) -> dict[str, Any]:
    """The agenda as sent out (invitation) and the minutes as last approved
    (resultsProtocol); minutes approved before an addendum stay as auxiliary files."""
    agendas = [d for d in documents if d.kind == DocumentKind.AGENDA]
    minutes = [d for d in documents if d.kind == DocumentKind.MINUTES]
    data: dict[str, Any] = {}
    if agendas:
        data["invitation"] = document_file(ctx, agendas[0])
    if minutes:
        data["resultsProtocol"] = document_file(ctx, minutes[-1])
        data["auxiliaryFile"] = [document_file(ctx, d) for d in minutes[:-1]]
    return data


def agenda_items(ctx: Context, rows: Sequence[AgendaItem]) -> list[dict[str, Any]]:
    ctx.prepare(row.meeting for row in rows)
    result = []
    for row in rows:
        record = ctx.record(row.meeting)
        result.append(_agenda_item(ctx, record, record.row(row)))
    return result


def _agenda_item(ctx: Context, record: PublicMeeting, row: AgendaItem) -> dict[str, Any]:
    meeting = record.meeting
    data: dict[str, Any] = {
        **head(ctx, "agendaItem", row),
        "meeting": ctx.url("meeting", meeting.pk),
        "number": row.label or None,
        "order": record.position(row),
    }
    item = record.items.get(row.pk)
    if item is not None:
        data["name"] = item.title
        data["public"] = item.public
        data["web"] = f"{ctx.site('portal:meeting', meeting.pk)}#{item.key}"
    if item is not None and item.public and row.public:
        consultation = getattr(row, "consultation", None)
        if consultation is not None:
            data["consultation"] = ctx.url("consultation", consultation.pk)
        if item.decision is not None:
            data["result"] = item.decision.outcome
            data["resolutionText"] = item.decision.text
        if not ctx.omit_internal:
            data["auxiliaryFile"] = attachment_files(ctx, record.files.get(row.pk, []))
        data.update(item_extension(item, _person_url(ctx, record)))
    return compact({**data, **dates(row)})


def _person_url(ctx: Context, record: PublicMeeting) -> PersonUrl:
    def person_url(name: str) -> str | None:
        pk = record.person_ids.get(name)
        return ctx.url("person", pk) if pk is not None else None

    return person_url


def consultations(ctx: Context, rows: Sequence[Consultation]) -> list[dict[str, Any]]:
    return [_consultation(ctx, c) for c in rows]


def _consultation(ctx: Context, consultation: Consultation) -> dict[str, Any]:
    item = consultation.agenda_item
    assert item is not None  # only consultations in an open item are visible
    data = {
        **head(ctx, "consultation", consultation),
        "paper": ctx.url("paper", consultation.paper_id),
        "agendaItem": ctx.url("agendaItem", item.pk),
        "meeting": ctx.url("meeting", item.meeting_id),
        "organization": [ctx.url("organization", consultation.organization_id)],
        "authoritative": consultation.authoritative,
        "role": consultation.role,
    }
    return compact({**data, **dates(consultation)})


def papers(ctx: Context, rows: Sequence[Paper]) -> list[dict[str, Any]]:
    ids = [p.pk for p in rows]
    names = _paper_names(ids)
    embedded: dict[int, list[Consultation]] = {}
    files: dict[int, list[Attachment]] = {}
    if not ctx.omit_internal:
        consulted = KINDS["consultation"].annotated().filter(paper_id__in=ids)
        for consultation in consulted.select_related("agenda_item").order_by("pk"):
            embedded.setdefault(consultation.paper_id, []).append(consultation)
        attached = KINDS["attachment"].annotated().filter(paper_id__in=ids)
        for attachment in attached.select_related("agenda_item").order_by("pk"):
            files.setdefault(attachment.paper_id or 0, []).append(attachment)
    return [
        compact(
            {
                **head(ctx, "paper", paper),
                "body": ctx.url("body", paper.body_id),
                "name": names.get(paper.pk),
                "reference": paper.reference,
                "consultation": [_consultation(ctx, c) for c in embedded.get(paper.pk, [])],
                "auxiliaryFile": attachment_files(ctx, files.get(paper.pk, [])),
                **dates(paper),
            }
        )
        for paper in rows
    ]


def _paper_names(paper_ids: list[int]) -> dict[int, str]:
    """A case is named by the title of its latest open item: the paper's own name may have
    come from a closed item, and that title is not public."""
    items = visibility.open_items().filter(paper_id__in=paper_ids)
    names: dict[int, str] = {}
    for paper_id, title in items.order_by("meeting__start", "order").values_list(
        "paper_id", "title"
    ):
        names[paper_id] = title
    return names


def attachment_files(ctx: Context, rows: Sequence[Attachment]) -> list[dict[str, Any]]:
    return [_attachment_file(ctx, a) for a in rows]


def _attachment_file(ctx: Context, attachment: Attachment) -> dict[str, Any]:
    item = attachment.agenda_item
    assert item is not None  # only attachments of an open item are visible
    # The item is open in a public meeting, so its case is public; another case the file
    # may name is left out rather than looked up.
    paper_shown = attachment.paper_id is not None and attachment.paper_id == item.paper_id
    data = {
        **head(ctx, "attachment", attachment),
        "name": attachment.name,
        "fileName": attachment.download_name(),
        "mimeType": attachment.mime_type,
        "date": iso(timezone.localdate(attachment.created)),
        "size": attachment.size,
        "sha512Checksum": attachment.sha512,
        "text": attachment.text,
        "accessUrl": ctx.site("portal:attachment", attachment.pk),
        "downloadUrl": ctx.url("attachment-download", attachment.pk),
        **_external(attachment),
        "meeting": [ctx.url("meeting", item.meeting_id)],
        "agendaItem": [ctx.url("agendaItem", item.pk)],
        "paper": [ctx.url("paper", attachment.paper_id)] if paper_shown else None,
    }
    return compact({**data, **dates(attachment)})


def _external(attachment: Attachment) -> dict[str, Any]:
    """An imported attachment known only by its address at the publisher (FirstAgenda's
    Bilag): OParl readers are sent there, as the portal sends its visitors."""
    if attachment.file or not attachment.source_url:
        return {}
    return {"accessUrl": attachment.source_url, "downloadUrl": None}


def document_files(ctx: Context, rows: Sequence[StoredDocument]) -> list[dict[str, Any]]:
    return [document_file(ctx, d) for d in rows]


def document_file(ctx: Context, stored: StoredDocument) -> dict[str, Any]:
    meeting_id = stored.meeting_id
    if stored.kind == DocumentKind.AGENDA:
        name = "Dagsorden som udsendt"
    else:
        name = f"Referat, godkendt {iso(timezone.localdate(stored.created))}"
    data = {
        **head(ctx, "document", stored),
        "name": name,
        "fileName": download_name(stored),
        "mimeType": "application/pdf",
        "date": iso(timezone.localdate(stored.created)),
        "size": stored.size,
        "sha512Checksum": stored.sha512,
        "text": stored.text,
        # Not the portal's PDF address: that one serves a logged-in member the internal
        # variant, another file than the one described here.
        "accessUrl": ctx.url("document-access", stored.pk),
        "downloadUrl": ctx.url("document-download", stored.pk),
        "meeting": [ctx.url("meeting", meeting_id)],
    }
    return compact({**data, **dates(stored)})


def download_name(stored: StoredDocument) -> str:
    word = "dagsorden" if stored.kind == DocumentKind.AGENDA else "referat"
    return f"{word}-{stored.meeting.day:%Y-%m-%d}-{stored.meeting_id}-{stored.pk}.pdf"


def location(ctx: Context, place: Location) -> dict[str, Any]:
    data = {
        **head(ctx, "location", place),
        "description": place.description,
        "streetAddress": place.street_address,
        "room": place.room,
        "postalCode": place.postal_code,
        "locality": place.locality,
        "created": iso(place.created),
        "modified": iso(place.modified),
    }
    return compact(data)
