"""The public entry point: any supported file in, documents and a report out."""

from __future__ import annotations

from pathlib import Path

from gremium.importers.decoding import decode_text
from gremium.importers.detect import SourceKind, detect_kind
from gremium.importers.edoc import parse_edoc
from gremium.importers.errors import ImportFailed
from gremium.importers.html_markdown import html_to_markdown
from gremium.importers.lines import Line
from gremium.importers.pagenoise import remove_page_noise, split_pages
from gremium.importers.pdf import parse_pdf
from gremium.importers.report import ParseReport, ParseResult
from gremium.importers.sbsys import parse_sbsys
from gremium.importers.text import parse_text_lines
from gremium.importers.xmlsafety import refuse_declarations
from gremium.lib.document_structure import Document


def parse_file(path: Path) -> ParseResult:
    """Read minutes or an agenda (Markdown/text, PDF, eDoc XML, SBSYS XML) into Documents.

    Raises ImportFailed, naming the file, for anything that is not readable minutes.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(path, f"cannot read the file ({error.strerror})") from error
    if not data.strip():
        raise ImportFailed(path, "the file is empty")
    document, report = _parse(detect_kind(data), data, path)
    return ParseResult(documents=[document], report=report)


def _parse(kind: SourceKind, data: bytes, path: Path) -> tuple[Document, ParseReport]:
    if kind is SourceKind.PDF:
        return parse_pdf(data, path)
    if kind is SourceKind.EDOC:
        return parse_edoc(data, path)
    if kind is SourceKind.SBSYS:
        return parse_sbsys(data, path)
    if kind is SourceKind.XML:
        refuse_declarations(data, path)
        raise ImportFailed(path, "this is not minutes or an agenda: XML of an unknown kind")
    if kind is SourceKind.HTML:
        return parse_html(data, path)
    return parse_text(data, path)


def parse_html(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    """Minutes published as a web page: the page as Markdown, then the text parser."""
    text, _encoding = decode_text(data, path)
    markdown = html_to_markdown(text, headings=True)
    if not markdown.strip():
        raise ImportFailed(path, "the web page holds no text")
    lines = [Line(number, line) for number, line in enumerate(markdown.splitlines(), start=1)]
    document, report = parse_text_lines(lines, path)
    report.notes.append("read as a web page (HTML)")
    return document, report


def parse_text(data: bytes, path: Path) -> tuple[Document, ParseReport]:
    text, encoding = decode_text(data, path)
    pages = split_pages(text)
    lines, dropped = remove_page_noise(pages)
    document, report = parse_text_lines(lines, path)
    if encoding != "utf-8":
        report.repairs.append(f"read as {encoding}: the file is not UTF-8")
    if dropped:
        report.notes.append(f"{dropped} lines of page furniture removed")
    return document, report
