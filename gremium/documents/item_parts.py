"""An item's parts in the order the printed document shows them: its sections, the
decision, the vote, protocol notes, conflicts, absences, attachments and addenda. Each part
is a heading with either Markdown (what a secretary wrote) or plain lines (names, titles)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

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
        parts.append(Part(_("Afstemning"), lines=tuple(vote_line(v) for v in item.votes)))
    parts += [
        Part(_("Protokoltilførsel fra %(name)s") % {"name": d.name}, d.text) for d in item.dissents
    ]
    if item.conflicts:
        parts.append(Part(_("Inhabil"), lines=(", ".join(item.conflicts),)))
    if item.absent:
        parts.append(Part(_("Fraværende"), lines=(", ".join(item.absent),)))
    if item.attachments:
        parts.append(Part(_("Bilag"), lines=tuple(a.name for a in item.attachments)))
    parts += [Part(_addendum_heading(a.date, a.author), a.text) for a in item.addenda]
    return parts


def _addendum_heading(date: dt.datetime, author: str) -> str:
    return _("Tilføjelse %(date)s af %(author)s") % {"date": dates.stamp(date), "author": author}


def _decision_heading(decision: Decision) -> str:
    if not decision.date:
        return _("Beslutning i %(organization)s") % {"organization": decision.organization}
    return _("Beslutning i %(organization)s den %(date)s") % {
        "organization": decision.organization,
        "date": dates.short_date(decision.date),
    }
