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
from django.utils import translation
from django.utils.translation import gettext as _

from gremium.documents import dates
from gremium.documents.item_parts import Part, item_parts
from gremium.documents.markdown import item_heading, signature_text, withdrawal_note
from gremium.documents.markdown_tree import markdown_tree
from gremium.documents.page_breaks import new_page_flags
from gremium.documents.signing import signature_lines
from gremium.documents.typography import keep_together
from gremium.lib.document_structure import Document, DocumentKind, Item

log = logging.getLogger(__name__)
Data = dict[str, Any]
SIGNATURE_PAGE = "Underskriftsside"


def document_data(document: Document) -> Data:
    """The data in the document's own language, fixed words included: the PDF is the
    official record and reads the same whatever language its requester's interface has."""
    with translation.override(document.language or "da"):
        return _document_data(document)


def _words(document: Document) -> Data:
    """The template's fixed words (documents/typst/minutes.typ)."""
    return {
        "logo": _("Logo: %(name)s") % {"name": document.body_name},
        "page": _("Side"),
        "of": _("af"),
        "date": _("Mødedato"),
        "location": _("Mødested"),
        "participants": _("Mødedeltagere"),
        "contents": _("Indholdsfortegnelse"),
        "signature_page": _("Underskriftsside"),
        "date_and_signature": _("Dato og underskrift:"),
    }


def _document_data(document: Document) -> Data:
    items = [_item(item) for item in document.items]
    for data, opens in zip(items, new_page_flags(document.items), strict=True):
        data["new_page"] = opens
    return {
        "title": document.title,  # the PDF's metadata: plain spaces
        "shown_title": keep_together(document.title),
        "lang": document.language or "da",
        "body_name": document.body_name,
        "date": keep_together(dates.long_datetime(document.start)),
        "location": keep_together(document.location),
        "participants": [_participant(p.name, p.absent) for p in document.participants],
        "items": items,
        "signatures": _signatures(document),
        # The contents name the signature page once: as the item that holds it when the
        # agenda has one ("Underskriftsside", a standing item), else as its own heading.
        "signatures_outlined": not any(_is_signature_item(item) for item in document.items),
        "logo": _logo(document.logo_path),
        "words": _words(document),
    }


def _participant(name: str, absent: bool) -> str:
    return name + " (" + _("Fravær") + ")" if absent else name


def _item(item: Item) -> Data:
    return {
        "heading": keep_together(item_heading(item)),
        "reference": item.reference,
        "parts": [_part(part) for part in item_parts(item)],
    }


def _is_signature_item(item: Item) -> bool:
    return item.title.strip().casefold() == SIGNATURE_PAGE.casefold()


def _part(part: Part) -> Data:
    if not part.lines:
        return {"heading": keep_together(part.heading), "body": markdown_tree(part.markdown)}
    # Plain lines (names, attachments): each line a paragraph, never Markdown.
    paragraphs = [
        {"type": "paragraph", "children": [{"type": "text", "text": keep_together(line)}]}
        for line in part.lines
    ]
    return {
        "heading": keep_together(part.heading),
        "body": {"type": "root", "children": paragraphs},
    }


def _signatures(document: Document) -> list[Data] | None:
    if document.kind is not DocumentKind.MINUTES:
        return None
    return [
        {
            "name": s.name,
            "signed": s.signed_at is not None,
            "text": keep_together(signature_text(s)),
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
