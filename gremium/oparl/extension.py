"""gremium's vendor extension to OParl's AgendaItem: votes and who took no part.

OParl has no votes and no attendance per item. gremium publishes them under its own prefix
(spec: "Herstellerspezifische Erweiterungen"), never as new meanings of OParl's fields. The
meaning of each value is taken from the Dutch ODS Open Raadsinformatie model
(VNG-Realisatie, API "Open Raads- en Stateninformatie"): a vote (Stemming) on an agenda
item has a result (StemmingResultaat: voor, tegen, gelijk), each member's vote (Stem) a
choice (StemKeuze: voor, tegen, onthouden), and each party a result derived from its
members' votes (FractieStemResultaat: aangenomen = the whole party present voted for,
verworpen = it voted against, verdeeld = split). docs/oparl.md describes the keys.

Everything comes from the public document of the minutes, so a closed item has none of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gremium.lib import document_structure as s

PREFIX = "gremium"
# The minutes' words (meetings.minutes.VOTE_WORDS) → ODS StemKeuze.
CHOICES = {"For": "voor", "Imod": "tegen", "Undlod": "onthouden"}

PersonUrl = Callable[[str], str | None]


def item_extension(item: s.Item, person_url: PersonUrl) -> dict[str, Any]:
    """The extension's keys for one item of a public document; {} when it has nothing."""
    result: dict[str, Any] = {}
    votes = _votes(item.votes, person_url)
    if votes:
        result[f"{PREFIX}:votes"] = votes
    for key, names in (("absent", item.absent), ("conflictOfInterest", item.conflicts)):
        if names:
            result[f"{PREFIX}:{key}"] = [_person(name, person_url) for name in names]
    return result


def meeting_extension(document: s.Document, person_url: PersonUrl) -> dict[str, Any]:
    """`gremium:absent` on a Meeting: the members the minutes list as absent from the whole
    meeting (afbud). OParl's `participant` names only those who took part."""
    absent = [p.name for p in document.participants if p.absent]
    return {f"{PREFIX}:absent": [_person(name, person_url) for name in absent]} if absent else {}


def _votes(lines: tuple[s.VoteLine, ...], person_url: PersonUrl) -> dict[str, Any]:
    lines = tuple(line for line in lines if line.choice in CHOICES)
    if not lines:
        return {}
    result: dict[str, Any] = {}
    if all(line.names for line in lines):
        counts = {choice: 0 for choice in CHOICES.values()}
        for line in lines:
            counts[CHOICES[line.choice]] += len(line.names)
        result["result"] = _outcome(counts["voor"], counts["tegen"])
        result["counts"] = counts
        result["votes"] = [
            {**_person(name, person_url), "choice": CHOICES[line.choice]}
            for line in lines
            for name in line.names
        ]
    parties = _parties(lines)
    if parties:
        result["parties"] = parties
    return result


def _outcome(yes: int, no: int) -> str:
    # StemmingResultaat: the motion carried (voor), failed (tegen) or tied (gelijk).
    return "voor" if yes > no else "tegen" if no > yes else "gelijk"


# FractieStemResultaat: the whole party present voted for, or against; otherwise split.
PARTY_RESULTS = {frozenset({"voor"}): "aangenomen", frozenset({"tegen"}): "verworpen"}


def _parties(lines: tuple[s.VoteLine, ...]) -> list[dict[str, str]]:
    """A party's result from the choices its members made; a party whose members all
    abstained has no FractieStemResultaat and is left out."""
    seen: dict[str, set[str]] = {}
    for line in lines:
        for party in line.parties:
            seen.setdefault(party, set()).add(CHOICES[line.choice])
    return [
        {"party": party, "result": PARTY_RESULTS.get(frozenset(choices), "verdeeld")}
        for party, choices in seen.items()
        if choices != {"onthouden"}
    ]


def _person(name: str, person_url: PersonUrl) -> dict[str, str]:
    url = person_url(name)
    return {"name": name, "person": url} if url else {"name": name}
