"""The formats municipalities publish: FirstAgenda (JSON and web pages), SBSYS (both
exports), eDoc (Fujitsu) and Acadre, compared with what each sample holds, read by hand
from the samples (tests/fixtures/import/README.md says where each comes from)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from gremium.importers import ImportFailed, parse_file
from gremium.importers.detect import SourceKind, detect_kind
from gremium.lib.document_structure import DocumentKind

GREVE = "firstagenda-greve"
# file: (case numbers of items 1..n, closed item numbers, items without a decision)
GREVE_MEETINGS = {
    "2022-01-01-spoergsmaal-svar": ("21-015217", set(), {1}),
    "2022-01-10-beskaeftigelse": (
        "21-014448 21-016162 21-016162 21-016081 21-016074 21-013722 21-013719 21-013723 "
        "21-012521", set(), {9},
    ),
    "2022-01-10-oekonomi": ("21-014439 21-013713 22-000056 21-014501", {3}, {4}),
    "2022-01-10-social-handicap": (
        "21-014477 21-016162 21-016162 21-016204 21-014473 21-013715 21-014474 21-014478",
        set(), {8},
    ),
    "2022-01-10-sundhed-omsorg": (
        "21-014445 21-014347 21-016162 21-016162 22-000063 21-016092 21-014347 21-014447 "
        "21-014441 21-014442 21-014446", {6}, {11},
    ),
    "2022-01-11-skole-boern-unge": (
        "21-014470 21-016166 21-016070 21-016162 21-016162 21-005875 21-010701 21-008539 "
        "21-015918 21-015579 21-015028 21-014467 21-013716 21-015010 -", {11}, {15},
    ),
    "2022-01-12-kultur-fritid": (
        "21-014482 21-016076 21-016162 21-016162 21-011401 21-008819 21-012095 21-016079 "
        "21-016080 21-016078 21-014479 21-013714 21-014480 21-014481", {2}, {14},
    ),
    "2022-01-14-byraad": ("21-014420 21-013712 22-000056 21-013699", {3}, {4}),
    "2022-01-17-klima-teknik-miljoe": (
        "21-014454 19-033355K 21-016162 21-016162 21-012097 19-033355K 21-015856 21-015609 "
        "21-015918 21-015414 21-012897 21-015728 21-014347 21-014825 21-008704 20-054308K "
        "21-014457 21-013718 21-015023 21-015004 -", {19}, set(),
    ),
    "2022-04-26-plan-tryghed": (
        "22-003654 21-000641 22-004721 22-002662 20-010677K 22-004286 22-004067 20-075304K "
        "22-003659 22-003655 22-003652 22-003657", set(), {12},
    ),
    # an extraordinary written meeting: the closed decision is "Beslutning ikke frigivet"
    "2023-09-27-byraad": ("21-014420 23-010353 21-013699", {2}, {1, 2, 3}),
    "2024-11-13-byraad": (
        "24-011319 24-011319 - - - 21-003765 24-008785 23-009219 24-009124 24-004722 - "
        "22-012932 24-009872 24-008633 24-008633 24-009396 24-006433 23-013542 22-006414 "
        "24-009728 24-009746 24-009260 24-009513 24-009043 -", {1, 2, 4, 6, 7, 8, 9, 10}, {25},
    ),
}  # fmt: skip


def _greve(fixtures: Path, name: str):  # type: ignore[no-untyped-def]
    return parse_file(fixtures / GREVE / f"{name}.json")


@pytest.mark.parametrize("name", sorted(GREVE_MEETINGS))
def test_firstagenda_json_meeting_has_every_item_case_closed_flag_and_decision(fixtures, name):
    cases, closed, undecided = GREVE_MEETINGS[name]
    result = _greve(fixtures, name)
    doc = result.documents[0]
    expected_cases = ["" if c == "-" else c for c in cases.split()]
    assert [i.number for i in doc.items] == list(range(1, len(expected_cases) + 1))
    assert [i.reference for i in doc.items] == expected_cases
    assert {i.number for i in doc.items if not i.public} == closed
    assert {i.number for i in doc.items if i.decision is None} == undecided
    assert all(i.sub_number is None for i in doc.items)
    assert not any(i.title.lower().startswith("lukket") for i in doc.items)
    expected_kind = (
        DocumentKind.MINUTES
        if undecided != {i.number for i in doc.items}
        else (DocumentKind.AGENDA)
    )
    assert doc.kind is expected_kind
    assert result.report.confidence.startswith("high")


def test_firstagenda_json_meeting_details(fixtures):
    doc = _greve(fixtures, "2022-01-14-byraad").documents[0]
    assert (doc.organization_name, doc.start, doc.location) == (
        "Byråd 2022-2025",
        dt.datetime(2022, 1, 14, 8, 0),
        "Byrådssalen",
    )
    assert len(doc.participants) == 21 and not any(p.absent for p in doc.participants)
    item2 = doc.items[1]
    assert item2.title == "Orientering fra administrationen"
    assert [s.heading for s in item2.sections] == ["Sagsprocedure", "Resume", "Indstilling"]
    # "Fraværende:" in the decision is attendance: kept out of the decision's text
    assert item2.decision.text == "Byrådet tog orienteringen til efterretning."
    assert item2.absent == ("Bjarke Abel", "Linda Heegaard")
    assert item2.attachments[0].name == "Tilsynets afgørelse af 15. december 2021"
    assert item2.attachments[0].source_url == (
        "https://dagsordener.greve.dk/vis/pdf/bilag/1becd29f-1333-4459-8226-d725c41c6904"
    )
    closed = doc.items[2]
    assert (
        closed.title
        == closed.public_title
        == ("Orientering om politiets afgørelse om anmeldelse af tidligere kommunaldirektør")
    )
    assert closed.decision.text == "Byrådet godkendte Økonomiudvalgets indstilling."
    # the 2024 meeting: a vote inside a closed item's decision, parties in an open one
    late = _greve(fixtures, "2024-11-13-byraad").documents[0]
    assert late.start == dt.datetime(2024, 11, 13, 19, 0)
    assert "Imod stemte: F og Ø" in late.items[5].decision.text
    assert late.items[11].decision.text.startswith("Byrådet godkendte Økonomiudvalgets")
    assert len(late.items[20].attachments) == 9


def test_firstagenda_json_placeholder_is_no_decision_and_no_text(fixtures):
    doc = _greve(fixtures, "2023-09-27-byraad").documents[0]
    closed = doc.items[1]
    assert not closed.public and closed.decision is None and closed.sections == ()
    assert doc.kind is DocumentKind.AGENDA


@pytest.mark.django_db
def test_the_twelve_greve_meetings_store_in_one_database_and_again_unchanged(fixtures, actor):
    from gremium.documents.variants import make_variant
    from gremium.lib.document_structure import Audience
    from gremium.meetings.from_document import meeting_store_document
    from gremium.meetings.minutes import minutes_content
    from gremium.meetings.models import Meeting
    from gremium.papers.models import Attachment

    documents = [
        dataclasses.replace(_greve(fixtures, n).documents[0], body_name="Greve Kommune")
        for n in sorted(GREVE_MEETINGS)
    ]
    results = [meeting_store_document(document=d, by=actor) for d in documents]
    assert all(r.created for r in results) and Meeting.objects.count() == 12
    again = [meeting_store_document(document=d, by=actor) for d in documents]
    assert not any(r.changed for r in again)
    linked = Attachment.objects.exclude(source_url="")
    assert linked.count() == sum(len(i.attachments) for d in documents for i in d.items)
    assert all(a.source_url.startswith("https://dagsordener.greve.dk/") for a in linked)
    # closed items' decisions never reach the public variant
    meeting = results[-1].meeting
    content, _version = minutes_content(meeting)
    public = make_variant(content, DocumentKind.MINUTES, Audience.PUBLIC)
    text = repr(public)
    assert "Imod stemte: F og Ø" not in text and "Jerkel orienterede" not in text
    # the title Greve itself published stays the closed item's public title
    assert public.items[6].title == "Lukket punkt: Udbud af Greve Main 27 og 39"


@pytest.mark.django_db
def test_an_attachment_known_by_its_address_shows_as_an_external_link(fixtures, actor, client):
    from gremium.meetings.from_document import meeting_store_document
    from gremium.papers.models import Attachment

    document = dataclasses.replace(
        _greve(fixtures, "2022-01-14-byraad").documents[0], body_name="Greve Kommune"
    )
    meeting = meeting_store_document(document=document, by=actor).meeting
    address = "https://dagsordener.greve.dk/vis/pdf/bilag/1becd29f-1333-4459-8226-d725c41c6904"
    page = client.get(f"/moeder/{meeting.pk}/punkt/punkt-2/").content.decode()
    assert f'href="{address}"' in page
    attachment = Attachment.objects.get(source_url=address)
    data = client.get(f"/oparl/v1.1/file/attachment/{attachment.pk}").json()
    assert data["accessUrl"] == address and "downloadUrl" not in data


AARHUS = "firstagenda-aarhus-web/aarhus-byraad-2025-10-08-dagsorden.html"
AARHUS_CASES = (
    "EMN-2023-009832 EMN-2025-008308 EMN-2025-008308 EMN-2025-008308 EMN-2025-008294 "
    "EMN-2025-008294 EMN-2025-008294 EMN-2025-008294 EMN-2025-008294 EMN-2025-008294 "
    "EMN-2025-000502 EMN-2025-006138 EMN-2025-006131 EMN-2025-006822 EMN-2025-009824 "
    "EMN-2025-010585 EMN-2025-009516 EMN-2025-010190 EMN-2025-009868 EMN-2025-010281 "
    "EMN-2025-010236 EMN-2025-009242 EMN-2025-009097 EMN-2025-008076 EMN-2025-010627 "
    "EMN-2025-010689 EMN-2025-010711 EMN-2025-010748 EMN-2025-010715 EMN-2025-010825 "
    "EMN-2025-010828 EMN-2025-010830 EMN-2025-010810"
)
AARHUS_ATTACHMENTS = [0, 22, 9, 13, 44, 63, 159, 70, 80, 71, 8, 4, 3, 3, 3, 5, 6, 1, 3, 3, 5,
                      31, 12, 8, 1, 1, 1, 1, 1, 1, 2, 1, 1]  # fmt: skip


def test_firstagenda_web_agenda(fixtures):
    assert detect_kind((fixtures / AARHUS).read_bytes()) is SourceKind.FIRSTAGENDA_WEB
    result = parse_file(fixtures / AARHUS)
    doc = result.documents[0]
    assert doc.kind is DocumentKind.AGENDA
    assert (doc.organization_name, doc.start, doc.location) == (
        "Aarhus Byråd",
        dt.datetime(2025, 10, 8, 16, 0),
        "Byrådssalen",
    )
    assert [i.number for i in doc.items] == list(range(1, 34))
    assert [i.reference for i in doc.items] == AARHUS_CASES.split()
    assert doc.items[14].title == "Udpegning til sundhedsråd"
    assert doc.items[1].title == "Forslag til budget 2026-2029"
    assert all(i.public and i.decision is None for i in doc.items)
    assert [len(i.attachments) for i in doc.items] == AARHUS_ATTACHMENTS
    assert doc.items[14].attachments[1].name == "Bilag 1: Udkast til styrelsesvedtægtsændring"
    headings = [s.heading for s in doc.items[14].sections]
    assert headings == ["Resume", "Beslutningspunkter", "Sagsforløb"]
    assert "At 1) Aarhus Byråd repræsenteres" in doc.items[14].sections[1].body


def test_firstagenda_web_minutes_hand_made(fixtures):
    result = parse_file(fixtures / "firstagenda-aarhus-web/handmade-referat.html")
    doc = result.documents[0]
    assert doc.kind is DocumentKind.MINUTES
    assert [p.name for p in doc.participants] == ["Anders Winnerskjold", "Jette Skive"]
    assert [(i.number, i.public, i.reference) for i in doc.items] == [
        (1, True, "EMN-2023-009832"), (2, True, "EMN-2025-009824"), (3, False, "EMN-2025-011111"),
    ]  # fmt: skip
    assert doc.items[0].decision.text == "Godkendt."
    assert doc.items[1].decision.text.startswith("Indstillingen blev vedtaget.")
    # history under "Sagsforløb" is a section, never the decision
    assert [s.heading for s in doc.items[1].sections] == ["Resume", "Sagsforløb"]
    assert doc.items[2].title == "Personalesag" and doc.items[2].decision.text == "Godkendt."
    link = doc.items[1].attachments[0]
    assert link.source_url == "https://dagsorden.aarhus.dk/vis/pdf/bilag/085b13ab-1eaa-41ee"


SBSYS_NEW = "sbsys-dagsorden-lyngbytaarbaek-2016/dagsorden.xml"


def test_sbsys_dagsorden_minutes(fixtures):
    assert detect_kind((fixtures / SBSYS_NEW).read_bytes()) is SourceKind.SBSYS_DAGSORDEN
    doc = parse_file(fixtures / SBSYS_NEW).documents[0]
    assert doc.kind is DocumentKind.MINUTES
    assert (doc.organization_name, doc.start, doc.location) == (
        "Testudvalg",
        dt.datetime(2016, 3, 31, 8, 15),
        "Udvalgsværelse 1",
    )
    assert len(doc.participants) == 7
    one, two = doc.items
    assert (one.number, one.title, one.reference, one.public) == (
        1,
        "Test af lukket overskrift",
        "82.02.00-G10-1-16",
        True,
    )
    assert (two.number, two.title, two.public) == (2, "Sag nr. 2 - lukket overskrift", False)
    assert two.public_title == ""  # a closed item's own title is internal
    # the decision's first line names committee and date; the decision follows it
    assert (one.decision.text, one.decision.outcome) == ("Godkendt.", "Godkendt")
    assert two.decision.text == "Anbefalet."
    assert one.absent == ("Hanne Agersnap", "Dorthe la Cour", "Henriette Breum")
    assert two.absent == ("Hanne Agersnap", "Henrik Brade Johansen", "Henriette Breum")
    assert [s.heading for s in one.sections] == [
        "Resume", "Indstilling", "Sagsfremstilling", "Lovgrundlag", "Økonomi",
        "Beslutningskompetence",
    ]  # fmt: skip
    # Bilag/<file> in the XML, the file beside it
    assert [a.name for a in one.attachments] == ["Test igen", "Test", "test"]
    assert all(a.path and a.sha256 for a in one.attachments)
    assert not any(a.public for a in two.attachments)


def test_sbsys_dagsorden_earlier_decision_is_history_and_agenda_has_none(fixtures, tmp_path):
    xml = (fixtures / SBSYS_NEW).read_text(encoding="utf-8")
    earlier = xml.replace("Ditmer testudvalg den 31. marts 2016", "Testudvalg den 3. marts 2016")
    path = tmp_path / "earlier.xml"
    path.write_text(earlier, encoding="utf-8")
    one = parse_file(path).documents[0].items[0]
    assert one.decision is None
    assert "Tidligere behandling" in [s.heading for s in one.sections]
    agenda = xml.replace('Dagsordentype="Referat"', 'Dagsordentype="Dagsorden"')
    path.write_text(agenda, encoding="utf-8")
    doc = parse_file(path).documents[0]
    assert doc.kind is DocumentKind.AGENDA and all(i.decision is None for i in doc.items)


SBSYS_OLD = "sbsys-ballerup-2013/Publication32.xml"


def _sbsys_variant(fixtures: Path, tmp_path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    xml = (fixtures / SBSYS_OLD).read_text(encoding="utf-8-sig")
    path = tmp_path / "Publication32.xml"
    path.write_text(edit(xml), encoding="utf-8")
    return path


def test_sbsys_sub_numbered_items_and_container_zero(fixtures, tmp_path):
    def edit(xml: str) -> str:
        xml = xml.replace("<Number><![CDATA[2]]></Number>", "<Number><![CDATA[1.1]]></Number>")
        return xml.replace("<Number><![CDATA[3]]></Number>", "<Number><![CDATA[1.2]]></Number>")

    doc = parse_file(_sbsys_variant(fixtures, tmp_path, edit)).documents[0]
    assert [(i.number, i.sub_number) for i in doc.items] == [
        (1, None), (1, 1), (1, 2), (4, None), (5, None)
    ]  # fmt: skip
    assert doc.items[1].key == "punkt-1-1"

    def container(xml: str) -> str:
        # an empty grouping entry numbered 0 ahead of the items
        group = (
            "<Item><Caption><![CDATA[Åbne punkter]]></Caption><Number><![CDATA[0]]></Number></Item>"
        )
        return xml.replace("<Items>", "<Items>" + group, 1)

    result = parse_file(_sbsys_variant(fixtures, tmp_path, container))
    assert [i.number for i in result.documents[0].items] == [1, 2, 3, 4, 5]
    assert any("'Åbne punkter' groups items" in n for n in result.report.notes)


def test_sbsys_draft_is_an_agenda_and_placeholders_are_no_decisions(fixtures, tmp_path):
    def edit(xml: str) -> str:
        xml = xml.replace(
            "<PublicationTypeAsEnum><![CDATA[Final]]>", "<PublicationTypeAsEnum><![CDATA[Draft]]>"
        )
        return xml.replace(
            "<IsFeedback><![CDATA[True]]></IsFeedback>",
            "<IsFeedback><![CDATA[True]]></IsFeedback><Content><![CDATA[<p>Godkendt.</p>]]></Content>",
        )

    doc = parse_file(_sbsys_variant(fixtures, tmp_path, edit)).documents[0]
    assert doc.kind is DocumentKind.AGENDA

    def placeholder(xml: str) -> str:
        first = xml.replace(
            "<IsFeedback><![CDATA[True]]></IsFeedback>",
            "<IsFeedback><![CDATA[True]]></IsFeedback><Content><![CDATA[<p>Tomt indhold</p>]]></Content>",  # noqa: E501
            1,
        )
        return first.replace(
            "<IsFeedback><![CDATA[True]]></IsFeedback>",
            "<IsFeedback><![CDATA[True]]></IsFeedback><Content><![CDATA[<p>Punktet behandlet tidligere.</p>]]></Content>",  # noqa: E501
            1,
        )

    doc = parse_file(_sbsys_variant(fixtures, tmp_path, placeholder)).documents[0]
    assert doc.kind is DocumentKind.AGENDA and all(i.decision is None for i in doc.items)
    bodies = [s.body for i in doc.items for s in i.sections]
    assert "Tomt indhold" not in bodies


@pytest.mark.django_db
def test_sub_numbered_items_are_stored_with_their_sub_number(fixtures, tmp_path, actor):
    from gremium.meetings.from_document import meeting_store_document
    from gremium.meetings.models import Meeting

    def edit(xml: str) -> str:
        return xml.replace("<Number><![CDATA[2]]></Number>", "<Number><![CDATA[1.1]]></Number>")

    doc = parse_file(_sbsys_variant(fixtures, tmp_path, edit)).documents[0]
    assert [(i.number, i.sub_number) for i in doc.items][:2] == [(1, None), (1, 1)]
    meeting_store_document(document=dataclasses.replace(doc, body_name="B"), by=actor)
    (meeting,) = Meeting.objects.all()
    assert meeting.items.filter(number=1, sub_number=1).exists()


FUJITSU = "edoc-fujitsu-middelfart-2017"


def test_edoc_fujitsu_exports(fixtures):
    first = parse_file(fixtures / FUJITSU / "first/41a93779-8b2a-414b-9f87-691e24f8f40a.xml")
    doc = first.documents[0]
    assert (
        detect_kind(
            (fixtures / FUJITSU / "first/41a93779-8b2a-414b-9f87-691e24f8f40a.xml").read_bytes()
        )
        is SourceKind.EDOC_FUJITSU
    )
    assert doc.kind is DocumentKind.AGENDA
    assert (doc.organization_name, doc.start, doc.end, doc.location) == (
        "Hennys testudvalg", dt.datetime(2017, 5, 2, 10), dt.datetime(2017, 5, 2, 11),
        "Mødelokale 1, Midtpunkt",
    )  # fmt: skip
    assert [(p.name, p.party, p.role) for p in doc.participants][:2] == [
        ("Hanne Lauritsen", "F", "medlem"), ("Allan Buch", "A", "formand"),
    ]  # fmt: skip
    # the numbers printed are the serial numbers (this export starts at 2)
    assert [(i.number, i.title, i.reference) for i in doc.items] == [
        (2, "test", ""), (3, "test tabel", "200906126"), (4, "Fejloprettet", "2013-003869"),
        (5, "Fejloprettet", "2013-000038"), (6, "Underskriftsblad", ""),
    ]  # fmt: skip
    assert doc.items[2].public_title == "Udvalgets indsatser 2010-2013"
    headings = [s.heading for s in doc.items[2].sections]
    assert headings[:2] == ["Præsentation", "Forvaltningen foreslår"]
    assert all(i.decision is None for i in doc.items)

    second = parse_file(fixtures / FUJITSU / "second/e9117c72-1d79-4fe9-9653-ef7ab6f27187.xml")
    doc = second.documents[0]
    assert [(i.number, i.public) for i in doc.items] == [
        (1, True), (2, True), (3, True), (4, True), (5, False), (6, False)
    ]  # fmt: skip
    # links say .pdf, the files are .PDF: found all the same
    first_item = doc.items[0]
    assert [a.name for a in first_item.attachments] == [
        "TrekantBrand Nyhedsbrev nr. 1-2017.msg", "Nyhedsbrev nr. 1-2017.pdf",
        "Signaturbevis.txt", "TrekantBrand nyhedsbrev nr. 2-2017.msg",
    ]  # fmt: skip
    assert all(a.path.endswith(".PDF") and a.sha256 for a in first_item.attachments)
    closed = doc.items[4]
    assert len(closed.attachments) == 8 and not any(a.public for a in closed.attachments)


def test_edoc_fujitsu_reports_files_that_differ_only_in_case(fixtures, tmp_path):
    import shutil

    source = fixtures / FUJITSU / "second"
    target = tmp_path / "export"
    shutil.copytree(source, target)
    twin = target / "Attachments" / "6104646-6648380-1.pdf"
    twin.write_bytes(b"%PDF-1.4 another file\n")
    assert len([p for p in twin.parent.iterdir() if p.name.lower() == twin.name]) == 2
    result = parse_file(target / "e9117c72-1d79-4fe9-9653-ef7ab6f27187.xml")
    first = result.documents[0].items[0].attachments[0]
    assert first.path == "" and first.name == "TrekantBrand Nyhedsbrev nr. 1-2017.msg"
    assert any("differ only in case" in n for n in result.report.notes)


ACADRE = "acadre-syddjurs-2013"


@pytest.mark.parametrize("name", ["XML_1863.xml", "Files_1863_3687982/3687981.XML"])
def test_acadre_index_and_agenda(fixtures, name):
    assert detect_kind((fixtures / ACADRE / name).read_bytes()) is SourceKind.ACADRE
    doc = parse_file(fixtures / ACADRE / name).documents[0]
    assert doc.kind is DocumentKind.MINUTES
    assert (doc.organization_name, doc.start, doc.end, doc.location) == (
        "Udvalget for plan, udvikling og kultur (PUK)", dt.datetime(2013, 6, 20, 10, 30),
        dt.datetime(2013, 6, 20, 13, 0), "Kaløvig Kursuscenter",
    )  # fmt: skip
    assert [(p.name, p.party) for p in doc.participants] == [
        ("Jesper Mathiesen", "A"), ("Ole Bollesen", "A"), ("Niels Viderø", "A"),
        ("Ole Bjerregaard", "V"), ("Steen Fris", "C"),
    ]  # fmt: skip
    (item,) = doc.items
    assert (item.number, item.title, item.reference, item.public) == (
        1,
        "Kulturkommune 2017. Politiske fokusområder",
        "12/27845",
        True,
    )
    # decisions of 10 and 24 April are history; this meeting's is the one of 20 June
    assert item.decision.text.startswith("Punktet blev drøftet.")
    headings = [s.heading for s in item.sections]
    assert "Beslutning i Udvalget for plan, udvikling og kultur (PUK) den 10-04-2013" in headings
    assert item.attachments[0].name == "Opsamlingsnotat. Temamøde 20.09.2012"
    assert item.attachments[0].path and not item.attachments[1].path


def test_a_json_file_that_is_not_firstagenda_is_refused_with_its_name(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"Dagsordenpunkter": 3, "Moede": {}}', encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"other\.json: not a FirstAgenda publication"):
        parse_file(path)
