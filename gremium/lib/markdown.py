"""Section text is Markdown typed by users: render it to HTML as data, never as markup.

Raw HTML in the source is escaped, not passed through; links keep only safe schemes.
The output carries no inline style (the Content-Security-Policy forbids it): a column's
alignment becomes a class.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALIGNMENTS = ("left", "center", "right")
LABEL_LENGTH = 80
_TEXT = {"text", "code_inline"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with html off: <script> in a section prints as text.
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    parser.add_render_rule("table_open", _table_open)
    parser.add_render_rule("table_close", _table_close)
    parser.add_render_rule("th_open", _cell_open)
    parser.add_render_rule("td_open", _cell_open)
    return parser


def markdown_to_html(source: str) -> str:
    return _parser().render(source)


def _table_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    # A wide table scrolls in its own region, which keyboard users reach with Tab; the
    # page itself never scrolls sideways.
    label = escape(_table_label(tokens, idx))
    return (
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">\n'
        '<table class="md-table">\n'
    )


def _table_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "</table>\n</div>\n"


def _table_label(tokens: Sequence[Token], idx: int) -> str:
    """ "Tabel: " and the column headings, so each scroll region has a telling name."""
    headings = []
    for token in tokens[idx:]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            # The heading's words without Markdown's marks (** __ `).
            words = "".join(c.content for c in token.children or [] if c.type in _TEXT).strip()
            if words:
                headings.append(words)
    label = _("Tabel: %(columns)s") % {"columns": ", ".join(headings)} if headings else _("Tabel")
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"


def _cell_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    style = str(token.attrGet("style") or "")
    align = next((side for side in ALIGNMENTS if f"text-align:{side}" in style), None)
    return f'<{token.tag} class="align-{align}">' if align else f"<{token.tag}>"
