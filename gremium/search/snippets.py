"""Highlighted snippets: the words that matched the query, marked in the text as written.

The text is data: every piece is escaped, and only the <mark> tags around the matches are
markup. A word counts as matched when the index would match it (the same stem, or a stem
starting with a prefix term's stem; an exact code), so the same rule runs on both
databases.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gremium.search import words as w
from gremium.search.query import Query, is_prefix, match_stem

SNIPPET_WORDS = 30
ELLIPSIS = "…"


def highlight(text: str, query: Query) -> SafeString:
    """The whole text, escaped, with its matches marked."""
    return _render(text, _marks(text, query), 0, len(text))


def snippet(text: str, query: Query, size: int = SNIPPET_WORDS) -> SafeString:
    """About `size` words of the text around its densest matches, escaped and marked."""
    spans = list(w.word_spans(text))
    if not spans:
        return mark_safe("")
    marks = _marks(text, query)
    first = _densest_window(spans, marks, size)
    last = min(first + size, len(spans)) - 1
    start, end = spans[first][0], _word_end(text, spans[last][1])
    html = _render(text, marks, start, end)
    before = ELLIPSIS + " " if first > 0 else ""
    after = " " + ELLIPSIS if last < len(spans) - 1 else ""
    return mark_safe(f"{before}{html}{after}")  # noqa: S308 (escaped in _render)


def _word_end(text: str, end: int) -> int:
    """Through the punctuation that closes the last word ("cykelsti." keeps its period)."""
    while end < len(text) and not text[end].isspace():
        end += 1
    return end


def _matcher(query: Query) -> Callable[[str], bool]:
    exact: set[str] = set()
    prefixes: list[str] = []
    for word in query.all_words:
        (prefixes.append if is_prefix(word) else exact.add)(match_stem(word))

    def matches(token: str) -> bool:
        if token in w.STOP_WORDS:
            return False
        found = w.stem(token)
        return found in exact or any(found.startswith(p) for p in prefixes)

    return matches


def _marks(text: str, query: Query) -> list[tuple[int, int]]:
    matches = _matcher(query)
    spans = [span for span in w.word_spans(text) if matches(text[span[0] : span[1]].lower())]
    codes = set(query.codes)
    spans += [m.span() for m in w.CODE.finditer(text) if w.normalize_code(m.group(0)) in codes]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _densest_window(spans: list[tuple[int, int]], marks: list[tuple[int, int]], size: int) -> int:
    """The first word of the `size`-word window holding the most marked words."""
    marked = []
    following = 0  # both lists are in text order: one walk through each
    for start, end in spans:
        while following < len(marks) and marks[following][1] <= start:
            following += 1
        marked.append(following < len(marks) and marks[following][0] < end)
    if not any(marked):
        return 0
    best = count = sum(marked[:size])
    best_first = 0
    for first in range(1, max(1, len(spans) - size + 1)):
        count += marked[first + size - 1] - marked[first - 1]
        if count > best:
            best, best_first = count, first
    # Start a little before the first match, so it does not open the snippet, as long as
    # the window keeps its last match.
    window = range(best_first, min(best_first + size, len(spans)))
    first_mark = next(i for i in window if marked[i])
    last_mark = max(i for i in window if marked[i])
    start = max(0, last_mark - size + 1, first_mark - 3)
    return min(start, max(0, len(spans) - size))  # a full window at the end of the text


def _render(text: str, marks: list[tuple[int, int]], start: int, end: int) -> SafeString:
    pieces = []
    position = start
    for a, b in marks:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        pieces += [escape(text[position:a]), "<mark>", escape(text[a:b]), "</mark>"]
        position = b
    pieces.append(escape(text[position:end]))
    return mark_safe("".join(pieces))  # noqa: S308 (every piece of text escaped)
