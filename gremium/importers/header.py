"""The meeting header before the first item: title, date, place, participants, absence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gremium.importers.attendance import (
    AbsenceRule,
    looks_like_names,
    parse_absence_sentence,
    parse_participant,
    split_names,
)
from gremium.importers.danish_dates import parse_date, parse_datetime, parse_time
from gremium.importers.headings import CLOSED_MARKERS, OPEN_MARKERS, bare, labelled
from gremium.importers.lines import Line, Marked
from gremium.lib.document_structure import DocumentKind, Participant

_TITLE = re.compile(
    r"^(?P<word>referat|dagsorden|beslutningsprotokol)\s+(?P<org>.+?)\s+(?:d\.|den)\s+(?P<date>\S+(?:\s+\w+\s+\d{4})?)\s*$",
    re.I,
)
_WRAPPED_TITLE = re.compile(
    r"^(?P<word>referat|dagsorden|beslutningsprotokol)\s+(?P<org>.+?)\s+(?:d\.|den)$", re.I
)
_KIND_WORDS = {"referat": DocumentKind.MINUTES, "beslutningsprotokol": DocumentKind.MINUTES,
               "dagsorden": DocumentKind.AGENDA}  # fmt: skip
DATE_LABELS = frozenset({"mødedato", "dato", "tidspunkt", "mødetidspunkt", "mødestart"})
END_LABELS = frozenset({"mødeslut", "sluttidspunkt", "mødet slut", "mødet hævet"})
PLACE_LABELS = frozenset({"mødested", "sted", "mødelokale", "lokale"})
PEOPLE_LABELS = frozenset({"mødedeltagere", "deltagere", "tilstede", "til stede", "medlemmer"})
ABSENT_LABELS = frozenset(
    {"fraværende", "afbud", "fravær", "afbud/fraværende", "fraværende/afbud", "forfald"}
)
OTHER_LABELS = frozenset({"sekretær", "referent", "mødeleder", "bemærkninger"})
TOC_LABELS = frozenset({"indholdsfortegnelse", "indhold"})


@dataclass
class Header:
    kind: DocumentKind | None = None
    organization: str = ""
    body_name: str = ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    location: str = ""
    participants: list[Participant] = field(default_factory=list)
    rules: list[AbsenceRule] = field(default_factory=list)
    unplaced: list[Line] = field(default_factory=list)
    target: str = ""  # label whose values continue on the following lines
    # The last name of a comma list was one word at the line's end: a PDF wrapped the
    # line inside that name ("..., Finn" / "Lykkeskov").
    cut_name: bool = False
    previous: str = ""  # what the previous filled line was: "word", "date", ""

    def add_people(self, text: str, absent: bool) -> None:
        for entry in split_names(text):
            person, rule = parse_participant(entry)
            if absent:
                rule = rule or AbsenceRule(person.name)
                person = Participant(person.name, person.role, person.party,
                                     rule.whole_meeting, person.substitute_for)  # fmt: skip
            self._merge(person)
            if rule is not None:
                self.rules.append(rule)

    def _merge(self, person: Participant) -> None:
        for index, known in enumerate(self.participants):
            if known.name == person.name:
                self.participants[index] = Participant(
                    known.name, known.role or person.role, known.party or person.party,
                    known.absent or person.absent, known.substitute_for or person.substitute_for,
                )  # fmt: skip
                return
        self.participants.append(person)


def read_header_line(header: Header, marked: Marked, line: Line) -> None:
    if not marked.plain:
        return
    # A place on the line below its label is the value even when it starts with a label
    # word itself ("Mødested" above "Mødelokale 2").
    waiting = header.target in PLACE_LABELS and _continued(header, marked)
    handled = (
        waiting or _title(header, marked) or _label(header, marked) or _continued(header, marked)
    )
    if not handled and not _loose(header, marked):
        header.unplaced.append(line)


def _title(header: Header, marked: Marked) -> bool:
    if match := _TITLE.match(marked.plain):
        header.kind = _KIND_WORDS[match.group("word").lower()]
        header.organization = match.group("org").strip()
        date = parse_date(match.group("date"))
        if date and header.start is None:
            header.start = dt.datetime.combine(date, dt.time())
        header.previous = ""
        return True
    if match := _WRAPPED_TITLE.match(marked.plain):
        # "REFERAT <organisation> d." with the date wrapped onto the next line
        header.kind = _KIND_WORDS[match.group("word").lower()]
        header.organization = match.group("org").strip()
        header.previous = ""
        return True
    if bare(marked.plain) in _KIND_WORDS:
        header.kind = header.kind or _KIND_WORDS[bare(marked.plain)]
        header.previous = "word"
        # "Økonomiudvalget" above a bare "REFERAT": the organization came first.
        if not header.organization and header.unplaced and header.kind is not None:
            header.organization = header.unplaced.pop().text.replace("*", "").strip("# ")
            header.previous = ""
        return True
    return False


_EVERY_LABEL = (
    DATE_LABELS | END_LABELS | PLACE_LABELS | PEOPLE_LABELS | ABSENT_LABELS | OTHER_LABELS
)
# Text extracted from a PDF loses the bold or tab between a label and its value:
# "Mødested Servicefunktionen". Longest labels first, so "mødet slut" beats "mødet".
_SPACED_LABEL = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(x) for x in sorted(_EVERY_LABEL, key=len, reverse=True))
    + r")\s+(?P<value>\S.*)$",
    re.I,
)


def _label(header: Header, marked: Marked) -> bool:
    found = labelled(marked, _EVERY_LABEL) or _spaced_label(marked)
    if found is None:
        return bare(marked.plain) in CLOSED_MARKERS | OPEN_MARKERS  # header furniture
    label, value = bare(found[0]), found[1]
    # A list that ends in a comma goes on on the next line (a wrapped line in a PDF).
    continues = not value or (label in PEOPLE_LABELS | ABSENT_LABELS and value.endswith(","))
    header.target, header.previous = (label if continues else ""), ""
    last = value.rsplit(",", 1)[-1].strip()
    header.cut_name = label in PEOPLE_LABELS and "," in value and " " not in last and bool(last)
    if value:
        _store(header, label, value.rstrip(","))
    return True


def _spaced_label(marked: Marked) -> tuple[str, str] | None:
    match = _SPACED_LABEL.match(marked.plain)
    if match is None:
        return None
    return match.group("label"), match.group("value").strip()


def _store(header: Header, label: str, value: str) -> None:
    if label in DATE_LABELS:
        start = parse_datetime(value)
        if start is not None and (
            header.start is None or start.time() != dt.time() or start.date() != header.start.date()
        ):
            header.start = start
            header.previous = "date"
        _store_time_range(header, value)
    elif label in END_LABELS:
        _store_end(header, value)
    elif label in PLACE_LABELS:
        header.location = value
    elif label in PEOPLE_LABELS:
        header.add_people(value, absent=False)
    elif label in ABSENT_LABELS:
        header.add_people(value, absent=True)


_TIME_RANGE = re.compile(
    r"(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})\s*(?:-|–|til)\s*(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})", re.I
)


def _store_time_range(header: Header, value: str) -> None:
    """ "Mødetidspunkt: 15:00 - 17:30" gives the start time and the end of a known day."""
    match = _TIME_RANGE.search(value)
    if match is None or header.start is None:
        return
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        return
    day = header.start.date()
    header.start = dt.datetime.combine(day, dt.time(h1, m1))
    header.end = dt.datetime.combine(day, dt.time(h2, m2))
    header.previous = "date"


def _store_end(header: Header, value: str) -> None:
    end = parse_datetime(value)
    time = parse_time(value)
    if end is None and time is not None and header.start is not None:
        end = dt.datetime.combine(header.start.date(), time)
    header.end = end


def _rest_of_cut_name(header: Header, marked: Marked) -> bool:
    cut, header.cut_name = header.cut_name, False
    if not cut or not header.participants or not looks_like_names(marked.plain):
        return False
    first, _comma, rest = marked.plain.partition(",")
    if " " in first.strip() and "(" not in first:
        return False  # a name of its own: not the rest of the cut one
    known = header.participants[-1]
    header.participants[-1] = Participant(
        f"{known.name} {first.strip()}", known.role, known.party, known.absent,
        known.substitute_for,
    )  # fmt: skip
    if "(" in first:  # "Lykkeskov (Fravær)": the suffix belongs to the whole name
        name = header.participants.pop().name
        header.add_people(name, absent=False)
    if rest.strip():
        header.add_people(rest.strip().rstrip(","), absent=False)
    return True


def _continued(header: Header, marked: Marked) -> bool:
    if _rest_of_cut_name(header, marked):
        return True
    target = header.target
    if not target:
        return False
    if target in PEOPLE_LABELS | ABSENT_LABELS:
        plain = re.sub(r"^\s*[-*•·]\s+", "", marked.plain)  # a bulleted list of names
        if not looks_like_names(plain):
            header.target = ""
            return False
        header.add_people(plain.rstrip(","), absent=target in ABSENT_LABELS)
        # The last line of a wrapped comma list ends the list; a one-name-per-line list
        # goes on while the lines look like names.
        if "," in plain and not plain.endswith(","):
            header.target = ""
        return True
    header.target = "" if target not in OTHER_LABELS else header.target
    if target in OTHER_LABELS:
        return looks_like_names(marked.plain)  # the secretary's name: not a participant
    _store(header, target, marked.plain)
    return True


def _refines(known: dt.datetime, found: dt.datetime) -> bool:
    """A later date line that adds the time to a date known without one."""
    return known.time() == dt.time() and found.date() == known.date() and found.time() != dt.time()


def _loose(header: Header, marked: Marked) -> bool:
    """Header lines without a label: Ballerup prints the date, then "i <room>"."""
    text = marked.plain
    if rule := parse_absence_sentence(text):
        header.rules.append(rule)
        return True
    if header.previous == "date" and re.match(r"^(?:i|på)\s+\S", text):
        header.location, header.previous = re.sub(r"^(?:i|på)\s+", "", text), ""
        return True
    start = parse_datetime(text) if len(text) < 80 else None
    if start is not None and (header.start is None or _refines(header.start, start)):
        header.start, header.previous = start, "date"
        return True
    if header.previous == "word" and not header.organization:
        header.organization, header.previous = text, ""
        return True
    if re.fullmatch(r"[\wÆØÅæøå.\- ]+ Kommune", text):
        header.body_name = text
        return True
    return False
