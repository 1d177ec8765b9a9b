"""The agenda's order in one step: the whole new order of items (drag and drop) or one
item sent to a position (the keyboard fallback), each one write and one set of numbers."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, write_transaction
from gremium.lib.errors import DomainError
from gremium.meetings.models import AgendaItem, Meeting, MeetingState
from gremium.meetings.services.editing import renumber_items
from gremium.meetings.services.guards import ensure_editable, meeting_now


def agenda_items_reorder(*, meeting: Meeting, item_ids: Sequence[int], by: Actor) -> None:
    """Put the meeting's items in the order of `item_ids`, which must name each of its
    items exactly once. Only before publication: afterwards the public knows the numbers."""
    with write_transaction():
        current = meeting_now(meeting.pk)
        ensure_editable(current)
        if current.state != MeetingState.PLANNED:
            raise DomainError(_("Rækkefølgen ligger fast, når dagsordenen er offentliggjort."))
        items = {x.pk: x for x in current.items.select_for_update()}
        if len(item_ids) != len(items) or set(item_ids) != set(items):
            # A stale page (an item added or deleted meanwhile) must not scramble the order.
            raise DomainError(
                _("Rækkefølgen skal nævne hvert af mødets punkter én gang. Genindlæs siden.")
            )
        before = [x.pk for x in sorted(items.values(), key=lambda x: x.order)]
        if before == list(item_ids):
            return
        # (meeting, order) is unique: move every item out of the way first.
        top = max(x.order for x in items.values())
        for offset, pk in enumerate(item_ids, start=1):
            AgendaItem.objects.filter(pk=pk).update(order=top + offset)
        for position, pk in enumerate(item_ids, start=1):
            AgendaItem.objects.filter(pk=pk).update(order=position)
        audit_record(
            by=by,
            action="meeting.reorder",
            obj=current,
            meeting_id=current.pk,
            before={"items": before},
            after={"items": list(item_ids)},
        )
        renumber_items(current, by)


def agenda_item_move_to(*, item: AgendaItem, position: int, by: Actor) -> None:
    """Move the item to `position` (1 = first) among its meeting's items."""
    ids = list(item.meeting.items.order_by("order").values_list("pk", flat=True))
    if not 1 <= position <= len(ids):
        raise DomainError(_("Positionen skal være mellem 1 og %(count)s.") % {"count": len(ids)})
    ids.remove(item.pk)
    ids.insert(position - 1, item.pk)
    agenda_items_reorder(meeting=item.meeting, item_ids=ids, by=by)
