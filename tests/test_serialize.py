from __future__ import annotations

from pathlib import Path

import pytest

from gremium.lib.document_json import document_from_dict, document_to_dict, load_document

SEED = Path(__file__).resolve().parent.parent / "gremium/demo/haderslev-bbu-2026-02-02.json"


def test_seed_document_survives_a_round_trip_through_json():
    document = load_document(SEED)
    assert document_from_dict(document_to_dict(document)) == document


def test_unknown_field_is_refused_with_its_name():
    data = document_to_dict(load_document(SEED))
    data["items"][0]["colour"] = "red"
    with pytest.raises(ValueError, match="colour"):
        document_from_dict(data)
