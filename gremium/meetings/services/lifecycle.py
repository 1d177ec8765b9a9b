"""A meeting's life: planned → agenda published → held → minutes published → approved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.meetings.minutes import FROZEN_STATES, WrittenMinutes, minutes_freeze
from gremium.meetings.models import Meeting, MeetingState
from gremium.meetings.services.guards import (
    closed_items_without_public_title,
    ensure_editable,
    ensure_version,
    meeting_now,
)
from gremium.meetings.signals import agenda_published, meeting_changed, minutes_published
from gremium.organizations.models import Location, Organization

_PUBLISHED_MINUTES = {MeetingState.MINUTES_PUBLISHED, MeetingState.APPROVED}


def meeting_create(
    *,
    organization: Organization,
    start: dt.datetime,
    by: Actor,
    end: dt.datetime | None = None,
    location: Location | None = None,
    name: str = "",
) -> Meeting:
    """Create a planned meeting. The end, if given, must come after the start."""
    if end is not None and end <= start:
        raise DomainError(_("Mødets slutning skal ligge efter dets start."))
    if location is not None and location.body_id != organization.body_id:
        raise DomainError(_("Mødestedet hører til en anden kommune."))
    with write_transaction():
        meeting = Meeting.objects.create(
            organization=organization, start=start, end=end, location=location, name=name
        )
        _audit(meeting, "meeting.create", by, None)
    return meeting


def meeting_update(
    *,
    meeting: Meeting,
    by: Actor,
    expected_version: int | None,
    start: dt.datetime,
    end: dt.datetime | None = None,
    location: Location | None = None,
    name: str = "",
) -> Meeting:
    """Move a meeting or change its place or name until it is held. Its items are numbered
    within its year, so a move to another year is refused while it has items."""
    if end is not None and end <= start:
        raise DomainError(_("Mødets slutning skal ligge efter dets start."))
    if location is not None and location.body_id != meeting.organization.body_id:
        raise DomainError(_("Mødestedet hører til en anden kommune."))
    with write_transaction():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        ensure_editable(locked)
        if locked.state not in (MeetingState.PLANNED, MeetingState.AGENDA_PUBLISHED):
            raise DomainError(_("Et afholdt møde kan ikke flyttes."))
        ensure_version(locked.version, expected_version, _("Mødet"))
        if start.year != locked.start.year and locked.items.exists():
            raise DomainError(
                _("Mødet har punkter nummereret i %(year)s og kan ikke flyttes til et andet år.")
                % {"year": locked.start.year}
            )
        before = snapshot(locked)
        moved = (start, end, location) != (locked.start, locked.end, locked.location)
        locked.start, locked.end, locked.location, locked.name = start, end, location, name
        locked.version += 1
        if moved:  # subscribed calendars must replace the event they hold
            locked.sequence += 1
        locked.save()
        _audit(locked, "meeting.update", by, before)
        meeting_changed.send(sender=Meeting, meeting_id=locked.pk)
    return locked


def meeting_delete(*, meeting: Meeting, by: Actor, withdrawn_at_source: bool = False) -> None:
    """Delete a meeting. Refused once its minutes are published: they are a public record,
    unless the meeting is a mirror's copy its source deleted (`withdrawn_at_source`): a
    mirror shows no more than its source does."""
    with write_transaction():
        current = meeting_now(meeting.pk)
        if current.state in _PUBLISHED_MINUTES and not withdrawn_at_source:
            raise DomainError(
                _("Mødet %(meeting)s har et offentliggjort referat og kan ikke slettes.")
                % {"meeting": current}
            )
        audit_record(
            by=by,
            action="meeting.delete",
            obj=current,
            meeting_id=current.pk,
            before=snapshot(current),
            after=None,
        )
        meeting_id = current.pk
        meeting.delete()
        meeting_changed.send(sender=Meeting, meeting_id=meeting_id)


def meeting_publish_agenda(*, meeting: Meeting, by: Actor, keep_pdf: bool = True) -> Meeting:
    """Publish the agenda of a planned meeting that has at least one item, and keep its PDFs
    as published. An import of an old meeting passes keep_pdf=False: a PDF rendered now is
    not what was sent out then."""
    _ensure_state(meeting, {MeetingState.PLANNED}, _("offentliggøre dagsordenen"))
    _ensure_agenda_publishable(meeting)
    published = _transition(
        meeting,
        MeetingState.AGENDA_PUBLISHED,
        "meeting.publish_agenda",
        by,
        agenda_published_at=timezone.now(),
    )
    # The agenda as sent out is a record of its own: later changes are shown beside it.
    if keep_pdf:
        agenda_published.send(sender=Meeting, meeting=published)
    return published


def meeting_mark_held(*, meeting: Meeting, by: Actor) -> Meeting:
    _ensure_state(meeting, {MeetingState.AGENDA_PUBLISHED}, _("markere mødet som afholdt"))
    return _transition(meeting, MeetingState.HELD, "meeting.held", by)


def meeting_publish_minutes(*, meeting: Meeting, by: Actor) -> Meeting:
    """Publish the minutes. Every item that requires a decision must have one."""
    _ensure_state(meeting, {MeetingState.HELD}, _("offentliggøre referatet"))
    with write_transaction():
        _ensure_decisions(meeting)
        published = _transition(
            meeting,
            MeetingState.MINUTES_PUBLISHED,
            "meeting.publish_minutes",
            by,
            minutes_published_at=timezone.now(),
        )
        # From now on the members approve this frozen text, not the live data.
        minutes_freeze(published)
    minutes_published.send(sender=Meeting, meeting=published)
    return published


def meeting_publish_imported_minutes(
    *, meeting: Meeting, by: Actor, written: WrittenMinutes | None = None
) -> Meeting:
    """Minutes read from an archive describe a meeting held and minuted long ago: one step
    from planned to published minutes, under the checks of the office's three steps
    (publish the agenda, mark as held, publish the minutes) and with one audit record.
    `written`: the meeting's rows as the import has just written them, frozen as they are
    instead of being read back."""
    _ensure_state(meeting, {MeetingState.PLANNED}, _("offentliggøre referatet"))
    with write_transaction():
        _ensure_agenda_publishable(meeting)
        _ensure_decisions(meeting)
        now = timezone.now()
        published = _transition(
            meeting,
            MeetingState.MINUTES_PUBLISHED,
            "meeting.publish_imported_minutes",
            by,
            agenda_published_at=now,
            minutes_published_at=now,
        )
        # The caller's meeting has its organization, body and place loaded already.
        published.organization, published.location = meeting.organization, meeting.location
        minutes_freeze(published, written)
    return published


def _ensure_agenda_publishable(meeting: Meeting) -> None:
    if not meeting.items.exists():
        raise DomainError(_("Dagsordenen har ingen punkter."))
    untitled = closed_items_without_public_title(meeting)
    if untitled:
        raise DomainError(
            _(
                "Punkt %(items)s er lukket og mangler en offentlig titel. Udfyld feltet "
                "»Offentlig titel«, før dagsordenen offentliggøres."
            )
            % {"items": ", ".join(untitled)}
        )


def _ensure_decisions(meeting: Meeting) -> None:
    # Counted under the lock: an item added meanwhile is counted too.
    missing = [
        item.label or item.title
        for item in meeting.items.filter(decision_required=True, decision__isnull=True)
    ]
    if missing:
        raise DomainError(
            _("Punkt %(items)s mangler en beslutning.") % {"items": ", ".join(missing)}
        )


def meeting_cancel(*, meeting: Meeting, by: Actor) -> Meeting:
    _ensure_state(meeting, {MeetingState.PLANNED, MeetingState.AGENDA_PUBLISHED}, _("aflyse mødet"))
    # A cancellation is a significant revision of the calendar event (RFC 5545 SEQUENCE).
    return _transition(meeting, MeetingState.CANCELLED, "meeting.cancel", by, revised=True)


def touch_meeting(meeting: Meeting) -> None:
    """The meeting's content changed: bump its version, so older forms are stale, and once
    the minutes are out keep the changed minutes as a new version (which the members then
    approve anew). Every service that changes what the minutes print calls this."""
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1, modified=timezone.now())
    # One read for the new version and what decides the freeze below.
    meeting.refresh_from_db(fields=["version", "modified", "state", "content_locked"])
    meeting_changed.send(sender=Meeting, meeting_id=meeting.pk)
    if meeting.state in FROZEN_STATES:
        minutes_freeze(meeting)


def bump_meeting_version(meeting: Meeting) -> None:
    """Make older forms stale without touching the content (approvals, withdrawals)."""
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1, modified=timezone.now())
    meeting.refresh_from_db(fields=["version", "modified"])
    meeting_changed.send(sender=Meeting, meeting_id=meeting.pk)


def meetings_changed(meeting_ids: Iterable[int] | None) -> None:
    """What the pages of these meetings show changed outside the services (the admin, a
    stored PDF): a new `modified`, so no rendering stored for the old data is served again
    and caches see a new validator. None: something many meetings show (a committee's or
    a person's name, a place), so every meeting."""
    meetings = Meeting.objects.all()
    if meeting_ids is not None:
        meetings = meetings.filter(pk__in=list(meeting_ids))
    with write_transaction():
        meetings.update(modified=timezone.now())


def _ensure_state(meeting: Meeting, allowed: set[MeetingState], doing: str) -> None:
    ensure_editable(meeting)
    if meeting.state not in allowed:
        raise DomainError(
            _("Kan ikke %(doing)s: mødet har status %(state)s.")
            % {"doing": doing, "state": meeting.get_state_display()}
        )


def _transition(
    meeting: Meeting,
    state: MeetingState,
    action: str,
    by: Actor,
    *,
    revised: bool = False,
    **fields: object,
) -> Meeting:
    with write_transaction():
        # Compared with the state the caller checked: a click on a page that showed another
        # state is refused, not applied to whatever the meeting has become.
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.state != meeting.state or locked.content_locked != meeting.content_locked:
            raise DomainError(_("Mødets status er ændret af en anden. Genindlæs siden."))
        before = snapshot(locked)
        locked.state = state
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.sequence += 1 if revised else 0
        locked.save()
        _audit(locked, action, by, before)
        meeting_changed.send(sender=Meeting, meeting_id=locked.pk)
    return locked


def _audit(meeting: Meeting, action: str, by: Actor, before: dict | None) -> None:
    audit_record(
        by=by,
        action=action,
        obj=meeting,
        meeting_id=meeting.pk,
        before=before,
        after=snapshot(meeting),
    )
