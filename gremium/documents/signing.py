"""Who appears on the Underskriftsside (signature page) of the minutes."""

from __future__ import annotations

from gremium.lib.document_structure import Document, DocumentKind, Signature


def signature_lines(document: Document) -> tuple[Signature, ...]:
    """The recorded signatures, or one empty line per attending member while none exist.

    Minutes are printed before anyone has approved them; the page then offers a line to
    sign for each member who attended, as paper minutes do.
    """
    if document.kind is not DocumentKind.MINUTES:
        return ()
    if document.signatures:
        return document.signatures
    return tuple(
        Signature(name=p.name, signed_at=None) for p in document.participants if not p.absent
    )
