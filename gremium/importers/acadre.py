"""Acadre's publication (as OS2dagsorden receives it): an index `XML_<n>.xml` and, in the
folder it names, the agenda `<n>.XML`, both built of `<table name="..."><fields><field
name="...">` rows.

The agenda holds the committee, the meeting with its members (`absent` 0/1) and the items
(`agendaitem`) in `sort` order, numbered by their place. An item's text is its `bullet`s:
`bulletname` is the heading, `bulletcontent` HTML. An item that has been treated before
carries every earlier decision as a bullet "Beslutning i <committee> den <dd-mm-yyyy>":
only the one dated this meeting is its decision, the others are history.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from gremium.importers.attendance import parse_participant, split_names
from gremium.importers.danish_dates import parse_date
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

_DECISION = re.compile(
    r"^beslutning(?:\s+i\s+.+?)?(?:\s+den\s+(?P<date>[\d.\-/]+))?\s*:?\s*$", re.I
)
OPEN_ACCESS = frozenset({"åben", "åbent", "offentlig"})
# producedAgenda type: 2 is the minutes, 1 the agenda; the minutes are read when both exist
_PRODUCED_PREFERENCE = ("2", "1")


def is_acadre_index(root: ET.Element) -> bool:
    return root.tag == "root" and root.find("table[@name='producedAgenda']") is not None


def is_acadre_agenda(root: ET.Element) -> bool:
    return (
        root.tag == "root" and root.find("table[@name='agenda']/table[@name='meeting']") is not None
    )


def parse_acadre(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    root, repairs = parse_xml(data, path)
    if is_acadre_index(root):
        agenda_path = _agenda_file(root, path)
        root, repairs = parse_xml(agenda_path.read_bytes(), agenda_path)
        path = agenda_path
    if not is_acadre_agenda(root):
        raise ImportFailed(path, 'not an Acadre agenda (<table name="agenda"> with a meeting)')
    agenda = root.find("table[@name='agenda']")
    assert agenda is not None  # is_acadre_agenda checked it
    meeting = agenda.find("table[@name='meeting']")
    start = _datetime(_field(meeting, "date"), path, "meeting date")
    finish = _field(meeting, "finish")
    organization = _field(agenda.find("table[@name='committee']"), "name")
    report = ParseReport(source_kind="acadre", repairs=repairs)
    minutes = _field(agenda, "name").lower().startswith("referat")
    items = [
        _item(entry, number, path, organization, start.date(), minutes, report)
        for number, entry in enumerate(_entries(agenda), start=1)
    ]
    document = Document(
        kind=DocumentKind.MINUTES if minutes else DocumentKind.AGENDA,
        audience=Audience.INTERNAL, body_name="", organization_name=organization, start=start,
        end=_datetime(finish, path, "meeting finish") if finish else None,
        location=_field(meeting, "location"), participants=tuple(_participants(meeting)),
        items=tuple(items),
    )  # fmt: skip
    report.items_found = len(items)
    report.item_numbers = [i.number for i in items]
    report.notes.append("items numbered by their order (Acadre writes no numbers)")
    report.confidence = judge_confidence(report, len(items))
    return document, report


def _field(table: ET.Element | None, name: str) -> str:
    """The value of `<field name=name>`: the element's text, or (in the index) the value of
    the attribute of that name."""
    if table is None:
        return ""
    for field in table.findall("fields/field"):
        if field.get("name") == name:
            return (field.text or "").strip()
        if "name" not in field.attrib and name in field.attrib:
            return field.attrib[name].strip()
    return ""


def _agenda_file(index: ET.Element, path: Path) -> Path:
    """The agenda XML the index names (the minutes when published), in its files folder;
    names are compared case-insensitively (the index says .xml where the file is .XML)."""
    produced: dict[str, dict[str, str]] = {}
    for fields in index.findall("table[@name='producedAgenda']/fields"):
        values = {k: v for f in fields.findall("field") for k, v in f.attrib.items()}
        if values.get("publish", "1") != "0":  # an unpublished version is never read
            produced.setdefault(values.get("type", ""), values)
    for kind in _PRODUCED_PREFERENCE:
        chosen = produced.get(kind)
        if chosen and chosen.get("filesfolder") and chosen.get("xmlfilename"):
            relative = f"{chosen['filesfolder']}/{chosen['xmlfilename']}"
            found = files_ignoring_case(path, relative)
            if len(found) == 1:
                return path.parent / found[0]
    raise ImportFailed(path, "the Acadre index names no agenda file that is beside it")


def _datetime(value: str, path: Path, what: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError as error:
        raise ImportFailed(path, f"{what} {value!r} is not yyyy-mm-dd hh:mm") from error


def _participants(meeting: ET.Element | None) -> list[Participant]:
    people = []
    for member in meeting.findall(".//table[@name='member']") if meeting is not None else []:
        person, _rule = parse_participant(" ".join(_field(member, "name").split()))
        role = _field(member, "role").lower()
        people.append(
            Participant(
                name=person.name,
                role=role if role != "medlem" else person.role,
                party=person.party or _field(member, "party"),
                absent=_field(member, "absent") not in ("", "0"),
            )
        )
    return [p for p in people if p.name]


def _entries(agenda: ET.Element) -> list[ET.Element]:
    parents = agenda.findall("table[@name='agendaitemparents']")
    parents.sort(key=lambda p: int(_field(p, "sort")) if _field(p, "sort").isdigit() else 0)
    return [e for p in parents for e in p.findall("table[@name='agendaitem']")]


def _item(
    entry: ET.Element,
    number: int,
    path: Path,
    organization: str,
    day: dt.date,
    minutes: bool,
    report: ParseReport,
) -> Item:
    access = (_field(entry, "accessname") or "").lower()
    public = access in OPEN_ACCESS if access else _field(entry, "access") == "1"
    sections: list[Section] = []
    decision = None
    for bullet in entry.findall("table[@name='bullet']"):
        name = " ".join(_field(bullet, "bulletname").split())
        body = html_to_markdown(_field(bullet, "bulletcontent"))
        if is_placeholder(body):
            continue
        heading = _DECISION.match(name)
        if heading is None:
            sections.append(Section(canonical_heading(name), body))
        elif _decision_of_this_meeting(heading, day, body) and minutes:
            decision = Decision(organization, day, decision_outcome(body), body)
        else:
            sections.append(Section(name, body))  # an earlier meeting's decision, as history
    absent = split_names(_field(entry, "absent")) if _field(entry, "absent") else []
    return Item(
        number=number, title=" ".join(_field(entry, "name").split()),
        reference=_field(entry, "caseno"), public=public, sections=tuple(sections),
        decision=decision, absent=tuple(absent),
        attachments=tuple(_attachments(entry, path, public)), key=f"punkt-{number}",
    )  # fmt: skip


def _decision_of_this_meeting(heading: re.Match[str], day: dt.date, body: str) -> bool:
    dated = parse_date(heading.group("date") or "")
    return (dated is None or dated == day) and not is_history(body)


def _attachments(entry: ET.Element, path: Path, item_public: bool) -> list[AttachmentRef]:
    refs = []
    for enclosure in entry.findall("table[@name='enclosure']"):
        name = " ".join(_field(enclosure, "name").split())
        access = _field(enclosure, "accessname").lower()
        public = item_public and (
            access in OPEN_ACCESS if access else _field(enclosure, "access") == "1"
        )
        # The publication converts each enclosure to "<name>.pdf" beside the agenda.
        files = files_ignoring_case(path, f"{name}.pdf")
        found = (
            local_attachment(name, path, files[0], public, "application/pdf")
            if len(files) == 1
            else None
        )
        refs.append(found or AttachmentRef(name=name, public=public))
    return refs
