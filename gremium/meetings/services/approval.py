"""Approving the minutes, and what may happen to them afterwards.

Members press "Godkend" on the published minutes; each approval is bound to the sha256 of
the minutes' content, so an approval of an older text does not count. When the
organization's signature rule is met the meeting becomes APPROVED in the same transaction.
After that the text is locked for good: corrections are dated addenda, which void the
approvals and ask for new ones.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gremium.accounts.models import SecretaryAssignment
from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.meetings.minutes import current_minutes_version, frozen_name, minutes_freeze
from gremium.meetings.models import (
    Addendum,
    AgendaItem,
    Approval,
    AttendanceStatus,
    Dissent,
    Meeting,
    MeetingState,
    MinutesVersion,
)
from gremium.meetings.services.guards import (
    ensure_editable,
    ensure_member,
    meeting_of,
)
from gremium.meetings.services.lifecycle import bump_meeting_version, touch_meeting
from gremium.meetings.signals import meeting_changed, minutes_approved
from gremium.organizations.models import Membership, MembershipRole, Person, SignatureRule


def valid_approvals(meeting: Meeting) -> QuerySet[Approval]:
    """Approvals that count: not withdrawn, not superseded, and of the current version."""
    version = current_minutes_version(meeting)
    return meeting.approvals.filter(
        withdrawn_at__isnull=True, superseded_at__isnull=True, version=version
    ).select_related("person")


def approval_version(meeting: Meeting) -> MinutesVersion:
    """The version a "Godkend" now binds to. Minutes published before versions were kept
    get their first version here, from the data as it stands."""
    return current_minutes_version(meeting) or minutes_freeze(meeting)


def approval_rule_met(meeting: Meeting, signers: set[int]) -> bool:
    """Whether the persons in `signers` satisfy the organization's signature rule."""
    organization = meeting.organization
    if organization.signature_rule == SignatureRule.ALL_PARTICIPANTS:
        attendees = _attendee_ids(meeting)
        return bool(attendees) and attendees <= signers
    chairs = _chair_ids(meeting)
    if not chairs & signers:
        return False
    others = signers - chairs
    if organization.signature_rule == SignatureRule.CHAIR_AND_SECRETARY:
        return bool(others & secretary_person_ids(meeting))
    return len(others) >= organization.signature_members_required


def eligible_signers(meeting: Meeting) -> QuerySet[Person]:
    """Everyone whose "Godkend" counts for this meeting, by the rule _ensure_signer applies
    to each approval: the members with a vote on the meeting day who were not absent
    (substitutes only when called in to this meeting), and under the chair-and-secretary
    rule the secretaries. The secretary's progress view and the reminders both read it, so
    they never disagree about who is missing."""
    seats = Membership.objects.filter(
        organization_id=meeting.organization_id, voting_right=True
    ).on(meeting.day)
    called_in = meeting.attendances.filter(status=AttendanceStatus.SUBSTITUTE)
    members = Q(pk__in=seats.exclude(role=MembershipRole.SUBSTITUTE).values("person_id")) | Q(
        pk__in=seats.filter(
            role=MembershipRole.SUBSTITUTE, person_id__in=called_in.values("person_id")
        ).values("person_id")
    )
    absent = meeting.attendances.filter(status=AttendanceStatus.ABSENT).values("person_id")
    eligible = Person.objects.filter(members).exclude(pk__in=absent)
    if meeting.organization.signature_rule == SignatureRule.CHAIR_AND_SECRETARY:
        eligible = eligible | Person.objects.filter(pk__in=secretary_person_ids(meeting))
    return eligible.distinct().order_by("name")


def secretary_person_ids(meeting: Meeting) -> set[int]:
    users = SecretaryAssignment.objects.filter(organization_id=meeting.organization_id)
    return set(Person.objects.filter(user__in=users.values("user_id")).values_list("id", flat=True))


def _attendee_ids(meeting: Meeting) -> set[int]:
    rows = meeting.attendances.exclude(status=AttendanceStatus.ABSENT)
    return set(rows.values_list("person_id", flat=True))


