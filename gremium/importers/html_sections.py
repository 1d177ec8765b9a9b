"""Item text that publishing systems hand over as HTML with headings (FirstAgenda's
Felter[].Html, its web pages): the sections and the decision of this meeting.

FirstAgenda nests the case presentation under a "Fremstilling" heading and writes the
decision first under "Beslutning"; headings are h2, h3 or h4 as each municipality's
template has it, and some templates wrap whole paragraphs in a heading. All of that is
flattened into the project's sections: a heading is a short line of its own, anything
longer is text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gremium.importers.headings import bare, canonical_heading
from gremium.importers.html_markdown import html_to_markdown
from gremium.lib.document_structure import CLOSED_TITLE, Section

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
# Longer than this, a "heading" is a paragraph a template happened to wrap in <h2>.
_HEADING_LIMIT = 90
# Headings that only group others ("Fremstilling" above Resume, Indstilling, ...).
CONTAINERS = frozenset({"fremstilling"})
# Text standing in for a decision that was not written: never a decision of this meeting.
PLACEHOLDERS = frozenset(
    {"tomt indhold", "beslutning ikke frigivet", "ingen beslutning", "ikke behandlet", "-"}
)
# Headings of history: what was decided at earlier meetings is a section, not this decision.
HISTORY_MARKERS = ("punktet behandlet tidligere", "sagsforløb", "tidligere behandling")


@dataclass
class ItemText:
    sections: list[Section] = field(default_factory=list)
    decision: str = ""  # Markdown of the decision heading's text; "" when there is none
    headed: bool = False  # False: the HTML had no heading at all (one block of text)


def read_item_html(html: str) -> ItemText:
    """The sections and the decision in an item's HTML."""
    markdown = html_to_markdown(html, headings=True)
    result = ItemText()
    heading, lines = "", []  # type: tuple[str, list[str]]
    for line in markdown.split("\n"):
        found = _heading(line)
        if found is None:
            lines.append(line)
            continue
        _close(result, heading, lines)
        heading, lines = found, []
        result.headed = True
    _close(result, heading, lines)
    return result


def _heading(line: str) -> str | None:
    match = _HEADING.match(line)
    if match is None:
        return None
    text = match.group(2).replace("**", "").strip().rstrip(":").strip()
    if not text or len(text) > _HEADING_LIMIT:
        return None
    return text


def _close(result: ItemText, heading: str, lines: list[str]) -> None:
    body = _tidy("\n".join(lines))
    if heading and bare(heading) == "beslutning":
        if not is_placeholder(body):
            result.decision = body
        return
    if not body or (heading and bare(heading) in CONTAINERS and not body.strip()):
        return
    result.sections.append(Section(canonical_heading(heading) if heading else "", body))


def _tidy(text: str) -> str:
    """Blank-line runs squeezed, a lone "." paragraph (an empty template field) dropped."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text)]
    return "\n\n".join(b for b in blocks if re.sub(r"[.\s\u00a0]", "", b))


def is_placeholder(text: str) -> bool:
    """True for a decision field that says nothing was decided (or is empty)."""
    plain = re.sub(r"[*_\s]+", " ", text).strip().rstrip(".").strip().lower()
    return not plain or plain in PLACEHOLDERS


def is_history(text: str) -> bool:
    """True for text reporting an earlier treatment ("Punktet behandlet tidligere")."""
    lowered = text.strip().lower()
    return any(lowered.startswith(marker) for marker in HISTORY_MARKERS)


_CLOSED_TITLE = re.compile(r"^\s*lukket(?:\s+punkt)?\s*:\s*", re.I)


def closed_title(title: str) -> tuple[str, bool]:
    """("Salg af grund", True) for "Lukket: Salg af grund": the title without the marker, and
    whether it was marked closed (a bare "Lukket:" is closed with the neutral title)."""
    match = _CLOSED_TITLE.match(title)
    if match is None:
        return title.strip(), False
    return title[match.end() :].strip() or CLOSED_TITLE, True
