"""The data the Typst template prints: a `Document` with its words already chosen.

Everything here is JSON data. Dates and fixed phrases are written in Python, shared with
the Markdown rendering, so the PDF and the Markdown say the same thing; Markdown bodies
arrive as trees (`markdown_tree`), never as source for Typst to evaluate.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

from gremium.documents import dates
from gremium.documents.markdown import item_heading, signature_text, vote_line, withdrawal_note
from gremium.documents.markdown_tree import markdown_tree
from gremium.documents.signing import signature_lines
from gremium.lib.document_structure import Decision, Document, DocumentKind, Item

log = logging.getLogger(__name__)
Data = dict[str, Any]


def document_data(document: Document) -> Data:
    return {
        "title": document.title,
        "lang": document.language or "da",
        "body_name": document.body_name,
        "date": dates.long_datetime(document.start),
        "location": document.location,
        "participants": [p.name + (" (Fravær)" if p.absent else "") for p in document.participants],
        "items": [_item(item) for item in document.items],
        "signatures": _signatures(document),
        "logo": _logo(document.logo_path),
    }


def _item(item: Item) -> Data:
    parts = [_part(s.heading, s.body) for s in item.sections]
    if item.decision:
        parts.append(
            _part(_decision_heading(item.decision), item.decision.text or item.decision.outcome)
        )
    if item.votes:
        parts.append(_lines("Afstemning", [vote_line(v) for v in item.votes]))
    parts += [_part(f"Protokoltilførsel fra {d.name}", d.text) for d in item.dissents]
    if item.conflicts:
        parts.append(_lines("Inhabil", [", ".join(item.conflicts)]))
    if item.absent:
        parts.append(_lines("Fraværende", [", ".join(item.absent)]))
    if item.attachments:
        parts.append(_lines("Bilag", [a.name for a in item.attachments]))
    parts += [
        _part(f"Tilføjelse {dates.stamp(a.date)} af {a.author}", a.text) for a in item.addenda
    ]
    return {"heading": item_heading(item), "reference": item.reference, "parts": parts}


def _decision_heading(decision: Decision) -> str:
    day = f" den {dates.short_date(decision.date)}" if decision.date else ""
    return f"Beslutning i {decision.organization}{day}"


def _part(heading: str, markdown: str) -> Data:
    return {"heading": heading, "body": markdown_tree(markdown)}


def _lines(heading: str, lines: list[str]) -> Data:
    """A part of plain lines (names, attachments): each line a paragraph, never Markdown."""
    paragraphs = [{"type": "paragraph", "children": [{"type": "text", "text": t}]} for t in lines]
    return {"heading": heading, "body": {"type": "root", "children": paragraphs}}


def _signatures(document: Document) -> list[Data] | None:
    if document.kind is not DocumentKind.MINUTES:
        return None
    return [
        {
            "name": s.name,
            "signed": s.signed_at is not None,
            "text": signature_text(s),
            "note": withdrawal_note(s),
        }
        for s in signature_lines(document)
    ]


def _logo(path: str) -> list[int] | None:
    """The logo's bytes as numbers: Typst reads no file outside its template folder."""
    if not path:
        return None
    try:
        with default_storage.open(path, "rb") as handle:
            return list(handle.read())
    except (OSError, SuspiciousFileOperation) as error:
        # A logo gone from the storage must not fail every PDF of the body: print none.
        log.warning("logo %s cannot be read (%s); left out", path, error)
        return None
