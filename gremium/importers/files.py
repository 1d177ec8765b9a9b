"""The public entry point: any supported file in, documents and a report out."""

from __future__ import annotations

import logging
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from gremium.importers.acadre import parse_acadre
from gremium.importers.decoding import decode_text
from gremium.importers.detect import SourceKind, detect_kind
from gremium.importers.edoc import parse_edoc
from gremium.importers.edoc_fujitsu import parse_edoc_fujitsu
from gremium.importers.errors import ImportFailed
from gremium.importers.firstagenda import parse_firstagenda
from gremium.importers.firstagenda_web import parse_firstagenda_web
from gremium.importers.html_markdown import html_to_markdown
from gremium.importers.lines import Line
from gremium.importers.ocr import OcrOptions
from gremium.importers.pagenoise import remove_page_noise, split_pages
from gremium.importers.pdf import parse_pdf
from gremium.importers.report import ParseReport, ParseResult
from gremium.importers.sbsys import parse_sbsys
from gremium.importers.sbsys_dagsorden import parse_sbsys_dagsorden
from gremium.importers.text import parse_text_lines
from gremium.importers.xmlsafety import refuse_declarations
from gremium.lib.document_structure import Document
from gremium.lib.pdf_text import PdfTextError

log = logging.getLogger(__name__)

# What the parsers and the libraries under them raise on damaged or hostile bytes:
# numbers and dates that are not (ValueError), text that does not decode (UnicodeError, a
# ValueError), XML that is not well-formed (ElementTree's ParseError, a SyntaxError),
# nesting deeper than the interpreter's stack (RecursionError), broken compressed data.
_DATA_ERRORS = (ValueError, SyntaxError, RecursionError, OverflowError, zlib.error,
                struct.error, PdfTextError)  # fmt: skip


def parse_file(path: Path, ocr: OcrOptions | None = None) -> ParseResult:
    """Read minutes or an agenda (Markdown/text, PDF, web pages, the case systems' exports:
    eDoc, SBSYS, Acadre, FirstAgenda) into Documents. `ocr`: read the pages of a PDF that
    have no text layer by OCR (gremium.importers.ocr).

    Raises ImportFailed, naming the file, for anything that is not readable minutes, also
    when a parser or a library under it fails on the file: one file never stops a run.
    A failure that is not the file's fault (a programming error) is reported as such, with
    its traceback in the log, and marked `internal`.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(path, f"cannot read the file ({error.strerror})") from error
    if not data.strip():
        raise ImportFailed(path, "the file is empty")
    try:
        document, report = _parse(detect_kind(data), data, path, ocr)
    except ImportFailed:
        raise
    except _DATA_ERRORS as error:
        raise ImportFailed(
            path, f"the file is damaged or not as expected ({_name(error)})"
        ) from error
    except Exception as error:
        log.exception("import of %s failed with an unexpected error", path)
        raise ImportFailed(
            path,
            f"unexpected error while reading ({_name(error)}); please report it",
            internal=True,
        ) from error
    return ParseResult(documents=[document], report=report)


def _name(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


_STRUCTURED: dict[SourceKind, Callable[[bytes, Path], tuple[Document, ParseReport]]] = {
    SourceKind.FIRSTAGENDA: parse_firstagenda,
    SourceKind.SBSYS_DAGSORDEN: parse_sbsys_dagsorden,
    SourceKind.ACADRE: parse_acadre,
    SourceKind.EDOC_FUJITSU: parse_edoc_fujitsu,
    SourceKind.FIRSTAGENDA_WEB: parse_firstagenda_web,
}


def _parse(
    kind: SourceKind, data: bytes, path: Path, ocr: OcrOptions | None
) -> tuple[Document, ParseReport]:
    if kind is SourceKind.PDF:
        return parse_pdf(data, path, ocr)
    if kind is SourceKind.EDOC:
        return parse_edoc(data, path)
    if kind is SourceKind.SBSYS:
        return parse_sbsys(data, path)
    if kind in _STRUCTURED:
        return _STRUCTURED[kind](data, path)
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
