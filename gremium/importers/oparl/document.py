"""An OParl Meeting (with its items, consultations, papers and files) as the `Document`
every importer hands to `meetings.from_document`: so a mirrored meeting is stored by the
same services and renders through the same pipeline as an imported one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _

from gremium.lib import document_structure as s

# gremium's vendor extension (docs/oparl.md): ODS words back to the minutes' words.
VOTE_WORDS = {"voor": "For", "tegen": "Imod", "onthouden": "Undlod"}
EXTENSION = "gremium"

Getter = Callable[[str], dict[str, Any] | None]


class Sources(Protocol):
    """The source's objects as the mirror knows them: read in this run, or before."""

    def get(self, source_id: str) -> dict[str, Any] | None: ...

    def memberships_of(self, organization_id: str) -> dict[str, dict[str, Any]]:
        """The organization's memberships by person id."""
        ...


@dataclass
class Built:
    document: s.Document | None
    cancelled: bool = False
    problems: list[str] = field(default_factory=list)  # what was left out, and why
    files: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # item index → Files


def parse_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def ids(value: Any) -> list[str]:
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


def build_meeting(meeting: dict[str, Any], body_name: str, sources: Sources) -> Built:
    """The document of one meeting, or None with the reason when a meeting cannot be
    stored (no start, no committee)."""
    start = parse_datetime(meeting.get("start"))
    if start is None:
        return Built(None, problems=[_("mødet har ingen gyldig start")])
    get = sources.get
    organizations = [
        o for o in map(get, ids(meeting.get("organization"))) if o and text(o.get("name"))
    ]
    if not organizations:
        return Built(None, problems=[_("mødets udvalg kendes ikke")])
    organization = organizations[0]
    built = Built(None, cancelled=meeting.get("cancelled") is True)
    memberships = sources.memberships_of(organization["id"])
    present = [p for p in map(get, ids(meeting.get("participant"))) if p and _name(p)]
    items = _items(meeting, get, built, text(organization["name"]))
    named = set(_names(meeting.get(f"{EXTENSION}:absent"))) | {
        name
        for i in items
        for name in (*i.absent, *i.conflicts, *(n for v in i.votes for n in v.names))
    }
    participants = [_participant(p, memberships.get(p["id"]), absent=False) for p in present]
    # Someone named by the minutes (absent from an item, a vote) but not among those
    # present: OParl lists only who took part, so that member was absent from the meeting.
    seats = [_name(p) for p in map(get, memberships) if p]
    absent = sorted(named - {p.name for p in participants}, key=_seat_order(seats))
    for name in absent:
        _insert_by_seat(participants, s.Participant(name=name, absent=True), seats)
    held = meeting.get("meetingState") == "durchgeführt" or any(i.decision for i in items)
    location = get(meeting["location"]) if isinstance(meeting.get("location"), str) else None
    built.document = s.Document(
        kind=s.DocumentKind.MINUTES if held else s.DocumentKind.AGENDA,
        audience=s.Audience.PUBLIC,
        body_name=body_name,
        organization_name=text(organization["name"]),
        start=start,
        end=parse_datetime(meeting.get("end")),
        location=_place(location) if location else "",
        participants=tuple(participants),
        items=tuple(items),
    )
    return built


def _seat_order(seats: list[str]) -> Callable[[str], tuple[int, str]]:
    return lambda name: (seats.index(name) if name in seats else len(seats), name)


def _insert_by_seat(
    participants: list[s.Participant], absent: s.Participant, seats: list[str]
) -> None:
    """An absent member goes where the committee's list of members puts them: before the
    first participant who comes after them on it (the minutes list members that way)."""
    order = _seat_order(seats)
    mine = order(absent.name)
    at = next((i for i, p in enumerate(participants) if order(p.name) > mine), len(participants))
    participants.insert(at, absent)


def _name(person: dict[str, Any]) -> str:
    name = text(person.get("name"))
    if not name:
        parts = (text(person.get("givenName")), text(person.get("familyName")))
        name = " ".join(p for p in parts if p)
    return name


def _participant(
    person: dict[str, Any], membership: dict[str, Any] | None, absent: bool
) -> s.Participant:
    membership = membership or {}
    return s.Participant(
        name=_name(person),
        role=text(membership.get("role")).casefold(),
        party=text(membership.get(f"{EXTENSION}:party")),
        absent=absent,
    )


