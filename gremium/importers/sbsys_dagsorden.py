"""SBSYS's newer agenda export, root `<Dagsorden>` (as Lyngby-Taarbæk publishes it).

`Dagsordentype` says agenda or minutes ("Dagsorden", "Referat"). Items are
`Dagsordenpunkter/Dagsordenpunkt` with `Nummer`, `Åbent`, `Sagsnr` and `Overskrift`; their
sections are the children of `Indhold`, HTML named by their `Navn`. The decision starts
with a line naming the committee and the date ("Testudvalg den 31. marts 2016"): a
decision dated another day is history, not this meeting's. Attachments are named
`Bilag/<file>` while the files often lie beside the XML; both places are tried.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path, PurePosixPath, PureWindowsPath

from gremium.importers.danish_dates import parse_date, parse_time
from gremium.importers.errors import ImportFailed
from gremium.importers.headings import canonical_heading
from gremium.importers.html_markdown import html_to_markdown
from gremium.importers.html_sections import closed_title, is_history, is_placeholder
from gremium.importers.local_files import local_attachment
from gremium.importers.numbering import item_key, item_number
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

# The decision's first line: "<committee> den <date>" (the date this decision was taken).
_DECISION_LINE = re.compile(
    r"^(?P<org>[^\n]{1,200}?)\s+den\s+(?P<date>[^\n]{6,30}?)\s*:?\s*$", re.I
)
DECISION_TAGS = frozenset({"beslutning"})


def is_sbsys_dagsorden(root: ET.Element) -> bool:
    return root.tag == "Dagsorden" and root.find("Dagsordenpunkter") is not None


def parse_sbsys_dagsorden(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    root, repairs = parse_xml(data, path)
    if not is_sbsys_dagsorden(root):
        raise ImportFailed(path, "not an SBSYS <Dagsorden> export")
    meeting = root.find("Møde")
    if meeting is None:
        raise ImportFailed(path, "the export has no <Møde> (meeting) element")
    start = _start(meeting, path)
    organization = (meeting.get("Udvalg") or "").strip()
    report = ParseReport(source_kind="sbsys-dagsorden", repairs=repairs)
    minutes = (root.get("Dagsordentype") or "").strip().lower() == "referat"
    items = sorted(
        (
            _item(e, path, organization, start.date(), report)
            for e in root.findall("Dagsordenpunkter/Dagsordenpunkt")
        ),
        key=lambda i: (i.number is None, i.number or 0, i.sub_number or 0),
    )
    if not minutes:  # an agenda carries no decisions, whatever its fields hold
        items = [_without_decision(i) for i in items]
    document = Document(
        kind=DocumentKind.MINUTES if minutes else DocumentKind.AGENDA,
        audience=Audience.INTERNAL, body_name="", organization_name=organization,
        start=start, location=(meeting.get("Mødested") or "").strip(),
        participants=tuple(_participants(root)), items=tuple(items),
    )  # fmt: skip
    report.items_found = len(items)
    report.item_numbers = [i.number for i in items]
    report.notes.append(f"Dagsordentype {root.get('Dagsordentype')!r}")
    report.confidence = judge_confidence(report, len(items))
    return document, report


def _start(meeting: ET.Element, path: Path) -> dt.datetime:
    day = parse_date(meeting.get("Mødedato") or "")
    if day is None:
        raise ImportFailed(path, f"Mødedato {meeting.get('Mødedato')!r} is not a date")
    time = parse_time(meeting.get("Mødetid") or "") or dt.time(0, 0)
    return dt.datetime.combine(day, time)


def _participants(root: ET.Element) -> list[Participant]:
    return [
        Participant(
            name=" ".join((m.get("Navn") or "").split()),
            role="stedfortræder" if (m.get("Suppleant") or "").lower() == "true" else "",
        )
        for m in root.findall("Indkaldelse/Medlem")
        if (m.get("Navn") or "").strip()
    ]


def _item(
    element: ET.Element, path: Path, organization: str, day: dt.date, report: ParseReport
) -> Item:
    number, sub = item_number(element.get("Nummer") or "")
    title, marked_closed = closed_title(" ".join((element.findtext("Overskrift") or "").split()))
    public = (element.get("Åbent") or "true").lower() != "false" and not marked_closed
    sections: list[Section] = []
    decision = None
    for field in element.findall("Indhold/*"):
        body = html_to_markdown(field.text or "")  # the field's own text, not sub-elements
        if is_placeholder(body):
            continue
        heading = canonical_heading(field.get("Navn") or field.tag)
        if field.tag.lower() in DECISION_TAGS:
            decision, history = _decision(body, organization, day, number, report)
            if history:
                sections.append(Section("Tidligere behandling", history))
        else:
            sections.append(Section(heading, body))
    absent = tuple(
        " ".join((p.get("Navn") or "").split()) for p in element.findall("Fravaer/Person")
    )
    return Item(
        number=number, sub_number=sub, title=title, reference=(element.get("Sagsnr") or "").strip(),
        public=public, sections=tuple(sections), decision=decision,
        absent=tuple(a for a in absent if a),
        attachments=tuple(_attachments(element, path, public)), key=item_key(number, sub),
    )  # fmt: skip


def _decision(
    body: str, organization: str, day: dt.date, number: int | None, report: ParseReport
) -> tuple[Decision | None, str]:
    """(this meeting's decision, text of an earlier one): a decision whose heading line
    names another date, or that reports an earlier treatment, is history."""
    first, _, rest = body.partition("\n\n")
    match = _DECISION_LINE.match(first.replace("**", "").strip())
    if match is not None:
        dated = parse_date(match.group("date"))
        if dated is not None and dated != day:
            report.notes.append(f"item {number}: decision dated {dated} kept as history")
            return None, body
        body = rest.strip()
    if is_history(body):
        return None, body
    if is_placeholder(body):
        return None, ""
    return Decision(organization, day, decision_outcome(body), body), ""


def _without_decision(item: Item) -> Item:
    return replace(item, decision=None)


def _attachments(element: ET.Element, path: Path, public: bool) -> list[AttachmentRef]:
    refs = []
    for bilag in element.findall("Bilagsliste/Bilag"):
        if (bilag.get("ErAktiv") or "true").lower() == "false":
            continue
        name = " ".join((bilag.get("Navn") or bilag.get("Linktekst") or "").split())
        allowed = public and (bilag.get("MaaPubliceres") or "true").lower() != "false"
        relative = PureWindowsPath(bilag.get("BilagUrl") or "").as_posix()
        mime = "application/pdf" if relative.lower().endswith(".pdf") else ""
        found = local_attachment(name, path, relative, allowed, mime) or local_attachment(
            name, path, PurePosixPath(relative).name, allowed, mime
        )
        refs.append(found or AttachmentRef(name=name, public=allowed, mime_type=mime))
    return refs