def _chair_ids(meeting: Meeting) -> set[int]:
    # The chair signs; when the chair was absent, the vice chair who led the meeting does.
    seats = Membership.objects.filter(organization_id=meeting.organization_id).on(meeting.day)
    absent = set(
        meeting.attendances.filter(status=AttendanceStatus.ABSENT).values_list(
            "person_id", flat=True
        )
    )
    for role in (MembershipRole.CHAIR, MembershipRole.VICE_CHAIR):
        ids = set(seats.filter(role=role).values_list("person_id", flat=True)) - absent
        if ids:
            return ids
    return set()


def _ensure_signer(person: Person, meeting: Meeting) -> None:
    rule = meeting.organization.signature_rule
    if rule == SignatureRule.CHAIR_AND_SECRETARY and person.pk in secretary_person_ids(meeting):
        return
    membership = ensure_member(person, meeting)
    if meeting.attendances.filter(person=person, status=AttendanceStatus.ABSENT).exists():
        raise DomainError(
            _("%(person)s deltog ikke i mødet og kan ikke godkende referatet.") % {"person": person}
        )
    if not membership.voting_right:
        raise DomainError(
            _("%(person)s har ikke stemmeret og godkender ikke referatet.") % {"person": person}
        )
    called_in = meeting.attendances.filter(person=person, status=AttendanceStatus.SUBSTITUTE)
    if membership.role == MembershipRole.SUBSTITUTE and not called_in.exists():
        # A substitute sits only in the meetings they are called in to (access.py reads
        # the same), so only those minutes are theirs to sign.
        raise DomainError(
            _("%(person)s var ikke indkaldt som stedfortræder og godkender ikke referatet.")
            % {"person": person}
        )


def minutes_approve(
    *,
    meeting: Meeting,
    person: Person,
    by: Actor,
    reservation: str = "",
    reservation_item: AgendaItem | None = None,
) -> Approval:
    """The member's "Godkend" of the published minutes as they are now (their sha256 is
    computed here). Approving again after the text changed replaces the older approval.
    When the signature rule is met, the meeting becomes APPROVED and locked."""
    with write_transaction():
        locked = (
            Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
        )
        if locked.state != MeetingState.MINUTES_PUBLISHED:
            raise DomainError(
                _("Referatet er ikke til godkendelse (status %(state)s).")
                % {"state": locked.get_state_display()}
            )
        _ensure_signer(person, locked)
        _check_reservation(locked, reservation, reservation_item)
        version = approval_version(locked)
        mine = locked.approvals.filter(
            person=person, withdrawn_at__isnull=True, superseded_at__isnull=True
        )
        if mine.filter(version=version).exists():
            raise DomainError(_("%(person)s har allerede godkendt.") % {"person": person})
        _supersede(mine, locked, by)
        approval = Approval.objects.create(
            meeting=locked,
            person=person,
            approved_at=timezone.now(),
            minutes_sha256=version.sha256,
            version=version,
            person_name=frozen_name(version, person.pk, person.name),
            reservation=reservation.strip(),
            reservation_item=reservation_item,
        )
        _audit("approval.add", approval, locked, None, by)
        signers = set(valid_approvals(locked).values_list("person_id", flat=True))
        final = approval_rule_met(locked, signers)
        if final:
            _set_state(locked, MeetingState.APPROVED, "meeting.approve", by)
        else:
            bump_meeting_version(locked)
    meeting.refresh_from_db()
    if final:  # this approval completed the minutes: announce it once, after the commit
        minutes_approved.send(sender=Meeting, meeting=meeting)
    return approval


def _check_reservation(meeting: Meeting, text: str, item: AgendaItem | None) -> None:
    if item is None:
        return
    if item.meeting_id != meeting.pk:
        raise DomainError(_("Forbeholdet skal gælde et punkt på dette møde."))
    if not text.strip():
        raise DomainError(
            _("Skriv forbeholdet for punkt %(number)s.") % {"number": item.label or item.title}
        )


