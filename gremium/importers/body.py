"""The municipality or region a document belongs to, where its header says so.

"Aarhus Byråd" is Aarhus Kommune's council, "Kommunalbestyrelsen i Lejre" Lejre Kommune's,
"Region Hovedstaden" a region of its own. Only the header before the first item is read:
the items name other municipalities freely. Two different answers are no answer; the
import then needs --body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NAME = r"[A-ZÆØÅ][\wæøåÆØÅ\-]*(?:[ \-][A-ZÆØÅ][\wæøåÆØÅ\-]*)?"
_PATTERNS = (
    (re.compile(rf"\b(?P<name>{_NAME}) Kommune\b"), "{name} Kommune"),
    (re.compile(rf"\b(?P<name>{_NAME}) (?:Byråd|Kommunalbestyrelse)(?:n|t)?\b"), "{name} Kommune"),
    (re.compile(rf"\b(?:Byrådet|Kommunalbestyrelsen) i (?P<name>{_NAME})\b"), "{name} Kommune"),
    (
        re.compile(r"\bRegion (?P<name>Hovedstaden|Sjælland|Syddanmark|Midtjylland|Nordjylland)\b"),
        "Region {name}",
    ),
)
# Words that start a sentence or a title, not a place: "Referat Byråd", "Ny Kommune".
_NOT_PLACES = frozenset({"referat", "dagsorden", "beslutningsprotokol", "ny", "den", "hele"})


def body_candidates(texts: Iterable[str]) -> list[str]:
    """Every body the texts name, in order of first mention, each once."""
    found: list[str] = []
    for text in texts:
        for pattern, form in _PATTERNS:
            for match in pattern.finditer(text):
                name = _place(match.group("name"))
                body = form.format(name=name) if name else ""
                if body and body not in found:
                    found.append(body)
    return found


def _place(name: str) -> str:
    words = name.split()
    while words and words[0].lower() in _NOT_PLACES:
        words = words[1:]
    return " ".join(words)


def infer_body(texts: Iterable[str]) -> tuple[str, list[str]]:
    """(the body, []) when the texts name exactly one; ("", the candidates) otherwise."""
    candidates = body_candidates(texts)
    if len(candidates) == 1:
        return candidates[0], candidates
    return "", candidates
