from __future__ import annotations

import dataclasses
import io
import re

import pikepdf
import pytest
from PIL import Image

from gremium.documents.markdown_tree import markdown_tree
from gremium.documents.pdf import render_pdf
from gremium.documents.variants import make_variant
from gremium.lib.document_structure import Audience, DocumentKind, Section

from .conftest import CANARY
from .pdf_reading import heading_pages, normalized, page_texts, structure_types, toc_pages
from .text_order import assert_in_order

INJECTIONS = (
    '#import "@preview/cetz:0.3.0": *',
    '#read("/etc/passwd")',
    "#{ panic() } $x^2$ [klammer] @etikette <etiket> \\ skråstreg",
    "#eval(\"1+1\") <script>alert('x')</script>",
    "## Punkt 99: Forfalsket punkt",
)


def test_every_item_is_listed_with_the_page_its_heading_stands_on(seed, seed_pdf):
    texts = page_texts(seed_pdf)
    printed = toc_pages(texts)
    actual = heading_pages(texts)
    assert list(printed) == [f"Punkt {item.number}" for item in seed.items]
    assert printed == actual
    assert 0 not in printed.values()


def test_every_page_says_side_n_af_m_and_the_municipality(seed_pdf):
    texts = page_texts(seed_pdf)
    for number, text in enumerate(texts, start=1):
        assert f"Side {number} af {len(texts)}" in text
        assert text.startswith("Haderslev Kommune")


def test_front_page_has_title_meeting_facts_and_absence(seed_pdf):
    front = normalized(page_texts(seed_pdf)[0])
    for expected in (
        "REFERAT Beskæftigelses- og Borgerserviceudvalget d. 02-02-2026",
        "Mødedato Mandag d. 02. februar 2026 kl. 16:00",
        "Mødested Servicefunktionen",
        "Mødedeltagere Jon Krongaard (Fravær), Alex Bødiker",
        "Indholdsfortegnelse",
    ):
        assert expected in front


def test_item_pages_carry_decision_absence_attachments_and_table(seed_pdf):
    text = normalized(" ".join(page_texts(seed_pdf)))
    for expected in (
        "Beslutning i Beskæftigelses- og Borgerserviceudvalget den 02-02-2026 Drøftet. Udkastet",
        "Fraværende Jon Krongaard",
        "Bilag KL borgerundersøgelse - efteråret 2025",
        "Overordnet tilfredshed 3,72 3,59",
        "Underskriftsside Alex Bødiker Dato og underskrift:",
    ):
        assert expected in text


def test_pdf_declares_pdfa_2a_and_pdfua_1(seed_pdf):
    with pikepdf.open(io.BytesIO(seed_pdf)) as document:
        meta = document.open_metadata()
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfaid:conformance"] == "A"
        assert meta["pdfuaid:part"] == "1"


def test_pdf_is_tagged_with_title_language_and_headings(seed, seed_pdf):
    with pikepdf.open(io.BytesIO(seed_pdf)) as document:
        assert document.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in document.Root
        assert str(document.Root.Lang) == "da"
        assert str(document.docinfo.Title) == seed.title
        assert document.Root.ViewerPreferences.DisplayDocTitle is True
    kinds = structure_types(seed_pdf)
    assert kinds["/H1"] >= len(seed.items)
    assert kinds["/H2"] > 0
    assert kinds["/Table"] == 1


def test_pdf_opens_without_repair_and_is_a4(seed_pdf):
    with pikepdf.open(io.BytesIO(seed_pdf), attempt_recovery=False) as document:
        for page in document.pages:
            width, height = (float(v) for v in page.mediabox[2:])
            assert (round(width), round(height)) == (595, 842)
        assert document.check_pdf_syntax() == []
        assert document.get_warnings() == []


EVERY_KIND = """Første afsnit med *kursiv*, **fed**, `kode` og [et link](https://haderslev.dk).

1. et
2. to

Afsnit før en løs liste:

- tre

  andet afsnit i tre
- fire
  - indlejret

> citat

---

| Kun overskrift | B |
|---|:-:|

| Tal | Tekst |
|--:|---|
| 1 | **fed** celle |
|  | sidste |

Sidste afsnit.

- liste med tabel:

  | x | y |
  |---|---|
  | 7 | 8 |
"""


def test_markdown_of_every_kind_prints_in_order_with_its_tables(seed):
    item = dataclasses.replace(seed.items[0], sections=(Section("Sagsresume", EVERY_KIND),))
    pdf = render_pdf(dataclasses.replace(seed, items=(item,)))
    assert_in_order(
        normalized(" ".join(page_texts(pdf))),
        [
            "Første afsnit med kursiv, fed, kode og et link.",
            "1. et 2. to",
            "Afsnit før en løs liste:",
            "tre andet afsnit i tre",
            "fire",
            "indlejret",
            "citat",
            "Kun overskrift B",
            "Tal Tekst 1 fed celle sidste",
            "Sidste afsnit.",
            "liste med tabel:",
            "x y 7 8",
        ],
    )
    assert structure_types(pdf)["/Table"] == 3


def test_table_columns_are_weighted_by_their_longest_cell():
    table = markdown_tree(
        "| Emne | Nr | 2025 |\n|---|--:|--:|\n| Overordnet tilfredshed | 1 | 3,72 |\n"
        "| " + "x" * 90 + " | 2 | 3,59 |"
    )["children"][0]
    # Three characters at least, forty at most: long prose wraps instead of taking the table.
    assert table["widths"] == [40, 3, 4]


