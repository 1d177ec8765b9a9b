"""What a line announces: an item, a section, a decision, absence, attachments."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from gremium.importers.danish_dates import MONTHS, parse_date
from gremium.importers.lines import Marked

# Section headings Danish case systems print; compared case-insensitively without a colon.
_KNOWN_SECTION_NAMES = (
        "Sagsresume", "Resume", "Resumé", "Sammendrag", "Indstilling", "Indstillinger",
        "Beslutningstema", "Sagens kerne", "Sagsfremstilling", "Sagsbeskrivelse", "Baggrund",
        "Procedure", "Økonomi", "Økonomiske konsekvenser", "Økonomi og finansiering",
        "Økonomiske konsekvenser og finansiering", "Beslutningen træffes af",
        "Beslutningskompetence", "Tidligere behandling", "Tidligere beslutninger",
        "Lovgrundlag", "Retsgrundlag", "Høring", "Kommunikation", "Vurdering",
        "Administrationens vurdering", "Forvaltningens vurdering", "Tidsplan", "Bemærkninger",
        "Supplerende sagsfremstilling", "Personalemæssige konsekvenser", "Miljøvurdering",
        "Sagens behandling", "Handicappolitik", "Bæredygtighed", "Videre proces",
        "Sagsforløb", "Punktet behandlet tidligere",
)  # fmt: skip
_CANONICAL = {name.lower(): name for name in _KNOWN_SECTION_NAMES}
KNOWN_SECTIONS = frozenset(_CANONICAL)


def canonical_heading(caption: str) -> str:
    """A known heading in its usual spelling ("INDSTILLING" -> "Indstilling"); others as given."""
    return _CANONICAL.get(bare(caption), caption.strip())


ABSENCE_HEADINGS = frozenset(
    {"fraværende", "fravær", "afbud", "følgende deltog ikke i behandlingen af punktet"}
)
ATTACHMENT_HEADINGS = frozenset({"bilag", "bilagsliste", "bilagsoversigt"})
CLOSED_MARKERS = frozenset({"lukket referat", "lukket dagsorden", "lukkede punkter", "lukket møde"})
OPEN_MARKERS = frozenset({"åbent referat", "åben dagsorden", "åbne punkter", "åbent møde"})
SIGNATURE_TITLES = frozenset({"underskriftsside", "underskrifter"})


@functools.lru_cache(maxsize=4096)
def bare(text: str) -> str:
    # Cached: the parser asks about one line's text five times or more (labels, markers,
    # section names), and the hottest function of a PDF's parse was this one.
    return text.strip().rstrip(":").strip().lower()


@dataclass(frozen=True)
class ItemHeading:
    number: int | None
    title: str
    public: bool = True
    explicit: bool = False  # "Punkt N" or a Markdown heading: needs no corroboration
    sub_number: int | None = None  # 1 in "Punkt 4.1: ..."


_PUNKT = re.compile(
    r"^(?:punkt|pkt\.?|dagsordenspunkt|sag(?:\s+nr\.?)?)\s*(\d{1,4})\s*[:.\-–)]\s*(\S.*)?$", re.I
)
# "Punkt 4.1: title", a sub-item as gremium and the case systems number them
_PUNKT_SUB = re.compile(r"^(?:punkt|pkt\.?)\s*(\d{1,4})\.(\d{1,3})\s*[:\-–)]\s*(\S.*)?$", re.I)
_PUNKT_HEADING_ONLY = re.compile(r"^(?:punkt|pkt\.?)\s*(\d{1,4})\s*$", re.I)
_CLOSED_NUMBERED = re.compile(
    r"^lukket\s+(?:punkt|sag|pkt\.?)\s*(\d{1,4})\s*[:.\-–]\s*(\S.*)$", re.I
)
_NUMBERED = re.compile(r"^(\d{1,4})[.)]\s+(\S.*)$")
_NUMBER_ALONE = re.compile(r"^(\d{1,4})\.$")
_CLOSED_PREFIX = re.compile(r"^lukket(?:\s+punkt)?\s*(?::|-|–|$)\s*", re.I)
_MONTH_START = re.compile(rf"^(?:{'|'.join(MONTHS)})\b", re.I)
TOC_PAGE = re.compile(r"(?:\.{2,}|…+|\t)\s*\d{1,3}\s*$|\s\d{1,3}$")


def item_heading(marked: Marked) -> ItemHeading | None:
    """An item heading as written, before plausibility checks against its neighbours."""
    text = marked.plain
    if match := _PUNKT_SUB.match(text):
        heading = _closed_aware(int(match.group(1)), match.group(3) or "", explicit=True)
        return ItemHeading(heading.number, heading.title, heading.public, True, int(match.group(2)))
    if match := _PUNKT.match(text):
        return _closed_aware(int(match.group(1)), match.group(2) or "", explicit=True)
    if match := _CLOSED_NUMBERED.match(text):
        return ItemHeading(int(match.group(1)), match.group(2).strip(), public=False, explicit=True)
    if (match := _PUNKT_HEADING_ONLY.match(text)) and marked.is_heading_shaped:
        return ItemHeading(int(match.group(1)), "", explicit=True)
    if match := _NUMBERED.match(text):
        title = match.group(2).strip()
        if _MONTH_START.match(title) or not (title[:1].isupper() or title[:1] in "\"'”«"):
            return None
        return _closed_aware(int(match.group(1)), title, explicit=marked.level > 0)
    if match := _NUMBER_ALONE.match(text):
        return ItemHeading(int(match.group(1)), "")
    if _CLOSED_PREFIX.match(text) and bare(text) not in CLOSED_MARKERS:
        return _closed_aware(None, text, explicit=True)
    if marked.is_heading_shaped and bare(text) in SIGNATURE_TITLES:
        return ItemHeading(None, text, explicit=True)
    return None


def _closed_aware(number: int | None, title: str, explicit: bool) -> ItemHeading:
    title = title.strip()
    closed = _CLOSED_PREFIX.match(title)
    if closed is None:
        return ItemHeading(number, title, explicit=explicit)
    rest = title[closed.end() :].strip()
    return ItemHeading(number, rest or title, public=False, explicit=explicit)


@dataclass(frozen=True)
class DecisionHeading:
    organization: str  # "" when the line does not name it
    date: dt.date | None
    text: str  # the decision itself when written on the heading line


_DECISION_IN = re.compile(
    r"^beslutning(?:\s+i\s+(?P<org>.+?))?(?:\s+(?:den|d\.)\s+(?P<date>[\d.\-/]+|\d{1,2}\.?\s+\w+\s+\d{4}))?(?:\s+punkt\s+\d+)?\s*(?::\s*(?P<text>.*))?$",
    re.I,
)
_DECISION_GENITIVE = re.compile(
    r"^(?P<org>.+?)s\s+beslutning\s+den\s+(?P<date>\S+)(?:\s+punkt\s+\d+)?\s*$", re.I
)


def decision_heading(marked: Marked) -> DecisionHeading | None:
    text = marked.plain
    if match := _DECISION_GENITIVE.match(text):
        return DecisionHeading(match.group("org"), parse_date(match.group("date")), "")
    if (match := _DECISION_IN.match(text)) is None:
        return None
    date = parse_date(match.group("date")) if match.group("date") else None
    return DecisionHeading((match.group("org") or "").strip(), date, match.group("text") or "")


def section_heading(marked: Marked) -> str | None:
    """The heading as written when the line is one, else None."""
    if marked.is_heading_shaped:
        return marked.plain.rstrip(":").strip() if marked.level == 0 else marked.plain
    if bare(marked.plain) in KNOWN_SECTIONS and marked.plain.strip()[-1:] != ".":
        return marked.plain.strip().rstrip(":").strip()
    return None


def labelled(marked: Marked, names: frozenset[str]) -> tuple[str, str] | None:
    """(label, rest) for "**Label** rest", "Label: rest", "Label" with label in names."""
    if marked.bold and bare(marked.bold) in names:
        return marked.bold.rstrip(":"), marked.rest.lstrip(":").strip()
    head, colon, rest = marked.plain.partition(":")
    if colon and bare(head) in names:
        return head.strip(), rest.strip()
    if bare(marked.plain) in names:
        return marked.plain.rstrip(":").strip(), ""
    return None
