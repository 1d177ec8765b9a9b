"""A large generated meeting for benchmarks: 100 items, each with prose and a table."""

from __future__ import annotations

import dataclasses
import random

from gremium.lib.document_structure import AttachmentRef, Decision, Document, Item, Section

WORDS = (
    "kommunen",
    "udvalget",
    "borgerne",
    "indsatsen",
    "forvaltningen",
    "beskæftigelse",
    "økonomi",
    "budget",
    "samarbejde",
    "virksomheder",
    "målgruppe",
    "resultat",
    "opfølgning",
    "handleplan",
    "tilfredshed",
)


def large_meeting(seed: Document, items: int = 100, salt: int = 2026) -> Document:
    """`items` generated items in place of the seed's; another `salt`, other words."""
    rng = random.Random(salt)
    generated = tuple(_item(seed, 100 + n, rng) for n in range(items))
    return dataclasses.replace(seed, items=generated)


def _item(seed: Document, number: int, rng: random.Random) -> Item:
    sections = (
        Section("Sagsresume", _paragraphs(rng, 2)),
        Section("Indstilling", "Direktøren indstiller, at\n\n- udvalget godkender sagen."),
        Section("Sagsfremstilling", _paragraphs(rng, 6) + "\n\n" + _table(rng, 24)),
        Section("Økonomi", _paragraphs(rng, 3)),
    )
    decision = Decision(seed.organization_name, seed.start.date(), "Godkendt", "Godkendt.")
    return Item(
        number=number,
        title=f"Sag nummer {number}: " + " ".join(rng.choices(WORDS, k=5)),
        reference=f"26/{1000 + number}",
        sections=sections,
        decision=decision,
        absent=("Jon Krongaard",),
        attachments=(AttachmentRef(name=f"Bilag til punkt {number}"),),
        key=f"punkt-{number}",
    )


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(" ".join(rng.choices(WORDS, k=70)).capitalize() + "." for _ in range(count))


def _table(rng: random.Random, rows: int) -> str:
    lines = ["| Område | 2025 | 2026 | Ændring |", "|---|---:|---:|---:|"]
    for _ in range(rows):
        a, b = rng.randint(100, 9999), rng.randint(100, 9999)
        lines.append(f"| {rng.choice(WORDS).capitalize()} | {a} | {b} | {b - a} |")
    return "\n".join(lines)
