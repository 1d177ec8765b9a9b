"""Fuzz: mutated PDFs, Office files and images never make the upload check raise anything
but FileRefused, and mutated stored PDFs never make the combined PDF fail. A stage of its
own in scripts/test (`pytest -m fuzz`), like the importer's fuzz test."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

import pytest

from gremium.documents.combined import render_combined
from gremium.lib.document_structure import AttachmentRef, Audience, Document, DocumentKind, Item
from gremium.lib.upload_checks import FileRefused, check_upload
from tests import hostile_files as files
from tests.fuzzing import mutated

pytestmark = pytest.mark.fuzz

IMPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
SEED = 20260202
UPLOAD_CASES = 150  # per source: 11 sources, 1650 checks
COMBINED_CASES = 40  # mutated attachments appended, 8 to a bundle


def _sources() -> dict[str, bytes]:
    pdfs = {p.name: p.read_bytes() for p in sorted(IMPORT_FIXTURES.rglob("*.PDF"))[:3]}
    return {
        **{f"{name}.pdf": data for name, data in files.every_kind_of_active_content().items()},
        **{name.lower(): data for name, data in pdfs.items()},
        "notat.docx": files.docx(),
        "kort.png": files.png(width=40, height=30),
        "foto.jpg": files.JPEG,
    }


SOURCES = _sources()


def _problem(name: str, data: bytes) -> str:
    try:
        checked = check_upload(name, data)
    except FileRefused as refused:
        return "" if name in refused.message else f"refusal without the file name: {refused}"
    except Exception as error:  # the defect the fuzz looks for
        return "".join(traceback.format_exception_only(error)).strip()
    if checked.mime_type == "application/pdf" and files.active_content(checked.content):
        return "accepted with active content left in it"
    return ""


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_a_mutated_upload_is_accepted_clean_or_refused_by_name(source):
    others = [data for name, data in SOURCES.items() if name != source]
    failures = [
        f"{case.name}: {problem}"
        for case in mutated(source, SOURCES[source], others, UPLOAD_CASES, SEED)
        if (problem := _problem(source, case.data))
    ]
    assert not failures, "\n".join(failures)


def test_mutated_stored_pdfs_never_fail_the_combined_pdf(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)  # the combined PDF reads from the file storage
    pdfs = [data for name, data in SOURCES.items() if name.endswith(".pdf")]
    cases = [
        case
        for index, data in enumerate(pdfs)
        for case in mutated(f"bilag{index}", data, pdfs, COMBINED_CASES // len(pdfs) + 1, SEED)
    ][:COMBINED_CASES]
    for start in range(0, len(cases), 8):
        refs = []
        for case in cases[start : start + 8]:
            path = tmp_path / f"{len(refs)}.pdf"
            path.write_bytes(case.data)
            refs.append(AttachmentRef(name=case.name, path=path.name, mime_type="application/pdf"))
        pdf = render_combined(_one_item(tuple(refs)))
        assert files.active_content(pdf) == [], [case.name for case in cases[start : start + 8]]


def _one_item(attachments: tuple[AttachmentRef, ...]) -> Document:
    item = Item(number=1, title="Bilag til fuzz", attachments=attachments, key="punkt-1")
    start = dt.datetime(2026, 2, 2, 16)
    return Document(
        DocumentKind.AGENDA, Audience.PUBLIC, "Fuzz Kommune", "Udvalget", start, items=(item,)
    )
