"""An agenda item's number as every rendering prints it: "4", or "4.1" for a sub-item."""

from __future__ import annotations


def number_label(number: int | None, sub_number: int | None = None) -> str:
    """ "4.1" for sub-item 1 of item 4, "4" for a plain item, "" without a number."""
    if number is None:
        return ""
    return f"{number}.{sub_number}" if sub_number is not None else str(number)
