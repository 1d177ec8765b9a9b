"""Is an uploaded PDF one we can serve, render and append? Pure file checking.

A PDF is refused when pikepdf (which appends it to the combined PDF) or pdfium (which
reads its text and shows its pages) cannot read every page, when it is encrypted (with a
password, or with an owner password only: both stop appending, and an attachment must be
readable by everyone), and when it is also a web page (a polyglot; see `html_marker`).
What it may run when opened is removed (lib/pdf_active.py) and the cleaned file is stored.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf

from gremium.lib.pdf_active import remove_active_content
from gremium.lib.pdf_text import PdfTextError, pdf_check_pages, pdf_page_texts

_HEADER = re.compile(rb"%PDF-\d\.\d[\r\n\s%]")
# HTML that runs or loads something when the bytes are read as a web page: script and
# embedding elements, event handler attributes, javascript: links, and the start of a whole
# HTML document. Harmless markup is allowed, since Acrobat stores the rich text of comments
# as XHTML (<body><p><span style=...>) in strings. PDF syntax itself never spells these:
# "<<" opens a dictionary and "<" a hex string, whose digits cannot form these names.
_HTML = re.compile(
    rb"<(?:!doctype\s+html|html|script|iframe|frame|frameset|object|embed|applet|svg|meta"
    rb"|base|link|form|img|image|style|video|audio|input|button|details|template)(?=[\s/>])"
    rb"|<a\s[^<>]{0,200}?href\s*=\s*[\"']?\s*javascript:"
    rb"|<[a-z][\w:-]*\s[^<>]{0,200}?\bon[a-z]+\s*=",
    re.I,
)
_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
_ENDSTREAM = b"endstream"
# pikepdf wraps qpdf's errors in PdfError; qpdf's internal consistency errors on a damaged
# object graph surface as RuntimeError.
_UNREADABLE = (pikepdf.PdfError, RuntimeError)


class PdfRefused(Exception):
    """The PDF cannot be used; `reason` says why (see the constants below)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


DAMAGED = "damaged"
ENCRYPTED = "encrypted"
NO_PAGES = "no pages"
HTML = "html"


@dataclass(frozen=True)
class CheckedPdf:
    content: bytes  # the upload, or when active content was found, the file without it
    page_texts: list[str]  # empty when the text was not asked for (`read_text`)
    removed: list[str]  # the active content removed (PDF key names), empty if none


def check_pdf(content: bytes, *, read_text: bool = True) -> CheckedPdf:
    """Check a PDF completely; PdfRefused when it cannot be used as an attachment. Without
    `read_text` every page is still loaded, but its text is left for later."""
    if not _HEADER.match(content):
        raise PdfRefused(DAMAGED, "no PDF header at the start of the file")
    marker = html_marker(content)
    if marker:
        raise PdfRefused(HTML, marker)
    content, removed = _without_active_content(content)
    try:
        texts = pdf_page_texts(content) if read_text else []
        if not read_text:
            pdf_check_pages(content)
    except PdfTextError as error:
        raise PdfRefused(DAMAGED, str(error)) from error
    return CheckedPdf(content=content, page_texts=texts, removed=removed)


def html_marker(content: bytes) -> str:
    """The first HTML tag found outside the file's streams, or "" when there is none.

    A PDF viewer starts at the header and follows the cross-reference table; an HTML parser
    reads the same bytes from the top and acts on every tag it meets. HTML outside the
    streams (before or after the PDF body, in comments, between objects) is what makes one
    file both. Stream data is left out: it is usually compressed and can hold any bytes."""
    for part in _outside_streams(content):
        found = _HTML.search(part)
        if found:
            return found.group(0).decode("ascii", "replace")
    return ""


def _outside_streams(content: bytes) -> Iterator[bytes]:
    # A linear walk (no regular expression spanning a stream), so that a file full of
    # "stream" keywords without "endstream" costs one pass, not one pass per keyword.
    position = 0
    while True:
        start = _STREAM_START.search(content, position)
        if start is None:
            yield content[position:]
            return
        yield content[position : start.start()]
        end = content.find(_ENDSTREAM, start.end())
        if end < 0:
            return
        position = end + len(_ENDSTREAM)


def _without_active_content(content: bytes) -> tuple[bytes, list[str]]:
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError as error:
        raise PdfRefused(ENCRYPTED) from error
    except _UNREADABLE as error:
        raise PdfRefused(DAMAGED, str(error)) from error
    with pdf:
        try:
            return _clean(pdf, content)
        except _UNREADABLE as error:
            raise PdfRefused(DAMAGED, str(error)) from error


def _clean(pdf: pikepdf.Pdf, content: bytes) -> tuple[bytes, list[str]]:
    if pdf.is_encrypted:
        raise PdfRefused(ENCRYPTED)
    if len(pdf.pages) == 0:
        raise PdfRefused(NO_PAGES)
    removed = remove_active_content(pdf)
    if not removed:
        # Unchanged, byte for byte: a signed PDF keeps a valid signature.
        return content, removed
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue(), removed
