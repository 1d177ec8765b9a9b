"""`--ocr`: image-only PDFs (scans) read with tesseract in Danish; without the option they
are refused with an error naming it, and nothing is stored."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.core.management import CommandError, call_command

from gremium.demo.seed import seed_expected
from gremium.documents.pdf import render_pdf
from gremium.importers import ImportFailed, parse_file
from gremium.importers.ocr import LEADER, OcrOptions, page_from_tsv
from gremium.lib.document_structure import Document
from gremium.lib.pdf_text import pdf_page_texts
from gremium.meetings.models import AgendaItem, Meeting


def scanned(pdf: bytes, dpi: int = 300) -> bytes:
    """The PDF as a scanner makes it: every page an image, no text layer."""
    document = pdfium.PdfDocument(pdf)
    try:
        images = [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in
                  range(len(document))]  # fmt: skip
    finally:
        document.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def shape(document: Document) -> list[tuple]:
    return [(i.number, i.title, i.reference, i.public) for i in document.items]


@pytest.fixture(scope="module")
def seed_scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scan") / "referat-scannet.pdf"
    path.write_bytes(scanned(render_pdf(seed_expected())))
    return path


def test_the_scan_has_no_text_layer(seed_scan: Path) -> None:
    assert not any(page.strip() for page in pdf_page_texts(seed_scan.read_bytes()))


def test_scanned_seed_minutes_read_by_ocr_give_the_same_items_and_case_numbers(
    seed_scan: Path,
) -> None:
    seed = seed_expected()
    result = parse_file(seed_scan, OcrOptions(threads=2))
    (document,) = result.documents
    assert shape(document) == shape(seed)
    assert (document.organization_name, document.start, document.location) == (
        seed.organization_name, seed.start, seed.location,
    )  # fmt: skip
    assert [(p.name, p.absent) for p in document.participants] == [
        (p.name, p.absent) for p in seed.participants
    ]
    pages = result.report.ocr_pages
    assert [p.number for p in pages] == list(
        range(1, len(pdf_page_texts(seed_scan.read_bytes())) + 1)
    )
    assert all(p.words > 0 and 85 <= p.mean_confidence <= 100 for p in pages)
    assert all(p.min_confidence <= p.mean_confidence for p in pages)
    notes = "\n".join(result.report.notes)
    assert f"OCR page 1: {pages[0].words} words, confidence mean" in notes


def test_an_image_only_pdf_without_ocr_is_refused_naming_the_option(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned(_short_minutes_pdf(), dpi=72))
    with pytest.raises(ImportFailed, match="--ocr"):
        parse_file(path)


@pytest.mark.django_db
def test_the_command_refuses_a_scan_without_ocr_and_stores_it_with_ocr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "referat.pdf"
    path.write_bytes(scanned(_short_minutes_pdf()))
    with pytest.raises(CommandError):
        call_command("import", str(path), "--body", "Haderslev Kommune")
    assert "--ocr" in capsys.readouterr().err
    assert Meeting.objects.count() == 0

    report = tmp_path / "rapport.json"
    call_command(
        "import", str(path), "--body", "Haderslev Kommune", "--ocr", "--report", str(report)
    )
    items = AgendaItem.objects.order_by("order")
    expected = seed_expected().items[:1]
    assert [(i.number, i.title, i.paper.reference) for i in items] == [
        (i.number, i.title, i.reference) for i in expected
    ]
    (row,) = json.loads(report.read_text(encoding="utf-8"))["files"]
    assert any(note.startswith("OCR page 1: ") for note in row["notes"])


def _short_minutes_pdf() -> bytes:
    """The seed's first item: OCR of two pages only, for the command's wiring."""
    seed = seed_expected()
    return render_pdf(dataclasses.replace(seed, items=seed.items[:1]))


def test_ocr_without_tesseract_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("gremium.importers.ocr.shutil.which", lambda name: None)
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned(_short_minutes_pdf(), dpi=72))
    with pytest.raises(ImportFailed, match="tesseract-ocr-dan"):
        parse_file(path, OcrOptions())


TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)


def _tsv(*lines: list[tuple[str, float]]) -> str:
    rows = [TSV_HEADER, "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t"]
    for number, words in enumerate(lines, start=1):
        rows.append(f"4\t1\t1\t1\t{number}\t0\t0\t0\t10\t10\t-1\t")
        rows += [
            f"5\t1\t1\t1\t{number}\t{i}\t0\t0\t10\t10\t{conf}\t{word}"
            for i, (word, conf) in enumerate(words, start=1)
        ]
    return "\n".join(rows) + "\n"


def test_tsv_gives_lines_and_word_confidence() -> None:
    page = page_from_tsv(3, _tsv([("Punkt", 96.0), ("12:", 90.0)], [("Godkendt.", 60.0)]))
    assert page.text == "Punkt 12:\nGodkendt."
    assert (page.number, page.words, page.mean_confidence, page.min_confidence) == (
        3,
        3,
        82.0,
        60.0,
    )


def test_a_dot_leader_and_the_guesses_after_it_become_a_plain_leader() -> None:
    line = [("Eventuelt", 92.0), ("…........sssseeee", 0.0), ("rener", 0.0), ("ennee", 3.0),
            ("9", 96.0)]  # fmt: skip
    page = page_from_tsv(1, _tsv(line))
    assert page.text == f"Eventuelt {LEADER} 9"
    assert (page.words, page.mean_confidence) == (2, 94.0)  # the guesses are not words


def test_an_ellipsis_and_uncertain_words_in_a_sentence_stay() -> None:
    line = [("Drøftet...", 90.0), ("mv", 20.0), ("afsluttet", 95.0)]
    assert page_from_tsv(1, _tsv(line)).text == "Drøftet... mv afsluttet"


def test_a_page_without_words_has_no_confidence() -> None:
    page = page_from_tsv(1, _tsv())
    assert (page.text, page.words, page.mean_confidence, page.min_confidence) == ("", 0, 0.0, 0.0)


def test_an_uncertain_ocr_page_is_a_warning_of_the_import() -> None:
    from gremium.importers.archive_files import ArchiveFile
    from gremium.importers.archive_run import _described
    from gremium.importers.ocr import OcrPage
    from gremium.importers.report import ParseReport, ParseResult

    report = ParseReport(source_kind="pdf", confidence="high: consecutive items")
    report.ocr_pages = [
        OcrPage(1, "Punkt 1", words=40, mean_confidence=93.0, min_confidence=60.0),
        OcrPage(2, "Pu kt 2", words=40, mean_confidence=61.5, min_confidence=3.0),
        OcrPage(3, "", words=0, mean_confidence=0.0, min_confidence=0.0),  # a blank page
    ]
    file = ArchiveFile(Path("scan.pdf"), "0" * 64, "pdf")
    outcome = _described(file, ParseResult(documents=[], report=report), [])
    assert [w for w in outcome.warnings if "OCR" in w] == [
        "OCR af side 2 er usikker (middel 61.5, lavest 3.0): læs den efter"
    ]
