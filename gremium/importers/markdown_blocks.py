"""Body lines of one section as Markdown: paragraphs, nested bullet lists, pipe tables.

Text that came from Markdown keeps its shape. Text extracted from a PDF has one line per
printed line and no blank line between paragraphs, so it is reflowed: a short line that
ends a sentence ends its paragraph.
"""

from __future__ import annotations

import re

from gremium.importers.hyphenation import join_lines
from gremium.importers.lines import Line

_BULLET = re.compile(r"^(\s*)(?:[-*•▪◦·]|\uf0b7)\s+(.*)$")
_ENUMERATED = re.compile(r"^\s*(?:\d{1,2}[.)]|[A-Za-z][.)])\s+\S")
_SENTENCE_END = re.compile(r"[.!?:]\s*$")


def to_markdown(lines: list[Line], reflow: bool = False) -> str:
    texts = [line.text for line in lines]
    blocks: list[str] = []
    index = 0
    width = _width(texts)  # once: per paragraph it made a long item's body quadratic
    while index < len(texts):
        if not texts[index].strip():
            index += 1
            continue
        if texts[index].lstrip().startswith("|"):
            block, index = _take_pipe_table(texts, index)
        elif "\t" in texts[index].strip():
            block, index = _take_table(texts, index)
        elif _BULLET.match(texts[index]):
            block, index = _take_list(texts, index, reflow)
        else:
            block, index = _take_paragraph(texts, index, reflow, width)
        blocks.append(block)
    return "\n\n".join(blocks)


def _width(texts: list[str]) -> int:
    return max((len(t.rstrip()) for t in texts), default=0)


def _take_table(texts: list[str], index: int) -> tuple[str, int]:
    rows: list[list[str]] = []
    columns = len(texts[index].strip().split("\t"))
    while index < len(texts):
        text = texts[index].strip()
        if not text:
            # A page break can leave a blank line inside a table: look past it.
            following = _next_filled(texts, index)
            if following is None or _cells(texts[following]) != columns:
                break
            index = following
            continue
        if "\t" not in text:
            break
        rows.append(_pad([cell.strip() for cell in text.split("\t")], columns))
        index += 1
    return _pipe_table(rows), index


def _take_pipe_table(texts: list[str], index: int) -> tuple[str, int]:
    """A table already written in Markdown stays as it is."""
    rows: list[str] = []
    while index < len(texts) and texts[index].lstrip().startswith("|"):
        rows.append(texts[index].strip())
        index += 1
    return "\n".join(rows), index


def _cells(text: str) -> int:
    stripped = text.strip()
    return len(stripped.split("\t")) if "\t" in stripped else 0


def _next_filled(texts: list[str], index: int) -> int | None:
    for following in range(index + 1, len(texts)):
        if texts[following].strip():
            return following
    return None


def _pad(cells: list[str], columns: int) -> list[str]:
    return cells + [""] * (columns - len(cells)) if len(cells) < columns else cells


def _pipe_table(rows: list[list[str]]) -> str:
    width = max(len(row) for row in rows)
    rows = [_pad(row, width) for row in rows]

    def render(row: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"

    rule = "| " + " | ".join("---" for _ in range(width)) + " |"
    return "\n".join([render(rows[0]), rule, *(render(row) for row in rows[1:])])


def _take_list(texts: list[str], index: int, reflow: bool) -> tuple[str, int]:
    entries: list[tuple[int, str]] = []
    while index < len(texts):
        text = texts[index]
        bullet = _BULLET.match(text)
        if bullet:
            entries.append((len(bullet.group(1).expandtabs(4)), bullet.group(2).strip()))
        elif text.strip() and entries and (reflow or text.startswith((" ", "\t"))):
            indent, body = entries[-1]
            entries[-1] = (indent, join_lines(body, text))
        else:
            break
        index += 1
    return _render_list(entries), index


def _render_list(entries: list[tuple[int, str]]) -> str:
    indents = sorted({indent for indent, _ in entries})
    return "\n".join(f"{'  ' * indents.index(indent)}- {body}" for indent, body in entries)


def _take_paragraph(texts: list[str], index: int, reflow: bool, width: int) -> tuple[str, int]:
    paragraph = texts[index].strip()
    index += 1
    while index < len(texts):
        text = texts[index]
        if (
            not text.strip()
            or "\t" in text.strip()
            or _BULLET.match(text)
            or text.lstrip().startswith("|")
        ):
            break
        if reflow and _ends_paragraph(texts[index - 1], text, width):
            break
        if not reflow and _ENUMERATED.match(text):
            break
        paragraph = join_lines(paragraph, text)
        index += 1
    return paragraph, index


def _ends_paragraph(previous: str, text: str, width: int) -> bool:
    if _ENUMERATED.match(text):
        return True
    short = len(previous.rstrip()) < width * 0.8
    return short and bool(_SENTENCE_END.search(previous)) and not text.strip()[:1].islower()
