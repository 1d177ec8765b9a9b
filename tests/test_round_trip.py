"""Round trip: a meeting rendered to Markdown and imported again is the same meeting."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gremium.documents.markdown import render_markdown
from gremium.importers import parse_file
from gremium.lib.document_structure import (
    AttachmentRef,
    Audience,
    Decision,
    Document,
    DocumentKind,
    Item,
    Participant,
    Section,
)

ORG = "Teknik- og Miljøudvalget"
WORD = st.text(alphabet="abcdefghijklmnoprstuvyæøåABDEFGHKLMNOPRSTÆØÅ", min_size=2, max_size=9)
SENTENCE = st.lists(WORD, min_size=2, max_size=8).map(lambda w: " ".join(w).capitalize() + ".")
PARAGRAPHS = st.lists(SENTENCE, min_size=1, max_size=3).map("\n\n".join)
HEADING = st.sampled_from(
    [
        "Sagsresume",
        "Indstilling",
        "Sagsfremstilling",
        "Økonomi",
        "Procedure",
        "Beslutningstema",
        "Sagens kerne",
        "Høring",
        "Bemærkninger fra Handicaprådet",
    ]
)
NAME = st.tuples(WORD, WORD).map(lambda p: f"{p[0].capitalize()} {p[1].capitalize()}")
REFERENCE = st.sampled_from(["25/30508", "2012-28504", "330-2018-3619", "EMN-2025-003383"])
OUTCOME = st.sampled_from(["Godkendt", "Drøftet", "Taget til efterretning", "Udsat", "Afvist"])


@st.composite
def documents(draw: st.DrawFn) -> Document:
    names = draw(st.lists(NAME, min_size=2, max_size=6, unique=True))
    absent = draw(st.sets(st.sampled_from(names), max_size=1))
    first = draw(st.integers(min_value=1, max_value=150))
    count = draw(st.integers(min_value=1, max_value=5))
    day = draw(st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 12, 31)))
    items = tuple(_item(draw, first + n, day, tuple(sorted(absent))) for n in range(count))
    return Document(
        kind=DocumentKind.MINUTES,
        audience=Audience.INTERNAL,
        body_name="",
        organization_name=ORG,
        start=dt.datetime.combine(day, dt.time(16, 30)),
        location=draw(st.sampled_from(["Rådhuset", "Mødelokale 2", "Borgerservice"])),
        participants=tuple(Participant(name=n, absent=n in absent) for n in names),
        items=items,
    )


def _item(draw: st.DrawFn, number: int, day: dt.date, absent: tuple[str, ...]) -> Item:
    headings = draw(st.lists(HEADING, min_size=1, max_size=4, unique=True))
    outcome = draw(OUTCOME)
    return Item(
        number=number,
        title=draw(SENTENCE).rstrip("."),
        reference=draw(REFERENCE),
        sections=tuple(Section(h, draw(PARAGRAPHS)) for h in headings),
        decision=Decision(ORG, day, outcome, f"{outcome}. {draw(SENTENCE)}"),
        absent=absent,
        attachments=tuple(
            AttachmentRef(name=draw(SENTENCE).rstrip(".")) for _ in range(draw(st.integers(0, 2)))
        ),
        key=f"punkt-{number}",
    )


def _essence(document: Document) -> tuple:
    items = tuple(
        (
            i.number,
            i.title,
            i.reference,
            i.sections,
            (i.decision.outcome, i.decision.text, i.decision.date) if i.decision else None,
            i.absent,
            tuple(a.name for a in i.attachments),
        )
        for i in document.items
    )
    people = tuple((p.name, p.absent) for p in document.participants)
    return (document.organization_name, document.start, document.location, people, items)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_markdown_round_trip_gives_the_same_meeting(document: Document) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "referat.md"
        path.write_text(render_markdown(document), encoding="utf-8")
        (again,) = parse_file(path).documents
    assert _essence(again) == _essence(document)


def test_our_own_minutes_pdf_imports_back_to_the_same_meeting(tmp_path: Path) -> None:
    """Paragraph breaks do not survive PDF text extraction; everything else must."""
    from gremium.demo.seed import seed_expected
    from gremium.documents.pdf import render_pdf

    seed = seed_expected()
    path = tmp_path / "referat.pdf"
    path.write_bytes(render_pdf(seed))
    (again,) = parse_file(path).documents

    def shape(document: Document) -> tuple:
        return (
            document.organization_name, document.start, document.location,
            tuple((p.name, p.absent) for p in document.participants),
            tuple(
                (i.number, i.title, i.reference, tuple(s.heading for s in i.sections),
                 (i.decision.outcome, i.decision.text) if i.decision else None, i.absent,
                 tuple(a.name for a in i.attachments))
                for i in document.items
            ),
        )  # fmt: skip

    assert shape(again) == shape(seed)
    for read, written in zip(again.items, seed.items, strict=True):
        for section_read, section_written in zip(read.sections, written.sections, strict=True):
            first_words = " ".join(section_written.body.split()[:6])
            assert first_words in " ".join(section_read.body.split())


def test_our_own_web_page_imports_back_to_the_same_meeting(tmp_path: Path) -> None:
    """Minutes published as HTML (the portal's page) read back completely."""
    from gremium.demo.seed import seed_expected
    from gremium.documents.html import render_html

    seed = seed_expected()
    page = (
        '<!DOCTYPE html><html lang="da"><head><title>Referat</title>'
        "<style>body{}</style><script>var x = 'Punkt 99: Ikke et punkt';</script></head>"
        f"<body><nav><a href='/'>Møder</a></nav>{render_html(seed)}</body></html>"
    )
    path = tmp_path / "referat.html"
    path.write_text(page, encoding="utf-8")
    result = parse_file(path)
    (again,) = result.documents
    assert _essence(again) == _essence(seed)
    assert result.report.unplaced == []
