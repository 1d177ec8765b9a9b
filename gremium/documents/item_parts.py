"""An item's parts in the order the printed document shows them: its sections, the
decision, the vote, protocol notes, conflicts, absences, attachments and addenda. Each part
is a heading with either Markdown (what a secretary wrote) or plain lines (names, titles)."""

from __future__ import annotations

from dataclasses import dataclass

from gremium.documents import dates
from gremium.documents.markdown import vote_line
from gremium.lib.document_structure import Decision, Item


@dataclass(frozen=True)
class Part:
    heading: str
    markdown: str = ""
    lines: tuple[str, ...] = ()  # plain lines, never Markdown


def item_parts(item: Item) -> list[Part]:
    parts = [Part(s.heading, s.body) for s in item.sections]
    if item.decision:
        text = item.decision.text or item.decision.outcome
        parts.append(Part(_decision_heading(item.decision), text))
    if item.votes:
        parts.append(Part("Afstemning", lines=tuple(vote_line(v) for v in item.votes)))
    parts += [Part(f"Protokoltilførsel fra {d.name}", d.text) for d in item.dissents]
    if item.conflicts:
        parts.append(Part("Inhabil", lines=(", ".join(item.conflicts),)))
    if item.absent:
        parts.append(Part("Fraværende", lines=(", ".join(item.absent),)))
    if item.attachments:
        parts.append(Part("Bilag", lines=tuple(a.name for a in item.attachments)))
    parts += [Part(f"Tilføjelse {dates.stamp(a.date)} af {a.author}", a.text) for a in item.addenda]
    return parts


def _decision_heading(decision: Decision) -> str:
    day = f" den {dates.short_date(decision.date)}" if decision.date else ""
    return f"Beslutning i {decision.organization}{day}"
