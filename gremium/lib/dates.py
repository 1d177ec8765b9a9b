"""Dates written the way Danish minutes write them, independent of the server's locale."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

WEEKDAYS = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]
MONTHS = [
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
]


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def danish_long_datetime(value: dt.datetime) -> str:
    """'Mandag d. 02. februar 2026 kl. 16:00', as on the seed's first page."""
    value = local(value)
    return (
        f"{WEEKDAYS[value.weekday()]} d. {value:%d}. {MONTHS[value.month - 1]} "
        f"{value.year} kl. {value:%H:%M}"
    )


def danish_long_date(value: dt.date) -> str:
    """'2. februar 2026'."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
