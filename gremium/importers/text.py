"""Minutes and agendas as text (Markdown in the seed's shape, or text extracted from a PDF)
into a `Document`.

Item titles are kept as written, trailing period included ("Godkendelse af dagsorden."),
without Markdown marks, so that the seed's own Markdown reads back to the same titles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gremium.importers.attendance import (
    looks_like_names,
    parse_conflicts,
    parse_votes,
    split_names,
)
from gremium.importers.body import infer_body
from gremium.importers.casenumbers import is_labelled_case_line, parse_case_number_line
from gremium.importers.contents import ReadItem, listed_elsewhere, reconcile, toc_key
from gremium.importers.errors import ImportFailed
from gremium.importers.header import TOC_LABELS, Header, read_header_line
from gremium.importers.headings import (
    ABSENCE_HEADINGS,
    ATTACHMENT_HEADINGS,
    CLOSED_MARKERS,
    OPEN_MARKERS,
    TOC_PAGE,
    DecisionHeading,
    ItemHeading,
    bare,
    decision_heading,
    item_heading,
    labelled,
    section_heading,
)
from gremium.importers.html_sections import is_placeholder
from gremium.importers.hyphenation import join_lines
from gremium.importers.lines import Line, Marked, mark
from gremium.importers.markdown_blocks import to_markdown
from gremium.importers.record import (
    SIGNATURE_FURNITURE,
    inline_dissent,
    is_record_heading,
    is_signature_line,
    signature_line,
    split_record_sections,
)
from gremium.importers.report import ParseReport, UnplacedLine, judge_confidence
from gremium.importers.title_wrap import continues_listed_title, wrapped_title
from gremium.lib.document_structure import (
    Audience,
    Decision,
    Dissent,
    Document,
    DocumentKind,
    Item,
    Participant,
    Section,
    Signature,
    VoteLine,
)
from gremium.lib.item_numbers import number_label

OUTCOMES = ("Taget til efterretning", "Ikke godkendt", "Godkendt", "Drøftet", "Anbefales",
            "Udsat", "Afvist", "Oversendt", "Tiltrådt")  # fmt: skip
_DOCUMENT_NUMBER = re.compile(r"^dok\.?\s*nr\.?\s*:", re.I)
_ATTACHMENT_NUMBERED = re.compile(r"^(?:\d{4}[-–]\d+|bilag\s+\d+)\s*[-–:]\s+", re.I)
_SUB_POINT = re.compile(r"^[a-zæøå][.)]\s+\S")
_CONFLICT_LABEL = frozenset({"inhabil", "inhabilitet"})


@dataclass
class _Item:
    heading: ItemHeading
    line: Line
    reference: str = ""
    public: bool = True
    sections: list[tuple[str, list[Line]]] = field(default_factory=list)
    decision: tuple[DecisionHeading, list[Line]] | None = None
    absent: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    dissents: list[Dissent] = field(default_factory=list)  # written inline (a web page)
    target: str = "preamble"
    resume: str = "preamble"

    @property
    def empty(self) -> bool:
        return not (self.reference or self.decision or any(lines for _, lines in self.sections))

    @property
    def started(self) -> bool:
        """Any section heading or body text yet: case numbers only come before that."""
        return bool(self.decision) or any(
            heading or any(line.text.strip() for line in body) for heading, body in self.sections
        )

    def body(self) -> list[Line]:
        if self.target == "decision" and self.decision is not None:
            return self.decision[1]
        if self.target == "preamble" and not self.sections:
            self.sections.append(("", []))
        return self.sections[-1][1]


@dataclass
class _Parse:
    path: Path
    reflow: bool
    header: Header = field(default_factory=Header)
    phase: str = "header"  # header, toc, items, signatures
    toc: dict[int, str] = field(default_factory=dict)
    toc_places: dict[int, Line] = field(default_factory=dict)  # where each entry was read
    line: Line | None = None  # the line being read
    header_texts: list[str] = field(default_factory=list)  # where the body is named
    body_candidates: list[str] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    signature_rest: list[Line] = field(default_factory=list)  # lines of no signature shape
    signer: Line | None = None  # a name whose approval the PDF prints on the next line
    items: list[_Item] = field(default_factory=list)
    closed_group: bool = False
    skipped: int = 0
    fallback_start: dt.datetime | None = None  # known from elsewhere (an XML export)


# The signature page gremium writes after the items ("## Underskriftsside" with name lines);
# the seed's own "Punkt 19: Underskriftsside" is numbered and stays an item.
SIGNATURE_LABELS = frozenset({"underskriftsside", "underskrifter"})


def parse_text_lines(
    lines: list[Line], path: Path, reflow: bool = False, fallback_start: dt.datetime | None = None
) -> tuple[Document, ParseReport]:
    state = _Parse(path, reflow, fallback_start=fallback_start)
    index = 0
    while index < len(lines):
        index = _step(state, lines, index)
    return _finish(state, lines)


def _step(state: _Parse, lines: list[Line], index: int) -> int:
    line = lines[index]
    state.line = line
    marked = mark(line.text)
    if not marked.plain:
        if state.phase == "items":
            state.items[-1].body().append(line)
        return index + 1
    if state.phase == "toc" and _toc_line(state, marked):
        return index + 1
    if state.phase == "signatures":
        _signature(state, marked, line)
        return index + 1
    heading = item_heading(marked)
    if state.phase == "toc" and _plain_toc_entry(state, heading, marked):
        return index + 1
    if state.phase == "items" and bare(marked.plain) in SIGNATURE_LABELS:
        state.phase = "signatures"
        return index + 1
    if heading is not None and _plausible_item(state, heading, marked, lines, index):
        return _start_item(state, heading, lines, index)
    if state.phase != "items" and bare(marked.plain) in TOC_LABELS:
        state.phase = "toc"
    elif state.phase == "header":
        state.header_texts.append(marked.plain)
        read_header_line(state.header, marked, line)
    elif state.phase == "toc":
        _toc_wrapped_title(state, marked)
    else:
        _item_line(state, state.items[-1], marked, line)
    return index + 1


def _signature(state: _Parse, marked: Marked, line: Line) -> None:
    """A line of the signature page: an approval is recorded, a line to sign is not;
    anything else is reported, never dropped unseen."""
    text = marked.plain
    if state.signer is not None and signature_line(f"{state.signer.text.strip()}: {text}"):
        text, state.signer = f"{state.signer.text.strip()}: {text}", None
    signature = signature_line(text)
    if signature is not None:
        state.signatures.append(signature)
    elif bare(text) in SIGNATURE_FURNITURE or is_signature_line(text):
        return
    elif looks_like_names(text):
        state.signer = line  # a line to sign, unless an approval follows
    else:
        state.signature_rest.append(line)


def _toc_line(state: _Parse, marked: Marked) -> bool:
    text = marked.plain
    if bare(text) in CLOSED_MARKERS | OPEN_MARKERS:
        return True
    if TOC_PAGE.search(text) is None:
        return False
    title = TOC_PAGE.sub("", text).rstrip(". …").strip()
    heading = item_heading(mark(title))
    if heading is None and state.toc and continues_listed_title(title):
        last = next(reversed(state.toc))  # the entry this wrapped line finishes
        state.toc[last] = join_lines(state.toc[last], title)
        return True
    number = heading.number if heading and heading.number is not None else None
    key = toc_key(number, heading.sub_number) if heading and number is not None else None
    key = key if key is not None else -(len(state.toc) + 1)
    _add_toc_entry(state, key, heading.title if heading and heading.title else title)
    return True


def _add_toc_entry(state: _Parse, key: int, title: str) -> None:
    state.toc[key] = title
    if state.line is not None:
        state.toc_places[key] = state.line


def _plain_toc_entry(state: _Parse, heading: ItemHeading | None, marked: Marked) -> bool:
    """A TOC without page numbers (as gremium's own Markdown writes it) lists the items as
    plain lines; the item itself comes later, as a heading or as a line already listed."""
    if heading is None or heading.number is None or marked.level:
        return False
    key = toc_key(heading.number, heading.sub_number)
    if key in state.toc:
        return False
    _add_toc_entry(state, key, heading.title)
    return True


# The contents' column captions ("Punkt nr. Side"), no entry of them.
_TOC_CAPTION_WORDS = frozenset({"punkt", "nr", "nr.", "side", "sag", "sagsnr.", "titel", "emne"})


def _toc_wrapped_title(state: _Parse, marked: Marked) -> None:
    if set(marked.plain.lower().split()) <= _TOC_CAPTION_WORDS:
        return
    # A long TOC title wraps before its page number: the line is the start of the next entry.
    _add_toc_entry(state, -(len(state.toc) + 1000), marked.plain)


def _next_filled(lines: list[Line], index: int, count: int) -> list[str]:
    found = [line.text for line in lines[index + 1 :] if line.text.strip()]
    return found[:count]


def _plausible_item(
    state: _Parse, heading: ItemHeading, marked: Marked, lines: list[Line], index: int
) -> bool:
    if heading.number is None:
        return state.phase == "items" or heading.explicit
    if heading.sub_number is not None:
        return heading.explicit  # "Punkt 4.1:" is never a line of running text
    last = _last_number(state)
    duplicate = any(i.heading.number == heading.number and i.empty for i in state.items)
    if last is not None and heading.number != last + 1 and not duplicate:
        return False
    if heading.explicit:
        return True
    following = _next_filled(lines, index, 3)
    case_follows = any(
        parse_case_number_line(text) or is_labelled_case_line(text) for text in following
    )
    if heading.title and listed_elsewhere(state.toc, heading.number, heading.title):
        # "1. Aarhus Byråd træffer …": the contents give 1 to another title. Only a case
        # number below makes it an item, and the reconciliation then names the mismatch.
        return case_follows
    return heading.number in state.toc or case_follows


def _last_number(state: _Parse) -> int | None:
    numbers = [i.heading.number for i in state.items if i.heading.number is not None]
    return numbers[-1] if numbers else None


def _start_item(state: _Parse, heading: ItemHeading, lines: list[Line], index: int) -> int:
    title, index = _complete_title(state, heading, lines, index)
    number = heading.number
    if number is None and heading.explicit:
        last = _last_number(state)
        number = last + 1 if last is not None and not heading.public else None
    sub = heading.sub_number
    state.items = [
        i
        for i in state.items
        if not (i.heading.number == number and i.heading.sub_number == sub and i.empty)
    ]
    item = _Item(ItemHeading(number, title, heading.public, heading.explicit, sub), lines[index])
    item.public = heading.public and not state.closed_group
    state.items.append(item)
    state.phase = "items"
    return index + 1


def _complete_title(
    state: _Parse, heading: ItemHeading, lines: list[Line], index: int
) -> tuple[str, int]:
    title = heading.title
    key = toc_key(heading.number, heading.sub_number) if heading.number is not None else None
    if title:
        listed = state.toc.get(key) if key is not None else None
        title, index = wrapped_title(title, lines, index, listed)
    else:
        following_line = index + 1
        while following_line < len(lines) and not lines[following_line].text.strip():
            following_line += 1
        # A heading with no title at the end of the file keeps its own line.
        if following_line < len(lines):
            title, index = mark(lines[following_line].text).plain, following_line
    following = [ln for ln in lines[index + 1 : index + 3]]
    if (
        len(following) == 2
        and following[0].text.strip()
        and not parse_case_number_line(following[0].text)
        and section_heading(mark(following[0].text)) is None
        and not _explicit_heading(following[0].text)  # the next item, not the title's end
        and (parse_case_number_line(following[1].text) or is_labelled_case_line(following[1].text))
    ):
        title, index = join_lines(title, following[0].text), index + 1
    toc_title = state.toc.get(key) if key is not None else None
    if toc_title and len(toc_title) > len(title) and toc_title.startswith(title):
        title = toc_title
    return title.strip(), index


def _explicit_heading(text: str) -> bool:
    heading = item_heading(mark(text))
    return heading is not None and heading.explicit


def _item_line(state: _Parse, item: _Item, marked: Marked, line: Line) -> None:
    for handler in (_preamble_case, _decision, _absence, _attachments, _conflict_label,
                    _closed_marker, _record_heading, _section, _continuing_list):  # fmt: skip
        if handler(state, item, marked, line):
            return
    item.body().append(line)


def _preamble_case(state: _Parse, item: _Item, marked: Marked, line: Line) -> bool:
    if item.started:
        return False
    if _DOCUMENT_NUMBER.match(marked.plain):
        state.skipped += 1  # the case system's document id: no home in the structure
        return True
    if item.reference:
        return False
    reference = parse_case_number_line(marked.plain)
    if reference is None:
        return False
    item.reference = reference
    return True


def _decision(state: _Parse, item: _Item, marked: Marked, line: Line) -> bool:
    heading = decision_heading(marked)
    if heading is None:
        return False
    if _earlier_meeting(state, heading):
        # "Beslutning i Økonomiudvalget den <an earlier day>": history, kept as a section
        item.sections.append((marked.plain.rstrip(":").strip(), []))
        item.target = item.resume = "section"
        return True
    item.decision = (heading, [])
    item.target = item.resume = "decision"
    if heading.text:
        item.decision[1].append(Line(line.number, heading.text, line.page))
    return True


def _earlier_meeting(state: _Parse, heading: DecisionHeading) -> bool:
    start = state.header.start or state.fallback_start
    return heading.date is not None and start is not None and heading.date != start.date()


def _absence(state: _Parse, item: _Item, marked: Marked, line: Line) -> bool:
    found = labelled(marked, ABSENCE_HEADINGS)
    if found is None:
        return False
    names = [n for n in split_names(found[1]) if n]
    item.absent += names
    if not names:
        item.target = "absence"
    return True


def _attachments(state: _Parse, item: _Item, marked: Marked, line: Line) -> bool:
    found = labelled(marked, ATTACHMENT_HEADINGS)
    if found is None or (not marked.is_heading_shaped and found[1] and ":" not in marked.plain):
        return False
    item.target = "attachments"
    if found[1]:
        item.attachments.append(found[1])
    return True


def _conflict_label(state: _Parse, item: _Item, marked: Marked, line: Line) -> bool:
    found = labelled(marked, _CONFLICT_LABEL)
    if found is None:
        return False
    item.conflicts += split_names(found[1])
    if not found[1]:
        item.target = "conflicts"
    return True


def _closed_marker(state: _Parse, item: _Item, marked: Marked, line: Line) -> bool:
    name = bare(marked.plain)
    if name in OPEN_MARKERS:
        state.closed_group = False
        return True
    if name not in CLOSED_MARKERS:
        return False
    if not item.started:
        item.public = False  # a title with an empty closed-minutes section
        item.sections.append((marked.plain.rstrip(":"), []))
        item.target = item.resume = "section"
    else:
        state.closed_group = True  # the closed part of the meeting starts here
    return True


def _record_heading(state: _Parse, item: _Item, marked: Marked, line: Line) -> bool:
    """A protokoltilførsel or addendum: a section here, taken apart in _build_item."""
    if marked.bold and (dissent := inline_dissent(marked.bold, marked.rest)):
        item.dissents.append(dissent)
        return True
    if not is_record_heading(marked.plain):
        return False
    item.sections.append((marked.plain.strip(), []))
    item.target = item.resume = "section"
    return True


def _section(state: _Parse, item: _Item, marked: Marked, line: Line) -> bool:
    heading = section_heading(marked)
    if heading is None:
        return False
    item.sections.append((heading, []))
    item.target = item.resume = "section"
    return True


_LIST_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")


def _continuing_list(state: _Parse, item: _Item, marked: Marked, line: Line) -> bool:
    """Names after an absence or conflict heading, attachment names after "Bilag"; web
    pages and Markdown often list them as bullets."""
    text = _LIST_BULLET.sub("", marked.plain)
    if item.target in ("absence", "conflicts"):
        if looks_like_names(text):
            names = split_names(text)
            (item.absent if item.target == "absence" else item.conflicts).extend(names)
            return True
        item.target = item.resume
        return False
    if item.target != "attachments":
        return False
    if _SUB_POINT.match(text) or section_heading(marked) is not None:
        item.target = item.resume
        return False
    if bare(text) != "ingen":
        _add_attachment(item, text)
    return True


def _add_attachment(item: _Item, text: str) -> None:
    numbered = [a for a in item.attachments if _ATTACHMENT_NUMBERED.match(a)]
    wraps = (
        numbered and not _ATTACHMENT_NUMBERED.match(text) and len(numbered) == len(item.attachments)
    )
    if wraps and item.attachments:
        item.attachments[-1] = join_lines(item.attachments[-1], text)
    else:
        item.attachments.append(text)


def _finish(state: _Parse, lines: list[Line]) -> tuple[Document, ParseReport]:
    header = state.header
    if not state.items:
        reason = "this is not minutes or an agenda: no items found"
        raise ImportFailed(state.path, reason)
    start = header.start or _date_from_decisions(state) or state.fallback_start
    if start is None:
        raise ImportFailed(state.path, "no meeting date found", state.items[0].line.number)
    organization = header.organization or _organization_from_decisions(state)
    items = tuple(_build_item(state, item, organization, start.date()) for item in state.items)
    kind = header.kind or (
        DocumentKind.MINUTES if any(i.decision for i in items) else DocumentKind.AGENDA
    )
    body_name = header.body_name or _inferred_body(state, organization)
    document = Document(
        kind=kind, audience=Audience.INTERNAL, body_name=body_name,
        organization_name=organization, start=start, end=header.end, location=header.location,
        participants=tuple(_participants(header)), items=items,
        signatures=tuple(state.signatures),
    )  # fmt: skip
    return document, _report(state, lines, items)


def _inferred_body(state: _Parse, organization: str) -> str:
    body, state.body_candidates = infer_body([organization, *state.header_texts])
    return body


def _participants(header: Header) -> list[Participant]:
    return header.participants


def _date_from_decisions(state: _Parse) -> dt.datetime | None:
    for item in state.items:
        if item.decision and item.decision[0].date:
            return dt.datetime.combine(item.decision[0].date, dt.time())
    return None


def _organization_from_decisions(state: _Parse) -> str:
    for item in state.items:
        if item.decision and item.decision[0].organization:
            return item.decision[0].organization
    return ""


def _build_item(state: _Parse, item: _Item, organization: str, date: dt.date) -> Item:
    sections, dissents, addenda = split_record_sections(
        tuple(
            Section(heading, to_markdown(body, state.reflow))
            for heading, body in item.sections
            if heading or any(line.text.strip() for line in body)
        )
    )
    decision = _build_decision(state, item, organization, date)
    # Votes and conflicts are read line by line first: a paragraph join would run
    # "For stemte: A" into the next sentence.
    texts = [line.text for _h, body in item.sections for line in body]
    texts += [line.text for line in item.decision[1]] if item.decision else []
    texts += [s.body for s in sections] + ([decision.text] if decision else [])
    absent = _unique(item.absent + _meeting_absence(state, item.heading.number))
    number, sub = item.heading.number, item.heading.sub_number
    return Item(
        number=number, sub_number=sub, title=item.heading.title, reference=item.reference,
        public=item.public,
        sections=sections, decision=decision, absent=tuple(absent),
        dissents=tuple(item.dissents) + dissents,
        addenda=addenda,
        conflicts=tuple(_unique(item.conflicts + [n for t in texts for n in parse_conflicts(t)])),
        votes=_unique_votes(v for t in texts for v in parse_votes(t)),
        attachments=tuple(_attachment_refs(item.attachments)),
        key=f"punkt-{number_label(number, sub)}" if number is not None else "",
    )  # fmt: skip


def _unique_votes(votes: Iterable[VoteLine]) -> tuple[VoteLine, ...]:
    """One line per choice: the same vote read from a line and from its paragraph."""
    seen: dict[str, VoteLine] = {}
    for vote in votes:
        seen.setdefault(vote.choice, vote)
    return tuple(seen.values())


def _attachment_refs(names: list[str]) -> list:  # type: ignore[type-arg]
    from gremium.lib.document_structure import AttachmentRef

    return [AttachmentRef(name=name.strip()) for name in names if name.strip()]


def _meeting_absence(state: _Parse, number: int | None) -> list[str]:
    return [rule.name for rule in state.header.rules if rule.covers(number)]


def _build_decision(
    state: _Parse, item: _Item, organization: str, date: dt.date
) -> Decision | None:
    if item.decision is None:
        return None
    heading, body = item.decision
    text = to_markdown(body, state.reflow)
    if is_placeholder(text):
        return None  # "Tomt indhold", or a heading with nothing under it: nothing decided
    return Decision(
        organization=heading.organization or organization,
        date=heading.date or date,
        outcome=decision_outcome(text),
        text=text,
    )


def decision_outcome(text: str) -> str:
    """The standard word the decision starts with, or "" for free text."""
    lowered = text.strip().lower()
    for outcome in OUTCOMES:
        if lowered.startswith(outcome.lower()):
            after = lowered[len(outcome) : len(outcome) + 1]
            if not after or not after.isalpha():
                return outcome
    return ""


def _unique(names: list[str]) -> list[str]:
    seen: list[str] = []
    for name in (n.strip() for n in names):
        if name and name not in seen:
            seen.append(name)
    return seen


def _report(state: _Parse, lines: list[Line], items: tuple[Item, ...]) -> ParseReport:
    report = ParseReport(source_kind="pdf" if state.reflow else "text")
    report.items_found = len(items)
    report.item_numbers = [item.number for item in items]
    report.unplaced = [
        UnplacedLine(ln.number, ln.text.strip(), ln.page)
        for ln in state.header.unplaced + state.signature_rest
    ]
    if len(state.body_candidates) > 1:
        report.notes.append(
            "the header names more than one body (" + ", ".join(state.body_candidates) + ")"
        )
    if state.skipped:
        report.notes.append(f"{state.skipped} document-number lines (Dok.nr.) left out")
    if state.toc:
        report.notes.append(
            f"table of contents recognised ({len(state.toc)} entries), not turned into items"
        )
    read = [
        ReadItem(item.number, item.title, place.line, item.sub_number)
        for item, place in zip(items, state.items, strict=True)
    ]
    report.disagreements = reconcile(state.toc, state.toc_places, read)
    report.confidence = judge_confidence(report, len(lines))
    return report
