"""Section text is Markdown typed by users: render it to HTML as data, never as markup.

Raw HTML in the source is escaped, not passed through; links keep only safe schemes.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with html off: <script> in a section prints as text.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown_to_html(source: str) -> str:
    html = _parser().render(source)
    # Tables get a class so the stylesheet can draw borders and keep them readable.
    return html.replace("<table>", '<table class="md-table">')
