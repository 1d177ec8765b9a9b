from __future__ import annotations

import dataclasses
import io

import pikepdf
import pytest
import typst

from gremium.documents.combined import render_combined
from gremium.lib.document_structure import AttachmentRef
from tests import hostile_files as files

from .pdf_reading import page_texts


@pytest.fixture(autouse=True)
def _storage_in_tmp(settings, tmp_path):
    # The combined PDF reads attachments from the file storage by name.
    settings.MEDIA_ROOT = str(tmp_path)


def attachment_pdf(tmp_path, name: str, pages: int):
    path = tmp_path / f"{name}.pdf"
    source = "\n#pagebreak()\n".join(f"Bilagsside {name} {n}" for n in range(1, pages + 1))
    path.write_bytes(typst.compile(source.encode()))
    return AttachmentRef(name=name, path=path.name, mime_type="application/pdf")


def with_attachments(seed, by_item: dict[int, tuple[AttachmentRef, ...]]):
    items = tuple(
        dataclasses.replace(item, attachments=by_item.get(index, item.attachments))
        for index, item in enumerate(seed.items)
    )
    return dataclasses.replace(seed, items=items)


def test_combined_pdf_has_a_bookmark_per_item_and_attachment(seed, tmp_path):
    first, second = attachment_pdf(tmp_path, "Budget", 2), attachment_pdf(tmp_path, "Kort", 1)
    not_at_hand = AttachmentRef(name="Kun navnet")
    document = with_attachments(seed, {1: (first, not_at_hand), 3: (second,)})
    pdf = render_combined(document)
    texts = page_texts(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as bundle, bundle.open_outline() as outline:
        top = {entry.title: entry for entry in outline.root}
        for item in seed.items:
            assert f"Punkt {item.number}: {item.title}" in top
        marks = {
            c.title: c for e in outline.root for c in e.children if c.title.startswith("Bilag: ")
        }
        assert set(marks) == {"Bilag: Budget", "Bilag: Kort"}
        for name in ("Budget", "Kort"):
            page = pikepdf.Page(marks[f"Bilag: {name}"].destination[0]).index
            assert texts[page].startswith(f"Bilagsside {name} 1")
        item_13 = top["Punkt 13: Introduktion til beskæftigelses- og integrationsområdet"]
        assert "Bilag: Budget" in [c.title for c in item_13.children]
    assert len(texts) == len(page_texts(render_combined(seed))) + 3


def test_combined_pdf_does_not_claim_conformance_it_cannot_keep(seed, tmp_path):
    document = with_attachments(seed, {1: (attachment_pdf(tmp_path, "Budget", 1),)})
    with pikepdf.open(io.BytesIO(render_combined(document))) as bundle:
        meta = bundle.open_metadata()
        assert "pdfaid:part" not in meta
        assert "pdfuaid:part" not in meta
        assert "/StructTreeRoot" in bundle.Root


def _left_out_notes(pdf: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as bundle, bundle.open_outline() as outline:
        marks = [c for e in outline.root for c in [e, *e.children]]
        return [m.title for m in marks if m.title.endswith("kunne ikke vedlægges")]


def test_an_unreadable_attachment_is_left_out_with_a_page_saying_so(seed, tmp_path):
    broken = tmp_path / "oedelagt-bilag.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not really a PDF")
    missing = tmp_path / "forsvundet.pdf"
    good = attachment_pdf(tmp_path, "Budget", 1)
    document = with_attachments(
        seed,
        {
            0: (
                AttachmentRef(name="Ødelagt", path=broken.name),
                AttachmentRef(name="Væk", path=missing.name),
                good,
            )
        },
    )
    pdf = render_combined(document)
    assert _left_out_notes(pdf) == [
        "Bilaget Ødelagt kunne ikke vedlægges",
        "Bilaget Væk kunne ikke vedlægges",
    ]
    texts = [" ".join(text.split()) for text in page_texts(pdf)]
    notes = [t for t in texts if "kunne ikke vedlægges" in t]
    assert len(notes) == 2 and all("Kontakt sekretariatet" in t for t in notes)
    assert any(t.startswith("Bilagsside Budget 1") for t in texts)  # the good one follows


def test_active_content_of_any_attachment_never_reaches_the_combined_pdf(seed, tmp_path):
    refs = []
    for name, hostile in files.every_kind_of_active_content().items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(hostile)  # as stored before uploads were cleaned
        refs.append(AttachmentRef(name=name, path=path.name, mime_type="application/pdf"))
    pdf = render_combined(with_attachments(seed, {0: tuple(refs)}))
    assert files.active_content(pdf) == []
    assert _left_out_notes(pdf) == []
    with pikepdf.open(io.BytesIO(pdf)) as bundle:
        links = [a for page in bundle.pages for a in page.obj.get("/Annots", [])]
        uris = [str(a.A.URI) for a in links if "/A" in a and a.A.get("/S") == "/URI"]
    assert "https://example.dk/" in uris  # an ordinary web link stays
