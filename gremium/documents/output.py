"""One entry point for every rendering of a `Document`: PDF, HTML or Markdown as bytes."""

from __future__ import annotations

from typing import Literal

from django.utils import translation

from gremium.documents.errors import RenderError
from gremium.lib.document_structure import Document

Format = Literal["pdf", "html", "md"]
FORMATS: tuple[Format, ...] = ("pdf", "html", "md")


def render_document(document: Document, fmt: Format, with_attachments: bool = False) -> bytes:
    """`document` rendered as `fmt`; attachments can only be bundled into a PDF. The PDF
    and the Markdown are the record: their fixed words are in the document's language."""
    if fmt in ("pdf", "md"):
        with translation.override(document.language or "da"):
            return _render(document, fmt, with_attachments)
    return _render(document, fmt, with_attachments)


def _render(document: Document, fmt: Format, with_attachments: bool) -> bytes:
    if with_attachments and fmt != "pdf":
        raise RenderError(f"attachments can only be bundled into a PDF, not {fmt}")
    if fmt == "pdf":
        return _pdf(document, with_attachments)
    if fmt == "md":
        from gremium.documents.markdown import render_markdown

        return render_markdown(document).encode("utf-8")
    if fmt == "html":
        # Written by the portal's side; imported here only when HTML is asked for.
        from gremium.documents.html import render_html

        return str(render_html(document)).encode("utf-8")
    raise RenderError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _pdf(document: Document, with_attachments: bool) -> bytes:
    if with_attachments:
        from gremium.documents.combined import render_combined

        return render_combined(document)
    from gremium.documents.pdf import render_pdf

    return render_pdf(document)
