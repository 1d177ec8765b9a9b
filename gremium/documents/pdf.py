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
import platform
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typst

from gremium.documents.errors import RenderError
from gremium.documents.pdf_data import document_data
from gremium.lib.document_structure import Document

TEMPLATES = Path(__file__).resolve().parent / "typst"
TEMPLATE = TEMPLATES / "minutes.typ"
EMPTY = TEMPLATES / "empty.typ"
NOTICE = TEMPLATES / "notice.typ"
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


def render_pdf(document: Document) -> bytes:
    payload = json.dumps(document_data(document), ensure_ascii=False)
    return _compile(
        _compiler, TEMPLATE, sys_inputs={"document": payload}, pdf_standards=PDF_STANDARDS
    )


def render_notice(title: str, text: str) -> bytes:
    """A one-page PDF with a heading and a paragraph (for the combined PDF's notes)."""
    return _compile(_notice_compiler, NOTICE, sys_inputs={"title": title, "text": text})


def _compile(compiler: Callable[[], typst.Compiler], template: Path, **options: Any) -> bytes:
    with _LOCK:
        try:
            result = compiler().compile(format="pdf", **options)
        except typst.TypstError as error:
            raise RenderError(f"{template.name}: {error.message}") from error
        finally:
            _release_cache()
    if not isinstance(result, bytes):
        raise RenderError(f"{template.name}: typst returned no PDF")
    return result


@functools.cache
def _compiler() -> typst.Compiler:
    _steady_malloc()
    # The template folder is the root: the template can read nothing outside it.
    return typst.Compiler(input=TEMPLATE, root=TEMPLATES, ignore_system_fonts=True)


@functools.cache
def _notice_compiler() -> typst.Compiler:
    return typst.Compiler(input=NOTICE, root=TEMPLATES, ignore_system_fonts=True)


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
