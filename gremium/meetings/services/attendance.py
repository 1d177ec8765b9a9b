"""The whole meeting's attendance in one change: everyone present unless listed otherwise,
plus the substitutes who took a seat. Either all of it is recorded or none of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.meetings.models import Attendance, AttendanceStatus, Meeting
from gremium.meetings.services.guards import ensure_editable, ensure_member, meeting_now
from gremium.meetings.services.lifecycle import touch_meeting
from gremium.organizations.models import Person


@dataclass(frozen=True)
class Substitute:
    """A substitute for `member`: an existing person of the body, or a new one by name."""

    member: Person
    person: Person | None = None
    name: str = ""
    party: str = ""


@dataclass(frozen=True)
class AttendancePlan:
    """Members are present unless named in `absent`; `notes` per member (came late ...)."""

    absent: list[Person] = field(default_factory=list)
    substitutes: list[Substitute] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)


def attendance_record_all(
    *, meeting: Meeting, members: list[Person], plan: AttendancePlan, by: Actor
) -> list[Attendance]:
    """Record every member's attendance and the substitutes in one transaction; any
    refusal (a person outside the body, a substitute for a member who was present) leaves
    all attendance as it was."""
    with write_transaction():
        meeting = meeting_now(meeting.pk)
        ensure_editable(meeting)
        absent = {p.pk for p in plan.absent}
        for person in [*members, *plan.absent]:
            ensure_member(person, meeting)
        recorded = [
            _set(
                meeting,
                person,
                AttendanceStatus.ABSENT if person.pk in absent else AttendanceStatus.PRESENT,
                None,
                plan.notes.get(person.pk, ""),
                by,
            )
            for person in members
        ]
        for substitute in plan.substitutes:
            recorded.append(_substitute(meeting, substitute, absent, by))
        touch_meeting(meeting)
    return recorded


def _substitute(meeting: Meeting, sub: Substitute, absent: set[int], by: Actor) -> Attendance:
    if sub.member.pk not in absent:
        raise DomainError(
            _("%(member)s er ikke meldt fraværende, så ingen kan træde ind for dem.")
            % {"member": sub.member}
        )
    body_id = meeting.organization.body_id
    person = sub.person
    if person is None:
        name = sub.name.strip()
        if not name:
            raise DomainError(
                _("Angiv stedfortræderen for %(member)s: vælg en person eller skriv et navn.")
                % {"member": sub.member}
            )
        person = Person.objects.create(body_id=body_id, name=name)
        audit_record(
            by=by,
            action="person.create",
            obj=person,
            meeting_id=meeting.pk,
            before=None,
            after=snapshot(person),
        )
    elif person.body_id != body_id:
        raise DomainError(
            _("%(person)s hører ikke til %(body)s.")
            % {"person": person, "body": meeting.organization.body}
        )
    note = _("Parti: %(party)s") % {"party": sub.party.strip()} if sub.party.strip() else ""
    return _set(meeting, person, AttendanceStatus.SUBSTITUTE, sub.member, note, by)


def _set(
    meeting: Meeting,
    person: Person,
    status: AttendanceStatus,
    substitute_for: Person | None,
    note: str,
    by: Actor,
) -> Attendance:
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        meeting=meeting, person=person
    )
    before = None if created else snapshot(attendance)
    attendance.status = status
    attendance.substitute_for = substitute_for
    attendance.note = note
    attendance.save()
    after = snapshot(attendance)
    if before != after:
        audit_record(
            by=by,
            action="attendance.set",
            obj=attendance,
            meeting_id=meeting.pk,
            before=before,
            after=after,
        )
    return attendance
