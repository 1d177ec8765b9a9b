"""The "Samlet dokument": the rendered agenda or minutes followed by their PDF attachments.

The bookmarks (PDF outline) keep Typst's entry for every item and section and gain one
entry per attachment under its item. The rendered part stays tagged, but appended
attachments are whatever the case workers uploaded, so the bundle no longer claims PDF/A
or PDF/UA in its metadata: a claim the file cannot keep would mislead an archive.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pikepdf

from gremium.documents.errors import RenderError
from gremium.documents.markdown import item_heading
from gremium.documents.pdf import render_pdf
from gremium.lib.document_structure import AttachmentRef, Document

_CLAIMS = ("pdfaid:part", "pdfaid:conformance", "pdfuaid:part")


def render_combined(document: Document) -> bytes:
    bundle = pikepdf.open(io.BytesIO(render_pdf(document)))
    with bundle.open_outline() as outline:
        entries = {entry.title: entry for entry in outline.root}
        for item in document.items:
            parent = entries.get(item_heading(item))
            for attachment in pdf_attachments(item.attachments):
                first_page = _append(bundle, attachment)
                mark = pikepdf.OutlineItem(f"Bilag: {attachment.name}", first_page)
                (parent.children if parent else outline.root).append(mark)
    _drop_conformance_claims(bundle)
    out = io.BytesIO()
    bundle.save(out)
    return out.getvalue()


def pdf_attachments(attachments: tuple[AttachmentRef, ...]) -> Iterator[AttachmentRef]:
    """Attachments at hand as local PDF files; others are listed by name only."""
    for attachment in attachments:
        is_pdf = attachment.mime_type == "application/pdf" or attachment.path.lower().endswith(
            ".pdf"
        )
        if attachment.path and is_pdf:
            yield attachment


def _append(bundle: pikepdf.Pdf, attachment: AttachmentRef) -> int:
    """Append the attachment's pages; returns the index of its first page in the bundle."""
    first_page = len(bundle.pages)
    source = _open(attachment)
    for page in source.pages:
        # The page's structure keys point into the attachment's own tag tree, not ours.
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]
        bundle.pages.append(page)
    return first_page


def _open(attachment: AttachmentRef) -> pikepdf.Pdf:
    path = Path(attachment.path)
    try:
        source = pikepdf.open(path)
    except FileNotFoundError as error:
        raise RenderError(f"attachment {attachment.name!r}: file {path} not found") from error
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError) as error:
        raise RenderError(
            f"attachment {attachment.name!r}: {path} is not a readable PDF ({error})"
        ) from error
    if len(source.pages) == 0:
        raise RenderError(f"attachment {attachment.name!r}: {path} has no pages")
    return source


def _drop_conformance_claims(bundle: pikepdf.Pdf) -> None:
    with bundle.open_metadata(set_pikepdf_as_editor=False) as meta:
        for key in _CLAIMS:
            if key in meta:
                del meta[key]
