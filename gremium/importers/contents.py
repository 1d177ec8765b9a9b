"""The document's own evidence about its items: its table of contents and the run of item
numbers. A text or PDF parse is only as good as its agreement with both.

A numbered line inside an item ("1. Aarhus Byråd træffer …") looks like an item heading;
the contents tell it apart, because they list another title under that number. After the
parse, every entry of the contents must be an item and every item an entry, and the
numbers must not run backwards or repeat; each breach becomes a `Disagreement` that names
its line and page, and the import refuses to write the file without --force.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from django.utils.translation import gettext as _

from gremium.importers.lines import Line

_CLOSED_LEAD = re.compile(r"^lukket(?:\s+punkt)?\s*[:\-–]\s*", re.I)
_NOT_WORD = re.compile(r"[^\wæøå]+", re.I)
_MIN_PREFIX = 12  # characters: a title cut short by the layout still names its item
_SIMILAR = 0.85  # a title read with a wrapped or hyphenated word still is the same title


@dataclass(frozen=True)
class Disagreement:
    line: int
    page: int | None
    text: str  # what disagrees, in words

    def where(self) -> str:
        if self.page:
            return _("side %(page)s, linje %(line)s") % {"page": self.page, "line": self.line}
        return _("linje %(line)s") % {"line": self.line}

    def __str__(self) -> str:
        return f"{self.where()}: {self.text}"


@dataclass(frozen=True)
class ReadItem:
    """What the reconciliation needs of an item the parser made."""

    number: int | None
    title: str
    line: Line
    sub_number: int | None = None


# The contents' keys: an item's number; a sub-item's or an unnumbered entry's a negative
# key, matched by title (sub-items far below, apart from the unnumbered entries).
_SUB_KEYS = 10**7


def toc_key(number: int, sub_number: int | None) -> int:
    return number if sub_number is None else -(_SUB_KEYS + number * 1000 + sub_number)


def normal_title(title: str) -> str:
    """A title as compared: no "Lukket:", case, punctuation or spacing."""
    return _NOT_WORD.sub(" ", _CLOSED_LEAD.sub("", title.strip())).strip().lower()


def same_title(first: str, second: str) -> bool:
    a, b = normal_title(first), normal_title(second)
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= _MIN_PREFIX and longer.startswith(shorter):
        return True
    return SequenceMatcher(None, a, b).ratio() >= _SIMILAR


def listed_elsewhere(contents: Mapping[int, str], number: int, title: str) -> bool:
    """The contents give `number` to another title: a line "N. title" that the contents do
    not list is text inside an item, not the item."""
    listed = contents.get(number)
    return listed is not None and not same_title(listed, title)


def listed_title(contents: Mapping[int, str], number: int | None, title: str) -> bool:
    """The contents list this item: under its number, or (contents without numbers, as
    FirstAgenda and Haderslev print them) by its title."""
    if number is not None and number in contents:
        return same_title(contents[number], title)
    return any(same_title(entry, title) for key, entry in contents.items() if key < 0)


def reconcile(
    contents: Mapping[int, str], places: Mapping[int, Line], items: Sequence[ReadItem]
) -> list[Disagreement]:
    """Every disagreement between the contents, the items found and their numbering."""
    found = _against_contents(contents, places, items) if contents else []
    return found + _against_sequence(items)


def _against_contents(
    contents: Mapping[int, str], places: Mapping[int, Line], items: Sequence[ReadItem]
) -> list[Disagreement]:
    found: list[Disagreement] = []
    for key, title in contents.items():
        if _is_signature(title):
            continue  # a signature page listed in the contents is no item of the meeting
        number = key if key >= 0 else None
        if not any(_matches(item, number, title) for item in items):
            place = places.get(key)
            label = f"{number}. {title}" if number is not None else title
            found.append(
                Disagreement(
                    place.number if place else 0,
                    place.page if place else None,
                    _("indholdsfortegnelsen nævner «%(title)s», men intet punkt har den titel")
                    % {"title": label},
                )
            )
    for item in items:
        number = item.number if item.sub_number is None else None
        if not listed_title(contents, number, item.title):
            label = f"{item.number}. {item.title}" if item.number is not None else item.title
            found.append(
                Disagreement(
                    item.line.number,
                    item.line.page,
                    _("punktet «%(title)s» står ikke i indholdsfortegnelsen") % {"title": label},
                )
            )
    return found


def _matches(item: ReadItem, number: int | None, title: str) -> bool:
    if item.sub_number is not None and number is not None:
        return False  # a numbered entry is the main item, not its sub-item
    if number is not None and item.number is not None and item.number != number:
        return False
    return same_title(item.title, title)


def _is_signature(title: str) -> bool:
    return normal_title(title) in {"underskriftsside", "underskrifter"}


def _against_sequence(items: Sequence[ReadItem]) -> list[Disagreement]:
    """Numbers that run backwards or repeat: gaps are allowed (closed items left out of
    public minutes, numbering on through the year)."""
    numbered = [item for item in items if item.number is not None]
    return [
        Disagreement(
            later.line.number,
            later.line.page,
            _("punkt %(later)s følger efter punkt %(earlier)s")
            % {"later": _label(later), "earlier": _label(earlier)},
        )
        for earlier, later in pairwise(numbered)
        if _order(later) <= _order(earlier)
    ]


def _order(item: ReadItem) -> tuple[int, int]:
    return (item.number or 0, item.sub_number if item.sub_number is not None else -1)


def _label(item: ReadItem) -> str:
    return f"{item.number}.{item.sub_number}" if item.sub_number is not None else f"{item.number}"
