"""Source lines with the place they came from, and the marks a line can carry."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the text the parser was given
    text: str
    page: int | None = None


_HEADING_HASHES = re.compile(r"^(#{1,6})\s+")
_BOLD = re.compile(r"^\*\*(.+?)\*\*(.*)$")


@dataclass(frozen=True)
class Marked:
    """A line with Markdown heading hashes and bold markers taken apart."""

    plain: str  # the text without the marks
    level: int  # number of # (0 for none)
    bold: str  # the bold lead-in when the line starts with **...**, else ""
    rest: str  # text after the bold lead-in

    @property
    def is_heading_shaped(self) -> bool:
        """A Markdown heading, or a line that is bold and nothing else."""
        return self.level > 0 or (bool(self.bold) and not self.rest)


def mark(text: str) -> Marked:
    stripped = text.strip()
    level = 0
    hashes = _HEADING_HASHES.match(stripped)
    if hashes:
        level = len(hashes.group(1))
        stripped = stripped[hashes.end() :].strip()
    bold, rest = "", stripped
    bolded = _BOLD.match(stripped)
    if bolded:
        bold, rest = bolded.group(1).strip(), bolded.group(2).strip()
    plain = f"{bold} {rest}".strip() if bold else stripped
    return Marked(plain=plain, level=level, bold=bold, rest=rest)


def split_lines(text: str, page: int | None = None, first_number: int = 1) -> list[Line]:
    return [
        Line(first_number + i, raw.rstrip(), page)
        for i, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    ]
