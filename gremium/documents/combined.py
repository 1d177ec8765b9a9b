"""The "Samlet dokument": the rendered agenda or minutes followed by their PDF attachments.

The bookmarks (PDF outline) keep Typst's entry for every item and section and gain one
entry per attachment under its item. The rendered part stays tagged, and a tagged
attachment keeps its tags: its structure tree is grafted into the bundle's under a Part
of its own (tag_merge.py). An untagged attachment (a scan, an old export) cannot be made
accessible here: its bookmark says "(ikke tilgængelighedsmærket)". Appended attachments
are whatever the case workers uploaded, so the bundle no longer claims PDF/A or PDF/UA
in its metadata: a claim the file cannot keep would mislead an archive.

One bad attachment never costs the reader the whole document: an attachment that cannot
be read (missing, damaged, encrypted, no pages; also one stored before uploads were
checked) is left out, and a page in its place says so. Active content (JavaScript,
actions, embedded files) is removed from the bundle as a whole before it is saved, so
nothing of it reaches a reader from any attachment, however old.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import BinaryIO, cast

import pikepdf
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gremium.documents.errors import RenderError
from gremium.documents.markdown import item_heading
from gremium.documents.pdf import render_notice, render_pdf
from gremium.documents.tag_merge import graft, is_tagged
from gremium.lib.document_structure import AttachmentRef, Document
from gremium.lib.pdf_active import remove_active_content

log = logging.getLogger(__name__)
# An attachment without tags is readable to the eye only: its bookmark says so.
UNTAGGED = gettext_lazy("(ikke tilgængelighedsmærket)")
_CLAIMS = ("pdfaid:part", "pdfaid:conformance", "pdfuaid:part")
# pikepdf wraps qpdf's errors in PdfError; qpdf's consistency errors are RuntimeError.
_UNREADABLE = (pikepdf.PdfError, pikepdf.PasswordError, RuntimeError)


def render_combined(document: Document) -> bytes:
    bundle = pikepdf.open(io.BytesIO(render_pdf(document)))
    with bundle.open_outline() as outline:
        entries = {entry.title: entry for entry in outline.root}
        for item in document.items:
            parent = entries.get(item_heading(item))
            for attachment in pdf_attachments(item.attachments):
                mark = _append_or_note(bundle, attachment)
                (parent.children if parent else outline.root).append(mark)
    remove_active_content(bundle)
    _drop_conformance_claims(bundle)
    out = io.BytesIO()
    bundle.save(out)
    return out.getvalue()


def pdf_attachments(attachments: tuple[AttachmentRef, ...]) -> Iterator[AttachmentRef]:
    """Attachments stored as PDF files; others are listed by name only."""
    for attachment in attachments:
        is_pdf = attachment.mime_type == "application/pdf" or attachment.path.lower().endswith(
            ".pdf"
        )
        if attachment.path and is_pdf:
            yield attachment


def _append_or_note(bundle: pikepdf.Pdf, attachment: AttachmentRef) -> pikepdf.OutlineItem:
    """Append the attachment's pages, or when it cannot be read, a page saying so; returns
    its bookmark."""
    try:
        source = _open(attachment)
    except RenderError as error:
        log.warning("combined PDF: attachment left out: %s", error)
        title = _("Bilaget %(name)s kunne ikke vedlægges") % {"name": attachment.name}
        text = _(
            "Filen kunne ikke læses, da det samlede dokument blev dannet. "
            "Kontakt sekretariatet for at få bilaget."
        )
        source = pikepdf.open(io.BytesIO(render_notice(title, text)))
        return pikepdf.OutlineItem(title, _append(bundle, source, tagged=False))
    title = _("Bilag: %(name)s") % {"name": attachment.name}
    if not is_tagged(source):
        return pikepdf.OutlineItem(f"{title} {UNTAGGED}", _append(bundle, source, tagged=False))
    first_page = _append(bundle, source, tagged=True)
    try:
        grafted = graft(bundle, source, first_page, title)
    except (*_UNREADABLE, ValueError, TypeError, KeyError, AttributeError) as error:
        log.warning("combined PDF: tags of %s not kept: %s", attachment.name, error)
        grafted = False
    if not grafted:
        _drop_keys(bundle, first_page)
        return pikepdf.OutlineItem(f"{title} {UNTAGGED}", first_page)
    return pikepdf.OutlineItem(title, first_page)


def _drop_keys(bundle: pikepdf.Pdf, first_page: int) -> None:
    """Pages whose tags were not kept point into no tree."""
    for page in list(bundle.pages)[first_page:]:
        if "/StructParents" in page.obj:
            del page.obj["/StructParents"]


def _append(bundle: pikepdf.Pdf, source: pikepdf.Pdf, *, tagged: bool) -> int:
    """Append the source's pages; returns the index of its first page in the bundle."""
    first_page = len(bundle.pages)
    for page in source.pages:
        # An untagged page's structure keys would point into a tree that is not there.
        if not tagged and "/StructParents" in page.obj:
            del page.obj["/StructParents"]
        bundle.pages.append(page)
    return first_page


def _open(attachment: AttachmentRef) -> pikepdf.Pdf:
    """The attachment read completely: written once and read back, so that a damaged
    object shows here, not when the bundle is saved."""
    path = attachment.path
    try:
        with (
            default_storage.open(path, "rb") as stored,
            pikepdf.open(cast(BinaryIO, stored)) as source,
        ):
            if source.is_encrypted:
                raise RenderError(f"attachment {attachment.name!r}: {path} is encrypted")
            if len(source.pages) == 0:
                raise RenderError(f"attachment {attachment.name!r}: {path} has no pages")
            copy = io.BytesIO()
            source.save(copy)
        return pikepdf.open(copy)
    except FileNotFoundError as error:
        raise RenderError(f"attachment {attachment.name!r}: file {path} not found") from error
    except (*_UNREADABLE, OSError) as error:
        raise RenderError(
            f"attachment {attachment.name!r}: {path} is not a readable PDF ({error})"
        ) from error


def _drop_conformance_claims(bundle: pikepdf.Pdf) -> None:
    with bundle.open_metadata(set_pikepdf_as_editor=False) as meta:
        for key in _CLAIMS:
            if key in meta:
                del meta[key]
