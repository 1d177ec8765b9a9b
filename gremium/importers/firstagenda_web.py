"""FirstAgenda's publication web page: an agenda or minutes as the portal shows it.

The page heads with the committee (`span.udvalg`), the time (`span.dato`) and the place
(`span.sted`); the items are the rows of the table `#dagsordenDetaljer`, one `tr.punktrow`
each: the number in a label, the title in `h2.overskrift`, the case number in
`span.sagsnummer`, the item's text (the same HTML as the publication JSON's
`Felter[].Html`, with "Beslutning" first on minutes pages) and the attachments as links.
Read as a flat table of text, the page is a list of bare numbers; read by these parts it is
the meeting.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from gremium.importers.attendance import split_names
from gremium.importers.danish_dates import parse_datetime
from gremium.importers.decoding import decode_text
from gremium.importers.errors import ImportFailed
from gremium.importers.html_sections import closed_title, read_item_html
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
)

_ROW = re.compile(r'<tr\s+class="punktrow"[^>]*>', re.I)
_TABLE_END = re.compile(r"</tbody>", re.I)
_LABEL = re.compile(r'<span\s+class="label label-default">(.*?)</span>', re.I | re.S)
_TITLE = re.compile(r'<h2\s+class="overskrift[^"]*"[^>]*>(.*?)</h2>', re.I | re.S)
_CASE = re.compile(r'<span\s+class="sagsnummer">(.*?)</span>', re.I | re.S)
_BODY = re.compile(r'<div\s+class="punkt">(.*?)(?=<h3>\s*Bilag\s*</h3>|</td>)', re.I | re.S)
_LINK = re.compile(r'<a\s[^>]*class="bilag-link"[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.I | re.S)
_SPAN = {
    name: re.compile(rf'<span\s+class="{name}(?:\s[^"]*)?">(.*?)</span>', re.I | re.S)
    for name in ("udvalg", "dato", "sted")
}
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_PARTICIPANTS = re.compile(r'<td\s+class="deltagere">(.*?)</td>', re.I | re.S)
_ROW_ID = re.compile(r'id="punktrow_([^"]+)"')


def parse_firstagenda_web(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    page, _encoding = decode_text(data, path)
    organization = _span(page, "udvalg")
    start = parse_datetime(_span(page, "dato"))
    if not organization or start is None:
        raise ImportFailed(path, "a FirstAgenda page without its committee (udvalg) or time (dato)")
    report = ParseReport(source_kind="firstagenda-web")
    h1 = _H1.search(page)
    heading = _plain(h1.group(1)) if h1 else ""
    items = [_item(row, organization, start.date(), report) for row in _rows(page)]
    minutes = heading.lower().startswith("referat") or any(i.decision for i in items)
    document = Document(
        kind=DocumentKind.MINUTES if minutes else DocumentKind.AGENDA,
        audience=Audience.INTERNAL, body_name="", organization_name=organization,
        start=start, location=_span(page, "sted"), participants=tuple(_participants(page)),
        items=tuple(items),
    )  # fmt: skip
    report.items_found = len(items)
    report.item_numbers = [i.number for i in items]
    report.notes.append("read as a FirstAgenda publication page")
    unlinked = sum(1 for i in items for a in i.attachments if not a.source_url)
    if unlinked:
        report.notes.append(
            f"{unlinked} attachments linked relative to the portal, whose address the page "
            "does not name: kept by name only"
        )
    report.confidence = judge_confidence(report, len(items))
    return document, report


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _span(page: str, name: str) -> str:
    match = _SPAN[name].search(page)
    return _plain(match.group(1)) if match else ""


def _rows(page: str) -> list[str]:
    """Each item row's HTML once (a page may repeat its table)."""
    rows, seen = [], set()
    starts = [m.start() for m in _ROW.finditer(page)]
    for index, begin in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(page)
        row = page[begin:end]
        closing = _TABLE_END.search(row)
        row = row[: closing.start()] if closing else row
        identity = _ROW_ID.search(row)
        key = identity.group(1) if identity else row
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return rows


def _participants(page: str) -> list[Participant]:
    match = _PARTICIPANTS.search(page)
    if match is None:
        return []
    text = re.sub(r"<br\s*/?>|</li>|</div>|</p>", "\n", match.group(1), flags=re.I)
    names = [n for line in _plain_lines(text) for n in split_names(line)]
    return [Participant(name=n) for n in names]


def _plain_lines(fragment: str) -> list[str]:
    text = html.unescape(re.sub(r"<[^>]+>", "", fragment))
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _item(row: str, organization: str, day: dt.date, report: ParseReport) -> Item:
    label = _LABEL.search(row)
    number, sub = item_number(_plain(label.group(1)) if label else "")
    found_title = _TITLE.search(row)
    title, closed = closed_title(_plain(found_title.group(1)) if found_title else "")
    case = _CASE.search(row)
    body = _BODY.search(row)
    text = read_item_html(body.group(1) if body else "")
    decision = None
    if text.decision:
        decision = Decision(organization, day, decision_outcome(text.decision), text.decision)
    if not title:
        report.notes.append(f"item {number}: no title on the page")
    return Item(
        number=number, sub_number=sub, title=title, reference=_plain(case.group(1)) if case else "",
        public=not closed, public_title=title if closed else "", sections=tuple(text.sections),
        decision=decision, attachments=tuple(_attachments(row, not closed)),
        key=item_key(number, sub),
    )  # fmt: skip


def _attachments(row: str, public: bool) -> list[AttachmentRef]:
    refs = []
    for href, name in _LINK.findall(row):
        url = html.unescape(href)
        parts = urlsplit(url)
        # The page links relative to the portal, whose address it does not print: the
        # attachment is kept by its name, and by its address only when that is absolute.
        absolute = parts.scheme in ("http", "https") and bool(parts.netloc)
        refs.append(
            AttachmentRef(name=_plain(name), public=public, source_url=url if absolute else "")
        )
    return refs
