"""Page furniture that PDF extraction mixes into the text: running headers and footers,
page numbers, and lines the extractor emitted twice."""

from __future__ import annotations

import re
from collections import Counter

from gremium.importers.lines import Line

_PAGE_NUMBER = re.compile(
    r"^(?:side\s+\d+(?:\s*(?:af|/)\s*\d+)?|\d+\s*(?:af|/)\s*\d+|-?\s*\d{1,3}\s*-?|page \d+)$",
    re.I,
)
_STRONG_PAGE_NUMBER = re.compile(r"^side\s+\d+\s+af\s+\d+$", re.I)
_HEAD_ZONE, _FOOT_ZONE = 7, 4


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def remove_page_noise(pages: list[list[Line]]) -> tuple[list[Line], int]:
    """All lines in reading order without page furniture, and how many lines were dropped."""
    repeated = _repeated_zone_shapes(pages)
    kept: list[Line] = []
    dropped = 0
    for page in pages:
        furniture = _furniture(page, repeated)
        for index, line in enumerate(page):
            noise = index in furniture or _STRONG_PAGE_NUMBER.match(line.text.strip())
            if noise or _is_echo(line, kept):
                dropped += 1
                continue
            kept.append(line)
    return kept, dropped


def _furniture(page: list[Line], repeated: set[tuple[str, int, str]]) -> set[int]:
    """Indexes of the running header at the top and footer at the bottom of one page.

    Only an unbroken run counts, each shape once, so that a title repeating the
    header's words further down the first page stays.
    """
    found: set[int] = set()
    for edge, run in _zones(page):
        seen: set[str] = set()
        for rank, index in enumerate(run):
            text = page[index].text.strip()
            shape = _shape(text)
            if shape in seen or not ((edge, rank, shape) in repeated or _PAGE_NUMBER.match(text)):
                break
            seen.add(shape)
            found.add(index)
    return found


def _is_echo(line: Line, kept: list[Line]) -> bool:
    # Extractors sometimes emit a text run twice (overlaid text, shadows); never a blank line.
    text = line.text.strip()
    return bool(text) and bool(kept) and kept[-1].text.strip() == text and len(text) > 25


def _zones(page: list[Line]) -> list[tuple[str, list[int]]]:
    """The indexes of the filled lines nearest the top, and nearest the bottom (from it)."""
    filled = [i for i, line in enumerate(page) if line.text.strip()]
    return [("head", filled[:_HEAD_ZONE]), ("foot", filled[::-1][:_FOOT_ZONE])]


def _repeated_zone_shapes(pages: list[list[Line]]) -> set[tuple[str, int, str]]:
    """(edge, place from that edge, shape) of the lines that stand at the same place on
    most pages. The place matters: the end of an item ("Godkendt.", "Fraværende:")
    falls near a page's foot on many pages too, but at a different place on each."""
    if len(pages) < 3:
        return set()
    counts: Counter[tuple[str, int, str]] = Counter()
    for page in pages:
        counts.update(
            {
                (edge, rank, _shape(page[index].text))
                for edge, run in _zones(page)
                for rank, index in enumerate(run)
            }
        )
    threshold = max(3, int(len(pages) * 0.6))
    return {key for key, count in counts.items() if count >= threshold and key[2]}


def split_pages(text: str) -> list[list[Line]]:
    """Lines grouped by form feed, numbered through the whole text."""
    pages: list[list[Line]] = []
    number = 1
    for page_number, chunk in enumerate(text.split("\f"), start=1):
        raw = chunk.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        pages.append([Line(number + i, r.rstrip(), page_number) for i, r in enumerate(raw)])
        number += len(raw) - 1
    return pages
