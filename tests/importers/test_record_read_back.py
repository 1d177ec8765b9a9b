"""11.6: gremium's own published minutes, with approvals on the signature page, a
protokoltilførsel and an addendum, read back the same in each format."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from gremium.demo.seed import seed_expected
from gremium.importers import parse_file
from gremium.lib.document_structure import Addendum, Dissent, Document, Signature
from gremium.meetings.models import Dissent as StoredDissent
from gremium.meetings.models import Meeting

DISSENT = Dissent("Alex Bødiker", "Jeg kan ikke støtte indstillingen.")
ADDENDUM = Addendum(dt.datetime(2026, 2, 10, 9, 30), "Inga Lykke", "Rettelse: tallet er 12.")
SIGNED = (
    Signature("Alex Bødiker", dt.datetime(2026, 2, 3, 10, 0)),
    Signature("Inga Lykke", dt.datetime(2026, 2, 3, 11, 5), reservation="Forbehold for punkt 14"),
)


def _minutes() -> Document:
    seed = seed_expected()
    items = list(seed.items)
    items[1] = dataclasses.replace(items[1], dissents=(DISSENT,), addenda=(ADDENDUM,))
    unsigned = Signature("Keld Valentin", None)
    return dataclasses.replace(seed, items=tuple(items), signatures=(*SIGNED, unsigned))


def _write(document: Document, kind: str, folder: Path) -> Path:
    if kind == "md":
        from gremium.documents.markdown import render_markdown

        path = folder / "referat.md"
        path.write_text(render_markdown(document), encoding="utf-8")
    elif kind == "pdf":
        from gremium.documents.pdf import render_pdf

        path = folder / "referat.pdf"
        path.write_bytes(render_pdf(document))
    else:
        from gremium.documents.html import render_html

        path = folder / "referat.html"
        page = '<!DOCTYPE html><html lang="da"><head><title>Referat</title></head><body>'
        path.write_text(f"{page}{render_html(document)}</body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["md", "pdf", "html"])
def test_signatures_protokoltilfoersler_and_addenda_read_back(kind, tmp_path):
    written = _minutes()
    result = parse_file(_write(written, kind, tmp_path))
    (again,) = result.documents
    assert again.signatures == SIGNED  # the unsigned line records nobody
    assert again.items[1].dissents == (DISSENT,)
    assert again.items[1].addenda == (ADDENDUM,)
    # Neither is left in the item's sections, and the rest of the item is as written.
    assert [s.heading for s in again.items[1].sections] == [
        s.heading for s in written.items[1].sections
    ]
    assert [i.dissents for i in again.items[2:]] == [() for _ in written.items[2:]]
    assert not [u for u in result.report.unplaced if "Bødiker" in u.text]


@pytest.mark.django_db
def test_import_stores_the_protokoltilfoersel_and_names_what_has_no_place(tmp_path, capsys):
    path = _write(_minutes(), "md", tmp_path)
    call_command("import", str(path), "--body", "Haderslev Kommune")
    out = capsys.readouterr().out
    stored = StoredDissent.objects.get()
    assert (stored.person.name, stored.text) == (DISSENT.name, DISSENT.text)
    assert stored.agenda_item.number == 13
    assert Meeting.objects.get().approvals.count() == 0
    # Approvals and the addendum are read but an import does not approve or correct:
    # the notes name each of them.
    assert "Alex Bødiker 03-02-2026 10:00" in out
    assert "Inga Lykke 03-02-2026 11:05" in out
    assert "Rettelse: tallet er 12." in out
