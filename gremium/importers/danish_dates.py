"""Dates and times as Danish minutes write them."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_LONG = re.compile(rf"(\d{{1,2}})\.?\s+({_MONTH_NAMES})\.?\s+(\d{{4}})", re.I)
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_TIME = re.compile(r"(?:kl\.?|klokken)\s*(\d{1,2})(?:[:.](\d{2}))?", re.I)
_BARE_TIME = re.compile(r"(?<![\d.])(\d{1,2})[:](\d{2})(?::\d{2})?(?![\d.])")


def parse_date(text: str) -> dt.date | None:
    """The first date in the text: "2. februar 2026", "02-02-2026", "04.12.2012", "2026-02-02"."""
    found: list[tuple[int, dt.date]] = []
    for pattern, order in ((_LONG, "dmy_name"), (_NUMERIC, "dmy"), (_ISO, "ymd")):
        match = pattern.search(text)
        if match is None:
            continue
        date = _build(match.groups(), order)
        if date is not None:
            found.append((match.start(), date))
    return min(found)[1] if found else None


def _build(groups: tuple[str, ...], order: str) -> dt.date | None:
    try:
        if order == "dmy_name":
            return dt.date(int(groups[2]), MONTHS[groups[1].lower()], int(groups[0]))
        if order == "dmy":
            return dt.date(int(groups[2]), int(groups[1]), int(groups[0]))
        return dt.date(int(groups[0]), int(groups[1]), int(groups[2]))
    except ValueError:
        return None


def parse_time(text: str) -> dt.time | None:
    match = _TIME.search(text) or _BARE_TIME.search(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def parse_datetime(text: str) -> dt.datetime | None:
    """ "Mandag d. 02. februar 2026 kl. 16:00" -> 2026-02-02 16:00; midnight when no time."""
    date = parse_date(text)
    if date is None:
        return None
    time = parse_time(text) or dt.time(0, 0)
    return dt.datetime.combine(date, time)
