"""The document rendered as an HTML fragment for the portal and the office."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import dateformat, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gremium.documents.dates import long_datetime
from gremium.documents.page_breaks import new_page_flags
from gremium.lib.document_structure import Document, DocumentKind, Item
from gremium.lib.item_numbers import number_label
from gremium.lib.markdown import markdown_to_html


def render_html(document: Document, *, item_base: str = "") -> SafeString:
    """The whole document; with `item_base` (the address its items' own pages start with,
    "/moeder/5/punkt/") each item links to its page."""
    context = {
        "doc": document,
        "is_minutes": document.kind is DocumentKind.MINUTES,
        "when": _when(document),
        # Printed, the page breaks where the PDF's do (documents/page_breaks.py).
        "items": [
            _item_view(item) | {"follows": not opens}
            for item, opens in zip(document.items, new_page_flags(document.items), strict=True)
        ],
        "item_base": item_base,
        "content_lang": content_language(document.language),
    }
    return mark_safe(render_to_string("documents/document.html", context))  # noqa: S308


def render_item_html(item: Item, language: str = "da") -> SafeString:
    """One item of a document as its own page shows it, its title the page's heading.
    `language` is the document's: the item's content is marked so (`lang`)."""
    context = {"v": _item_view(item), "level": 1, "content_lang": content_language(language)}
    return mark_safe(render_to_string("documents/item.html", context))  # noqa: S308


def _item_view(item: Item) -> dict[str, object]:
    return {
        "item": item,
        "heading": _("Punkt %(number)s") % {"number": number_label(item.number, item.sub_number)}
        + ": "
        if item.number is not None
        else "",
        # Markdown output escapes all user HTML (lib.markdown), so it is safe to embed.
        "sections": [
            (section.heading, mark_safe(markdown_to_html(section.body)))  # noqa: S308
            for section in item.sections
        ],
        "decision_html": (
            mark_safe(markdown_to_html(item.decision.text)) if item.decision else ""  # noqa: S308
        ),
    }


def content_language(language: str) -> str:
    """The `lang` that marks content (titles, texts, names) when the interface speaks
    another language; "" when they are the same and the page's own `lang` says it."""
    return "" if translation.get_language() == language else language


def _when(document: Document) -> str:
    """The meeting's time as the document prints it in Danish; in another interface
    language Django's own names of weekdays and months."""
    if translation.get_language() == document.language:
        return long_datetime(document.start)
    return dateformat.format(document.start, "l j F Y, H:i")
