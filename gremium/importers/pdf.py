"""PDF minutes: text per page with pypdfium2, page furniture removed, then the text parser."""

from __future__ import annotations

from pathlib import Path

from gremium.importers.errors import ImportFailed
from gremium.importers.hyphenation import resolve_pdfium_hyphens
from gremium.importers.lines import Line
from gremium.importers.pagenoise import remove_page_noise
from gremium.importers.report import ParseReport
from gremium.importers.text import parse_text_lines
from gremium.lib.document_structure import Document
from gremium.lib.pdf_text import PdfTextError, pdf_page_texts


def extract_pages(data: bytes, path: Path) -> list[str]:
    """The text of every page; ImportFailed for a broken PDF or one with no text layer."""
    try:
        pages = pdf_page_texts(data)
    except PdfTextError as error:
        raise ImportFailed(path, str(error)) from error
    if not any(page.strip() for page in pages):
        raise ImportFailed(path, "the PDF has no text layer (a scan?): nothing to read")
    return pages


def page_lines(pages: list[str]) -> list[list[Line]]:
    grouped: list[list[Line]] = []
    number = 1
    for page_number, text in enumerate(pages, start=1):
        text = resolve_pdfium_hyphens(text).replace("\x00", "")  # PostgreSQL refuses NUL
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        grouped.append([Line(number + i, r.rstrip(), page_number) for i, r in enumerate(raw)])
        number += len(raw)
    return grouped


def parse_pdf(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    pages = extract_pages(data, path)
    lines, dropped = remove_page_noise(page_lines(pages))
    document, report = parse_text_lines(lines, path, reflow=True)
    report.notes.append(
        f"{len(pages)} pages; {dropped} lines of page headers, footers and page numbers removed"
    )
    return document, report
