"""FirstAgenda's publication JSON (`/api/agenda/dagsorden/{id}` on a municipality's portal).

One meeting per file: `Udvalg`, `Moede` (time, place, `Afsluttet`, `Moededeltagere`) and
`Dagsordenpunkter` with `Punktnummer`, `Navn`, `SagsNummer`, the item's text as HTML in
`Felter[].Html` and `Bilag` that exist only on the portal. Two traps, both real:
`IsOpen` is False on every item and says nothing about access; a closed item is one whose
title starts "Lukket:". Of a closed item the portal publishes only the decision, as one
block of text without headings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from gremium.importers.attendance import split_names
from gremium.importers.errors import ImportFailed
from gremium.importers.html_sections import closed_title, is_placeholder, read_item_html
from gremium.importers.numbering import item_key, item_number
from gremium.importers.report import ParseReport, judge_confidence
from gremium.importers.text import decision_outcome
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

# The portal's times carry an offset; gremium's documents hold Danish local time.
DANISH_TIME = ZoneInfo("Europe/Copenhagen")
# "Fraværende: A, B" written into the decision: attendance, not part of the decision.
_ABSENCE_LINE = re.compile(r"^\s*(?:\*\*)?(?:fraværende|afbud)(?:\*\*)?\s*:\s*(.*)$", re.I)
ABSENT_ATTENDANCE_TYPE = 2  # ExternalAgendaItemAttendees[].AttendanceType: away from the item


def looks_like_firstagenda(data: bytes) -> bool:
    head = data[:65536]
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and all(
        key in head for key in (b'"Dagsordenpunkter"', b'"Moede"')
    )


def parse_firstagenda(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    root = _load(data, path)
    meeting, committee = root["Moede"], root["Udvalg"]
    start = _time(meeting.get("Dato") or meeting.get("MeetingBeginUtc"), path, "Moede.Dato")
    report = ParseReport(source_kind="firstagenda")
    participants = tuple(_participants(meeting))
    organization = str(committee.get("Navn") or "").strip().lstrip(".").strip()
    base = _portal(root)
    if base == "":
        report.notes.append("no portal address in the file: attachments kept by name only")
    concluded = bool(meeting.get("Afsluttet"))
    items = [
        _item(entry, participants, organization, start.date(), base, concluded, report)
        for entry in sorted(_entries(root, path), key=_sorting)
    ]
    end = meeting.get("MeetingEndUtc")
    document = Document(
        kind=DocumentKind.MINUTES if any(i.decision for i in items) else DocumentKind.AGENDA,
        audience=Audience.INTERNAL, body_name="", organization_name=organization,
        start=start, end=_time(end, path, "Moede.MeetingEndUtc") if end else None,
        location=str(meeting.get("Sted") or "").strip(), participants=participants,
        items=tuple(items),
    )  # fmt: skip
    report.items_found = len(items)
    report.item_numbers = [i.number for i in items]
    report.notes.append(f"meeting {'concluded' if concluded else 'not concluded'} (Afsluttet)")
    report.confidence = judge_confidence(report, len(items))
    return document, report


def _load(data: bytes, path: Path) -> dict[str, Any]:
    try:
        root = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ImportFailed(path, "FirstAgenda JSON is not UTF-8") from error
    except json.JSONDecodeError as error:
        raise ImportFailed(path, f"JSON is not well-formed: {error.msg}", error.lineno) from error
    if not (
        isinstance(root, dict)
        and isinstance(root.get("Moede"), dict)
        and isinstance(root.get("Udvalg"), dict)
        and isinstance(root.get("Dagsordenpunkter"), list)
    ):
        raise ImportFailed(path, "not a FirstAgenda publication (Moede, Udvalg, Dagsordenpunkter)")
    return root


def _entries(root: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    entries = root["Dagsordenpunkter"]
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ImportFailed(path, f"Dagsordenpunkter entry {index} is not an object")
    return entries


def _sorting(entry: dict[str, Any]) -> tuple[bool, int, int, int]:
    number, sub = item_number(entry.get("Punktnummer"))
    sorting = entry.get("Sorting")
    return (number is None, number or 0, sub or 0, sorting if isinstance(sorting, int) else 0)


def _time(value: object, path: Path, where: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise ImportFailed(path, f"{where} {value!r} is not an ISO date and time") from error
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(DANISH_TIME).replace(tzinfo=None)
    return parsed


def _participants(meeting: dict[str, Any]) -> list[Participant]:
    people = meeting.get("Moededeltagere") or []
    return [
        Participant(
            name=" ".join(str(p.get("Name") or "").split()),
            absent=bool(p.get("Absent") or p.get("ParticipationCancelled")),
        )
        for p in people
        if isinstance(p, dict) and str(p.get("Name") or "").strip()
    ]


def _portal(root: dict[str, Any]) -> str:
    """https://host of the portal, read from an item's own link (the JSON names no host)."""
    for entry in root["Dagsordenpunkter"]:
        for felt in (entry.get("Felter") or []) if isinstance(entry, dict) else []:
            link = urlsplit(str(felt.get("Link") or "")) if isinstance(felt, dict) else None
            if link and link.scheme in ("http", "https") and link.netloc:
                return f"{link.scheme}://{link.netloc}"
    return ""


