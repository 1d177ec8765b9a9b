"""Item titles that wrap in layout text (issue 11, part 6)."""

from __future__ import annotations

from pathlib import Path

from gremium.importers import parse_file

LAYOUT = "ballerup-edoc-2012/1552814.pdftotext-layout.txt"


def test_a_wrapped_title_in_pdftotext_layout_is_whole_and_keeps_its_case_number(fixtures):
    doc = parse_file(fixtures / LAYOUT).documents[0]
    item = doc.items[5]
    assert item.title == (
        "Prioritering af midler til kronisk syge borgere og hverdagsrehabilitering for ældre"
    )
    assert item.reference == "2012-21786"
    assert "hverdagsrehabilitering for ældre" not in item.sections[0].body
    assert [i.reference for i in doc.items] == [
        "2011-29298", "2012-28504", "2012-31114", "2012-31673", "2011-29939", "2012-21786",
        "2012-28505", "2010-3082",
    ]  # fmt: skip


MINUTES = """\
Referat
Økonomiudvalget
Mødedato: 10. januar 2022 kl. 08:00
Mødested: Rådhuset

Indholdsfortegnelse
1. Lokalplan 1204, Trige Syd - endelig vedtagelse af planen                 2
   og kommuneplantillæg                                                       2
2. Budgetopfølgning                                                           3

1.   Lokalplan 1204, Trige Syd - endelig vedtagelse af planen
     og kommuneplantillæg

     Sagsnr.: 25/30508

     Indstilling
     Administrationen indstiller, at planen vedtages.

     Beslutning
     Godkendt.

2.   Budgetopfølgning
     Økonomiudvalget får status på budgettet for 2022.

     Sagsnr.: 25/30509

     Beslutning
     Taget til efterretning.
"""


def test_a_wrapped_title_is_joined_and_a_following_sentence_is_not(tmp_path: Path):
    path = tmp_path / "referat.txt"
    path.write_text(MINUTES, encoding="utf-8")
    doc = parse_file(path).documents[0]
    first, second = doc.items
    assert first.title == (
        "Lokalplan 1204, Trige Syd - endelig vedtagelse af planen og kommuneplantillæg"
    )
    assert first.reference == "25/30508"
    # a sentence at the title's column that does not read on from it stays text
    assert second.title == "Budgetopfølgning"
    text = "\n".join(s.body for s in second.sections)
    assert "Økonomiudvalget får status på budgettet for 2022." in text
