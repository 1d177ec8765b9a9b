"""The minutes as a record: what the members approve, frozen so that it outlives later data.

From the moment the minutes are published, their content is kept as a `MinutesVersion`:
the internal minutes without signatures, with every name, role, party, title and text as
they stood. Members approve a version, and a version is what is printed, so renaming a
person, a party change, a new committee name, a restore into another folder or a different
`MEDIA_ROOT` change neither what was approved nor whether the signatures count.

The fingerprint covers content only: attachments are named by their content hash, never by
a path, URL or storage detail. A content change made through the services before approval
makes a new version (and so asks for new approvals); after approval only addenda do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from gremium.lib import document_structure as s
from gremium.lib.document_json import document_from_dict, document_to_dict
from gremium.meetings.models import (
    Addendum as AddendumRow,
)
from gremium.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionOutcome,
    Dissent,
    ItemParticipation,
    ItemParticipationKind,
    Meeting,
    MeetingState,
    MinutesVersion,
    Vote,
    VoteChoice,
)
from gremium.meetings.models import (
    Section as SectionRow,
)
from gremium.organizations.models import Membership, MembershipRole
from gremium.papers.models import Attachment

ROLE_WORDS = {
    MembershipRole.CHAIR: "formand",
    MembershipRole.VICE_CHAIR: "næstformand",
    MembershipRole.MEMBER: "medlem",
    MembershipRole.SUBSTITUTE: "stedfortræder",
}
VOTE_WORDS = {VoteChoice.FOR: "For", VoteChoice.AGAINST: "Imod", VoteChoice.ABSTAIN: "Undlod"}
FROZEN_STATES = (MeetingState.MINUTES_PUBLISHED, MeetingState.APPROVED)


def live_minutes(meeting: Meeting) -> s.Document:
    """The internal minutes as the database holds them now, without signatures and without
    any storage detail (attachment paths, download URLs, the logo's path): renderers add
    those when they need them."""
    meeting = _load(meeting.pk)
    items = [ItemRows.prefetched(item) for item in meeting.items.all()]
    return minutes_of_rows(meeting, list(meeting.attendances.all()), items)


@dataclass(frozen=True)
class ItemRows:
    """An item and the rows of it the minutes print, in the order the database gives
    them: prefetched from the database, or kept in memory by whoever just wrote them."""

    item: AgendaItem
    sections: Sequence[SectionRow] = ()
    participations: Sequence[ItemParticipation] = ()
    votes: Sequence[Vote] = ()
    dissents: Sequence[Dissent] = ()
    addenda: Sequence[AddendumRow] = ()
    attachments: Sequence[Attachment] = ()
    decision: Decision | None = None

    @classmethod
    def prefetched(cls, item: AgendaItem) -> ItemRows:
        return cls(
            item,
            sections=list(item.sections.all()),
            participations=list(item.participations.all()),
            votes=list(item.votes.all()),
            dissents=list(item.dissents.all()),
            addenda=list(item.addenda.all()),
            attachments=list(item.attachments.all()),
            decision=getattr(item, "decision", None),
        )


@dataclass(frozen=True)
class WrittenMinutes:
    """A meeting's content as an import has just written it (its attendances with their
    people, its items with their rows): freezing it needs no reload of what was written."""

    attendances: list[Attendance]
    items: list[ItemRows]


def minutes_of_rows(
    meeting: Meeting, attendances: list[Attendance], items: list[ItemRows]
) -> s.Document:
    """The internal minutes from the meeting's rows (with its organization, body and
    location loaded)."""
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
        participants=_participants(attendances, memberships),
        items=tuple(_item(rows, meeting, memberships) for rows in items),
    )


def minutes_fingerprint(document: s.Document) -> str:
    """The sha256 of the minutes' content: what a member's "Godkend" is bound to. The
    signatures, the approved flag and storage details are not content."""
    return _fingerprint_of(document_to_dict(_content_only(document)))


def _fingerprint_of(content: dict[str, Any]) -> str:
    data = {k: v for k, v in content.items() if k not in ("signatures", "approved", "logo_path")}
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def current_minutes_version(meeting: Meeting) -> MinutesVersion | None:
    """The version the members approve now: the newest one, once the minutes are out."""
    if meeting.state not in FROZEN_STATES:
        return None
    return meeting.minutes_versions.order_by("-number").first()


def current_minutes_sha256(meeting: Meeting) -> str:
    version = current_minutes_version(meeting)
    return version.sha256 if version else minutes_fingerprint(live_minutes(meeting))


def minutes_content(meeting: Meeting) -> tuple[s.Document, MinutesVersion | None]:
    """The content every rendering of the meeting starts from: the frozen version once the
    minutes are published, the live data before that."""
    version = current_minutes_version(meeting)
    if version is None:
        return live_minutes(meeting), None
    return document_from_dict(version.content), version


def minutes_freeze(meeting: Meeting, written: WrittenMinutes | None = None) -> MinutesVersion:
    """Keep the minutes as they stand now as a new version, unless the newest version has
    the same content. Before approval the content is read from the database (or taken
    from `written`, the rows the caller has just written in this transaction); once the
    text is locked, only the addenda are taken from it and everything else stays as
    approved. Call inside the transaction that changed the content."""
    latest = meeting.minutes_versions.order_by("-number").first()
    names = None
    if meeting.content_locked and latest is not None:
        document = _with_live_addenda(document_from_dict(latest.content), meeting)
    elif written is not None:
        document = minutes_of_rows(meeting, written.attendances, written.items)
        names = {str(a.person_id): a.person.name for a in written.attendances}
    else:
        document = live_minutes(meeting)
    content = document_to_dict(_content_only(document))
    sha256 = _fingerprint_of(content)
    if latest is not None and latest.sha256 == sha256:
        return latest
    number = (latest.number if latest is not None else 0) + 1  # the newest has the highest
    return MinutesVersion.objects.create(
        meeting=meeting,
        number=number,
        sha256=sha256,
        content=content,
        participant_names=_participant_names(meeting) if names is None else names,
    )


def frozen_name(version: MinutesVersion | None, person_id: int, fallback: str) -> str:
    """The person's name as the version holds it (the name they attended under)."""
    if version is None:
        return fallback
    return str(version.participant_names.get(str(person_id), fallback))


