"""SBSYS eDagsorden publications (Publication<N>.xml with an Enclosures folder).

Each item's sections are `Fields/ItemField` with a `Caption` and HTML `Content`; the field
marked `IsFeedback` holds what the meeting decided. Captions are kept as written.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path, PureWindowsPath

from gremium.importers.attendance import parse_participant
from gremium.importers.errors import ImportFailed
from gremium.importers.headings import canonical_heading
from gremium.importers.html_markdown import html_to_markdown
from gremium.importers.html_sections import is_history, is_placeholder
from gremium.importers.local_files import local_attachment
from gremium.importers.numbering import item_key, item_number
from gremium.importers.report import ParseReport, judge_confidence
from gremium.importers.text import decision_outcome
from gremium.importers.xmlsafety import parse_xml, text_of
from gremium.lib.document_structure import (
    AttachmentRef,
    Audience,
    Decision,
    Document,
    DocumentKind,
    Item,
    Participant,
    Section,
)

# ParticipationStatusAsText values that mean the member was not there
ABSENT_STATUSES = frozenset({"notparticipating", "absent", "notpresent", "afbud", "fravær"})


def is_sbsys(root: ET.Element) -> bool:
    return root.tag == "Publication" and root.find("Agendas/Agenda") is not None


def parse_sbsys(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    root, repairs = parse_xml(data, path)
    if not is_sbsys(root):
        raise ImportFailed(path, "not an SBSYS eDagsorden publication")
    agenda = root.find("Agendas/Agenda")
    assert agenda is not None  # is_sbsys checked it
    meeting = agenda.find("Meeting")
    show_empty = text_of(root, "GeneratorSettings/ShowEmptyFields").lower() == "true"
    enclosures = _enclosures(agenda, path)
    report = ParseReport(source_kind="sbsys", repairs=repairs)
    entries = [e for e in agenda.iter("Item") if not _is_container(e, report)]
    items = sorted(
        (_item(e, enclosures.get(e.get("ID", ""), ()), show_empty, report) for e in entries),
        key=lambda item: (item.number is None, item.number or 0, item.sub_number or 0),
    )
    organization = text_of(agenda, "Committee/Name") or text_of(agenda, "Name")
    start = _datetime(text_of(meeting, "When"), path)
    items = [_with_meeting(item, organization, start.date()) for item in items]
    publication_type = text_of(root, "PublicationTypeAsEnum")
    # A draft is the agenda being prepared: never minutes, whatever its fields hold.
    minutes = publication_type.lower() != "draft" and any(i.decision for i in items)
    document = Document(
        kind=DocumentKind.MINUTES if minutes else DocumentKind.AGENDA,
        audience=Audience.INTERNAL, body_name="", organization_name=organization,
        start=start, end=_optional(text_of(meeting, "Until")),
        location=text_of(meeting, "Where"), participants=tuple(_participants(agenda)),
        items=tuple(items),
    )  # fmt: skip
    report.items_found = len(items)
    report.item_numbers = [i.number for i in items]
    report.notes.append(f"publication type {publication_type}")
    report.confidence = judge_confidence(report, len(items))
    return document, report


def _datetime(value: str, path: Path) -> dt.datetime:
    found = _optional(value)
    if found is None:
        raise ImportFailed(path, f"meeting time {value!r} is not dd-mm-yyyy hh:mm:ss")
    return found


def _optional(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%d-%m-%Y %H:%M:%S")
    except ValueError:
        return None


def _participants(agenda: ET.Element) -> list[Participant]:
    members = agenda.findall("Meeting/Members/MeetingMember")
    if members:
        return [_person(m.findtext("Name") or "", _absent(m)) for m in members]
    return [_person(m.findtext("Member/Name") or "", False)
            for m in agenda.findall("Committee/Members/CommitteeMember")]  # fmt: skip


def _person(name: str, absent: bool) -> Participant:
    person, _ = parse_participant(name)
    return Participant(person.name, person.role, person.party, absent, person.substitute_for)


def _absent(member: ET.Element) -> bool:
    return text_of(member, "ParticipationStatusAsText").lower() in ABSENT_STATUSES


def _is_container(element: ET.Element, report: ParseReport) -> bool:
    """An entry numbered 0 that holds other items or nothing at all groups items ("Åbne
    punkter"); it is no item of its own."""
    number, _sub = item_number(text_of(element, "Number"))
    if number != 0:
        return False
    has_text = any(text_of(f, "Content") for f in element.findall("Fields/ItemField"))
    if element.find(".//Items/Item") is not None or not (has_text or _case_number(element)):
        report.notes.append(f"entry 0 {text_of(element, 'Caption')!r} groups items; not an item")
        return True
    return False


def _item(
    element: ET.Element,
    attachments: tuple[AttachmentRef, ...],
    show_empty: bool,
    report: ParseReport,
) -> Item:
    number, sub = item_number(text_of(element, "Number"))
    number = number or None  # an entry 0 with content of its own is an unnumbered item
    public = text_of(element, "IsPublic").lower() != "false"
    fields = sorted(
        element.findall("Fields/ItemField"), key=lambda f: int(text_of(f, "Index") or 0)
    )
    sections, decision = [], None
    for field in fields:
        caption, body = text_of(field, "Caption"), html_to_markdown(text_of(field, "Content"))
        if is_placeholder(body):
            body = ""  # "Tomt indhold": the field was never written
        if text_of(field, "IsFeedback").lower() == "true" and not is_history(body):
            decision = _decision(body) if body else decision
        elif body or (caption and show_empty):
            sections.append(Section(canonical_heading(caption), body))
    absent = tuple(text_of(m, "Name") for m in element.findall("Members/ItemMember") if _absent(m))
    if number is None and text_of(element, "Number"):
        report.notes.append(f"item number {text_of(element, 'Number')!r} is not a number")
    return Item(
        number=number, sub_number=sub, title=text_of(element, "Caption"),
        reference=_case_number(element),
        public=public, sections=tuple(sections), decision=decision,
        absent=tuple(_person(name, True).name for name in absent),
        attachments=tuple(a if public else _closed(a) for a in attachments),
        key=item_key(number, sub),
    )  # fmt: skip


def _with_meeting(item: Item, organization: str, date: dt.date) -> Item:
    if item.decision is None:
        return item
    decision = Decision(organization, date, item.decision.outcome, item.decision.text)
    return replace(item, decision=decision)


def _decision(body: str) -> Decision:
    # The organisation and date are the meeting's; the document fills them in for readers.
    return Decision(organization="", date=None, outcome=decision_outcome(body), text=body)


def _case_number(element: ET.Element) -> str:
    number = text_of(element, "Case/Number")
    if number:
        return number
    number_and_title = text_of(element, "Case/NumberAndTitle")
    return "" if number_and_title.strip(" -") == "" else number_and_title.split(" ", 1)[0]


def _closed(attachment: AttachmentRef) -> AttachmentRef:
    return AttachmentRef(attachment.name, False, attachment.mime_type, attachment.size,
                         attachment.sha256, attachment.path)  # fmt: skip


def _enclosures(agenda: ET.Element, path: Path) -> dict[str, tuple[AttachmentRef, ...]]:
    found: dict[str, list[AttachmentRef]] = {}
    for enclosure in agenda.findall("Enclosures/Enclosure"):
        found.setdefault(enclosure.get("ItemID", ""), []).append(_enclosure(enclosure, path))
    return {key: tuple(value) for key, value in found.items()}


def _enclosure(element: ET.Element, path: Path) -> AttachmentRef:
    relative = PureWindowsPath(text_of(element, "InstantiationFilePathRelative")).as_posix()
    name = text_of(element, "Name") or text_of(element, "FileName")
    file_name = text_of(element, "FileName").lower()
    mime = "application/pdf" if file_name.endswith(".pdf") else ""
    public = text_of(element, "IsPublic").lower() != "false"
    found = local_attachment(name, path, relative, public, mime)
    if found is not None:
        return found
    return AttachmentRef(name, public, mime, int(text_of(element, "FileLength") or 0))
