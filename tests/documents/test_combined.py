from __future__ import annotations

import dataclasses
import io

import pikepdf
import pytest
import typst

from gremium.documents.combined import render_combined
from gremium.documents.errors import RenderError
from gremium.lib.document_structure import AttachmentRef

from .pdf_reading import page_texts


def attachment_pdf(tmp_path, name: str, pages: int):
    path = tmp_path / f"{name}.pdf"
    source = "\n#pagebreak()\n".join(f"Bilagsside {name} {n}" for n in range(1, pages + 1))
    path.write_bytes(typst.compile(source.encode()))
    return AttachmentRef(name=name, path=str(path), mime_type="application/pdf")


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


def test_broken_attachment_raises_an_error_naming_the_file(seed, tmp_path):
    broken = tmp_path / "oedelagt-bilag.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not really a PDF")
    document = with_attachments(seed, {0: (AttachmentRef(name="Ødelagt", path=str(broken)),)})
    with pytest.raises(RenderError, match=r"oedelagt-bilag\.pdf"):
        render_combined(document)


def test_missing_attachment_raises_an_error_naming_the_file(seed, tmp_path):
    missing = tmp_path / "forsvundet.pdf"
    document = with_attachments(seed, {0: (AttachmentRef(name="Væk", path=str(missing)),)})
    with pytest.raises(RenderError, match=r"forsvundet\.pdf"):
        render_combined(document)
