"""What happens at and after the meeting: attendance, decisions, votes and approvals."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionOutcome,
    ItemParticipation,
    ItemParticipationKind,
    Meeting,
    MeetingState,
    Vote,
    VoteChoice,
)
from gremium.meetings.services.guards import (
    ensure_editable,
    ensure_member,
    meeting_now,
    meeting_of,
)
from gremium.meetings.services.lifecycle import touch_meeting
from gremium.organizations.models import Person


def attendance_set(
    *,
    meeting: Meeting,
    person: Person,
    status: AttendanceStatus,
    by: Actor,
    substitute_for: Person | None = None,
    note: str = "",
) -> Attendance:
    """Record whether a member was present or absent, or that a substitute took a seat."""
    with write_transaction():
        ensure_editable(meeting_now(meeting.pk))
        ensure_member(person, meeting)
        if status == AttendanceStatus.SUBSTITUTE:
            if substitute_for is None:
                raise DomainError(_("Angiv hvem stedfortræderen træder ind for."))
            ensure_member(substitute_for, meeting)
        elif substitute_for is not None:
            raise DomainError(_("Kun en stedfortræder træder ind for et andet medlem."))
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            meeting=meeting, person=person
        )
        before = None if created else snapshot(attendance)
        attendance.status = status
        attendance.substitute_for = substitute_for
        attendance.note = note
        attendance.save()
        _audit("attendance.set", attendance, meeting, before, by)
    return attendance


def decision_record(
    *, item: AgendaItem, outcome: DecisionOutcome, text: str, by: Actor
) -> Decision:
    """Record or replace the decision on an item."""
    if outcome == DecisionOutcome.OTHER and not text.strip():
        raise DomainError(_("En beslutning uden standardudfald skal have en tekst."))
    with write_transaction():
        meeting = meeting_of(item)
        ensure_editable(meeting)
        if meeting.state in (MeetingState.PLANNED, MeetingState.CANCELLED):
            raise DomainError(_("Der kan først træffes beslutning, når dagsordenen er udsendt."))
        decision, created = Decision.objects.select_for_update().get_or_create(agenda_item=item)
        before = None if created else snapshot(decision)
        decision.outcome = outcome
        decision.text = text.strip()
        decision.save()
        _audit("decision.record", decision, meeting, before, by)
    return decision


def item_participation_add(
    *,
    item: AgendaItem,
    person: Person,
    kind: ItemParticipationKind,
    by: Actor,
    note: str = "",
) -> ItemParticipation:
    """Record a member's absence from, or conflict of interest in, one item."""
    with write_transaction():
        meeting = meeting_of(item)
        ensure_editable(meeting)
        ensure_member(person, meeting)
        participation, created = ItemParticipation.objects.get_or_create(
            agenda_item=item, person=person, kind=kind, defaults={"note": note}
        )
        if created:
            _audit("item_participation.add", participation, meeting, None, by)
    return participation


def item_participation_remove(*, participation: ItemParticipation, by: Actor) -> None:
    """Take back a wrongly recorded absence or conflict of interest (audited)."""
    with write_transaction():
        meeting = meeting_of(participation.agenda_item)
        ensure_editable(meeting)
        audit_record(
            by=by,
            action="item_participation.remove",
            obj=participation,
            meeting_id=meeting.pk,
            before=snapshot(participation),
            after=None,
        )
        participation.delete()
        touch_meeting(meeting)


def vote_record(*, item: AgendaItem, person: Person, choice: VoteChoice, by: Actor) -> Vote:
    """Record one member's vote; only members with a voting right who take part may vote."""
    with write_transaction():
        meeting = meeting_of(item)
        ensure_editable(meeting)
        membership = ensure_member(person, meeting)
        if not membership.voting_right:
            raise DomainError(_("%(person)s har ikke stemmeret.") % {"person": person})
        if item.participations.filter(person=person).exists():
            raise DomainError(
                _("%(person)s er fraværende eller inhabil i dette punkt og kan ikke stemme.")
                % {"person": person}
            )
        vote, created = Vote.objects.select_for_update().get_or_create(
            agenda_item=item, person=person, defaults={"choice": choice}
        )
        before = None if created else snapshot(vote)
        vote.choice = choice
        vote.save()
        _audit("vote.record", vote, meeting, before, by)
    return vote


def _audit(action: str, obj, meeting: Meeting, before: dict | None, by: Actor) -> None:  # type: ignore[no-untyped-def]
    audit_record(
        by=by,
        action=action,
        obj=obj,
        meeting_id=meeting.pk,
        before=before,
        after=snapshot(obj),
    )
    touch_meeting(meeting)
