"""Build the plain `Document` from the database: the only place renderers' input comes from.

The audience is applied here. A public document never contains a closed item's content,
so no renderer, cache or download can leak it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from gremium.documents.variants import make_variant
from gremium.lib import document_structure as s
from gremium.lib.document_json import document_to_dict
from gremium.meetings.models import (
    AgendaItem,
    Approval,
    AttendanceStatus,
    DecisionOutcome,
    ItemParticipationKind,
    Meeting,
    MeetingState,
    VoteChoice,
)
from gremium.organizations.models import Membership, MembershipRole

ROLE_WORDS = {
    MembershipRole.CHAIR: "formand",
    MembershipRole.VICE_CHAIR: "næstformand",
    MembershipRole.MEMBER: "medlem",
    MembershipRole.SUBSTITUTE: "stedfortræder",
}
VOTE_WORDS = {VoteChoice.FOR: "For", VoteChoice.AGAINST: "Imod", VoteChoice.ABSTAIN: "Undlod"}


def build_document(meeting: Meeting, *, kind: s.DocumentKind, audience: s.Audience) -> s.Document:
    """The meeting as a document of the given kind for the given audience: the internal
    minutes are built from the database, and the variant is cut from them. The minutes'
    signatures are the approvals that count: of the current text, neither withdrawn nor
    superseded; attending members who have not signed get an empty line."""
    return make_variant(_internal_minutes(meeting, with_signatures=True), kind, audience)


def _internal_minutes(meeting: Meeting, *, with_signatures: bool) -> s.Document:
    meeting = _load(meeting.pk)
    memberships = _memberships(meeting)
    return s.Document(
        kind=s.DocumentKind.MINUTES,
        audience=s.Audience.INTERNAL,
        body_name=meeting.organization.body.name,
        organization_name=meeting.organization.name,
        # Documents print local time: the database holds UTC.
        start=timezone.localtime(meeting.start),
        end=timezone.localtime(meeting.end) if meeting.end else None,
        location=meeting.location.description if meeting.location else "",
        participants=_participants(meeting, memberships),
        items=tuple(_item(item, meeting, memberships) for item in meeting.items.all()),
        signatures=_signatures(meeting) if with_signatures else (),
        approved=meeting.state == MeetingState.APPROVED,
        logo_path=meeting.organization.body.logo.path if meeting.organization.body.logo else "",
    )


def minutes_sha256(meeting: Meeting) -> str:
    """The fingerprint of the internal minutes' content, without the signatures: what a
    member's "Godkend" is bound to. Any change to the minutes changes it."""
    document = _internal_minutes(meeting, with_signatures=False)
    data = document_to_dict(document)
    data.pop("signatures")
    data.pop("approved")
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _load(meeting_id: int) -> Meeting:
    items = AgendaItem.objects.select_related("paper", "decision").prefetch_related(
        "sections",
        "participations__person",
        "votes__person",
        "attachments",
        "dissents__person",
        "addenda",
    )
    return (
        Meeting.objects.select_related("organization__body", "location")
        .prefetch_related(
            Prefetch("items", queryset=items),
            "attendances__person",
            "attendances__substitute_for",
            Prefetch(
                "approvals", queryset=Approval.objects.select_related("person", "reservation_item")
            ),
        )
        .get(pk=meeting_id)
    )


def _memberships(meeting: Meeting) -> dict[int, Membership]:
    rows = Membership.objects.filter(organization_id=meeting.organization_id).order_by("id")
    return {m.person_id: m for m in rows}


def _participants(
    meeting: Meeting, memberships: dict[int, Membership]
) -> tuple[s.Participant, ...]:
    result = []
    for attendance in meeting.attendances.all():
        membership = memberships.get(attendance.person_id)
        result.append(
            s.Participant(
                name=attendance.person.name,
                role=ROLE_WORDS.get(membership.role, "") if membership else "",  # type: ignore[call-overload]
                party=membership.party if membership else "",
                absent=attendance.status == AttendanceStatus.ABSENT,
                substitute_for=(
                    attendance.substitute_for.name if attendance.substitute_for else ""
                ),
            )
        )
    return tuple(result)


