"""Readable URL names from Danish names: æ, ø and å spelled out as Danes do in addresses."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slug(text: str, max_length: int = 80, fallback: str = "udvalg") -> str:
    """'Beskæftigelses- og Borgerserviceudvalget' → 'beskaeftigelses-og-borgerserviceudvalget'.
    A name with no letters or digits left (only signs) gets `fallback`."""
    slug = slugify(text.translate(_DANISH))[:max_length].strip("-")
    return slug or fallback


def unique_slug(
    text: str, taken: Callable[[str], bool], max_length: int = 80, fallback: str = "udvalg"
) -> str:
    """The slug of `text`, or with -2, -3 … appended when `taken(slug)` says it is in use."""
    base = danish_slug(text, max_length - 4, fallback)
    slug, n = base, 1
    while taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug
