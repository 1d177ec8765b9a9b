"""Changes made to an agenda after it was published, read from the audit chain.

The public page lists them so that what was sent out and what stands now can be told
apart. A change to a closed item is named for the public by its number only, and so is a
change to an item that was deleted or closed since. The public list fails closed: what the
audit chain cannot prove was open then and is open now is not described at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gremium.audit.models import AuditRecord
from gremium.audit.services import replay_state
from gremium.lib.document_structure import Audience
from gremium.meetings.models import AgendaItem, Meeting
from gremium.organizations.models import Location
from gremium.papers.models import Attachment

_ITEM_ACTIONS = ("agenda_item.add", "agenda_item.update", "agenda_item.delete")
_SECTION_ACTIONS = ("section.add", "section.update", "section.delete")
_ATTACHMENT_ACTIONS = ("attachment.add", "attachment.delete", "attachment.rename")
_ACTIONS = (*_ITEM_ACTIONS, *_SECTION_ACTIONS, *_ATTACHMENT_ACTIONS, "meeting.update")
# The records that say what an item was (its number and whether it was open) at a time.
_ITEM_STATES = (*_ITEM_ACTIONS, "agenda_item.renumber")


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
    history = _ItemHistory(meeting)
    changes = []
    for record in records.order_by("id"):
        text = _describe(record, history, audience)
        if text:
            changes.append(AgendaChange(timezone.localtime(record.at), text))
    return changes


class _ItemHistory:
    """What the audit chain proves about each item of the meeting at a given record, and
    which items are public now. A deleted item is known only through its records."""

    def __init__(self, meeting: Meeting) -> None:
        self.public_now = set(
            AgendaItem.objects.filter(meeting=meeting, public=True).values_list("pk", flat=True)
        )
        self.attachments_public_now = set(
            Attachment.objects.filter(agenda_item__meeting=meeting, public=True).values_list(
                "pk", flat=True
            )
        )
        self.attachments_now = set(
            Attachment.objects.filter(agenda_item__meeting=meeting).values_list("pk", flat=True)
        )
        self.records: dict[int, list[tuple[int, dict[str, Any]]]] = {}
        rows = AuditRecord.objects.filter(meeting_id=meeting.pk, action__in=_ITEM_STATES)
        for record in rows.order_by("id"):
            state = record.after if record.after is not None else record.before
            if isinstance(state, dict) and record.object_id.isdigit():
                self.records.setdefault(int(record.object_id), []).append((record.pk, state))

    def attachment_public(self, record: AuditRecord) -> bool:
        """Whether the attachment was public at the record and, unless it was removed
        since (its removal is listed by the name it had), is still there and public."""
        state = self.attachment_at(record)
        if state.get("public") is not True:
            return False
        return state.get("id") in self.attachments_public_now or (
            record.action != "attachment.add" and state.get("id") not in self.attachments_now
        )

    def attachment_at(self, record: AuditRecord) -> dict[str, Any]:
        """The attachment as its records up to this one leave it: a change record holds
        only what changed (audit.services.compact_change)."""
        known: dict[str, Any] = {}
        rows = AuditRecord.objects.filter(
            action__in=(*_ATTACHMENT_ACTIONS, "attachment.update"),
            object_id=record.object_id,
            meeting_id=record.meeting_id,
            pk__lte=record.pk,
        )
        for row in rows.order_by("id"):
            known = replay_state(known, row.after if row.after is not None else row.before)
        return known

    def at(self, item_id: int | None, record_id: int) -> dict[str, Any]:
        """The item as its newest record up to `record_id` left it; {} when unknown."""
        known: dict[str, Any] = {}
        for seen_id, state in self.records.get(item_id or 0, []):
            if seen_id > record_id:
                break
            # Records hold what changed (audit.services.compact_change): laid over the
            # item's earlier state they give its whole state at that record.
            known = replay_state(known, state)
        return known


def _item_id(record: AuditRecord, state: dict[str, Any]) -> int | None:
    if record.action in _ITEM_ACTIONS:
        return int(record.object_id) if record.object_id.isdigit() else None
    value = state.get("agenda_item_id")
    return value if isinstance(value, int) else None


def _describe(record: AuditRecord, history: _ItemHistory, audience: Audience) -> str:
    if record.action == "meeting.update":
        return _meeting_update(record)
    state: dict[str, Any] = record.after or record.before or {}
    item_id = _item_id(record, state)
    item = history.at(item_id, record.pk)
    number = item.get("number")
    if audience is Audience.PUBLIC:
        # Fail closed: only what the record proves was public then and is public now.
        if not isinstance(number, int) or not isinstance(item.get("public"), bool):
            return ""
        if not item["public"]:
            return _short_line(record.action, number, closed=True)
        if item_id not in history.public_now:  # deleted or closed since
            return _short_line(record.action, number, closed=False)
        if record.action in _ATTACHMENT_ACTIONS and not history.attachment_public(record):
            return ""
    return _full_line(record, state, _label(number))


def _label(number: object) -> str:
    return _("Punkt %(number)s") % {"number": number} if number is not None else _("Et punkt")


# Number only: all the public may know of a closed item, or of one deleted or closed since.
_SHORT_LINES = {
    (True, "agenda_item.add"): gettext_lazy("Lukket punkt %(number)s er tilføjet."),
    (True, "agenda_item.delete"): gettext_lazy("Lukket punkt %(number)s er udgået."),
    (True, ""): gettext_lazy("Lukket punkt %(number)s er ændret."),
    (False, "agenda_item.add"): gettext_lazy("Punkt %(number)s er tilføjet."),
    (False, "agenda_item.delete"): gettext_lazy("Punkt %(number)s er udgået."),
    (False, ""): gettext_lazy("Punkt %(number)s er ændret."),
}


def _short_line(action: str, number: int, *, closed: bool) -> str:
    line = _SHORT_LINES.get((closed, action)) or _SHORT_LINES[(closed, "")]
    return str(line) % {"number": number}


def _full_line(record: AuditRecord, state: dict[str, Any], label: str) -> str:
    if record.action == "agenda_item.add":
        return _("%(item)s er tilføjet: %(title)s") % {
            "item": label,
            "title": state.get("title", ""),
        }
    if record.action == "agenda_item.delete":
        return _("%(item)s er udgået: %(title)s") % {"item": label, "title": state.get("title", "")}
    if record.action == "agenda_item.update":
        return _item_update(record, label)
    if record.action == "attachment.add":
        return _("%(item)s: bilag tilføjet: %(name)s") % {
            "item": label,
            "name": state.get("name", ""),
        }
    if record.action == "attachment.delete":
        return _("%(item)s: bilag fjernet: %(name)s") % {
            "item": label,
            "name": state.get("name", ""),
        }
    if record.action == "attachment.rename":
        return _("%(item)s: bilag omdøbt fra %(old)s til %(name)s") % {
            "item": label,
            "old": (record.before or {}).get("name", ""),
            "name": state.get("name", ""),
        }
    return _("%(item)s: afsnittet »%(heading)s« er ændret.") % {
        "item": label,
        "heading": state.get("heading", ""),
    }


def _item_update(record: AuditRecord, label: str) -> str:
    before, after = record.before or {}, record.after or {}
    if before.get("title") != after.get("title"):
        return _("%(item)s har fået ny titel: %(title)s") % {
            "item": label,
            "title": after.get("title", ""),
        }
    if before.get("public") != after.get("public"):
        return (
            _("%(item)s er ændret til et lukket punkt.") % {"item": label}
            if not (after.get("public"))
            else _("%(item)s er ændret til et åbent punkt.") % {"item": label}
        )
    return _("%(item)s er ændret.") % {"item": label}


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
