"""Earned confidence: a text import agrees with the document's own table of contents and
with the run of its item numbers, or says where it does not and writes nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from gremium.importers import parse_file
from gremium.importers.contents import ReadItem, reconcile, same_title
from gremium.importers.lines import Line
from gremium.meetings.models import AgendaItem, Meeting


def _items(result):
    (document,) = result.documents
    return [(item.number, item.title) for item in document.items]


def test_aarhus_numbered_lines_inside_an_item_do_not_replace_the_real_items(fixtures):
    """The issue's FirstAgenda case: "1. Aarhus Byråd træffer …" in item 2, right after
    an item 1 with no text, once took the places of items 1 and 2."""
    result = parse_file(fixtures / "contents" / "aarhus-byraad-numbered-lists.txt")
    assert _items(result) == [
        (1, "Godkendelse af dagsorden"),
        (2, "Forslag til budget 2026 for Aarhus Kommune"),
        (3, "Udbud af busdrift i Aarhus"),
    ]
    (document,) = result.documents
    indstilling = document.items[1].sections[0].body
    assert "Aarhus Byråd træffer beslutning" in indstilling
    assert "Byrådet pålægger Magistraten" in indstilling
    assert result.report.disagreements == []
    assert result.report.confidence.startswith("high")


def test_minutes_with_numbered_lists_import_to_the_items_of_their_contents(fixtures):
    result = parse_file(fixtures / "contents" / "numbered-lists.txt")
    assert _items(result) == [
        (41, "Godkendelse af dagsorden"),
        (42, "Budgetopfølgning 1. kvartal"),
        (43, "Salg af grund i Vestbyen"),
    ]
    (document,) = result.documents
    assert [i.reference for i in document.items] == ["24/500", "24/501", "24/502"]
    assert "Anlægsprojekter omtales i bilag 3" in document.items[1].sections[0].body
    assert "Tredje etape i 2026" in document.items[2].sections[0].body
    assert result.report.disagreements == []


def test_the_seeds_contents_agree_with_its_items(fixtures):
    result = parse_file(fixtures / "haderslev-bbu-2026-02-02.md")
    assert result.report.disagreements == []
    assert result.report.confidence.startswith("high")


def test_contents_and_items_that_disagree_are_named_with_line_and_page(fixtures):
    result = parse_file(fixtures / "contents" / "contents-disagree.txt")
    found = [str(d) for d in result.report.disagreements]
    assert found == [
        "side 1, linje 8: indholdsfortegnelsen nævner «2. Affaldsplan 2025-2030», "
        "men intet punkt har den titel",
        "side 1, linje 16: punktet «2. Vejplan for Nordbyen» står ikke i indholdsfortegnelsen",
    ]
    assert not result.report.confidence.startswith("high")


@pytest.mark.django_db
def test_a_disagreeing_file_is_not_written_without_force(fixtures, capsys):
    path = fixtures / "contents" / "contents-disagree.txt"
    with pytest.raises(CommandError):
        call_command("import", str(path), "--body", "Testby Kommune")
    err = capsys.readouterr().err
    assert "--force" in err
    assert "side 1, linje 16" in err
    assert Meeting.objects.count() == 0
    assert AgendaItem.objects.count() == 0


@pytest.mark.django_db
def test_a_disagreeing_file_is_written_with_force(fixtures, capsys):
    path = fixtures / "contents" / "contents-disagree.txt"
    call_command("import", str(path), "--body", "Testby Kommune", "--force")
    assert Meeting.objects.count() == 1
    titles = list(AgendaItem.objects.order_by("number").values_list("title", flat=True))
    assert titles == ["Godkendelse af dagsorden", "Vejplan for Nordbyen", "Eventuelt"]


def _read(number: int | None, title: str, line: int) -> ReadItem:
    return ReadItem(number, title, Line(line, title, 2))


def test_numbers_that_run_backwards_or_repeat_disagree_but_gaps_do_not():
    items = [_read(5, "A", 10), _read(7, "B", 20), _read(7, "C", 30), _read(3, "D", 40)]
    found = reconcile({}, {}, items)
    assert [(d.line, d.page) for d in found] == [(30, 2), (40, 2)]
    assert "punkt 3 følger efter punkt 7" in found[1].text


def test_titles_compare_without_case_punctuation_closed_marks_or_cut_ends():
    assert same_title("Godkendelse af dagsorden.", "GODKENDELSE AF DAGSORDEN")
    assert same_title("Lukket: Salg af grund", "Salg af grund")
    assert same_title("Resultat af KL tilfredshedsmåling af jobcenterets", "Resultat af KL "
                      "tilfredshedsmåling af jobcenterets virksomhedsservice 2025")  # fmt: skip
    assert not same_title(
        "Aarhus Byråd træffer beslutning om budgettet", "Godkendelse af dagsorden"
    )
    assert not same_title("", "Eventuelt")


def test_decisions_come_only_from_this_meetings_decision_heading(fixtures):
    result = parse_file(fixtures / "contents" / "decisions-history.txt")
    (document,) = result.documents
    havnen, skole, eventuelt = document.items
    assert havnen.decision is not None
    assert (havnen.decision.organization, havnen.decision.text) == ("Byrådet", "Godkendt.")
    history = [s.heading for s in havnen.sections]
    assert history == [
        "Sagsforløb",
        "Beslutning i Teknik- og Miljøudvalget den 03-06-2024",
        "Beslutning i Økonomiudvalget den 17-06-2024",
    ]
    # An earlier meeting's postponement is history, "Tomt indhold" and an empty heading
    # are placeholders: none of them is this meeting's decision.
    assert skole.decision is None
    assert "Udsat." in [s.body for s in skole.sections]
    assert eventuelt.decision is None


@pytest.mark.parametrize(
    ("header", "body"),
    [
        ("Aarhus Byråd", "Aarhus Kommune"),
        ("Regionsrådet, Region Hovedstaden", "Region Hovedstaden"),
        ("Kommunalbestyrelsen i Lejre", "Lejre Kommune"),
        ("Høje-Taastrup Byråd", "Høje-Taastrup Kommune"),
        ("Byrådet\nRingkøbing-Skjern Kommune", "Ringkøbing-Skjern Kommune"),
    ],
)
def test_the_body_is_read_from_the_header(tmp_path, header, body):
    path = tmp_path / "referat.txt"
    path.write_text(
        f"Referat\n{header}\nOnsdag den 8. oktober 2025 kl. 18.30\n\n"
        "Punkt 1: Godkendelse af dagsorden\n25/1\nBeslutning\nGodkendt.\n"
        "Punkt 2: Tilskud til Aarhus Kommune og Odense Kommune\n25/2\n",
        encoding="utf-8",
    )
    (document,) = parse_file(path).documents
    assert document.body_name == body


def test_a_header_naming_two_bodies_names_neither(tmp_path):
    path = tmp_path / "referat.txt"
    path.write_text(
        "Referat\nAarhus Kommune og Region Midtjylland\nOnsdag den 8. oktober 2025\n\n"
        "Punkt 1: Godkendelse af dagsorden\n25/1\n",
        encoding="utf-8",
    )
    result = parse_file(path)
    assert result.documents[0].body_name == ""
    assert any("Aarhus Kommune, Region Midtjylland" in n for n in result.report.notes)


@pytest.mark.django_db
def test_an_unnamed_body_asks_for_body_and_writes_nothing(fixtures, capsys):
    path = fixtures / "contents" / "numbered-lists.txt"
    with pytest.raises(CommandError):
        call_command("import", str(path))
    assert "--body" in capsys.readouterr().err
    assert Meeting.objects.count() == 0
    call_command("import", str(path), "--body", "Vejle Kommune")
    assert Meeting.objects.get().organization.body.name == "Vejle Kommune"


@pytest.mark.django_db
def test_the_aarhus_minutes_import_without_body(fixtures):
    call_command("import", str(fixtures / "contents" / "aarhus-byraad-numbered-lists.txt"))
    meeting = Meeting.objects.get()
    assert meeting.organization.body.name == "Aarhus Kommune"
    assert meeting.items.count() == 3
