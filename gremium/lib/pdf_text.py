"""Text of a PDF's pages with pypdfium2: the one text extraction, used by the importer (to
read minutes) and by the domain (to make attachments searchable). It lives here, below
both, so that the domain never imports an importer."""

from __future__ import annotations

import pypdfium2 as pdfium


class PdfTextError(Exception):
    """The PDF cannot be read: damaged, truncated, encrypted or not a PDF at all."""


def pdf_page_texts(data: bytes) -> list[str]:
    """The text of every page, in page order; PdfTextError when the file cannot be read.
    Every pdfium failure, also one on a single page deep inside the file, becomes that one
    error, so no caller sees pdfium's own exception."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise PdfTextError(f"broken or truncated PDF, or encrypted ({error})") from error
    try:
        return [_page_text(pdf, index) for index in range(len(pdf))]
    except pdfium.PdfiumError as error:
        raise PdfTextError(f"a page of the PDF cannot be read ({error})") from error
    finally:
        pdf.close()


def pdf_check_pages(data: bytes) -> int:
    """How many pages the PDF has, after loading every one (what the text extraction and
    the page views need); PdfTextError as `pdf_page_texts` when one cannot be read. The
    check an upload needs at once, without reading the text, which waits for the worker."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise PdfTextError(f"broken or truncated PDF, or encrypted ({error})") from error
    try:
        for index in range(len(pdf)):
            pdf[index].close()
        return len(pdf)
    except pdfium.PdfiumError as error:
        raise PdfTextError(f"a page of the PDF cannot be read ({error})") from error
    finally:
        pdf.close()


# A no-break space keeps words on one line in print (documents/typography.py); read back,
# it is the space it stands for, so "d. 02-02-2026" is found as typed. (str.replace:
# several times faster than str.translate on a page of text.)
_SPACES = ("\u00a0", "\u202f")


def _plain_spaces(text: str) -> str:
    for space in _SPACES:
        text = text.replace(space, " ")
    return text


def _page_text(pdf: pdfium.PdfDocument, index: int) -> str:
    page = pdf[index]
    textpage = page.get_textpage()
    try:
        return _plain_spaces(str(textpage.get_text_range()))
    finally:
        textpage.close()
        page.close()