def approval_withdraw(*, meeting: Meeting, person: Person, by: Actor) -> Approval:
    """Withdraw the person's own approval; possible only until the minutes are final."""
    with write_transaction():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.state != MeetingState.MINUTES_PUBLISHED:
            raise DomainError(
                _("Referatet er endeligt godkendt; godkendelsen kan ikke trækkes tilbage.")
            )
        approval = locked.approvals.filter(
            person=person, withdrawn_at__isnull=True, superseded_at__isnull=True
        ).first()
        if approval is None:
            raise DomainError(
                _("%(person)s har ingen godkendelse at trække tilbage.") % {"person": person}
            )
        before = snapshot(approval)
        approval.withdrawn_at = timezone.now()
        approval.save(update_fields=["withdrawn_at"])
        _audit("approval.withdraw", approval, locked, before, by)
        bump_meeting_version(locked)
    return approval


def dissent_add(*, item: AgendaItem, person: Person, text: str, by: Actor) -> Dissent:
    """Enter a member's protokoltilførsel under the item's decision (before approval)."""
    with write_transaction():
        meeting = meeting_of(item)
        ensure_editable(meeting)
        if meeting.state not in (MeetingState.HELD, MeetingState.MINUTES_PUBLISHED):
            raise DomainError(_("En protokoltilførsel kan først gives, når mødet er afholdt."))
        ensure_member(person, meeting)
        if not text.strip():
            raise DomainError(_("Protokoltilførslen skal have en tekst."))
        dissent = Dissent.objects.create(agenda_item=item, person=person, text=text.strip())
        _audit("dissent.add", dissent, meeting, None, by)
        touch_meeting(meeting)
    return dissent


def meeting_add_addendum(*, item: AgendaItem, text: str, reason: str, by: Actor) -> Addendum:
    """Correct approved minutes by a dated addendum to an item. The approved text stays;
    every approval is superseded and the meeting goes back to MINUTES_PUBLISHED, so the
    members approve again and see what was added."""
    meeting = meeting_of(item)
    if not meeting.content_locked:
        raise DomainError(
            _("Referatet er ikke godkendt endnu: ret teksten direkte i stedet for en tilføjelse.")
        )
    if not text.strip():
        raise DomainError(_("Feltet Tilføjelse skal udfyldes."))
    if not reason.strip():
        raise DomainError(_("Feltet Begrundelse skal udfyldes."))
    with write_transaction():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        addendum = Addendum.objects.create(
            agenda_item=item,
            author=by.user,
            author_name=by.name,
            date=timezone.now(),
            reason=reason.strip(),
            text=text.strip(),
        )
        _audit("addendum.add", addendum, locked, None, by)
        _supersede(locked.approvals.filter(withdrawn_at__isnull=True), locked, by)
        if locked.state == MeetingState.APPROVED:
            _set_state(locked, MeetingState.MINUTES_PUBLISHED, "meeting.reopen_for_approval", by)
        else:
            bump_meeting_version(locked)
        # The approved text stays; the new version adds the addendum to it.
        minutes_freeze(locked)
    return addendum


def _supersede(approvals: QuerySet[Approval], meeting: Meeting, by: Actor) -> None:
    now = timezone.now()
    for approval in approvals.filter(superseded_at__isnull=True):
        before = snapshot(approval)
        approval.superseded_at = now
        approval.save(update_fields=["superseded_at"])
        _audit("approval.supersede", approval, meeting, before, by)


def _set_state(meeting: Meeting, state: MeetingState, action: str, by: Actor) -> None:
    before = snapshot(meeting)
    meeting.state = state
    meeting.approved_at = timezone.now() if state == MeetingState.APPROVED else None
    if state == MeetingState.APPROVED:
        meeting.content_locked = True
    meeting.version += 1
    meeting.save()
    _audit(action, meeting, meeting, before, by)
    meeting_changed.send(sender=Meeting, meeting_id=meeting.pk)


def _audit(action: str, obj, meeting: Meeting, before: dict | None, by: Actor) -> None:  # type: ignore[no-untyped-def]
    audit_record(
        by=by, action=action, obj=obj, meeting_id=meeting.pk, before=before, after=snapshot(obj)
    )
