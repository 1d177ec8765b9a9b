from __future__ import annotations

import dataclasses
import io

import pikepdf
import pytest
import typst

from gremium.documents.combined import render_combined
from gremium.documents.pdf import render_pdf
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


def _tagged_attachment(seed, tmp_path) -> AttachmentRef:
    """A tagged PDF with headings and a table: gremium's own minutes of two items."""
    path = tmp_path / "tagget.pdf"
    path.write_bytes(render_pdf(dataclasses.replace(seed, items=seed.items[3:5])))
    return AttachmentRef(name="Tagget notat", path=str(path), mime_type="application/pdf")


def _untagged_attachment(tmp_path) -> AttachmentRef:
    """A page of text with no tags at all, as a scanner or an old export writes it."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1)
    font.BaseFont = pikepdf.Name.Helvetica
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Indscannet side) Tj ET")
    path = tmp_path / "scan.pdf"
    pdf.save(path)
    return AttachmentRef(name="Scanning", path=str(path), mime_type="application/pdf")


def _numbers(tree: pikepdf.Object) -> dict[int, pikepdf.Object]:
    nums = tree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _ancestors(element: pikepdf.Object) -> list[str]:
    names = []
    while isinstance(element, pikepdf.Dictionary) and "/P" in element:
        element = element.P
        names.append(str(element.get("/T", element.get("/S", ""))))
    return names


def test_a_tagged_attachment_keeps_its_tags_under_a_part_of_its_own(seed, tmp_path):
    tagged, scan = _tagged_attachment(seed, tmp_path), _untagged_attachment(tmp_path)
    pdf = render_combined(with_attachments(seed, {1: (tagged, scan)}))
    own_pages = len(page_texts(render_combined(seed)))
    with pikepdf.open(io.BytesIO(pdf)) as bundle:
        assert bundle.check_pdf_syntax() == []
        root = bundle.Root.StructTreeRoot
        (document,) = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
        part = document.K[len(document.K) - 1]
        assert (str(part.S), str(part.T)) == ("/Part", "Bilag: Tagget notat")
        assert part.P.objgen == document.objgen
        # Its headings and table are in the bundle's tree now.
        kinds: set[str] = set()
        stack = list(part.K)
        while stack:
            element = stack.pop()
            if isinstance(element, pikepdf.Dictionary) and "/S" in element:
                kinds.add(str(element.S))
                kid = element.get("/K")
                stack += list(kid) if isinstance(kid, pikepdf.Array) else [kid]
        assert {"/H1", "/Table"} <= kinds or {"/H1", "/P"} <= kinds, kinds
        # Every page's key finds its own entry; the attachment's entries lead to its Part.
        entries = _numbers(root.ParentTree)
        keys = [
            int(page.obj.StructParents) for page in bundle.pages if "/StructParents" in page.obj
        ]
        assert len(keys) == len(set(keys)) and int(root.ParentTreeNextKey) > max(entries)
        attachment_pages = range(own_pages, own_pages + len(page_texts(tagged_bytes(tagged))))
        for index in attachment_pages:
            marked = entries[int(bundle.pages[index].obj.StructParents)]
            element = next(e for e in marked if isinstance(e, pikepdf.Dictionary))
            assert "Bilag: Tagget notat" in _ancestors(element)
        # The scan has no tags to keep: its pages carry no keys and its bookmark says so.
        scan_page = bundle.pages[len(bundle.pages) - 1].obj
        assert "/StructParents" not in scan_page
        with bundle.open_outline() as outline:
            titles = [c.title for e in outline.root for c in e.children]
        assert "Bilag: Tagget notat" in titles
        assert "Bilag: Scanning (ikke tilgængelighedsmærket)" in titles
    assert page_texts(pdf)[-1].startswith("Indscannet side")


def tagged_bytes(attachment: AttachmentRef) -> bytes:
    with open(attachment.path, "rb") as source:
        return source.read()
