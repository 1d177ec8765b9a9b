"""Highlighted snippets: the words that matched the query, marked in the text as written.

The text is data: every piece is escaped, and only the <mark> tags around the matches are
markup. A word counts as matched when the index would match it (the same stem, or a stem
starting with a prefix term's stem; an exact code), so the same rule runs on both
databases.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gremium.search import words as w
from gremium.search.query import Query, is_prefix, match_stem

SNIPPET_CHARS = 220
LEAD = 40  # characters shown before the first match
ELLIPSIS = "…"
HEAD = 3


def highlight(text: str, query: Query) -> SafeString:
    """The whole text, escaped, with its matches marked."""
    return _render(text, _marks(text, query), 0, len(text))


def snippet(text: str, query: Query, size: int = SNIPPET_CHARS) -> SafeString:
    """About `size` characters of the text around its densest matches (whole words),
    escaped and marked."""
    marks = _marks(text, query)
    first = _densest(marks, size)
    start = 0 if first is None else _word_start(text, max(0, marks[first][0] - LEAD))
    end = _word_end(text, min(len(text), start + size))
    html = _render(text, marks, start, end)
    before = ELLIPSIS + " " if start > 0 else ""
    after = " " + ELLIPSIS if text[end:].strip() else ""
    return mark_safe(f"{before}{html.strip()}{after}")  # noqa: S308 (escaped in _render)


def _word_start(text: str, position: int) -> int:
    while position > 0 and not text[position - 1].isspace():
        position -= 1
    return position


def _word_end(text: str, position: int) -> int:
    """Through the word and the punctuation that closes it ("cykelsti." keeps its period)."""
    while position < len(text) and not text[position].isspace():
        position += 1
    return position


def _densest(marks: list[tuple[int, int]], size: int) -> int | None:
    """The mark that opens the `size`-character stretch holding the most marks."""
    if not marks:
        return None
    best, best_count, last = 0, 0, 0
    for first, (start, _end) in enumerate(marks):
        while last < len(marks) and marks[last][1] <= start + size - LEAD:
            last += 1
        if last - first > best_count:
            best, best_count = first, last - first
    return best


def titled(query: Query) -> Callable[[str], bool]:
    """A test of whether a title holds a word of the query (ranking by the title: SQLite
    reads the titles of the newest matches, not their title terms, which are stored after
    the long text). One pattern over the title's stems, each title tested once."""
    exact, prefixes = _sought(query)
    alternatives = [re.escape(stem) + " " for stem in exact] + [re.escape(p) for p in prefixes]
    pattern = re.compile(" (?:" + "|".join(alternatives) + ")")
    seen: dict[str, bool] = {}

    def test(title: str) -> bool:
        found = seen.get(title)
        if found is None:
            found = seen[title] = pattern.search(_title_stems(title)) is not None
        return found

    return test


@functools.lru_cache(maxsize=16384)  # the parts of an attachment share their title
def _title_stems(title: str) -> str:
    """The title's stems, each with a space before and after."""
    return " " + " ".join(w.stems(title)) + " "


def _sought(query: Query) -> tuple[set[str], list[str]]:
    """The stems a match holds: exactly, or as the start of a longer stem (a word that is
    a prefix, but not in a phrase: a phrase's words match their stem only)."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for term in query.terms:
        for word in term.words:
            prefix = is_prefix(word) and not term.is_phrase
            (prefixes.append if prefix else exact.add)(match_stem(word))
    return exact, prefixes


def _marks(text: str, query: Query) -> list[tuple[int, int]]:
    exact, prefixes = _sought(query)
    spans = []
    # The stemmer only changes a word's ending: a word whose first letters are not those
    # of a stem sought cannot match, so only words starting so are looked at and stemmed.
    heads = {stem[:HEAD] for stem in (*exact, *prefixes)}
    if heads:
        pattern = "|".join(re.escape(head) for head in sorted(heads))
        candidates = re.finditer(rf"(?<![^\W_])(?:{pattern})[^\W_]*", text, re.IGNORECASE)
        for match in candidates:
            token = match.group(0).lower()
            if token in w.STOP_WORDS:
                continue
            found = w.stem(token)
            if found in exact or found.startswith(tuple(prefixes)):
                spans.append(match.span())
    if query.codes:
        codes = set(query.codes)
        found_codes = w.CODE.finditer(text)
        spans += [m.span() for m in found_codes if w.normalize_code(m.group(0)) in codes]
    return _merged(spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


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
