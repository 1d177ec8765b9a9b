from __future__ import annotations

import datetime as dt
from pathlib import Path

from gremium.importers import parse_file
from gremium.lib.document_structure import DocumentKind, VoteLine


def test_council_minutes_layouts(fixtures: Path):
    result = parse_file(fixtures / "handmade-kommunalbestyrelsen.txt")
    doc = result.documents[0]
    assert doc.organization_name == "Kommunalbestyrelsen"
    assert (doc.start, doc.end) == (dt.datetime(2025, 3, 24, 17), dt.datetime(2025, 3, 24, 21, 15))
    assert doc.location == "Byrådssalen, Rådhuset"
    by_name = {p.name: p for p in doc.participants}
    assert by_name["Anne Holm"].role == "borgmester"
    assert by_name["Erik Lund"].substitute_for == "Karen Bak"
    assert by_name["Karen Bak"].absent and by_name["Gitte Ravn"].absent
    assert not by_name["Frank Mose"].absent  # only away for two items
    items = {i.number: i for i in doc.items}
    assert [(n, i.reference) for n, i in items.items()] == [
        (127, "1-51-71-3321-08"), (128, "330-2018-3619"), (129, "EMN-2025-003383"),
        (130, "306-2009-600"), (131, "299835"),
    ]  # fmt: skip
    assert [i.title for i in doc.items][3:] == ["Personalesag", "Underskriftsside"]
    assert [i.public for i in doc.items] == [True, True, True, False, True]
    assert items[127].absent == ("Karen Bak", "Gitte Ravn")
    assert set(items[129].absent) == {"Karen Bak", "Gitte Ravn", "Frank Mose", "Hans Bjerg"}
    assert "Frank Mose" not in items[131].absent and "Hans Bjerg" in items[131].absent
    assert "Hans Bjerg" not in items[128].absent  # left during 128, after it began
    assert items[128].votes == (
        VoteLine("For", ("A", "V", "F"), ()), VoteLine("Imod", ("O",), ()),
        VoteLine("Undlod", (), ("Bo Ek",)),
    )  # fmt: skip
    assert items[128].decision.outcome == "Anbefales"
    assert [s.heading for s in items[128].sections] == ["Beslutningstema", "Sagens kerne"]
    assert items[128].conflicts == ("Dorte Friis",)
    assert items[129].conflicts == ("Carl Dahl",)
    assert items[129].decision.outcome == "Udsat"
    assert (
        items[129].sections[0].body
        == "Et firma vil købe en erhvervsgrund på 2 ha til markedsprisen."
    )
    assert "Side 1 af 1" not in items[131].sections[0].body
    assert result.report.unplaced == []


def test_markdown_agenda_layouts(fixtures: Path):
    doc = parse_file(fixtures / "handmade-udvalg-markdown.md").documents[0]
    assert doc.kind is DocumentKind.AGENDA
    assert doc.start == dt.datetime(2025, 5, 5, 15, 30)
    assert [p.name for p in doc.participants if p.absent] == ["Jens Vang"]
    assert [(i.number, i.title, i.public) for i in doc.items] == [
        (41, "Vintertjeneste", True), (42, "Køb af ejendom", False), (43, "Eventuelt", True),
    ]  # fmt: skip
    assert doc.items[0].sections[1].body == "| Post | Beløb |\n|---|---|\n| Salt | 1,2 mio. kr. |"
    assert [a.name for a in doc.items[2].attachments] == ["Kort over området", "Notat om trafik"]
    assert all(i.decision is None for i in doc.items)


def test_bare_title_with_empty_closed_section_is_closed(tmp_path: Path):
    path = tmp_path / "lukket.md"
    path.write_text(
        "# REFERAT Økonomiudvalget d. 01-04-2025\n\n## Punkt 5: Godkendelse af dagsorden\n\n"
        "### Beslutning i Økonomiudvalget den 01-04-2025\n\nGodkendt.\n\n"
        "## Punkt 6: Salg af Nørregade 4\n\n2012-28504\n\n### Lukket referat\n\n"
        "## Punkt 7: Eventuelt\n\n### Beslutning i Økonomiudvalget den 01-04-2025\n\n"
        "Ikke godkendt, sagen sendes tilbage.\n",
        encoding="utf-8",
    )
    doc = parse_file(path).documents[0]
    assert [(i.number, i.public) for i in doc.items] == [(5, True), (6, False), (7, True)]
    assert doc.items[1].title == "Salg af Nørregade 4"
    assert doc.items[2].decision.outcome == "Ikke godkendt"


def test_plain_text_minutes_with_organization_above_the_title_and_a_time_range(fixtures: Path):
    (document,) = parse_file(fixtures / "handmade-okonomiudvalget-plain.txt").documents
    assert document.organization_name == "Økonomiudvalget"
    assert document.start == dt.datetime(2025, 1, 15, 15, 0)
    assert document.end == dt.datetime(2025, 1, 15, 17, 30)
    assert document.location == "Rådhuset, mødelokale 1"
    assert [p.name for p in document.participants if p.absent] == ["Erik Olsen"]
    budget = document.items[1]
    assert budget.reference == "330-2024-3619"
    assert [(v.choice, v.parties) for v in budget.votes] == [
        ("For", ("A", "F", "O")),
        ("Imod", ("V",)),
    ]
    assert budget.conflicts == ("Dorte Nielsen",)
    assert "1. at budgetopfølgningen tages til efterretning," in budget.sections[1].body
    closed = document.items[2]
    assert (closed.title, closed.public) == ("Salg af grund", False)
