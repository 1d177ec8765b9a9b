from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from gremium.documents.pdf import render_pdf
from gremium.lib.document_json import load_document
from gremium.lib.document_structure import (
    Addendum,
    AttachmentRef,
    Decision,
    Dissent,
    Document,
    Item,
    Section,
    Signature,
    VoteLine,
)

REPO = Path(__file__).resolve().parents[2]
SEED_JSON = REPO / "gremium/demo/haderslev-bbu-2026-02-02.json"
SEED_MARKDOWN = REPO / "gremium/demo/haderslev-bbu-2026-02-02.md"
CANARY = "KANARIEFUGL"


@pytest.fixture(scope="session")
def seed() -> Document:
    return load_document(SEED_JSON)


@pytest.fixture(scope="session")
def seed_pdf(seed: Document) -> bytes:
    return render_pdf(seed)


def closed_item_full_of_canaries() -> Item:
    """A closed item whose every field but its number and public title carries the
    canary (its internal title too)."""
    day = dt.date(2026, 2, 2)
    return Item(
        number=20,
        title=f"Køb af ejendom fra {CANARY}",
        public_title="Køb af ejendom",
        reference=f"26/{CANARY}",
        public=False,
        sections=(Section(heading=f"Sagsresume {CANARY}", body=f"Prisen er {CANARY} kr."),),
        decision=Decision(organization=CANARY, date=day, outcome=CANARY, text=f"{CANARY}."),
        absent=(f"Fraværende {CANARY}",),
        conflicts=(f"Inhabil {CANARY}",),
        votes=(VoteLine(choice="For", parties=(CANARY,), names=(CANARY,)),),
        dissents=(Dissent(name=CANARY, text=f"Protokol {CANARY}"),),
        addenda=(Addendum(date=dt.datetime(2026, 2, 3, 9, 0), author=CANARY, text=CANARY),),
        attachments=(AttachmentRef(name=f"Bilag {CANARY}", public=False),),
        key=f"punkt-{CANARY}",
    )


@pytest.fixture
def minutes_with_closed_item(seed: Document) -> Document:
    signed = Signature(name="Alex Bødiker", signed_at=dt.datetime(2026, 2, 3, 8, 15))
    return dataclasses.replace(
        seed, items=(*seed.items, closed_item_full_of_canaries()), signatures=(signed,)
    )
