"""Building the agenda: items, their sections, their order and numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.lib.item_numbers import number_label
from gremium.meetings.models import AgendaItem, Meeting, MeetingState, Section
from gremium.meetings.services.guards import (
    ensure_editable,
    ensure_public_title,
    ensure_version,
    meeting_now,
    meeting_of,
)
from gremium.meetings.services.lifecycle import touch_meeting
from gremium.meetings.services.numbering import ensure_number_free, next_item_number
from gremium.papers.models import Consultation, Paper


def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    by: Actor,
    public: bool = True,
    public_title: str = "",
    paper: Paper | None = None,
    number: int | None = None,
    sub_number: int | None = None,
    sections: Sequence[tuple[str, str]] = (),
    decision_required: bool = True,
) -> AgendaItem:
    """Append an item to the meeting. Without a number it takes the next number under the
    organization's scheme (services.numbering); a number the scheme has given already is
    refused. A sub-item ("4.1") gives `sub_number` beside its main item's `number`."""
    title = title.strip()
    if not title:
        raise DomainError(_("Punktet skal have en titel."))
    ensure_public_title(public=public, public_title=public_title)
    if paper is not None and paper.body_id != meeting.organization.body_id:
        raise DomainError(_("Sagen hører til en anden kommune."))
    with write_transaction():
        current = meeting_now(meeting.pk)
        ensure_editable(current)
        item = _create_item(
            current,
            _ItemFields(title, public, public_title, paper, decision_required),
            number,
            sub_number,
        )
        audit_record(
            by=by,
            action="agenda_item.add",
            obj=item,
            meeting_id=meeting.pk,
            before=None,
            after=snapshot(item),
        )
        if paper is not None:
            _consult(item, paper, by)
        for heading, body in sections:
            section_add(item=item, heading=heading, body=body, by=by)
        touch_meeting(meeting)
    return item


@dataclass(frozen=True)
class _ItemFields:
    title: str
    public: bool
    public_title: str
    paper: Paper | None
    decision_required: bool


def _create_item(
    meeting: Meeting, fields: _ItemFields, number: int | None, sub_number: int | None
) -> AgendaItem:
    if sub_number is not None and number is None:
        raise DomainError(_("Et underpunkt skal have et punktnummer."))
    number = number if number is not None else next_item_number(meeting)
    ensure_number_free(meeting, number, sub_number)
    order = (meeting.items.aggregate(top=Max("order"))["top"] or 0) + 1
    try:
        with transaction.atomic():
            return AgendaItem.objects.create(
                meeting=meeting,
                organization_id=meeting.organization_id,
                year=meeting.start.year,
                number=number,
                sub_number=sub_number,
                numbering=meeting.organization.numbering,
                order=order,
                title=fields.title,
                public=fields.public,
                public_title=fields.public_title.strip(),
                paper=fields.paper,
                decision_required=fields.decision_required,
            )
    except IntegrityError as exc:  # a writer outside the services took the number first
        raise DomainError(
            _("Punkt %(number)s blev netop oprettet af en anden. Prøv igen.")
            % {"number": number_label(number, sub_number)}
        ) from exc


def _consult(item: AgendaItem, paper: Paper, by: Actor) -> None:
    # Each treatment of a case by an organization is a Consultation: one paper can pass
    # through many items, meetings and organizations.
    consultation = Consultation.objects.create(
        paper=paper, organization_id=item.organization_id, agenda_item=item
    )
    audit_record(
        by=by,
        action="consultation.add",
        obj=consultation,
        meeting_id=item.meeting_id,
        before=None,
        after=snapshot(consultation),
    )


def agenda_item_update(
    *,
    item: AgendaItem,
    by: Actor,
    expected_version: int | None,
    title: str | None = None,
    public: bool | None = None,
    public_title: str | None = None,
    paper: Paper | None = None,
) -> AgendaItem:
    """Change an item's title, open/closed flag or paper. `expected_version` is the version
    the editor loaded: a newer one in the database means the edit is stale and is refused."""
    with write_transaction():
        ensure_editable(meeting_of(item))
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        ensure_version(locked.version, expected_version, _("Punktet"))
        before = snapshot(locked)
        if title is not None:
            if not title.strip():
                raise DomainError(_("Punktet skal have en titel."))
            locked.title = title.strip()
        if public is not None:
            locked.public = public
        if public_title is not None:
            locked.public_title = public_title.strip()
        if paper is not None:
            locked.paper = paper
        ensure_public_title(public=locked.public, public_title=locked.public_title)
        locked.version += 1
        locked.save()
        audit_record(
            by=by,
            action="agenda_item.update",
            obj=locked,
            meeting_id=locked.meeting_id,
            before=before,
            after=snapshot(locked),
        )
        touch_meeting(locked.meeting)
    return locked


def agenda_item_delete(*, item: AgendaItem, by: Actor) -> None:
    with write_transaction():
        meeting = meeting_of(item)
        ensure_editable(meeting)
        if meeting.state not in (MeetingState.PLANNED, MeetingState.AGENDA_PUBLISHED):
            raise DomainError(_("Et punkt kan ikke slettes, når mødet er afholdt."))
        audit_record(
            by=by,
            action="agenda_item.delete",
            obj=item,
            meeting_id=meeting.pk,
            before=snapshot(item),
            after=None,
        )
        item.delete()
        touch_meeting(meeting)


def section_add(*, item: AgendaItem, heading: str, body: str, by: Actor) -> Section:
    """Append a headed section (Markdown body) to an item."""
    heading = heading.strip()
    # Imported minutes can open an item with unheaded text; an empty section is useless.
    if not heading and not body.strip():
        raise DomainError(_("Afsnittet skal have en overskrift eller en tekst."))
    with write_transaction():
        ensure_editable(meeting_of(item))
        order = (item.sections.aggregate(top=Max("order"))["top"] or 0) + 1
        section = Section.objects.create(agenda_item=item, order=order, heading=heading, body=body)
        audit_record(
            by=by,
            action="section.add",
            obj=section,
            meeting_id=item.meeting_id,
            before=None,
            after=snapshot(section),
        )
        touch_meeting(item.meeting)
    return section
