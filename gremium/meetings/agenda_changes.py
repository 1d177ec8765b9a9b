"""Changes made to an agenda after it was published, read from the audit chain.

The public page lists them so that what was sent out and what stands now can be told
apart. A change to a closed item is named for the public by its number only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gremium.audit.models import AuditRecord
from gremium.lib.document_structure import Audience
from gremium.meetings.models import AgendaItem, Meeting
from gremium.organizations.models import Location

_ITEM_ACTIONS = ("agenda_item.add", "agenda_item.update", "agenda_item.delete")
_SECTION_ACTIONS = ("section.add", "section.update", "section.delete")
_ACTIONS = (*_ITEM_ACTIONS, *_SECTION_ACTIONS, "attachment.add", "meeting.update")


@dataclass(frozen=True)
class AgendaChange:
    at: dt.datetime
    text: str


def agenda_changes(meeting: Meeting, audience: Audience) -> list[AgendaChange]:
    """What changed in the agenda between its publication and the meeting."""
    if meeting.agenda_published_at is None:
        return []
    records = AuditRecord.objects.filter(
        meeting_id=meeting.pk, at__gt=meeting.agenda_published_at, action__in=_ACTIONS
    )
    held = (
        AuditRecord.objects.filter(meeting_id=meeting.pk, action="meeting.held")
        .order_by("id")
        .values_list("at", flat=True)
        .first()
    )
    if held is not None:
        records = records.filter(at__lt=held)
    items = {i.pk: i for i in AgendaItem.objects.filter(meeting=meeting)}
    changes = []
    for record in records.order_by("id"):
        text = _describe(record, items, audience)
        if text:
            changes.append(AgendaChange(timezone.localtime(record.at), text))
    return changes


def _describe(record: AuditRecord, items: dict[int, AgendaItem], audience: Audience) -> str:
    if record.action == "meeting.update":
        return _meeting_update(record)
    state: dict[str, Any] = record.after or record.before or {}
    item_id = (
        int(record.object_id) if record.action in _ITEM_ACTIONS else state.get("agenda_item_id")
    )
    item = items.get(item_id) if item_id is not None else None
    number = state.get("number") if record.action in _ITEM_ACTIONS else None
    number = number or (item.number if item else None)
    public = (
        state.get("public", True)
        if record.action in _ITEM_ACTIONS
        else (item.public if item else True)
    )
    if audience is Audience.PUBLIC and not public:
        return _("Lukket punkt %(number)s er ændret.") % {"number": number}
    if record.action == "agenda_item.add":
        return _("Punkt %(number)s er tilføjet: %(title)s") % {
            "number": number,
            "title": state.get("title", ""),
        }
    if record.action == "agenda_item.delete":
        return _("Punkt %(number)s er udgået: %(title)s") % {
            "number": number,
            "title": state.get("title", ""),
        }
    if record.action == "agenda_item.update":
        return _item_update(record, number)
    if record.action == "attachment.add":
        if audience is Audience.PUBLIC and not state.get("public", True):
            return ""
        return _("Punkt %(number)s: bilag tilføjet: %(name)s") % {
            "number": number,
            "name": state.get("name", ""),
        }
    return _("Punkt %(number)s: afsnittet »%(heading)s« er ændret.") % {
        "number": number,
        "heading": state.get("heading", ""),
    }


def _item_update(record: AuditRecord, number: object) -> str:
    before, after = record.before or {}, record.after or {}
    if before.get("title") != after.get("title"):
        return _("Punkt %(number)s har fået ny titel: %(title)s") % {
            "number": number,
            "title": after.get("title", ""),
        }
    if before.get("public") != after.get("public"):
        return (
            _("Punkt %(number)s er ændret til et lukket punkt.") % {"number": number}
            if not (after.get("public"))
            else _("Punkt %(number)s er ændret til et åbent punkt.") % {"number": number}
        )
    return _("Punkt %(number)s er ændret.") % {"number": number}


def _meeting_update(record: AuditRecord) -> str:
    before, after = record.before or {}, record.after or {}
    parts = []
    if before.get("start") != after.get("start") and after.get("start"):
        moved = timezone.localtime(dt.datetime.fromisoformat(after["start"]))
        parts.append(_("Mødet er flyttet til %(when)s.") % {"when": f"{moved:%d-%m-%Y kl. %H:%M}"})
    if before.get("location_id") != after.get("location_id"):
        location_id = after.get("location_id")
        place = Location.objects.filter(pk=location_id).first() if location_id else None
        parts.append(_("Mødestedet er ændret til %(place)s.") % {"place": place or _("intet")})
    return " ".join(parts)
