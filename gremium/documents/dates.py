"""Dates as Danish minutes print them: "Mandag d. 02. februar 2026 kl. 16:00", "02-02-2026".

Written out by hand rather than through the locale so the output never depends on which
locales the server happens to have installed.
"""

from __future__ import annotations

import datetime as dt

WEEKDAYS = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def short_date(day: dt.date) -> str:
    return f"{day:%d-%m-%Y}"


def long_datetime(moment: dt.datetime) -> str:
    weekday = WEEKDAYS[moment.weekday()]
    month = MONTHS[moment.month - 1]
    return f"{weekday} d. {moment:%d}. {month} {moment.year} kl. {moment:%H:%M}"


def stamp(moment: dt.datetime) -> str:
    """A time of approval or correction: "02-02-2026 kl. 17:05"."""
    return f"{moment:%d-%m-%Y} kl. {moment:%H:%M}"
