"""Where an item starts a new page when the meeting is printed (the PDF, and the meeting
page's print style), decided from the items' lengths.

Each item opens a page, as in the seed, except after an item whose last page would hold
only a few lines: that page is not left nearly empty, and the next item follows on it.
Typst could measure the real positions (`here().position()` in a context), but every such
question makes it lay out the whole document again until the answers settle: three times
the time and memory on a 400-page meeting (bench/render.py). An estimate is enough: a
wrong guess costs a little white space, never content.

The estimate counts the lines of each part's Markdown at the column's characters per line,
with the heights of headings, gaps and table rows measured on rendered pages.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from gremium.documents.item_parts import Part, item_parts
from gremium.documents.markdown import item_heading
from gremium.lib.document_structure import Item

# Measured on rendered PDFs (minutes.typ: A4, 3 cm and 2.5 cm margins, Libertinus Serif
# 11 pt, leading 0.6 em), in lines of body text (13.8 pt apart):
CHARS_PER_LINE = 92  # Danish prose in the 16 cm column, word wrapping included
LINES_PER_PAGE = 49.7  # 24.2 cm of body height
HEADING_CHARS_PER_LINE = 62  # an item's heading at 16 pt
HEADING_LINE = 1.4
ITEM_HEADING = 0.5  # the space under an item's heading and its case number's line
PART_HEADING = 1.6  # a part's heading with the space above and below it
PARAGRAPH_GAP = 0.24
TABLE_ROW = 1.25
TABLE_GAP = 2.1
FOLLOW_GAP = 1.6  # the space (2 em) before an item that follows on the same page
# An item ending within this share of its last page lets the next item follow on it.
NEARLY_EMPTY = 0.4
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def new_page_flags(items: Sequence[Item]) -> list[bool]:
    """For each item, whether it opens a new page."""
    flags: list[bool] = []
    used = 0.0  # how much of the current page the previous item left used
    for index, item in enumerate(items):
        opens = index == 0 or used > NEARLY_EMPTY * LINES_PER_PAGE
        flags.append(opens)
        start = 0.0 if opens else used + FOLLOW_GAP
        used = (start + item_lines(item)) % LINES_PER_PAGE
    return flags


def item_lines(item: Item) -> float:
    heading = math.ceil(len(item_heading(item)) / HEADING_CHARS_PER_LINE) * HEADING_LINE
    return heading + ITEM_HEADING + sum(_part_lines(part) for part in item_parts(item))


def _part_lines(part: Part) -> float:
    if part.lines:
        return PART_HEADING + sum(_text_lines(line) + PARAGRAPH_GAP for line in part.lines)
    blocks = [b for b in re.split(r"\n\s*\n", part.markdown) if b.strip()]
    return PART_HEADING + sum(_block_lines(block) for block in blocks)


def _block_lines(block: str) -> float:
    rows = block.strip().splitlines()
    if all(row.lstrip().startswith("|") for row in rows):
        return (len(rows) - 1) * TABLE_ROW + TABLE_GAP  # less the |---| row
    if all(_LIST_ITEM.match(row) or row.startswith("  ") for row in rows):
        entries = _entries(rows)
        return sum(_text_lines(entry) for entry in entries) + PARAGRAPH_GAP
    return _text_lines(" ".join(rows)) + PARAGRAPH_GAP


def _entries(rows: list[str]) -> list[str]:
    entries: list[str] = []
    for row in rows:
        if _LIST_ITEM.match(row) or not entries:
            entries.append(row)
        else:
            entries[-1] += " " + row.strip()
    return entries


def _text_lines(text: str) -> float:
    return max(1, math.ceil(len(text.strip()) / CHARS_PER_LINE)) if text.strip() else 0
