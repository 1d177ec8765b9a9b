from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from gremium.importers import ImportFailed, parse_file
from gremium.importers.edoc import parse_edoc
from gremium.importers.sbsys import parse_sbsys
from gremium.lib.document_structure import DocumentKind

BALLERUP_CASES = {
    1: "2011-29298", 2: "2012-28504", 3: "2012-31114", 4: "2012-31673",
    5: "2011-29939", 6: "2012-21786", 7: "2012-28505", 8: "2010-3082",
}  # fmt: skip
BALLERUP_DECISIONS = {
    1: "Taget til efterretning", 2: "Indstillingen godkendt", 3: "Indstilles til godkendelse",
    4: "Indstillingen godkendt", 5: "Indstillingen godkendt", 6: "Indstillingen godkendt",
    8: "Taget til efterretning",
}  # fmt: skip


def test_ballerup_pdf_has_eight_items_with_cases_recommendations_and_decisions(fixtures: Path):
    result = parse_file(fixtures / "ballerup-edoc-2012/1552814.PDF")
    doc = result.documents[0]
    assert doc.organization_name == "Sundheds- og Forebyggelsesudvalget"
    assert doc.start == dt.datetime(2012, 12, 4, 13, 0)
    assert doc.location == "Mødecenter C, Lokale 32 på Ballerup Rådhus"
    assert len(doc.participants) == 7 and doc.participants[0].role == "formand"
    assert {i.number: i.reference for i in doc.items} == BALLERUP_CASES
    for item in doc.items[1:]:
        indstilling = [s for s in item.sections if s.heading == "Indstilling"]
        assert len(indstilling) == 1 and "indstiller, at" in indstilling[0].body
        assert "\nA) " in indstilling[0].body
    decisions = {i.number: i.decision.text for i in doc.items if i.decision}
    assert {n: t for n, t in decisions.items() if n != 7} == BALLERUP_DECISIONS
    assert decisions[7].startswith("Indstillingen godkendt med denne bemærkning:")
    assert doc.items[0].decision.outcome == "Taget til efterretning"


def test_ballerup_pdf_noise_is_gone(fixtures: Path):
    doc = parse_file(fixtures / "ballerup-edoc-2012/1552814.PDF").documents[0]
    bodies = "\n".join(s.body for i in doc.items for s in i.sections)
    assert "Side 4" not in bodies and "Dato: 04.12.2012" not in bodies
    assert "Åbent referat" not in bodies
    # pdfium's line-end hyphen: kept in a compound, spaced before "og"
    assert "ikke-planlagte" in bodies
    assert "Sundheds- og Forebyggelsesudvalget godkendes" in bodies
    assert doc.items[5].title == (
        "Prioritering af midler til kronisk syge borgere og hverdagsrehabilitering for ældre"
    )


def test_edoc_export_is_repaired_sorted_and_mapped(fixtures: Path):
    path = fixtures / "ballerup-edoc-2012/eDocAgendaPublishing.xml"
    result = parse_file(path)
    doc = result.documents[0]
    assert [i.number for i in doc.items] == list(range(1, 9))
    assert {i.number: i.reference for i in doc.items} == BALLERUP_CASES
    assert any("&#xC;" in r for r in result.report.repairs)
    assert any("line ends" in r for r in result.report.repairs)
    assert doc.kind is DocumentKind.MINUTES
    assert [p.name for p in doc.participants][:2] == ["Lolan Ottesen", "Grethe Larsen"]
    item2 = doc.items[1]
    assert [s.heading for s in item2.sections] == [
        "Sammendrag", "Baggrund", "Sagsfremstilling", "Økonomiske konsekvenser og finansiering",
        "Beslutningen træffes af", "Indstilling",
    ]  # fmt: skip
    assert item2.decision.text == "Indstillingen godkendt"
    names = [a.name for a in doc.items[0].attachments]
    assert names[:3] == [
        "Redegørelse fra Træning og Aktivitet vedrørende Seniorrådets høringssvar",
        "Hvordan udvikler vi det nære sundhedsvæsen sammen?",
        "Forebyggelse af ulighed i sundhedsvæsenet",
    ]
    item_pdf = doc.items[0].attachments[-1]
    assert item_pdf.path.endswith("1552824.PDF") and len(item_pdf.sha256) == 64
    assert all(i.public and i.public_title == "" for i in doc.items)


