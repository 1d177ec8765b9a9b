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
from gremium.importers.local_files import local_attachment
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
    items = sorted(
        (_item(e, enclosures.get(e.get("ID", ""), ()), show_empty) for e in agenda.iter("Item")),
        key=lambda item: (item.number is None, item.number or 0),
    )
    organization = text_of(agenda, "Committee/Name") or text_of(agenda, "Name")
    start = _datetime(text_of(meeting, "When"), path)
    items = [_with_meeting(item, organization, start.date()) for item in items]
    document = Document(
        kind=DocumentKind.MINUTES if any(i.decision for i in items) else DocumentKind.AGENDA,
        audience=Audience.INTERNAL, body_name="", organization_name=organization,
        start=start, end=_optional(text_of(meeting, "Until")),
        location=text_of(meeting, "Where"), participants=tuple(_participants(agenda)),
        items=tuple(items),
    )  # fmt: skip
    report = ParseReport(source_kind="sbsys", repairs=repairs, items_found=len(items),
                         item_numbers=[i.number for i in items])  # fmt: skip
    report.notes.append(f"publication type {text_of(root, 'PublicationTypeAsEnum')}")
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


def _item(element: ET.Element, attachments: tuple[AttachmentRef, ...], show_empty: bool) -> Item:
    number = int(text_of(element, "Number") or 0) or None
    public = text_of(element, "IsPublic").lower() != "false"
    fields = sorted(
        element.findall("Fields/ItemField"), key=lambda f: int(text_of(f, "Index") or 0)
    )
    sections, decision = [], None
    for field in fields:
        caption, body = text_of(field, "Caption"), html_to_markdown(text_of(field, "Content"))
        if text_of(field, "IsFeedback").lower() == "true":
            decision = _decision(body) if body else decision
        elif body or (caption and show_empty):
            sections.append(Section(canonical_heading(caption), body))
    absent = tuple(text_of(m, "Name") for m in element.findall("Members/ItemMember") if _absent(m))
    return Item(
        number=number, title=text_of(element, "Caption"), reference=_case_number(element),
        public=public, sections=tuple(sections), decision=decision,
        absent=tuple(_person(name, True).name for name in absent),
        attachments=tuple(a if public else _closed(a) for a in attachments),
        key=f"punkt-{number}" if number is not None else "",
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
