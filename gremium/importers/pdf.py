"""PDF minutes: text per page with pypdfium2 (or OCR for pages without a text layer, with
`--ocr`), page furniture removed, then the text parser."""

from __future__ import annotations

from pathlib import Path

from gremium.importers.errors import ImportFailed
from gremium.importers.hyphenation import resolve_pdfium_hyphens
from gremium.importers.lines import Line
from gremium.importers.ocr import OcrFailed, OcrOptions, OcrPage, ocr_pages
from gremium.importers.pagenoise import remove_page_noise
from gremium.importers.report import ParseReport
from gremium.importers.text import parse_text_lines
from gremium.lib.document_structure import Document
from gremium.lib.pdf_text import PdfTextError, pdf_page_texts

NO_TEXT_LAYER = "the PDF has no text layer (a scan?): import it with --ocr to read it by OCR"


def extract_pages(data: bytes, path: Path) -> list[str]:
    """The text of every page; ImportFailed for a broken PDF or one with no text layer."""
    pages = _text_layer(data, path)
    if not any(page.strip() for page in pages):
        raise ImportFailed(path, NO_TEXT_LAYER)
    return pages


def _text_layer(data: bytes, path: Path) -> list[str]:
    try:
        return pdf_page_texts(data)
    except PdfTextError as error:
        raise ImportFailed(path, str(error)) from error


def page_lines(pages: list[str]) -> list[list[Line]]:
    grouped: list[list[Line]] = []
    number = 1
    for page_number, text in enumerate(pages, start=1):
        text = resolve_pdfium_hyphens(text).replace("\x00", "")  # PostgreSQL refuses NUL
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        grouped.append([Line(number + i, r.rstrip(), page_number) for i, r in enumerate(raw)])
        number += len(raw)
    return grouped


def parse_pdf(
    data: bytes, path: Path, ocr: OcrOptions | None = None
) -> tuple[Document, ParseReport]:
    """`ocr`: read the pages without a text layer by OCR; without it a PDF that has no
    text layer at all is refused, naming the option."""
    pages, read = _pages(data, path, ocr)
    lines, dropped = remove_page_noise(page_lines(pages))
    document, report = parse_text_lines(lines, path, reflow=True)
    report.notes.append(
        f"{len(pages)} pages; {dropped} lines of page headers, footers and page numbers removed"
    )
    report.ocr_pages = read
    report.notes += [_ocr_note(page) for page in read]
    blank = [n for n, page in enumerate(pages, start=1) if not page.strip()]
    if blank and ocr is None:
        report.notes.append(
            f"pages without a text layer, not read (--ocr reads them): {_numbers(blank)}"
        )
    return document, report


def _pages(data: bytes, path: Path, ocr: OcrOptions | None) -> tuple[list[str], list[OcrPage]]:
    """Every page's text, and the pages OCR read."""
    if ocr is None:
        return extract_pages(data, path), []
    pages = _text_layer(data, path)
    blank = [n for n, page in enumerate(pages, start=1) if not page.strip()]
    if not blank:
        return pages, []
    try:
        read = ocr_pages(data, blank, ocr)
    except OcrFailed as error:
        raise ImportFailed(path, str(error)) from error
    for page in read:
        pages[page.number - 1] = page.text
    if not any(page.strip() for page in pages):
        raise ImportFailed(path, "OCR found no text on any page of the PDF")
    return pages, read


def _ocr_note(page: OcrPage) -> str:
    return (
        f"OCR page {page.number}: {page.words} words, confidence mean "
        f"{page.mean_confidence:.1f}, lowest {page.min_confidence:.1f}"
    )


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)
