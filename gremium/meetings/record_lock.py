"""Which meeting a stored object belongs to, and whether that meeting's record is locked.

Approved minutes are a legal record: from the first approval (`content_locked`) the text
stays as it was and corrections are dated addenda made through the services. Writers that
bypass the services (the admin) ask here before they change anything.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gremium.meetings.models import AgendaItem, Meeting, MeetingState


def meeting_id_of(obj: models.Model) -> int | None:
    """The meeting the object is part of: the meeting itself, or the meeting of the agenda
    item it hangs on; None for what belongs to no meeting (people, papers, users)."""
    if isinstance(obj, Meeting):
        return obj.pk
    item_id = None
    for field in obj._meta.concrete_fields:
        if not field.is_relation:
            continue
        if field.related_model is Meeting:
            return getattr(obj, field.attname)
        if field.related_model is AgendaItem:
            item_id = getattr(obj, field.attname)
    if item_id is None:
        return None
    return AgendaItem.objects.filter(pk=item_id).values_list("meeting_id", flat=True).first()


def locked_meeting(meeting_id: int | None) -> Meeting | None:
    """The meeting, as stored now, if its approved record is locked."""
    if meeting_id is None:
        return None
    locked = Q(content_locked=True) | Q(state=MeetingState.APPROVED)
    return Meeting.objects.select_related("organization").filter(locked, pk=meeting_id).first()
