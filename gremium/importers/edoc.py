"""eDoc's agenda publishing export (eDocAgendaPublishing.xml, as OS2dagsorden reads it).

The export is not well-formed as it comes (&#xC; references, mixed line ends); it is
repaired first (see xmlsafety). Items come in any order and are sorted by their number.
Each item's FullText is the item as printed and goes through the text parser; titles,
closed flags, neutral titles and attachments come from the XML fields.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from gremium.importers.errors import ImportFailed
from gremium.importers.lines import split_lines
from gremium.importers.local_files import local_attachment
from gremium.importers.report import ParseReport, judge_confidence
from gremium.importers.text import parse_text_lines
from gremium.importers.xmlsafety import parse_xml, text_of
from gremium.lib.document_structure import (
    AttachmentRef,
    Audience,
    Document,
    DocumentKind,
    Item,
)


def is_edoc(root: ET.Element) -> bool:
    return root.tag == "Meeting" and root.find("MeetingAgendaTypes") is not None


def parse_edoc(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    root, repairs = parse_xml(data, path)
    if not is_edoc(root):
        raise ImportFailed(path, "not an eDoc agenda publishing export")
    start = _datetime(text_of(root, "MeetingDate"), path)
    report = ParseReport(source_kind="edoc", repairs=repairs)
    header_doc = _header_document(root, path, start)
    items = sorted(
        (_item(entry, agenda_type, path, start, report)
         for agenda_type in root.iter("MeetingAgendaType")
         for entry in agenda_type.iter("MeetingAgendaItem")),
        key=lambda item: (item.number is None, item.number or 0),
    )  # fmt: skip
    state = text_of(root, "MeetingState").lower()
    kind = DocumentKind.AGENDA if state.startswith("dagsorden") else DocumentKind.MINUTES
    document = Document(
        kind=kind, audience=Audience.INTERNAL, body_name=header_doc.body_name if header_doc else "",
        organization_name=text_of(root, "Committee"), start=start,
        location=header_doc.location if header_doc else "",
        participants=header_doc.participants if header_doc else (), items=tuple(items),
    )  # fmt: skip
    report.items_found = len(items)
    report.item_numbers = [i.number for i in items]
    report.confidence = judge_confidence(report, len(items))
    return document, report


def _datetime(value: str, path: Path) -> dt.datetime:
    try:
        return dt.datetime.strptime(value, "%d-%m-%Y %H:%M:%S")
    except ValueError as error:
        raise ImportFailed(path, f"MeetingDate {value!r} is not dd-mm-yyyy hh:mm:ss") from error


def _header_document(root: ET.Element, path: Path, start: dt.datetime) -> Document | None:
    """Participants and place from the whole minutes' text of the first agenda type."""
    full = text_of(root, "MeetingAgendaTypes/MeetingAgendaType/FullText")
    if not full:
        return None
    try:
        document, _ = parse_text_lines(split_lines(full), path, fallback_start=start)
    except ImportFailed:
        return None
    return document


def _item(entry: ET.Element, agenda_type: ET.Element, path: Path, start: dt.datetime,
          report: ParseReport) -> Item:  # fmt: skip
    number = int(text_of(entry, "AgendaItemNumber") or 0) or None
    title = text_of(entry, "Document/Title")
    neutral = text_of(entry, "Document/NeutralTitle")
    public = "lukket" not in text_of(agenda_type, "AgendaType").lower()
    parsed = _parsed_item(text_of(entry, "FullText"), path, start, report)
    attachments = tuple(
        _attachment(a, path, public) for a in entry.findall("Document/Attachments/Attachment")
    )
    item_pdf = _item_pdf(entry, path, title, public)
    return replace(
        parsed or Item(number=number, title=title),
        number=number, title=title or (parsed.title if parsed else ""), public=public,
        public_title=neutral if (not public or neutral != title) else "",
        attachments=attachments + ((item_pdf,) if item_pdf else ()),
        key=f"punkt-{number}" if number is not None else "",
    )  # fmt: skip


def _parsed_item(
    full_text: str, path: Path, start: dt.datetime, report: ParseReport
) -> Item | None:
    if not full_text.strip():
        return None
    try:
        document, item_report = parse_text_lines(split_lines(full_text), path, fallback_start=start)
    except ImportFailed as error:
        report.notes.append(f"item text not readable: {error.reason}")
        return None
    report.unplaced += item_report.unplaced
    return document.items[0] if document.items else None


def _attachment(element: ET.Element, path: Path, item_public: bool) -> AttachmentRef:
    published = text_of(element, "PublishingType").upper() != "MÅ IKKE PUBLICERES"
    return _file_ref(text_of(element, "Title"), text_of(element, "PDFDocument"),
                     text_of(element, "FileSize"), path, item_public and published)  # fmt: skip


def _item_pdf(entry: ET.Element, path: Path, title: str, public: bool) -> AttachmentRef | None:
    # The item's own PDF (the printed item, not a Bilag): kept so it can be served.
    name = text_of(entry, "PDFDocument")
    if not name:
        return None
    return _file_ref(f"{title} (punktets PDF)", name, text_of(entry, "FileSize"), path, public)


def _file_ref(name: str, file_name: str, size_kb: str, path: Path, public: bool) -> AttachmentRef:
    found = local_attachment(name, path, file_name, public, "application/pdf")
    if found is not None:
        return found
    size = int(size_kb) * 1024 if size_kb.isdigit() else 0  # eDoc gives kilobytes
    return AttachmentRef(
        name=name, public=public, mime_type="application/pdf" if file_name else "", size=size
    )
