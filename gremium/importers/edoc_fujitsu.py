"""eDoc's agenda export in Fujitsu's schema (namespace
http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/), as Middelfart publishes it.

`Committee/Meeting` holds the time, the place and the participants (party letter, role,
`Participate`); `Agenda/AgendaElements/AgendaElement` the items, each with `AccessIsPublic`,
`Absences` and a `HandlingItem` (`SerialNo` is the number printed, `Title`, `NeutralTitle`,
`CaseNumber`, HTML `CasePresentations`, `Attachments`). Attachment links name `.pdf` where
the files are `.PDF`: files are matched case-insensitively, and two files that differ only
in case are reported rather than guessed between.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path, PureWindowsPath

from gremium.importers.errors import ImportFailed
from gremium.importers.headings import canonical_heading
from gremium.importers.html_markdown import html_to_markdown
from gremium.importers.html_sections import is_history, is_placeholder
from gremium.importers.local_files import files_ignoring_case, local_attachment
from gremium.importers.report import ParseReport, judge_confidence
from gremium.importers.text import decision_outcome
from gremium.importers.xmlsafety import parse_xml
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

NAMESPACE = "http://www.fujitsu.dk/agenda/xml/schemas/2009/03/31/"
_NS = {"e": NAMESPACE}


def is_edoc_fujitsu(root: ET.Element) -> bool:
    return root.find("e:Committee/e:Meeting", _NS) is not None


def parse_edoc_fujitsu(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    root, repairs = parse_xml(data, path)
    if not is_edoc_fujitsu(root):
        raise ImportFailed(path, "not an eDoc (Fujitsu) agenda export")
    committee = root.find("e:Committee", _NS)
    meeting = root.find("e:Committee/e:Meeting", _NS)
    assert committee is not None and meeting is not None  # is_edoc_fujitsu checked it
    start = _datetime(_text(meeting, "e:MeetingDateTime"), path, "MeetingDateTime")
    end = _text(meeting, "e:EndDateTime")
    organization = _text(committee, "e:Name")
    report = ParseReport(source_kind="edoc-fujitsu", repairs=repairs)
    minutes = _is_minutes(root, meeting)
    participants = tuple(_participants(meeting))
    elements = meeting.findall("e:Agenda/e:AgendaElements/e:AgendaElement", _NS)
    items = sorted(
        (_item(e, path, organization, start.date(), minutes, report) for e in elements),
        key=lambda i: (i.number is None, i.number or 0),
    )
    document = Document(
        kind=DocumentKind.MINUTES if minutes else DocumentKind.AGENDA,
        audience=Audience.INTERNAL, body_name="", organization_name=organization, start=start,
        end=_datetime(end, path, "EndDateTime") if end else None,
        location=_text(meeting, "e:MeetingLocation"), participants=participants,
        items=tuple(items),
    )  # fmt: skip
    report.items_found = len(items)
    report.item_numbers = [i.number for i in items]
    report.confidence = judge_confidence(report, len(items))
    return document, report


def _text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    return " ".join((element.findtext(path, namespaces=_NS) or "").split())


def _datetime(value: str, path: Path, what: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(value, "%d-%m-%Y %H:%M")
    except ValueError as error:
        raise ImportFailed(path, f"{what} {value!r} is not dd-mm-yyyy hh:mm") from error


def _is_minutes(root: ET.Element, meeting: ET.Element) -> bool:
    output = _text(root, "e:OutputTypeEnumName").lower()
    agenda_type = _text(meeting, "e:Agenda/e:Type").lower()
    return output == "minutes" or agenda_type.startswith("referat")


def _participants(meeting: ET.Element) -> list[Participant]:
    people = []
    for person in meeting.findall("e:MeetingParticipants/e:MeetingParticipant", _NS):
        party = _text(person, "e:PoliticalPartyList")
        people.append(
            Participant(
                name=_text(person, "e:Name"),
                role=_text(person, "e:RoleInMeeting").lower(),
                # A list letter ("A"); organisations' names stand in for parties in some
                # committees and are kept as written.
                party=party,
                absent=_text(person, "e:Participate").lower() == "false",
            )
        )
    return [p for p in people if p.name]


def _item(
    element: ET.Element,
    path: Path,
    organization: str,
    day: dt.date,
    minutes: bool,
    report: ParseReport,
) -> Item:
    handling = element.find("e:HandlingItem", _NS)
    serial = _text(handling, "e:SerialNo")
    number = int(serial) if serial.isdigit() and int(serial) > 0 else None
    title, neutral = _text(handling, "e:Title"), _text(handling, "e:NeutralTitle")
    # Fail closed: an item is public only when the export says so.
    public = _text(element, "e:AccessIsPublic").lower() == "true"
    sections, decision_text = _presentations(handling)
    if not decision_text:
        decision_text = _planned_decision(handling)
    decision = None
    if minutes and decision_text:
        decision = Decision(organization, day, decision_outcome(decision_text), decision_text)
    absent = tuple(
        _text(a, "e:Name") or " ".join((a.text or "").split())
        for a in element.findall("e:Absences/*", _NS)
    )
    return Item(
        number=number, title=title or neutral, reference=_text(handling, "e:CaseNumber"),
        public=public, public_title=neutral if neutral and (not public or neutral != title) else "",
        sections=tuple(sections), decision=decision, absent=tuple(a for a in absent if a),
        attachments=tuple(_attachments(handling, path, public, report)),
        key=f"punkt-{number}" if number is not None else "",
    )  # fmt: skip


def _presentations(handling: ET.Element | None) -> tuple[list[Section], str]:
    sections: list[Section] = []
    decision = ""
    if handling is None:
        return sections, decision
    for part in handling.findall("e:CasePresentations/e:CasePresentation", _NS):
        # Content is HTML written as escaped text
        body = html_to_markdown(part.findtext("e:Content", namespaces=_NS) or "")
        if is_placeholder(body):
            continue
        if _text(part, "e:IsDecision").lower() == "true" and not is_history(body):
            decision = body
        else:
            sections.append(Section(canonical_heading(_text(part, "e:Title")), body))
    return sections, decision


def _planned_decision(handling: ET.Element | None) -> str:
    """The decision the handling plan records for this meeting ("This"), unless it is a
    placeholder such as "Beslutning ikke frigivet"."""
    for step in handling.findall("e:HandlingPlan/e:Handling", _NS) if handling is not None else []:
        if _text(step, "e:Placement").lower() == "this":
            text = html_to_markdown(step.findtext("e:Decision", namespaces=_NS) or "")
            return "" if is_placeholder(text) or is_history(text) else text
    return ""


def _attachments(
    handling: ET.Element | None, path: Path, item_public: bool, report: ParseReport
) -> list[AttachmentRef]:
    if handling is None:
        return []
    refs = []
    for attachment in handling.findall("e:Attachments/e:Attachment", _NS):
        name = _text(attachment, "e:Title")
        public = item_public and _text(attachment, "e:AccessEnumName").lower() == "public"
        link = PureWindowsPath(_text(attachment, "e:Link")).as_posix().lstrip("/")
        relative = _case_insensitive(path, link, report)
        found = local_attachment(name, path, relative, public, "application/pdf")
        refs.append(found or AttachmentRef(name=name, public=public))
    return refs


def _case_insensitive(export: Path, link: str, report: ParseReport) -> str:
    """The file `link` names whatever the case of its letters; "" when there is none, or
    when several differ only in case (reported, not guessed between)."""
    matches = files_ignoring_case(export, link) if link else []
    if len(matches) > 1:
        report.notes.append(
            f"attachment {link!r}: {len(matches)} files differ only in case; none taken"
        )
        return ""
    return matches[0] if matches else ""