def _item(
    entry: dict[str, Any],
    participants: tuple[Participant, ...],
    organization: str,
    day: dt.date,
    base: str,
    concluded: bool,
    report: ParseReport,
) -> Item:
    number, sub = item_number(entry.get("Punktnummer"))
    title, closed = closed_title(" ".join(str(entry.get("Navn") or "").split()))
    html = "\n".join(
        str(f.get("Html") or "") for f in entry.get("Felter") or [] if isinstance(f, dict)
    )
    text = read_item_html(html)
    sections, decision_text = text.sections, text.decision
    if not text.headed and sections:
        # Headless text: the decision of a closed item of a held meeting, else the item text.
        body = "\n\n".join(s.body for s in sections)
        if is_placeholder(body):  # "Beslutning ikke frigivet": nothing was published
            sections = []
        elif closed and concluded:
            sections, decision_text = [], body
        else:
            sections = [Section("Sagsfremstilling", body)]
    decision_text, named_absent = _without_absence(decision_text)
    absent = _absent(entry, named_absent, participants, number, report)
    decision = None
    if decision_text:
        decision = Decision(organization, day, decision_outcome(decision_text), decision_text)
    return Item(
        number=number, sub_number=sub, title=title,
        reference=str(entry.get("SagsNummer") or "").strip(),
        public=not closed, public_title=title if closed else "", sections=tuple(sections),
        decision=decision, absent=absent,
        attachments=tuple(_attachments(entry, base, public=not closed)),
        key=item_key(number, sub),
    )  # fmt: skip


def _without_absence(text: str) -> tuple[str, list[str]]:
    kept, names = [], []
    for line in text.split("\n"):
        match = _ABSENCE_LINE.match(line)
        if match is None:
            kept.append(line)
        else:
            names += split_names(match.group(1).replace("**", ""))
    return "\n".join(kept).strip(), names


def _absent(
    entry: dict[str, Any],
    named: list[str],
    participants: tuple[Participant, ...],
    number: int | None,
    report: ParseReport,
) -> tuple[str, ...]:
    attendees = [a for a in entry.get("ExternalAgendaItemAttendees") or [] if isinstance(a, dict)]
    names = named + [
        str(a.get("Name") or "")
        for a in attendees
        if a.get("AttendanceType") == ABSENT_ATTENDANCE_TYPE
        or str(a.get("Reason") or "").lower().startswith("fravær")
    ]
    known = {p.name for p in participants}
    result: list[str] = []
    for name in (" ".join(n.split()) for n in names):
        if name in known and name not in result:
            result.append(name)
        elif name and name not in known:
            report.notes.append(f"item {number}: absent {name!r} is not among the participants")
    return tuple(result)


def _attachments(entry: dict[str, Any], base: str, public: bool) -> list[AttachmentRef]:
    found = [b for b in entry.get("Bilag") or [] if isinstance(b, dict)]
    found.sort(key=lambda b: b["Order"] if isinstance(b.get("Order"), int) else 0)
    refs = []
    for bilag in found:
        name = " ".join(str(bilag.get("Navn") or "").split())
        identifier = str(bilag.get("Id") or "")
        url = f"{base}/vis/pdf/bilag/{identifier}" if base and _is_id(identifier) else ""
        if name:
            refs.append(AttachmentRef(name=name, public=public, source_url=url))
    return refs


def _is_id(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-fA-F-]{8,64}", value))