def _item(item: AgendaItem, meeting: Meeting, memberships: dict[int, Membership]) -> s.Item:
    participations = list(item.participations.all())
    return s.Item(
        number=item.number,
        title=item.title,
        reference=item.paper.reference if item.paper else "",
        public=item.public,
        public_title=item.public_title,
        sections=tuple(s.Section(x.heading, x.body) for x in item.sections.all()),
        decision=_decision(item, meeting),
        absent=_names(participations, ItemParticipationKind.ABSENT),
        conflicts=_names(participations, ItemParticipationKind.CONFLICT),
        votes=_votes(item, memberships),
        dissents=_dissents(item),
        addenda=_addenda(item),
        attachments=tuple(
            s.AttachmentRef(
                name=a.name,
                public=a.public,
                mime_type=a.mime_type,
                size=a.size,
                sha256=a.sha256,
                path=a.file.path if a.file else "",
                url=reverse("portal:attachment", args=[a.pk]) if a.file else "",
            )
            for a in item.attachments.all()
        ),
        key=f"punkt-{item.number}" if item.number else f"punkt-o{item.order}",
    )


def _decision(item: AgendaItem, meeting: Meeting) -> s.Decision | None:
    decision = getattr(item, "decision", None)
    if decision is None:
        return None
    outcome = "" if decision.outcome == DecisionOutcome.OTHER else decision.get_outcome_display()
    return s.Decision(
        organization=meeting.organization.name,
        date=timezone.localtime(meeting.start).date(),
        outcome=str(outcome),
        text=decision.text,
    )


def _dissents(item: AgendaItem) -> tuple[s.Dissent, ...]:
    return tuple(s.Dissent(d.person.name, d.text) for d in item.dissents.all())


def _addenda(item: AgendaItem) -> tuple[s.Addendum, ...]:
    # The structure has one text: the reason is kept with it so every renderer shows both.
    return tuple(
        s.Addendum(a.date, a.author_name, f"{a.text}\n\nBegrundelse: {a.reason}")
        for a in item.addenda.all()
    )


def _names(participations: list, kind: ItemParticipationKind) -> tuple[str, ...]:  # type: ignore[type-arg]
    return tuple(p.person.name for p in participations if p.kind == kind)


def _votes(item: AgendaItem, memberships: dict[int, Membership]) -> tuple[s.VoteLine, ...]:
    by_choice: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for vote in item.votes.all():
        membership = memberships.get(vote.person_id)
        by_choice[vote.choice].append((membership.party if membership else "", vote.person.name))
    lines = []
    for choice in VoteChoice:
        voters = by_choice.get(choice.value)
        if voters:
            parties = tuple(dict.fromkeys(p for p, _ in sorted(voters) if p))
            lines.append(
                s.VoteLine(VOTE_WORDS[choice], parties, tuple(n for _, n in sorted(voters)))
            )
    return tuple(lines)


def _signatures(meeting: Meeting) -> tuple[s.Signature, ...]:
    signed = []
    active = [
        a for a in meeting.approvals.all() if a.withdrawn_at is None and a.superseded_at is None
    ]
    # An approval of an older text does not count: it must not print as a signature.
    current = minutes_sha256(meeting) if active else ""
    for approval in active:
        if approval.minutes_sha256 != current:
            continue
        reservation = approval.reservation
        if approval.reservation_item is not None and reservation:
            reservation = f"Punkt {approval.reservation_item.number}: {reservation}"
        item = approval.reservation_item
        signed.append(
            s.Signature(
                approval.person.name,
                timezone.localtime(approval.approved_at),
                reservation,
                reservation_item=item.number if item is not None else None,
            )
        )
    names = {sig.name for sig in signed}
    # Attending members who have not signed yet get an empty line to sign on.
    withdrawn = {
        a.person.name: timezone.localtime(a.withdrawn_at)
        for a in sorted(meeting.approvals.all(), key=lambda a: a.approved_at)
        if a.withdrawn_at is not None
    }
    pending = [
        s.Signature(a.person.name, None, withdrawn_at=withdrawn.get(a.person.name))
        for a in meeting.attendances.all()
        if a.status != AttendanceStatus.ABSENT and a.person.name not in names
    ]
    return tuple(signed + pending)
