"""Keep user text inside its slot when it is written into a Markdown document.

Section bodies are Markdown and stay Markdown, but a body must not add structure of its
own: a line "## Punkt 99: ..." in a body would read back as a new item. Headings are found
with the same parser readers use (markdown-it, CommonMark plus tables), not guessed by
pattern, so setext headings ("Text" over "---") and headings inside lists and quotes are
caught as well.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark").enable("table")
_MAX_PASSES = 20
_BLOCK_START = re.compile(r"^([#>+*=|`~_-]|\d+[.)])")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")


def block(text: str) -> str:
    """`text` (Markdown) with every heading turned into a literal line."""
    for _ in range(_MAX_PASSES):
        lines = text.split("\n")
        targets = _heading_lines(text)
        if not targets:
            return text.strip("\n")
        for index, marks in targets:
            lines[index] = _escape_first(lines[index], marks)
        text = "\n".join(lines)
    raise ValueError("text keeps producing headings after escaping")


def inline(text: str) -> str:
    """One line of plain text (a name, a title) that cannot start a block or end a heading."""
    line = " ".join(text.split())
    line = line.replace("\\", "\\\\")
    match = _BLOCK_START.match(line)
    if match:
        cut = match.end() - 1
        line = line[:cut] + "\\" + line[cut:]
    return _CLOSING_HASHES.sub(r"\1\\\2", line)


def _heading_lines(text: str) -> list[tuple[int, str]]:
    """(line index, marker characters) of each heading's marker line."""
    found = []
    for token in _PARSER.parse(text):
        if token.type != "heading_open" or token.map is None:
            continue
        first, end = token.map
        if token.markup.startswith("#"):
            found.append((first, "#"))
        else:
            found.append((end - 1, token.markup[0]))
    return found


def _escape_first(line: str, marks: str) -> str:
    index = line.find(marks)
    return line[:index] + "\\" + line[index:] if index >= 0 else line
