"""Item titles that wrap in layout text (`pdftotext -layout`, and minutes typed the same way).

A long title set in a larger font breaks onto the next line, which layout text indents to
the column where the title began:

    6.   Prioritering af midler til kronisk syge borgere og
         hverdagsrehabilitering for ældre

    Sagsnr.: 2012-21786

Read line by line, the title ends at "og" and its second half opens the item's text, which
also hides the case number below it. The contents wrap the same title as a line of its own
before the page number ("   ældre    10"). A line continues the title only when it follows
without a blank line, sits at the title's column, is not a case number, label or section
heading, and reads as the rest of a sentence: it starts in lower case, the line before ends
on a word that cannot end a title, or the contents list the joined title.
"""

from __future__ import annotations

from gremium.importers.casenumbers import is_labelled_case_line, parse_case_number_line
from gremium.importers.headings import section_heading
from gremium.importers.hyphenation import join_lines
from gremium.importers.lines import Line, mark

# Words a Danish title does not end on: the line broke inside the title.
_OPEN_ENDINGS = frozenset(
    {"og", "eller", "samt", "for", "af", "til", "i", "på", "med", "om", "fra", "ved", "under",
     "mellem", "efter", "over", "mod", "vedr.", "vedrørende", "-", "–", "&"}
)  # fmt: skip
_MOST_LINES = 3  # continuation lines at most: a title of five lines is not a title


def wrapped_title(
    title: str, lines: list[Line], index: int, listed: str | None = None
) -> tuple[str, int]:
    """(the whole title, index of its last line) for the item heading at lines[index].
    `listed` is the title the contents give the item, when they give one."""
    column = _title_column(lines[index].text, title)
    if column is None or not title:
        return title, index
    for _ in range(_MOST_LINES):
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        if not _at_column(following, column) or _other_kind(following):
            break
        joined = join_lines(title, following)
        if not (_reads_on(title, following) or (listed and listed.startswith(joined))):
            break
        title, index = joined, index + 1
    return title, index


def continues_listed_title(text: str) -> bool:
    """True for a line of the contents that carries on the entry above it: it starts in
    lower case (an entry starts with its number or a capital)."""
    stripped = text.strip()
    return bool(stripped) and stripped[0].islower()


def _title_column(heading_line: str, title: str) -> int | None:
    """Where the title text starts in the raw heading line; None when the line does not
    hold the title (it came from the next line) or is not indented layout text."""
    position = heading_line.find(title[:12]) if title else -1
    return position if position > 0 else None


def _at_column(text: str, column: int) -> bool:
    if not text.strip():
        return False  # a blank line ends the title
    indent = len(text) - len(text.lstrip(" "))
    return abs(indent - column) <= 1


def _other_kind(text: str) -> bool:
    return bool(
        parse_case_number_line(text)
        or is_labelled_case_line(text)
        or section_heading(mark(text)) is not None
    )


def _reads_on(title: str, following: str) -> bool:
    last_word = title.split()[-1].lower() if title.split() else ""
    first = following.strip()[:1]
    return first.islower() or last_word in _OPEN_ENDINGS or title.rstrip().endswith(",")
