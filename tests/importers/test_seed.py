from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gremium.importers import parse_file
from gremium.lib.document_structure import Audience, DocumentKind, Item

ORG = "Beskæftigelses- og Borgerserviceudvalget"
DAY = dt.date(2026, 2, 2)


@pytest.fixture(scope="module")
def seed() -> tuple:
    path = Path(__file__).resolve().parent.parent / "fixtures/import/haderslev-bbu-2026-02-02.md"
    result = parse_file(path)
    return result.documents[0], result.report


def items(seed: tuple) -> dict[int | None, Item]:
    return {item.number: item for item in seed[0].items}


def test_seed_header(seed):
    doc, report = seed
    assert doc.kind is DocumentKind.MINUTES and doc.audience is Audience.INTERNAL
    assert doc.organization_name == ORG
    assert doc.start == dt.datetime(2026, 2, 2, 16, 0)
    assert doc.location == "Servicefunktionen"
    assert [p.name for p in doc.participants] == [
        "Jon Krongaard", "Alex Bødiker", "Klara Steenholdt", "Keld Valentin",
        "Inga Lykke", "Hanne Pedersen", "Finn Lykkeskov",
    ]  # fmt: skip
    assert [p.name for p in doc.participants if p.absent] == ["Jon Krongaard"]
    assert report.unplaced == []


def test_seed_items_titles_and_case_numbers(seed):
    doc, _ = seed
    assert [(i.number, i.title, i.reference) for i in doc.items] == [
        (12, "Godkendelse af dagsorden.", "25/30508"),
        (13, "Introduktion til beskæftigelses- og integrationsområdet", "26/1220"),
        (14, "Præsentation af udkast til introduktionsprogram", "25/30508"),
        (15, "Resultat af KL borgerundersøgelse efterår 2025", "26/1663"),
        (
            16,
            "Resultat af KL tilfredshedsmåling af jobcenterets virksomhedsservice 2025",
            "26/1743",
        ),
        (17, "Gensidig orientering", "25/30508"),
        (18, "Eventuelt", "25/30508"),
        (19, "Underskriftsside", "25/30508"),
    ]
    assert all(i.public for i in doc.items)
    assert all(i.key == f"punkt-{i.number}" for i in doc.items)


def test_seed_sections_in_order(seed):
    by_number = items(seed)
    headings = {n: [s.heading for s in i.sections] for n, i in by_number.items()}
    full = ["Sagsresume", "Indstilling", "Sagsfremstilling", "Procedure"]
    assert headings == {
        12: ["Indstilling", "Procedure"], 13: full, 14: full, 15: full, 16: full,
        17: ["Sagsresume", "Indstilling", "Procedure"], 18: ["Procedure"],
        19: ["Sagsresume", "Procedure"],
    }  # fmt: skip
    assert by_number[12].sections[0].body == (
        "Direktøren for Arbejdsmarked og Borgerservice indstiller, at\n\n- dagsordenen godkendes."
    )
    assert "micro- fleksjobordningen" in by_number[13].sections[2].body
    assert not any(
        "Beslutning" in s.heading or "Bilag" in s.heading
        for i in by_number.values()
        for s in i.sections
    )


def test_seed_nested_bullets_are_kept(seed):
    body = items(seed)[17].sections[0].body
    assert "\n  - Den 17. april 10.30-14.30, Roskilde Kongres og idrætscenter\n" in body
    assert body.count("\n- ") == 4 and body.startswith("- Jobcenter Haderslev")


def test_seed_table_across_page_break_is_one_table(seed):
    body = items(seed)[15].sections[2].body
    table = [line for line in body.splitlines() if line.startswith("|")]
    assert table[0] == "| Emne | Haderslev Kommune | Kommunegennemsnit |"
    assert table[1] == "| --- | --- | --- |"
    assert [row.split(" | ")[0].lstrip("| ") for row in table[2:]] == [
        "Overordnet tilfredshed", "Mødet med jobcentret", "Mål og aktiviteter",
        "Samarbejde på tværs", "Samtalen", "Progression",
    ]  # fmt: skip
    assert "| Progression | 3,15 | 2,85 |" in table


def test_seed_decisions(seed):
    by_number = items(seed)
    outcomes = {
        n: (i.decision.outcome, i.decision.text) if i.decision else None
        for n, i in by_number.items()
    }
    assert outcomes == {
        12: ("Godkendt", "Godkendt."), 13: ("Godkendt", "Godkendt."),
        14: ("Drøftet", "Drøftet. Udkastet blev godkendt."), 15: ("Godkendt", "Godkendt."),
        16: ("Godkendt", "Godkendt."), 17: ("Godkendt", "Godkendt."), 18: None, 19: None,
    }  # fmt: skip
    for item in by_number.values():
        if item.decision:
            assert (item.decision.organization, item.decision.date) == (ORG, DAY)


def test_seed_absence_on_every_item(seed):
    assert all(item.absent == ("Jon Krongaard",) for item in seed[0].items)


def test_seed_attachments(seed):
    names = {n: [a.name for a in i.attachments] for n, i in items(seed).items()}
    assert names[13] == [
        "Data - beskæftigelses- og integrationsindsatsen BBU 02-02-2026",
        "Underskrevet hensigtserklæring - Job7",
        "Underskrevet Samarbejdsaftale - JobSønderjylland",
    ]
    assert names[15] == ["KL borgerundersøgelse - efteråret 2025"]
    assert names[16] == ["Tilfredshedsmåling af Jobcentrets virksomhedsservice 2025"]
    assert names[17] == [
        "Bilag 1 - Ungeløftet - Invitation til partnerskabsdag i Kolding",
        "Bilag 2 - Brev til kommuner",
        "Bilag 3 - Opgørelsesmetode og dataindhold",
        "Bilag 4 - Data til deling med kommuner Haderslev",
    ]
    assert names[12] == names[14] == names[18] == names[19] == []
