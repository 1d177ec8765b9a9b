"""Autosaved drafts of an item's text: one per user and item, kept apart from the item so
that a draft never replaces saved text without its author choosing to restore it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gremium.lib.errors import DomainError
from gremium.meetings.models import AgendaItem, ItemDraft
from gremium.meetings.services.guards import ensure_editable, meeting_of

_FIELD_PREFIX = "item-"
MAX_DRAFT_CHARS = 200_000


def draft_save(*, user: Any, item: AgendaItem, base_version: int, fields: dict[str, str]) -> None:
    """Keep the editor's form fields as the user's draft of the item. Not audited: a
    draft is the author's own work in progress and nobody else reads it."""
    ensure_editable(meeting_of(item))
    kept = {k: v for k, v in fields.items() if k.startswith(_FIELD_PREFIX)}
    if sum(len(v) for v in kept.values()) > MAX_DRAFT_CHARS:
        raise DomainError(_("Kladden er for stor til at blive gemt."))
    ItemDraft.objects.update_or_create(
        user=user, agenda_item=item, defaults={"base_version": base_version, "data": kept}
    )


def draft_discard(*, user: Any, item: AgendaItem) -> None:
    ItemDraft.objects.filter(user=user, agenda_item=item).delete()


def draft_of(user: Any, item: AgendaItem) -> ItemDraft | None:
    """The user's own draft of the item, if any (a read: only ever the author's)."""
    return ItemDraft.objects.filter(user=user, agenda_item=item).first()
