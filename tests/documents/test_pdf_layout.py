"""The PDF reads like the seed (issue 13.5): no line breaks inside "d. 02-02-2026" or
"36,2 %", the contents name the signature page once, table headers stand apart and
numbers are right-aligned, and no item leaves a nearly empty page behind it."""

from __future__ import annotations

import dataclasses
import itertools

import pypdfium2
import pytest

from gremium.documents.markdown_tree import markdown_tree
from gremium.documents.page_breaks import LINES_PER_PAGE, NEARLY_EMPTY, item_lines
from gremium.documents.pdf import render_pdf
from gremium.documents.typography import NBSP, keep_together
from gremium.lib.document_structure import Item, Section

from .pdf_reading import heading_pages, normalized, page_texts

PAIRS = [("d.", "02-02-2026"), ("36,2", "%"), ("kl.", "16.00"), ("§", "17"), ("2.", "februar")]


def _sentences() -> str:
    """The pairs after every number of filler words, so that without no-break spaces
    some of them would fall at the end of a line."""
    words = [
        "Udvalget",
        "drøftede",
        "sagen",
        "grundigt",
        "og",
        "besluttede",
        "at",
        "følge",
        "indstillingen",
    ]
    lines = []
    for count in range(1, 40):
        filler = " ".join(words[i % len(words)] for i in range(count))
        lines.append(
            f"{filler} d. 02-02-2026, en stigning på 36,2 % kl. 16.00 efter § 17 den 2. februar."
        )
    return "\n\n".join(lines)


def _broken_pairs(pdf: bytes) -> list[str]:
    broken = []
    for text in page_texts(pdf):
        lines = [line.strip() for line in text.splitlines()]
        for this, following in itertools.pairwise(lines):
            for first, second in PAIRS:
                if this.endswith(" " + first) and following.startswith(second):
                    broken.append(f"{this[-20:]} / {following[:20]}")
    return broken


def test_no_line_breaks_inside_dates_amounts_and_references(seed, monkeypatch):
    item = dataclasses.replace(seed.items[0], sections=(Section("Sagsfremstilling", _sentences()),))
    document = dataclasses.replace(seed, items=(item,))
    assert _broken_pairs(render_pdf(document)) == []
    # The check can fail: the same text with ordinary spaces breaks inside some pairs.
    monkeypatch.setattr("gremium.documents.markdown_tree.keep_together", lambda text: text)
    assert _broken_pairs(render_pdf(document)) != []


def test_keep_together_changes_only_the_spaces_it_must():
    text = "Mødet d. 02-02-2026 kl. 16.00: 36,2 % af 5 mio. kr., jf. § 17, stk. 2, den 2. februar."
    kept = keep_together(text)
    assert kept.replace(NBSP, " ") == text
    for together in ("d. 02", "kl. 16", "36,2 %", "5 mio.", "mio. kr.", "§ 17", "stk. 2", "2. feb"):
        assert together.replace(" ", NBSP) in kept, together
    assert "Mødet d." in kept and "af 5" in kept  # words around stay breakable
    assert keep_together("Punkt d. ikke et tal") == "Punkt d. ikke et tal"


def test_the_contents_name_the_signature_page_once(seed, seed_pdf):
    assert seed.items[-1].title == "Underskriftsside"
    contents = normalized(page_texts(seed_pdf)[0])
    assert contents.count("Underskriftsside") == 1
    # Without an item of that name the signature page is in the contents on its own.
    shorter = dataclasses.replace(seed, items=seed.items[:-1])
    assert normalized(page_texts(render_pdf(shorter))[0]).count("Underskriftsside") == 1


def test_numeric_columns_are_right_aligned_unless_the_markdown_says_otherwise():
    table = markdown_tree(
        "| Emne | Haderslev | Andel | Note |\n|---|---|:-:|---|\n"
        "| Samtalen | 3,82 | 36,2 % | god |\n| Sagsbehandling | 1.234 | 12 % | 7 |"
    )["children"][0]
    header, first = (section["children"][0]["children"] for section in table["children"])
    assert [cell["align"] for cell in header] == ["", "right", "center", ""]
    assert [cell["align"] for cell in first] == ["", "right", "center", ""]


