"""The demo data: the real minutes of Haderslev Kommune's Beskæftigelses- og
Borgerserviceudvalget, 2 February 2026 (`haderslev-bbu-2026-02-02.md`, kept beside this
file as published and as a serialized document)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from gremium.lib.document_json import load_document
from gremium.lib.document_structure import Document

SEED_DIR = Path(__file__).resolve().parent
SEED_MARKDOWN = SEED_DIR / "haderslev-bbu-2026-02-02.md"
SEED_DOCUMENT = SEED_DIR / "haderslev-bbu-2026-02-02.json"


SEED_BODY = "Haderslev Kommune"  # the published minutes name only the committee


def seed_document() -> Document:
    """The seed read by the importer from the published minutes, as `gremium demo` loads it."""
    from gremium.importers import parse_file

    (document,) = parse_file(SEED_MARKDOWN).documents
    return dataclasses.replace(document, body_name=SEED_BODY)


def seed_expected() -> Document:
    """The seed as checked by hand and stored as JSON: what the importer must reproduce."""
    return load_document(SEED_DOCUMENT)
