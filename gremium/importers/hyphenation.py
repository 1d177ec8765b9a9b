"""Words broken across line ends by PDF layout.

Danish shortens a shared compound part with a hyphen ("Beskæftigelses- og Borgerservice");
such a hyphen is kept with its space. A hyphen at a line end before a lowercase continuation
is a break inside one word and disappears.
"""

from __future__ import annotations

import re

# pdfium marks a hyphen it found at a line end with U+FFFE
PDFIUM_LINE_END_HYPHEN = "\ufffe"
_SUSPENDED_COMPOUND_FOLLOWERS = frozenset({"og", "eller", "samt", "til", "end", "/"})
_WORD_END_HYPHEN = re.compile(r"[^\W\d_]-$")


def join_lines(first: str, second: str) -> str:
    """Two consecutive lines of one paragraph as one line."""
    head, tail = first.rstrip(), second.lstrip()
    if not head:
        return tail
    if not tail:
        return head
    if head.endswith(PDFIUM_LINE_END_HYPHEN):
        return _join_marked_hyphen(head[:-1], tail)
    if _WORD_END_HYPHEN.search(head) and _starts_lowercase(tail) and not _suspends(tail):
        return head[:-1] + tail
    if head.endswith("-") and (head[-2:-1].isdigit() or tail[:1].isupper()):
        return head + tail  # "6-måneders", "KL-Udspil": a compound, never a break
    return f"{head} {tail}"


def _join_marked_hyphen(head: str, tail: str) -> str:
    # pdfium's marker stands for a hyphen printed in the source, so it is kept
    if _suspends(tail):
        return f"{head}- {tail}"
    return f"{head}-{tail}"


def _starts_lowercase(text: str) -> bool:
    return text[:1].islower()


def _suspends(tail: str) -> bool:
    first_word = re.split(r"[\s,.;:]", tail, maxsplit=1)[0]
    return first_word in _SUSPENDED_COMPOUND_FOLLOWERS


def resolve_pdfium_hyphens(text: str) -> str:
    """pdfium drops the line break after a line-end hyphen and marks the hyphen with U+FFFE."""
    return re.sub(
        PDFIUM_LINE_END_HYPHEN + r"\s*(\S*)",
        lambda m: _join_marked_hyphen("", m.group(1)),
        text,
    )
