"""A meeting's agenda or minutes as an accessible, archivable PDF, typeset by Typst.

The PDF conforms to PDF/A-2a and PDF/UA-1 at once (tagged, with title and language), which
the typst package (0.15) supports as a combination. Only the fonts built into the typst
package are used (Libertinus Serif, SIL Open Font License), so the output is the same on
any machine and needs no system fonts.
"""

from __future__ import annotations

import functools
import json
import threading
from pathlib import Path

import typst

from gremium.documents.errors import RenderError
from gremium.documents.pdf_data import document_data
from gremium.documents.structure import Document

TEMPLATES = Path(__file__).resolve().parent / "typst"
TEMPLATE = TEMPLATES / "minutes.typ"
PDF_STANDARDS: list[typst.PDFStandard] = ["a-2a", "ua-1"]

# One compiler per process keeps the template parsed and the fonts loaded between
# renderings; it is not safe to share between threads, hence the lock.
_LOCK = threading.Lock()


def render_pdf(document: Document) -> bytes:
    payload = json.dumps(document_data(document), ensure_ascii=False)
    with _LOCK:
        try:
            result = _compiler().compile(
                sys_inputs={"document": payload}, format="pdf", pdf_standards=PDF_STANDARDS
            )
        except typst.TypstError as error:
            raise RenderError(f"{TEMPLATE.name}: {error.message}") from error
    if not isinstance(result, bytes):
        raise RenderError(f"{TEMPLATE.name}: typst returned no PDF")
    return result


@functools.cache
def _compiler() -> typst.Compiler:
    # The template folder is the root: the template can read nothing outside it.
    return typst.Compiler(input=TEMPLATE, root=TEMPLATES, ignore_system_fonts=True)