@pytest.mark.parametrize("evil", INJECTIONS)
def test_typst_code_in_a_section_prints_literally(seed, evil):
    body = f"Før\n\n{evil}\n\nEfter"
    item = dataclasses.replace(seed.items[0], sections=(Section("Sagsresume", body),))
    pdf = render_pdf(dataclasses.replace(seed, items=(item,)))
    text = normalized(" ".join(page_texts(pdf)))
    assert normalized(f"Før {evil} Efter") in text
    assert "root:" not in text


def test_typst_code_in_names_and_titles_prints_literally(seed):
    evil = '#read("/etc/passwd") $a$ [b] #set page(fill: red)'
    item = dataclasses.replace(seed.items[0], title=evil, reference=evil, absent=(evil,))
    document = dataclasses.replace(seed, items=(item,), location=evil, body_name=evil)
    text = normalized(" ".join(page_texts(render_pdf(document))))
    assert text.count(normalized(evil)) >= 5
    assert "root:" not in text


def test_body_heading_does_not_enter_the_tag_tree(seed):
    item = dataclasses.replace(
        seed.items[0], sections=(Section("Sagsresume", "# Punkt 99: Falsk\n\n## Mere"),)
    )
    plain = dataclasses.replace(seed, items=(item,))
    kinds = structure_types(render_pdf(plain))
    # Title, table of contents, the one item, the signature page.
    assert kinds["/H1"] == 4


def test_public_pdf_holds_no_text_of_a_closed_item(minutes_with_closed_item):
    public = make_variant(minutes_with_closed_item, DocumentKind.MINUTES, Audience.PUBLIC)
    text = " ".join(page_texts(render_pdf(public)))
    assert "Punkt 20: Lukket punkt: Køb af ejendom" in text
    assert CANARY not in text
    internal = " ".join(page_texts(render_pdf(minutes_with_closed_item)))
    assert CANARY in internal


def test_agenda_pdf_has_no_decision_or_signature_page(seed):
    agenda = make_variant(seed, DocumentKind.AGENDA, Audience.INTERNAL)
    texts = page_texts(render_pdf(agenda))
    text = normalized(" ".join(texts))
    assert text.startswith("Haderslev Kommune DAGSORDEN")
    assert "Beslutning i" not in text
    assert not any(re.search(r"^Underskriftsside$", t, re.MULTILINE) for t in texts)


def test_logo_is_placed_in_the_header(seed, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)  # the logo is read from the file storage by name
    logo = tmp_path / "logo.png"
    Image.new("RGB", (60, 30), (0, 80, 160)).save(logo)
    pdf = render_pdf(dataclasses.replace(seed, logo_path=logo.name))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        images = document.pages[0].get_images()
    assert len(images) == 1


@pytest.mark.parametrize("logo", ["missing", "broken", "not-an-image", "outside"])
def test_a_logo_that_cannot_be_shown_is_left_out_not_an_error(seed, tmp_path, settings, logo):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    path = tmp_path / "media" / "logo.png"
    path.parent.mkdir()
    name = "../logo.png" if logo == "outside" else path.name
    # A name leading out of the storage is refused, even to a good image.
    Image.new("RGB", (60, 30), (0, 80, 160)).save(tmp_path / "logo.png")
    if logo == "broken":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"afkortet")
    elif logo == "not-an-image":
        path.write_text("Haderslev Kommune")
    pdf = render_pdf(dataclasses.replace(seed, logo_path=name))
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert document.pages[0].get_images() == {}
    assert page_texts(pdf)[0].startswith("Haderslev Kommune")


def _with_body(seed, body: str):
    item = dataclasses.replace(seed.items[0], sections=(Section("Sagsfremstilling", body),))
    return dataclasses.replace(seed, items=(item,))


@pytest.mark.parametrize(
    "unshowable", ["👍", "王芳", "\uf0b7", "\x01"], ids=["emoji", "cjk", "private-use", "control"]
)
def test_text_no_built_in_font_can_show_still_gives_the_pdf(seed, unshowable):
    pdf = render_pdf(_with_body(seed, f"Før tegnet {unshowable} efter tegnet"))
    shown = normalized(" ".join(page_texts(pdf)))
    assert "Før tegnet" in shown and "efter tegnet" in shown
    with pikepdf.open(io.BytesIO(pdf)) as document:
        # The claims it cannot keep are not made.
        assert "pdfaid:part" not in document.open_metadata()


def test_deep_nesting_and_a_link_longer_than_pdf_a_allows_still_render(seed):
    emphasis = "*" * 20000 + "fremhævet" + "*" * 20000
    link = "[" + "lang linktekst " * 2500 + "](https://example.dk/)"
    assert "fremhævet" in " ".join(page_texts(render_pdf(_with_body(seed, emphasis))))
    assert "lang linktekst" in " ".join(page_texts(render_pdf(_with_body(seed, link))))


def test_markdown_tree_flattens_nesting_beyond_its_limit_and_keeps_the_text():
    from gremium.documents.markdown_tree import MAX_DEPTH

    def depth(node, level=0):
        return max([level, *(depth(child, level + 1) for child in node.get("children", ()))])

    tree = markdown_tree("*" * 3000 + "midt" + "*" * 3000 + " og *kursiv* til sidst")
    assert depth(tree) <= MAX_DEPTH + 1
    text = str(tree)
    assert "midt" in text and "til sidst" in text
    assert "'em'" in text  # formatting within the limit stays
