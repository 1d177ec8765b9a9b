"""OCR for the pages of a PDF that have no text layer (scanned minutes): each page is
rasterised with pypdfium2 and read by tesseract in Danish, through its command line
(Debian's `tesseract-ocr` and `tesseract-ocr-dan`; docs/operations.md).

tesseract's TSV output gives the words with their line and a confidence each (0-100): the
page's text is rebuilt line by line from it, and the confidence per page goes into the
import's report so a reader knows how far to trust a scan.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from statistics import fmean

import pypdfium2 as pdfium

LANGUAGE = "dan"
# 300 dpi reads body text reliably; lower loses diacritics (æ, ø, å) in small print.
DPI = 300
# A page read with a mean word confidence below this is named in the import's warnings:
# clean print scanned at 300 dpi reads at 90 and more.
UNCERTAIN_OCR = 80.0
# A page that takes longer is not a page of minutes: the import names it and stops.
PAGE_TIMEOUT_SECONDS = 300


class OcrFailed(Exception):
    """OCR cannot run (tesseract or its Danish data missing) or failed on a page."""


@dataclass(frozen=True)
class OcrPage:
    number: int  # 1-based page number in the PDF
    text: str
    words: int
    mean_confidence: float  # of the words read, 0-100; 0 for a page without words
    min_confidence: float


@dataclass(frozen=True)
class OcrOptions:
    dpi: int = DPI
    # Pages read at the same time (tesseract processes); 1 inside a worker of a run that
    # already reads a file per core.
    threads: int = 1


def ocr_pages(data: bytes, numbers: list[int], options: OcrOptions) -> list[OcrPage]:
    """OCR the given 1-based pages of a PDF, in that order. Raises OcrFailed."""
    command = _command(options)
    pages: dict[int, OcrPage] = {}
    # pdfium is not thread-safe: pages are rasterised here, one after the other, while
    # tesseract reads the ones before in other processes. At most two pages per thread
    # wait as images, so a long scan does not fill the memory.
    with ThreadPoolExecutor(max_workers=max(1, options.threads)) as pool:
        pending: dict[Future[OcrPage], int] = {}
        for number, image in _page_images(data, numbers, options.dpi):
            if len(pending) >= 2 * max(1, options.threads):
                _collect(pending, pages, wait(pending, return_when=FIRST_COMPLETED).done)
            pending[pool.submit(_read_page, command, number, image)] = number
        _collect(pending, pages, set(pending))
    return [pages[n] for n in numbers]


def _collect(
    pending: dict[Future[OcrPage], int], pages: dict[int, OcrPage], done: set[Future[OcrPage]]
) -> None:
    for future in done:
        pages[pending.pop(future)] = future.result()


def _command(options: OcrOptions) -> list[str]:
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrFailed(
            "OCR needs tesseract with Danish (Debian: apt-get install tesseract-ocr "
            "tesseract-ocr-dan)"
        )
    return [binary, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(options.dpi), "tsv"]


def _page_images(data: bytes, numbers: list[int], dpi: int) -> Iterator[tuple[int, bytes]]:
    """Each page as a greyscale PGM image (uncompressed: quick to write and to read)."""
    pdf = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = pdf[number - 1]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                buffer = io.BytesIO()
                bitmap.to_pil().save(buffer, "PPM")
                bitmap.close()
            finally:
                page.close()
            yield number, buffer.getvalue()
    finally:
        pdf.close()


# One tesseract per page at a time: its own threads would only compete with ours.
_ENVIRONMENT = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _read_page(command: list[str], number: int, image: bytes) -> OcrPage:
    try:
        done = subprocess.run(  # a fixed command; the image goes to stdin
            command,
            input=image,
            capture_output=True,
            timeout=PAGE_TIMEOUT_SECONDS,
            env=_ENVIRONMENT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrFailed(f"OCR of page {number} took over {PAGE_TIMEOUT_SECONDS} s") from error
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(
            f"tesseract failed on page {number}: {(message or ['no message'])[-1][:200]}"
            f" (is the Danish language data, tesseract-ocr-{LANGUAGE}, installed?)"
        )
    return page_from_tsv(number, done.stdout.decode("utf-8", "replace"))


# TSV levels: 1 page, 2 block, 3 paragraph, 4 line, 5 word.
_WORD = "5"
# A table of contents' dot leader reads as a word of dots followed by letters tesseract
# guesses with (next to) no confidence: "…......ssseeee rener ennee 7". It is written back
# as the leader a text layer has, so the contents are recognised as in any other PDF.
# Four dots at least: an ellipsis in a sentence stays as it is.
_LEADER = re.compile(r"(?:[.·_]|…){4,}")
_GUESS = 30.0
LEADER = ". . . . ."


def page_from_tsv(number: int, tsv: str) -> OcrPage:
    """The page's text, a line per line tesseract found, and its words' confidence."""
    lines: dict[tuple[str, str, str], list[tuple[str, float]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        if row.get("level") != _WORD or not word:
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append((word, float(row.get("conf") or -1)))
    read = [_without_leader(words) for words in lines.values()]
    confidences = [conf for words in read for word, conf in words if conf >= 0]
    return OcrPage(
        number=number,
        text="\n".join(" ".join(word for word, _conf in words) for words in read),
        words=len(confidences),
        mean_confidence=round(fmean(confidences), 1) if confidences else 0.0,
        min_confidence=round(min(confidences), 1) if confidences else 0.0,
    )


def _without_leader(words: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The line with a dot leader and the guesses after it as one plain leader; what
    stands before the leader in its word, and a page number after it, stay."""
    for index, (word, conf) in enumerate(words):
        found = _LEADER.search(word)
        if found is None:
            continue
        end = index + 1
        while end < len(words) and 0 <= words[end][1] < _GUESS:
            end += 1
        before, after = word[: found.start()], word[found.end() :]
        kept = [(before, conf)] if before else []
        kept.append((LEADER, -1.0))
        kept += [(after, conf)] if after.isdigit() else []
        return [*words[:index], *kept, *_without_leader(words[end:])]
    return words
