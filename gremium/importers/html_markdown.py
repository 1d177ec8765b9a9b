"""HTML as Markdown: SBSYS field fragments, and whole minutes published as web pages.

Paragraphs, lists, bold, tables and (for whole pages) headings are kept.

Anything else (spans, fonts, styles) is dropped and only its text kept, so no markup from
the case system reaches a renderer.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset({"p", "div", "blockquote", "section", "article", "dt", "dd", *_HEADINGS})
# Their text is never content: scripts, styles and the page's own navigation.
_SKIPPED = frozenset({"script", "style", "template", "noscript", "nav", "head"})


class _Converter(HTMLParser):
    def __init__(self, headings: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.headings = headings
        self.skipping = 0
        self.blocks: list[str] = []
        self.current = ""
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.row: list[str] | None = None
        self.table: list[list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
            return
        if self.skipping:
            return
        if tag in _BLOCKS or tag == "li":
            self._flush()
        if self.headings and tag in _HEADINGS:
            self.current = "#" * _HEADINGS[tag] + " "
        if tag in ("ul", "ol"):
            self._flush()
            # <ol start="2">: a paragraph that opens with "2. februar" is such a list
            start = dict(attrs).get("start") or "1"
            self.lists.append([tag == "ol", int(start) - 1 if start.isdigit() else 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            self.current = self._marker()
        elif tag in ("strong", "b"):
            self.current += "**"
        elif tag == "br":
            self.current += "\n"
        elif tag == "table":
            self._flush()
            self.table = []
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.current = ""

    def _marker(self) -> str:
        depth = "  " * (len(self.lists) - 1)
        ordered, counter = self.lists[-1]
        return f"{depth}{counter}. " if ordered else f"{depth}- "

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag in ("strong", "b"):
            self.current += "**"
        elif tag in ("td", "th") and self.row is not None:
            self.row.append(_squash(self.current))
            self.current = ""
        elif tag == "tr" and self.table is not None and self.row is not None:
            self.table.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            self.blocks.append(_pipe(self.table))
            self.table = None
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
            if not self.lists:
                self.blocks.append("")  # the next list is a list of its own
        elif tag in _BLOCKS or tag == "li":
            self._flush()

    def handle_data(self, data: str) -> None:
        # HTML whitespace collapses; only <br> breaks a line
        if not self.skipping:
            self.current += re.sub(r"\s+", " ", data)

    def _flush(self) -> None:
        text = _squash(self.current)
        if text and text.strip("-0123456789. *#") and self.table is None:
            if self.lists and self.blocks and _is_item(self.blocks[-1]) and _is_item(text):
                self.blocks[-1] += "\n" + text  # items of one list stay one block
            else:
                self.blocks.append(text)
        self.current = ""


def _is_item(text: str) -> bool:
    return bool(text) and bool(re.match(r"^\s*(?:-|\d+\.)\s", text.splitlines()[-1]))


def _squash(text: str) -> str:
    marker = re.match(r"^( *)(?:-|\d+\.) ", text)
    indent = marker.group(1) if marker else ""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    joined = "\n".join(line for line in lines if line)
    joined = re.sub(r"\*\*\s*\*\*", "", joined)
    return indent + joined


def _pipe(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
    lines.insert(1, "| " + " | ".join("---" for _ in range(width)) + " |")
    return "\n".join(lines)


class HtmlUnreadable(ValueError):
    """The HTML is malformed in a way the standard library's parser refuses."""


def html_to_markdown(html: str, headings: bool = False) -> str:
    """Markdown of `html`; `headings` turns h1–h6 into # headings (whole pages).
    HtmlUnreadable for markup the parser cannot read."""
    converter = _Converter(headings)
    try:
        converter.feed(html)
        converter.close()
    except AssertionError as error:
        # html.parser reports some malformed declarations (an unknown "<![KEYWORD[" marked
        # section) with an assertion rather than an exception of its own.
        raise HtmlUnreadable(str(error)) from error
    converter._flush()
    return "\n\n".join(block for block in converter.blocks if block.strip())
