"""Building the agenda: items, their sections, their order and numbers."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.meetings.models import AgendaItem, Meeting, MeetingState, Section
from gremium.meetings.services.guards import (
    ensure_editable,
    ensure_public_title,
    ensure_version,
    meeting_now,
    meeting_of,
)
from gremium.meetings.services.lifecycle import touch_meeting
from gremium.papers.models import Consultation, Paper


def next_item_number(meeting: Meeting) -> int:
    """Items are numbered on through the year per organization (punkt 12 in February)."""
    top = AgendaItem.objects.filter(
        organization_id=meeting.organization_id, year=meeting.start.year
    ).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    by: Actor,
    public: bool = True,
    public_title: str = "",
    paper: Paper | None = None,
    number: int | None = None,
    sections: Sequence[tuple[str, str]] = (),
    decision_required: bool = True,
) -> AgendaItem:
    """Append an item to the meeting. Without a number it takes the organization's next
    number of the year; a number already used that year is refused."""
    title = title.strip()
    if not title:
        raise DomainError(_("Punktet skal have en titel."))
    ensure_public_title(public=public, public_title=public_title)
    if paper is not None and paper.body_id != meeting.organization.body_id:
        raise DomainError(_("Sagen hører til en anden kommune."))
    with write_transaction():
        ensure_editable(meeting_now(meeting.pk))
        item = _create_item(meeting, title, public, public_title, paper, number, decision_required)
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


def _create_item(
    meeting: Meeting,
    title: str,
    public: bool,
    public_title: str,
    paper: Paper | None,
    number: int | None,
    decision_required: bool,
) -> AgendaItem:
    number = number if number is not None else next_item_number(meeting)
    clash = (
        AgendaItem.objects.filter(
            organization_id=meeting.organization_id, year=meeting.start.year, number=number
        )
        .select_related("meeting")
        .first()
    )
    if clash is not None:
        raise DomainError(
            _("Punkt %(number)s findes allerede i %(year)s (mødet %(meeting)s).")
            % {"number": number, "year": meeting.start.year, "meeting": clash.meeting}
        )
    order = (meeting.items.aggregate(top=Max("order"))["top"] or 0) + 1
    try:
        with transaction.atomic():
            return AgendaItem.objects.create(
                meeting=meeting,
                organization_id=meeting.organization_id,
                year=meeting.start.year,
                number=number,
                order=order,
                title=title,
                public=public,
                public_title=public_title.strip(),
                paper=paper,
                decision_required=decision_required,
            )
    except IntegrityError as exc:  # a writer outside the services took the number first
        raise DomainError(
            _("Punkt %(number)s blev netop oprettet af en anden. Prøv igen.") % {"number": number}
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