def _content_only(document: s.Document) -> s.Document:
    items = tuple(
        dataclasses.replace(
            item,
            attachments=tuple(dataclasses.replace(a, path="", url="") for a in item.attachments),
        )
        for item in document.items
    )
    return dataclasses.replace(document, items=items, signatures=(), approved=False, logo_path="")


def _with_live_addenda(document: s.Document, meeting: Meeting) -> s.Document:
    by_key: dict[str, tuple[s.Addendum, ...]] = {}
    for item in meeting.items.prefetch_related("addenda"):
        by_key[item_key(item)] = _addenda(list(item.addenda.all()))
    items = tuple(
        dataclasses.replace(item, addenda=by_key.get(item.key, item.addenda))
        for item in document.items
    )
    return dataclasses.replace(document, items=items)


def _participant_names(meeting: Meeting) -> dict[str, str]:
    rows = meeting.attendances.select_related("person")
    return {str(a.person_id): a.person.name for a in rows}


def _load(meeting_id: int) -> Meeting:
    items = AgendaItem.objects.select_related("paper", "decision").prefetch_related(
        "sections",
        "participations__person",
        "votes__person",
        "dissents__person",
        "addenda",
        # Their extracted text is not part of the minutes, and it is most of the rows' size.
        Prefetch("attachments", queryset=Attachment.objects.defer("text")),
    )
    return (
        Meeting.objects.select_related("organization__body", "location")
        .prefetch_related(
            Prefetch("items", queryset=items),
            "attendances__person",
            "attendances__substitute_for",
        )
        .get(pk=meeting_id)
    )


def _memberships(meeting: Meeting) -> dict[int, Membership]:
    """Each person's seat on the meeting day: role and party as they were then, not as a
    later or earlier membership has them."""
    day = timezone.localtime(meeting.start).date()
    rows = Membership.objects.filter(organization_id=meeting.organization_id).order_by("id")
    seats: dict[int, Membership] = {}
    for membership in rows:
        on_day = (membership.start_date is None or membership.start_date <= day) and (
            membership.end_date is None or membership.end_date >= day
        )
        if on_day or membership.person_id not in seats:
            seats[membership.person_id] = membership
    return seats


def _participants(
    attendances: list[Attendance], memberships: dict[int, Membership]
) -> tuple[s.Participant, ...]:
    result = []
    for attendance in attendances:
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


def item_key(item: AgendaItem) -> str:
    """The item's stable anchor in every document of its meeting ("punkt-12")."""
    label = item.label.replace(".", "-")
    return f"punkt-{label}" if label else f"punkt-o{item.order}"


def _item(rows: ItemRows, meeting: Meeting, memberships: dict[int, Membership]) -> s.Item:
    item, participations = rows.item, rows.participations
    return s.Item(
        number=item.number,
        sub_number=item.sub_number,
        title=item.title,
        reference=item.paper.reference if item.paper else "",
        public=item.public,
        public_title=item.public_title,
        sections=tuple(s.Section(x.heading, x.body) for x in rows.sections),
        decision=_decision(rows.decision, meeting),
        absent=_names(participations, ItemParticipationKind.ABSENT),
        conflicts=_names(participations, ItemParticipationKind.CONFLICT),
        votes=_votes(rows.votes, memberships),
        dissents=tuple(s.Dissent(d.person.name, d.text) for d in rows.dissents),
        addenda=_addenda(rows.addenda),
        attachments=tuple(
            s.AttachmentRef(
                name=a.name,
                public=a.public,
                mime_type=a.mime_type,
                size=a.size,
                sha256=a.sha256,
                source_url=a.source_url,
            )
            for a in rows.attachments
        ),
        key=item_key(item),
    )


def _decision(decision: Decision | None, meeting: Meeting) -> s.Decision | None:
    if decision is None:
        return None
    outcome = "" if decision.outcome == DecisionOutcome.OTHER else decision.get_outcome_display()
    return s.Decision(
        organization=meeting.organization.name,
        date=timezone.localtime(meeting.start).date(),
        outcome=str(outcome),
        text=decision.text,
    )


def _addenda(addenda: Sequence[AddendumRow]) -> tuple[s.Addendum, ...]:
    # The structure has one text: the reason is kept with it so every renderer shows both.
    return tuple(
        s.Addendum(a.date, a.author_name, f"{a.text}\n\nBegrundelse: {a.reason}") for a in addenda
    )


def _names(participations: Sequence[Any], kind: ItemParticipationKind) -> tuple[str, ...]:
    return tuple(p.person.name for p in participations if p.kind == kind)


def _votes(votes: Sequence[Vote], memberships: dict[int, Membership]) -> tuple[s.VoteLine, ...]:
    by_choice: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for vote in votes:
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