def _place(location: dict[str, Any]) -> str:
    for key in ("description", "room", "streetAddress", "locality"):
        if text(location.get(key)):
            return text(location.get(key))
    return ""


def _items(meeting: dict[str, Any], get: Getter, built: Built, organization: str) -> list[s.Item]:
    found = [get(i) for i in ids(meeting.get("agendaItem"))]
    rows = [r for r in found if r is not None and r.get("deleted") is not True]
    # OParl 1.0 has no `order`; then the array's order stands (the sort is stable).
    rows.sort(key=lambda r: r["order"] if isinstance(r.get("order"), int) else 0)
    start = parse_datetime(meeting.get("start"))
    items = []
    for index, row in enumerate(rows):
        item = _item(row, get, organization, start.date() if start else None)
        # The Files behind the item's attachments, in the same order (none when closed).
        built.files[index] = _files(row, get) if item.public else []
        items.append(item)
    return items


def number_of(value: Any) -> int | None:
    """The item number when it is a whole number ("12"); OParl allows any text ("Ö 1.2")."""
    raw = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    return int(raw) if raw.strip().isdigit() else None


def numbers_of(value: Any) -> tuple[int | None, int | None]:
    """(4, 1) for a sub-item "4.1" as gremium writes it; (12, None) for "12"."""
    raw = text(value) if isinstance(value, str) else ""
    main, dot, sub = raw.strip().partition(".")
    if dot and main.isdigit() and sub.isdigit():
        return int(main), int(sub)
    return number_of(value), None


def _item(row: dict[str, Any], get: Getter, organization: str, day: dt.date | None) -> s.Item:
    public = row.get("public") is not False
    number, sub_number = numbers_of(row.get("number"))
    title = text(row.get("name")) or _("Punkt %(number)s") % {
        "number": text(row.get("number")) or "?"
    }
    if not public:
        # A source shows the public only the public title of a closed item.
        return s.Item(
            number=number, sub_number=sub_number, title=title, public=False, public_title=title
        )
    result, resolution = text(row.get("result")), text(row.get("resolutionText"))
    decision = s.Decision(organization, day, result, resolution) if result or resolution else None
    return s.Item(
        number=number,
        sub_number=sub_number,
        title=title,
        reference=_reference(row, get),
        decision=decision,
        absent=_names(row.get(f"{EXTENSION}:absent")),
        conflicts=_names(row.get(f"{EXTENSION}:conflictOfInterest")),
        votes=_votes(row.get(f"{EXTENSION}:votes")),
        attachments=tuple(_attachment(f) for f in _files(row, get)),
    )


def _files(row: dict[str, Any], get: Getter) -> list[dict[str, Any]]:
    files = [get(i) for i in ids(row.get("auxiliaryFile"))]
    return [f for f in files if f is not None and f.get("deleted") is not True]


def _reference(row: dict[str, Any], get: Getter) -> str:
    consultation = get(row["consultation"]) if isinstance(row.get("consultation"), str) else None
    paper_id = consultation.get("paper") if consultation else None
    paper = get(paper_id) if isinstance(paper_id, str) else None
    return text(paper.get("reference")) if paper and paper.get("deleted") is not True else ""


def _names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(text(v.get("name")) for v in value if isinstance(v, dict) and text(v.get("name")))


def _votes(value: Any) -> tuple[s.VoteLine, ...]:
    """Each member's vote back as the minutes' lines (parties come from the memberships);
    party-only results carry no names and cannot be stored as votes."""
    if not isinstance(value, dict) or not isinstance(value.get("votes"), list):
        return ()
    lines = []
    for word, choice in VOTE_WORDS.items():
        names = sorted(
            text(v.get("name"))
            for v in value["votes"]
            if isinstance(v, dict) and v.get("choice") == word and text(v.get("name"))
        )
        if names:
            lines.append(s.VoteLine(choice, (), tuple(names)))
    return tuple(lines)


def _attachment(file: dict[str, Any]) -> s.AttachmentRef:
    size = file.get("size")
    return s.AttachmentRef(
        name=text(file.get("name")) or text(file.get("fileName")) or _("Bilag"),
        mime_type=text(file.get("mimeType"))[:100],
        size=size if isinstance(size, int) and size > 0 else 0,
        url=text(file.get("accessUrl")),
    )
