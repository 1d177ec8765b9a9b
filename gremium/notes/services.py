"""Writing and deleting private notes. A note is written only on what its author may read
(the access layer's insider rule), and it is never audited: the audit chain is read by the
secretariat, and a note is the author's alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gremium.accounts.models import SecretaryAssignment
from gremium.lib.errors import DomainError
from gremium.meetings.models import AgendaItem
from gremium.notes.models import Note
from gremium.organizations.models import Membership
from gremium.papers.models import Attachment

MAX_LENGTH = 20_000


def note_save(
    *, author: Any, text: str, item: AgendaItem | None = None, attachment: Attachment | None = None
) -> Note | None:
    """Keep the author's note on the item or attachment; an empty text deletes it."""
    if (item is None) == (attachment is None):
        raise DomainError(_("En note hører til præcis ét punkt eller ét bilag."))
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise DomainError(_("Noten er for lang (højst %(max)s tegn).") % {"max": MAX_LENGTH})
    target = {"agenda_item": item} if item is not None else {"attachment": attachment}
    if not text:
        Note.objects.filter(author=author, **target).delete()
        return None
    note, _created = Note.objects.update_or_create(author=author, **target, defaults={"text": text})
    return note


def notes_delete_all(*, author: Any) -> int:
    """The author's wish: every note of theirs, gone."""
    return Note.objects.filter(author=author).delete()[0]


def purge_expired_notes(today: dt.date | None = None) -> int:
    """Delete the notes of members whose membership of the note's committee ended more than
    GREMIUM_NOTES_KEEP_DAYS_AFTER_MEMBERSHIP days ago (and who neither sit in it again nor
    serve it as secretary). Safe to run as often as wanted."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.GREMIUM_NOTES_KEEP_DAYS_AFTER_MEMBERSHIP)
    deleted = 0
    for note in Note.objects.select_related(
        "agenda_item__organization", "attachment__agenda_item"
    ).iterator():
        organization_id = _organization_of(note)
        if organization_id is not None and _expired(note.author_id, organization_id, cutoff):
            note.delete()
            deleted += 1
    return deleted


def _organization_of(note: Note) -> int | None:
    if note.agenda_item is not None:
        return note.agenda_item.organization_id
    item = note.attachment.agenda_item if note.attachment is not None else None
    return item.organization_id if item is not None else None


def _expired(user_id: int, organization_id: int, cutoff: dt.date) -> bool:
    seats = Membership.objects.filter(person__user_id=user_id, organization_id=organization_id)
    if not seats.exists():
        return False  # a secretary's or an administrator's own notes: no membership ends
    if seats.filter(end_date__isnull=True).exists():
        return False
    if SecretaryAssignment.objects.filter(
        user_id=user_id, organization_id=organization_id
    ).exists():
        return False
    last_end = seats.aggregate(last=Max("end_date"))["last"]
    return last_end is not None and last_end < cutoff
