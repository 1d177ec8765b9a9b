"""Item numbers as case systems write them: "4", "4." or a sub-item "4.1"."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^\s*(\d{1,4})(?:\.(\d{1,3}))?\s*\.?\s*$")


def item_number(value: object) -> tuple[int | None, int | None]:
    """(4, 1) for "4.1", (4, None) for "4" or "4.", (None, None) for anything else."""
    match = _NUMBER.match(str(value if value is not None else ""))
    if match is None:
        return None, None
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def item_key(number: int | None, sub: int | None) -> str:
    """The item's anchor: "punkt-4", "punkt-4-1" for item 4.1, "" without a number."""
    if number is None:
        return ""
    return f"punkt-{number}" if sub is None else f"punkt-{number}-{sub}"
