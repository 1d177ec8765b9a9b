"""Page furniture: running headers and footers go, while the lines that end every item
("Godkendt.", "Fraværende:") stay, wherever the page breaks fall."""

from __future__ import annotations

from pathlib import Path

import pytest

from gremium.importers import parse_file
from gremium.importers.lines import Line
from gremium.importers.pagenoise import remove_page_noise

HEADER = "Teknik- og Miljøudvalget"
WORDS = [
    "kommunen",
    "udvalget",
    "borgere",
    "indsats",
    "økonomi",
    "forvaltningen",
    "plan",
    "område",
    "tilbud",
]


def _item(number: int) -> list[str]:
    body = [" ".join(WORDS[(number + i) % len(WORDS)] for i in range(9)).capitalize() + "."
            for _ in range(2 + number * 7 % 5)]  # fmt: skip
    return [f"Punkt {number}: Sag nummer {number}", f"25/{1000 + number}", "Sagsresume", *body,
            "Beslutning i Teknik- og Miljøudvalget den 21-02-2006", "Godkendt.", "Fraværende:",
            "Bo Ek"]  # fmt: skip


def _minutes(lines_per_page: int, items: int = 9) -> str:
    """Minutes as a PDF's text comes out: a running header and a page number per page."""
    content = ["REFERAT Teknik- og Miljøudvalget d. 21-02-2006",
               "Mødedato: 21.02.2006 kl. 10:00", "Mødested: Rådhuset",
               "Mødedeltagere: Anne Holm, Bo Ek (Fravær), Carl Dahl"]  # fmt: skip
    for number in range(1, items + 1):
        content += _item(number)
    chunks = [content[i : i + lines_per_page] for i in range(0, len(content), lines_per_page)]
    return "\f".join(
        "\n".join([HEADER, *chunk, f"Side {n} af {len(chunks)}"])
        for n, chunk in enumerate(chunks, start=1)
    )


@pytest.mark.parametrize("lines_per_page", range(12, 31))
def test_every_decision_survives_page_breaks_at_an_items_end(tmp_path: Path, lines_per_page: int):
    path = tmp_path / "referat.txt"
    path.write_text(_minutes(lines_per_page), encoding="utf-8")
    result = parse_file(path)
    (document,) = result.documents
    assert [i.number for i in document.items] == list(range(1, 10))
    assert [(i.decision.text if i.decision else None) for i in document.items] == ["Godkendt."] * 9
    assert all(i.absent == ("Bo Ek",) for i in document.items)


def test_the_running_header_and_page_numbers_go():
    texts = [f"{word.capitalize()} er nævnt her." for word in WORDS[:5]]
    pages = [[Line(1, HEADER, n), Line(2, text, n), Line(3, f"Side {n} af 5", n)]
             for n, text in enumerate(texts, start=1)]  # fmt: skip
    kept, dropped = remove_page_noise(pages)
    assert [line.text for line in kept] == texts
    assert dropped == 10
