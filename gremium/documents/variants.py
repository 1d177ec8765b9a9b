"""The four variants of a meeting's document: agenda or minutes, internal or public.

A variant is cut from the internal minutes before any renderer runs, so a renderer only
ever receives what its readers may see: a closed item's content is absent from a public
`Document`, not hidden by the template.
"""

from __future__ import annotations

import dataclasses

from gremium.lib.document_structure import (
    CLOSED_TITLE,
    Audience,
    Document,
    DocumentKind,
    Item,
    Signature,
)
from gremium.lib.item_numbers import number_label

CLOSED_PREFIX = f"{CLOSED_TITLE}: "
CLOSED_RESERVATION = "Forbehold vedrørende et lukket punkt"


def make_variant(document: Document, kind: DocumentKind, audience: Audience) -> Document:
    """Cut `kind` for `audience` from an internal minutes `document`; pure, input untouched."""
    items = document.items
    signatures = document.signatures
    approved = document.approved
    if kind is DocumentKind.AGENDA:
        items = tuple(_agenda_item(item) for item in items)
        signatures, approved = (), False
    if audience is Audience.PUBLIC:
        closed = {item.number for item in items if not item.public}
        items = tuple(_public_item(item) for item in items)
        signatures = tuple(_public_signature(sig, closed) for sig in signatures)
    return dataclasses.replace(
        document,
        kind=kind,
        audience=audience,
        items=items,
        signatures=signatures,
        approved=approved,
    )


def _agenda_item(item: Item) -> Item:
    """Before the meeting nothing has been decided, voted, recorded or corrected."""
    return dataclasses.replace(
        item, decision=None, votes=(), dissents=(), addenda=(), absent=(), conflicts=()
    )


def _public_item(item: Item) -> Item:
    if item.public:
        attachments = tuple(a for a in item.attachments if a.public)
        return dataclasses.replace(item, attachments=attachments)
    return _redacted(item)


def _redacted(item: Item) -> Item:
    """Number and public title only; built afresh so that no field of the closed item
    survives. The internal title never goes public: without a public title the item is
    just "Lukket punkt"."""
    title = public_closed_title(item.public_title)
    label = number_label(item.number, item.sub_number).replace(".", "-")
    key = f"punkt-{label}" if label else "lukket-punkt"
    return Item(
        number=item.number,
        sub_number=item.sub_number,
        title=title,
        public=False,
        redacted=True,
        key=key,
    )


def public_closed_title(public_title: str) -> str:
    """The title the public sees of a closed item: "Lukket punkt: <public title>", the
    public title as written when it already starts so, or "Lukket punkt" alone."""
    shown = public_title.strip()
    if not shown or shown.casefold() == CLOSED_TITLE.casefold():
        return CLOSED_TITLE
    if shown.casefold().startswith(CLOSED_PREFIX.casefold()):
        return shown
    return f"{CLOSED_PREFIX}{shown}"


def _public_signature(signature: Signature, closed: set[int | None]) -> Signature:
    """A reservation about a closed item would tell the public what the item holds."""
    if signature.reservation and signature.reservation_item in closed:
        return dataclasses.replace(signature, reservation=CLOSED_RESERVATION)
    return signature
