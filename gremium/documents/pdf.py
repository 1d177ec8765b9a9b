"""A meeting's agenda or minutes as an accessible, archivable PDF, typeset by Typst.

The PDF conforms to PDF/A-2a and PDF/UA-1 at once (tagged, with title and language), which
the typst package (0.15) supports as a combination. Only the fonts built into the typst
package are used (Libertinus Serif, SIL Open Font License), so the output is the same on
any machine and needs no system fonts.

Memory: Typst memoizes layout in a process-wide cache, which for a 400-page meeting holds
a few hundred MB while the rendering runs. The typst package evicts only entries unused
for 10 compilations, so without help the caches of the last ten renderings would all stay
alive; `_release_cache` ages them out after each rendering (see bench/render.py).
"""

from __future__ import annotations

import ctypes
import functools
import json
import logging
import platform
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typst

from gremium.documents.errors import RenderError
from gremium.documents.pdf_data import document_data
from gremium.lib.document_structure import Document

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "typst"
TEMPLATE = TEMPLATES / "minutes.typ"
EMPTY = TEMPLATES / "empty.typ"
NOTICE = TEMPLATES / "notice.typ"
LOGO_CHECK = TEMPLATES / "logo.typ"
PDF_STANDARDS: list[typst.PDFStandard] = ["a-2a", "ua-1"]

# The typst package calls comemo::evict(10) after every compilation: an entry not used in
# the last ten compilations is dropped. It offers no other way to evict.
_EVICT_AGE = 10
# glibc's mallopt parameter M_MMAP_THRESHOLD and its default value.
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 128 * 1024

# One compiler per process keeps the template parsed and the fonts loaded between
# renderings; it is not safe to share between threads, hence the lock.
_LOCK = threading.Lock()


class StandardsUnmet(RenderError):
    """Typst refused to write the PDF because it would break PDF/A or PDF/UA."""


def render_pdf(document: Document) -> bytes:
    """The PDF, declaring PDF/A-2a and PDF/UA-1; without those claims when the text holds
    what they forbid: characters none of the built-in fonts can show (emoji, CJK, private
    use symbols from word processors, control characters) or a string over 32767
    characters. Such characters then print as empty boxes, and the reader still gets the
    document: text someone typed must never make the PDF fail for everyone."""
    data = document_data(document)
    if data["logo"] is not None and not _usable_logo(bytes(data["logo"])):
        log.warning("logo %s is not an image Typst can show; left out", document.logo_path)
        data["logo"] = None
    inputs = {"document": json.dumps(data, ensure_ascii=False)}
    stamp = content_timestamp(document)
    try:
        return _compile(
            _compiler, TEMPLATE, sys_inputs=inputs, pdf_standards=PDF_STANDARDS, timestamp=stamp
        )
    except StandardsUnmet as error:
        log.warning("%r rendered without PDF/A and PDF/UA: %s", document.title, error)
        return _compile(_compiler, TEMPLATE, sys_inputs=inputs, timestamp=stamp)


def content_timestamp(document: Document) -> int:
    """The PDF's creation date, taken from its content rather than the clock (as
    SOURCE_DATE_EPOCH does): the newest signature, or the meeting's start. The same
    content then renders to the same bytes on any day, which is how a restore proves
    approved minutes unchanged (gremium/backup/proof.py)."""
    signed = [s.signed_at for s in document.signatures if s.signed_at is not None]
    return int(max([document.start, *signed]).timestamp())


def render_notice(title: str, text: str) -> bytes:
    """A one-page PDF with a heading and a paragraph (for the combined PDF's notes)."""
    return _compile(_notice_compiler, NOTICE, sys_inputs={"title": title, "text": text})


def _compile(compiler: Callable[[], typst.Compiler], template: Path, **options: Any) -> bytes:
    with _LOCK:
        try:
            result = compiler().compile(format="pdf", **options)
        except typst.TypstError as error:
            unmet = "PDF/A" in error.message or "PDF/UA" in error.message
            failure = StandardsUnmet if unmet and options.get("pdf_standards") else RenderError
            raise failure(f"{template.name}: {error.message}") from error
        finally:
            _release_cache()
    if not isinstance(result, bytes):
        raise RenderError(f"{template.name}: typst returned no PDF")
    return result


@functools.lru_cache(maxsize=16)
def _usable_logo(image: bytes) -> bool:
    try:
        _compile(_logo_compiler, LOGO_CHECK, sys_inputs={"logo": json.dumps(list(image))})
    except RenderError:
        return False
    return True


@functools.cache
def _compiler() -> typst.Compiler:
    _steady_malloc()
    # The template folder is the root: the template can read nothing outside it.
    return typst.Compiler(input=TEMPLATE, root=TEMPLATES, ignore_system_fonts=True)


@functools.cache
def _notice_compiler() -> typst.Compiler:
    return typst.Compiler(input=NOTICE, root=TEMPLATES, ignore_system_fonts=True)


@functools.cache
def _logo_compiler() -> typst.Compiler:
    return typst.Compiler(input=LOGO_CHECK, root=TEMPLATES, ignore_system_fonts=True)


@functools.cache
def _empty_compiler() -> typst.Compiler:
    return typst.Compiler(input=EMPTY, root=TEMPLATES, ignore_system_fonts=True)


def _release_cache() -> None:
    """Drop the memoized layouts of the rendering just made.

    The next rendering of another meeting could not use them, and left alone they would
    stay for ten more renderings, so that two large meetings in a row would need both
    caches at once. Compiling an empty file (a fraction of a millisecond each) ages them
    out; rendering the same meeting twice in a row is then as slow as the first time.
    """
    compiler = _empty_compiler()
    for _ in range(_EVICT_AGE):
        compiler.compile(format="pdf")


def _steady_malloc() -> None:
    """Keep glibc from making the peak memory of a rendering larger than it needs to be.

    When a large block is freed, glibc raises its threshold for serving blocks by mmap (up
    to 32 MB), so the large, growing tables of Typst's cache then come from the heap, where
    each growth copies and the freed space is not reused well: the same rendering peaked
    anywhere from 365 to 420 MB. A fixed threshold (glibc's default value; setting it turns
    the raising off) gives the same peak every time, at the low end. Process-wide; the same
    as setting MALLOC_MMAP_THRESHOLD_=131072 in the environment.
    """
    if platform.libc_ver()[0] != "glibc":
        return
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