def test_edoc_closed_items_keep_full_title_and_offer_neutral_one(fixtures: Path, tmp_path: Path):
    xml = (fixtures / "ballerup-edoc-2012/eDocAgendaPublishing.xml").read_bytes()
    closed = xml.replace(
        "<AgendaType>Åben dagsorden</AgendaType>".encode(),
        b"<AgendaType>Lukket dagsorden</AgendaType>",
        1,
    )
    closed = closed.replace(
        "<NeutralTitle>Bygningsvedligeholdelse 2013 - anlægsbevilling</NeutralTitle>".encode(),
        b"<NeutralTitle>Ejendomssag</NeutralTitle>",
    )
    path = tmp_path / "closed.xml"
    path.write_bytes(closed)
    doc, _ = parse_edoc(closed, path)
    item = doc.items[1]
    assert not item.public
    assert item.title == "Bygningsvedligeholdelse 2013 - anlægsbevilling"
    assert item.public_title == "Ejendomssag"
    assert not any(a.public for a in item.attachments)


def test_sbsys_publication(fixtures: Path):
    result = parse_file(fixtures / "sbsys-ballerup-2013/Publication32.xml")
    doc = result.documents[0]
    assert doc.kind is DocumentKind.AGENDA  # a Final agenda: no decision written yet
    assert doc.organization_name == "KMB IT-udvalget"
    assert (doc.start, doc.end) == (dt.datetime(2013, 5, 15, 16, 30), dt.datetime(2013, 5, 15, 18))
    assert doc.location == "Mødecenter A, Lokale 3 på Ballerup Rådhus"
    assert len(doc.participants) == 11
    assert (doc.participants[0].name, doc.participants[0].party) == ("Doris Børger", "A")
    assert [i.number for i in doc.items] == [1, 2, 3, 4, 5]
    assert [s.heading for s in doc.items[1].sections] == [
        "Tidligere behandling", "Sammendrag", "Baggrund", "Sagsfremstilling",
        "Økonomiske konsekvenser og finansiering", "Beslutningen træffes af", "Indstilling",
    ]  # fmt: skip
    assert "1. Gennemførelse af pilottest" in doc.items[1].sections[-1].body
    assert "&aring;" not in doc.items[4].sections[1].body and "år" in doc.items[4].sections[1].body
    enclosure = doc.items[2].attachments[0]
    assert enclosure.name == "Brev fra KL til Kommunalbestyrelsen vedr Monopolbrud"
    assert enclosure.path.endswith("Enclosures/1.pdf") and enclosure.size == 94198
    assert all(i.decision is None and i.absent == () for i in doc.items)


def test_sbsys_minutes_with_decision_absence_and_closed_item(fixtures: Path, tmp_path: Path):
    xml = (fixtures / "sbsys-ballerup-2013/Publication32.xml").read_text(encoding="utf-8-sig")
    first_feedback = "<Caption><![CDATA[Beslutning]]></Caption>"
    assert first_feedback in xml
    xml = xml.replace(
        "<HasContent><![CDATA[False]]></HasContent>\n\t\t\t\t\t\t\t<Index><![CDATA[8]]></Index>",
        "<HasContent><![CDATA[True]]></HasContent>\n\t\t\t\t\t\t\t<Index><![CDATA[8]]></Index>",
    )
    xml = xml.replace(
        "<IsFeedback><![CDATA[True]]></IsFeedback>",
        "<IsFeedback><![CDATA[True]]></IsFeedback><Content><![CDATA[<p>Godkendt.</p>]]></Content>",
    )
    xml = re.sub(
        r"NotDecided(\]\]></ParticipationStatusAsText>\s*(?:<ParticipationNote></ParticipationNote>\s*)?<Name><!\[CDATA\[Hanne Bahnsen)",  # noqa: E501
        r"NotParticipating\1",
        xml,
    )
    xml = xml.replace(
        "<IsPublic><![CDATA[True]]></IsPublic>", "<IsPublic><![CDATA[False]]></IsPublic>", 1
    )
    path = tmp_path / "minutes.xml"
    path.write_text(xml, encoding="utf-8")
    doc, _ = parse_sbsys(path.read_bytes(), path)
    assert doc.kind is DocumentKind.MINUTES
    decision = doc.items[1].decision
    assert (decision.outcome, decision.text, decision.organization) == (
        "Godkendt",
        "Godkendt.",
        "KMB IT-udvalget",
    )
    assert decision.date == dt.date(2013, 5, 15)
    assert any(i.absent == ("Hanne Bahnsen",) for i in doc.items)
    assert not doc.items[0].public and all(i.public for i in doc.items[1:])


def test_sbsys_refuses_entity_declarations(tmp_path: Path):
    path = tmp_path / "laughs.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY lol "lol">]>\n'
                    "<Publication><Agendas><Agenda/></Agendas>&lol;</Publication>")  # fmt: skip
    with pytest.raises(ImportFailed, match=r"laughs\.xml, line 2: .*DOCTYPE"):
        parse_file(path)
