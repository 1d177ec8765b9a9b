"""The secretary's edits of an agenda: meetings that start with the standing items, item
texts edited as a whole with a stale-edit check, order and numbers, cases by number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.meetings.models import AgendaItem, Meeting, MeetingState, Section
from gremium.meetings.services.agenda import agenda_item_add, agenda_item_update
from gremium.meetings.services.guards import ensure_editable, meeting_of
from gremium.meetings.services.lifecycle import meeting_create, touch_meeting
from gremium.organizations.models import Body, Location, Organization, default_standing_items
from gremium.papers.models import Paper


def meeting_create_with_standing_items(
    *,
    organization: Organization,
    start: dt.datetime,
    by: Actor,
    end: dt.datetime | None = None,
    location: Location | None = None,
    name: str = "",
) -> Meeting:
    """Create a planned meeting with the organization's standing items, numbered on from
    its last item that year."""
    with write_transaction():
        meeting = meeting_create(
            organization=organization, start=start, by=by, end=end, location=location, name=name
        )
        for entry in organization.standing_items or default_standing_items():
            agenda_item_add(
                meeting=meeting,
                title=str(entry.get("title", "")),
                decision_required=bool(entry.get("decision_required", True)),
                by=by,
            )
    return meeting


def agenda_item_add_before_closing(
    *,
    meeting: Meeting,
    title: str,
    by: Actor,
    public: bool = True,
    public_title: str = "",
    paper: Paper | None = None,
) -> AgendaItem:
    """Add an item before the trailing standing items that need no decision (Gensidig
    orientering, Eventuelt, Underskriftsside); while the agenda is unpublished the numbers
    follow the new order."""
    with write_transaction():
        item = agenda_item_add(
            meeting=meeting,
            title=title,
            by=by,
            public=public,
            public_title=public_title,
            paper=paper,
        )
        closing = _closing_items(meeting, item)
        if closing:
            target = closing[0].order
            _set_order(item, 0)  # out of the way: (meeting, order) is unique
            for other in reversed(closing):
                _set_order(other, other.order + 1)
            _set_order(item, target)
            renumber_items(meeting, by)
    item.refresh_from_db()
    return item


def _closing_items(meeting: Meeting, new: AgendaItem) -> list[AgendaItem]:
    items = list(meeting.items.exclude(pk=new.pk).order_by("order"))
    run: list[AgendaItem] = []
    for item in reversed(items):
        if item.decision_required:
            break
        run.insert(0, item)
    return run


def _set_order(item: AgendaItem, order: int) -> None:
    AgendaItem.objects.filter(pk=item.pk).update(order=order)
    item.order = order


def agenda_item_move(*, item: AgendaItem, up: bool, by: Actor) -> AgendaItem:
    """Swap the item with its neighbour. Only before the agenda is published: afterwards
    the public knows the numbers."""
    with write_transaction():
        meeting = meeting_of(item)
        ensure_editable(meeting)
        if meeting.state != MeetingState.PLANNED:
            raise DomainError(_("Rækkefølgen ligger fast, når dagsordenen er offentliggjort."))
        items = list(meeting.items.select_for_update().order_by("order"))
        index = next(i for i, x in enumerate(items) if x.pk == item.pk)
        other_index = index - 1 if up else index + 1
        if not 0 <= other_index < len(items):
            raise DomainError(_("Punktet står allerede øverst eller nederst."))
        first, second = items[index], items[other_index]
        a, b = first.order, second.order
        _set_order(first, 0)  # the (meeting, order) constraint forbids a direct swap
        _set_order(second, a)
        _set_order(first, b)
        renumber_items(meeting, by)
    item.refresh_from_db()
    return item


def renumber_items(meeting: Meeting, by: Actor) -> None:
    """Hand the meeting's own numbers out again in the items' new order (used by every
    service that moves items): never a number of another meeting, so the yearly sequence
    stays unique."""
    items = list(meeting.items.order_by("order"))
    numbers = sorted(x.number for x in items if x.number is not None)
    # Sub-items (4.1) belong to their main item: an order with them is the secretary's.
    if len(numbers) != len(items) or any(x.sub_number is not None for x in items):
        return
    meeting.items.update(number=None)
    for item, number in zip(items, numbers, strict=True):
        if item.number != number:
            before = snapshot(item)
            item.number = number
            audit_record(
                by=by,
                action="agenda_item.renumber",
                obj=item,
                meeting_id=meeting.pk,
                before=before,
                after={**(before or {}), "number": number},
            )
        AgendaItem.objects.filter(pk=item.pk).update(number=number)
    touch_meeting(meeting)


def agenda_item_edit(
    *,
    item: AgendaItem,
    by: Actor,
    expected_version: int | None,
    title: str,
    public: bool,
    public_title: str,
    sections: Sequence[tuple[str, str]],
) -> AgendaItem:
    """Save an item's title, open/closed flag and its sections (heading, Markdown) as one
    edit. Sections are matched by position; a section with neither heading nor text is
    removed. Refused as stale when the item changed since the editor loaded it."""
    if not title.strip():
        raise DomainError(_("Feltet Titel skal udfyldes."))
    for heading, body in sections:
        if body.strip() and not heading.strip():
            raise DomainError(_("Et afsnit med tekst skal have en overskrift."))
    with write_transaction():
        # agenda_item_update checks the meeting and the version in this same transaction.
        locked = agenda_item_update(
            item=item,
            by=by,
            expected_version=expected_version,
            title=title,
            public=public,
            public_title=public_title,
        )
        _replace_sections(locked, [(h.strip(), b) for h, b in sections if h.strip()], by)
        touch_meeting(locked.meeting)
    return locked


def _replace_sections(item: AgendaItem, wanted: list[tuple[str, str]], by: Actor) -> None:
    existing = list(item.sections.order_by("order"))
    for index, (heading, body) in enumerate(wanted):
        if index < len(existing):
            section = existing[index]
            if (section.heading, section.body) == (heading, body):
                continue
            before = snapshot(section)
            section.heading, section.body = heading, body
            section.save()
            _audit_section("section.update", section, before, by)
        else:
            order = (existing[-1].order if existing else 0) + 1 + index - len(existing)
            section = Section.objects.create(
                agenda_item=item, order=order, heading=heading, body=body
            )
            _audit_section("section.add", section, None, by)
    for section in existing[len(wanted) :]:
        _audit_section("section.delete", section, snapshot(section), by, deleted=True)
        section.delete()


def _audit_section(
    action: str, section: Section, before: dict | None, by: Actor, deleted: bool = False
) -> None:
    audit_record(
        by=by,
        action=action,
        obj=section,
        meeting_id=section.agenda_item.meeting_id,
        before=before,
        after=None if deleted else snapshot(section),
    )


def paper_get_or_create(*, body: Body, reference: str, name: str, by: Actor) -> Paper:
    """The case with this number, created when the secretariat names a new one."""
    reference = reference.strip()
    if not reference:
        raise DomainError(_("Feltet Sagsnummer skal udfyldes."))
    with write_transaction():
        # Looked up under the lock: two secretaries naming the same new case get one case.
        paper = Paper.objects.filter(body=body, reference=reference).first()
        if paper is not None:
            return paper
        paper = Paper.objects.create(body=body, reference=reference, name=name.strip())
        audit_record(
            by=by,
            action="paper.add",
            obj=paper,
            meeting_id=None,
            before=None,
            after=snapshot(paper),
        )
    return paper
