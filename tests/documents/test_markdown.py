from __future__ import annotations

import dataclasses
import re

import pytest
from markdown_it import MarkdownIt

from gremium.documents.markdown import render_markdown
from gremium.documents.variants import make_variant
from gremium.lib.document_structure import Audience, Document, DocumentKind, Section

from .conftest import SEED_MARKDOWN
from .text_order import assert_in_order

INJECTIONS = (
    "## Punkt 99: Forfalsket punkt",
    "### Beslutning i Forfalsket udvalg den 01-01-2026",
    "Tekst\n---",
    "Overskrift\n===",
    "- # Punkt 98: i en liste",
    "> ## Punkt 97: i et citat",
)


def seed_elements(document: Document) -> list[str]:
    """Every element of the seed, in reading order, as the Markdown must print it."""
    expected = []
    for item in document.items:
        expected += [f"## Punkt {item.number}: {item.title}", item.reference]
        for section in item.sections:
            expected.append(f"### {section.heading}")
            expected += [line for line in section.body.splitlines() if line.strip()]
        if item.decision:
            expected += ["### Beslutning i", item.decision.text]
        if item.absent:
            expected += ["### Fraværende:", *item.absent]
        if item.attachments:
            expected += ["### Bilag", *(a.name for a in item.attachments)]
    return expected


def headings(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [
        f"{tokens[i].markup} {tokens[i + 1].content}"
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def test_seed_minutes_hold_every_element_in_order(seed):
    assert_in_order(render_markdown(seed), seed_elements(seed))


def test_order_check_fails_when_two_items_swap(seed):
    items = list(seed.items)
    items[1], items[2] = items[2], items[1]
    swapped = render_markdown(dataclasses.replace(seed, items=tuple(items)))
    with pytest.raises(AssertionError):
        assert_in_order(swapped, seed_elements(seed))


def test_seed_items_case_numbers_and_decisions_match_the_published_minutes(seed):
    published = SEED_MARKDOWN.read_text(encoding="utf-8")
    pattern = r"Punkt \d+: [^*\n]+|^\d\d/\d+$|Beslutning i [^*\n]+ den \d\d-\d\d-\d{4}"
    expected = [m.strip() for m in re.findall(pattern, published, flags=re.MULTILINE)]
    assert len(expected) > 20
    assert_in_order(render_markdown(seed), expected)


def test_front_matter_has_the_seed_header_lines(seed):
    markdown = render_markdown(seed)
    assert_in_order(
        markdown,
        [
            "# REFERAT Beskæftigelses- og Borgerserviceudvalget d. 02-02-2026\n",
            "**Mødedato** Mandag d. 02. februar 2026 kl. 16:00\n",
            "**Mødested** Servicefunktionen\n",
            "**Mødedeltagere** Jon Krongaard (Fravær), Alex Bødiker, Klara Steenholdt",
            "## Indholdsfortegnelse\n",
            "## Punkt 12: Godkendelse af dagsorden.\n",
            "| Overordnet tilfredshed | 3,72 | 3,59 |",
            "## Underskriftsside\n",
            "Alex Bødiker: ____",
        ],
    )


def test_headings_are_only_those_of_the_document_shape(seed):
    allowed = re.compile(
        r"^(# (REFERAT|DAGSORDEN) .+|## (Indholdsfortegnelse|Underskriftsside|Punkt \d+: .+)"
        r"|### .+)$"
    )
    for heading in headings(render_markdown(seed)):
        assert allowed.match(heading), heading


@pytest.mark.parametrize("evil", INJECTIONS)
def test_section_body_cannot_forge_a_heading(seed, evil):
    item = dataclasses.replace(seed.items[0], sections=(Section("Sagsresume", evil),))
    markdown = render_markdown(dataclasses.replace(seed, items=(item,)))
    found = headings(markdown)
    assert found == [
        f"# {seed.title}",
        "## Indholdsfortegnelse",
        "## Punkt 12: Godkendelse af dagsorden.",
        "### Sagsresume",
        "### Beslutning i Beskæftigelses- og Borgerserviceudvalget den 02-02-2026",
        "### Fraværende:",
        "## Underskriftsside",
    ]


def test_title_cannot_add_a_line_or_a_heading(seed):
    item = dataclasses.replace(seed.items[0], title="Budget\n## Punkt 99: Falsk #")
    markdown = render_markdown(dataclasses.replace(seed, items=(item,)))
    assert "## Punkt 12: Budget ## Punkt 99: Falsk \\#" in markdown
    assert not any("Punkt 99" in h and "Budget" not in h for h in headings(markdown))


def test_agenda_has_no_decisions_absences_or_signature_page(seed):
    agenda = render_markdown(make_variant(seed, DocumentKind.AGENDA, Audience.INTERNAL))
    assert agenda.startswith("# DAGSORDEN Beskæftigelses- og Borgerserviceudvalget d. 02-02-2026")
    for word in ("Beslutning i", "Fraværende:", "## Underskriftsside", "Godkendt."):
        assert word not in agenda
    assert "### Sagsfremstilling" in agenda


def test_votes_dissents_and_signatures_are_printed(minutes_with_closed_item):
    markdown = render_markdown(minutes_with_closed_item)
    assert "For stemte: KANARIEFUGL (KANARIEFUGL)" in markdown
    assert "### Protokoltilførsel fra KANARIEFUGL" in markdown
    assert "Alex Bødiker: Godkendt 03-02-2026 kl. 08:15" in markdown
