"""The demo data: the real minutes of Haderslev Kommune's Beskæftigelses- og
Borgerserviceudvalget, 2 February 2026 (`haderslev-bbu-2026-02-02.md`, kept beside this
file as published and as a serialized document)."""

from __future__ import annotations

from pathlib import Path

from gremium.documents.serialize import load_document
from gremium.documents.structure import Document

SEED_DIR = Path(__file__).resolve().parent
SEED_MARKDOWN = SEED_DIR / "haderslev-bbu-2026-02-02.md"
SEED_DOCUMENT = SEED_DIR / "haderslev-bbu-2026-02-02.json"


def seed_document() -> Document:
    return load_document(SEED_DOCUMENT)
