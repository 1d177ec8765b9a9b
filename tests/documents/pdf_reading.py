"""Read back what a rendered PDF shows and declares."""

from __future__ import annotations

import io
import re

import pikepdf
import pypdfium2

_LEADER_PAGE = re.compile(r"\.\s*(\d+)\s*$")
_ITEM_START = re.compile(r"^(Punkt \d+):")


def page_texts(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    return [page.get_textpage().get_text_range().replace("\r", "") for page in document]


def toc_pages(texts: list[str]) -> dict[str, int]:
    """Page number printed in the table of contents for each "Punkt N", by "Punkt N"."""
    printed: dict[str, int] = {}
    current = None
    for text in texts[: _first_item_page(texts)]:
        for line in text.splitlines():
            start = _ITEM_START.match(line)
            current = start.group(1) if start else current
            number = _LEADER_PAGE.search(line)
            if current and number:
                printed[current] = int(number.group(1))
                current = None
    return printed


def heading_pages(texts: list[str]) -> dict[str, int]:
    """1-based page where each "Punkt N" heading stands, after the table of contents."""
    found: dict[str, int] = {}
    for index in range(_first_item_page(texts), len(texts)):
        for line in texts[index].splitlines():
            start = _ITEM_START.match(line)
            if start and start.group(1) not in found:
                found[start.group(1)] = index + 1
    return found


def _first_item_page(texts: list[str]) -> int:
    for index, text in enumerate(texts):
        if not any(_LEADER_PAGE.search(line) for line in text.splitlines()) and index > 0:
            return index
    return len(texts)


def structure_types(pdf: bytes) -> dict[str, int]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        counts: dict[str, int] = {}
        _count(document.Root.StructTreeRoot, counts)
        return counts


def _count(element: pikepdf.Object, counts: dict[str, int]) -> None:
    if not isinstance(element, pikepdf.Dictionary):
        return
    kind = element.get("/S")
    if kind is not None:
        counts[str(kind)] = counts.get(str(kind), 0) + 1
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        _count(kid, counts)


def normalized(text: str) -> str:
    return " ".join(text.replace("\ufffe", "").replace("\x02", "").split())