def _right_edges(pdf: bytes, words: list[str]) -> list[float]:
    page = pypdfium2.PdfDocument(pdf)[1]
    text = page.get_textpage()
    edges = []
    for word in words:
        found = text.search(word).get_next()
        assert found is not None, word
        index, count = found
        edges.append(round(text.get_charbox(index + count - 1)[2], 1))
    return edges


def test_numbers_in_a_table_line_up_on_their_last_digit(seed):
    table = "| Emne | Resultat |\n|---|---|\n| Samtalen | 3,82 |\n| Sagsbehandling | 1.234,5 |"
    item = dataclasses.replace(seed.items[0], sections=(Section("Resultater", table),))
    pdf = render_pdf(dataclasses.replace(seed, items=(item,)))
    right = _right_edges(pdf, ["3,82", "1.234,5"])
    assert abs(right[0] - right[1]) < 1.0, right
    assert _right_edges(pdf, ["Samtalen"])[0] < _right_edges(pdf, ["Sagsbehandling"])[0]


def test_table_header_is_set_in_bold(seed):
    table = "| Emne | Resultat |\n|---|---|\n| Samtalen | 3,82 |"
    item = dataclasses.replace(seed.items[0], sections=(Section("Resultater", table),))
    pdf = render_pdf(dataclasses.replace(seed, items=(item,)))
    assert _font_weight(pdf, "Resultat") >= 600 > _font_weight(pdf, "3,82")


def _font_weight(pdf: bytes, word: str) -> int:
    text = pypdfium2.PdfDocument(pdf)[1].get_textpage()
    found = text.search(word).get_next()
    assert found is not None, word
    return int(pypdfium2.raw.FPDFText_GetFontWeight(text.raw, found[0]))


def _item(number: int, paragraphs: int) -> Item:
    text = "\n\n".join("Udvalget drøftede sagen og " * 12 for _ in range(paragraphs))
    return Item(number=number, title=f"Sag {number}", sections=(Section("Sagsfremstilling", text),))


def _pages_for(fraction: float) -> int:
    """Paragraphs for an item whose estimate ends `fraction` into its second page."""
    one = item_lines(_item(1, 1))
    for paragraphs in range(1, 200):
        lines = item_lines(_item(1, paragraphs))
        if lines >= LINES_PER_PAGE * (1 + fraction) - one:
            return paragraphs
    raise AssertionError("no size found")


@pytest.mark.parametrize(("fraction", "follows"), [(0.1, True), (0.8, False)])
def test_an_item_follows_on_a_nearly_empty_page_and_opens_a_new_one_otherwise(
    seed, fraction, follows
):
    assert (fraction < NEARLY_EMPTY) is follows
    long = _item(1, _pages_for(fraction))
    document = dataclasses.replace(seed, items=(long, _item(2, 1), _item(3, 1)))
    pages = heading_pages(page_texts(render_pdf(document)))
    spill = pages["Punkt 1"] + 1  # the long item's second page
    assert (pages["Punkt 2"] == spill) is follows, pages


def test_the_seed_leaves_no_nearly_empty_page_between_items(seed, seed_pdf, monkeypatch):
    texts = page_texts(seed_pdf)
    pages = heading_pages(texts)
    openings = sorted(set(pages.values()))
    for before in (page - 1 for page in openings[1:]):
        lines = [line for line in texts[before - 1].splitlines() if line.strip()]
        # A page an item left behind holds more than a few lines (header and footer aside).
        assert len(lines) - 2 > 8, (before, lines)
    # Fewer pages than with every item opening a page of its own.
    monkeypatch.setattr(
        "gremium.documents.pdf_data.new_page_flags", lambda items: [True] * len(items)
    )
    assert len(texts) < len(page_texts(render_pdf(seed)))
