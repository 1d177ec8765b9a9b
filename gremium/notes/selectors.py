"""Reading private notes: always the author's own, never anyone else's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gremium.notes.models import Note


def item_notes(author: Any, item_ids: Iterable[int]) -> dict[int, Note]:
    if not getattr(author, "is_authenticated", False):
        return {}
    notes = Note.objects.filter(author=author, agenda_item_id__in=list(item_ids))
    return {note.agenda_item_id: note for note in notes if note.agenda_item_id is not None}


def attachment_notes(author: Any, attachment_ids: Iterable[int]) -> dict[int, Note]:
    if not getattr(author, "is_authenticated", False):
        return {}
    notes = Note.objects.filter(author=author, attachment_id__in=list(attachment_ids))
    return {note.attachment_id: note for note in notes if note.attachment_id is not None}
