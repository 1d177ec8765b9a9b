"""A generated archive for the OParl tests and benchmark, built through the services like
the office builds one: committees with members, cases and attachments, and meetings in
every state the public can meet (agenda out, cancelled, held, minutes out, approved,
approved and corrected by an addendum) and some it must never meet (planned, cancelled
before the agenda went out). Closed items, internal attachments, a deleted item, an item
closed after the agenda went out and a deleted meeting carry canaries: words that must
never reach the API.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    DecisionOutcome,
    ItemParticipationKind,
    Meeting,
    VoteChoice,
)
from gremium.organizations.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    MembershipRole,
    Organization,
    OrganizationClassification,
    Person,
)

BY = Actor.system("arkiv")
CLOSED_CANARY = "Kanariefugl-arkiv-lukket-5521"  # a closed item's title, text and file
INTERNAL_CANARY = "Kanariefugl-arkiv-intern-3307"  # an open item's internal attachment
HIDDEN_CANARY = "Kanariefugl-arkiv-skjult-6630"  # meetings the public never sees
DELETED_CANARY = "Kanariefugl-arkiv-slettet-9014"  # a deleted item and a deleted meeting
WITHDRAWN_CANARY = "Kanariefugl-arkiv-trukket-4478"  # an item closed after it went out
CANARIES = (CLOSED_CANARY, INTERNAL_CANARY, HIDDEN_CANARY, DELETED_CANARY, WITHDRAWN_CANARY)

WORDS = ("skole", "vej", "budget", "ældre", "børn", "lokalplan", "høring", "tilbud", "plan")
PARTIES = ("A", "V", "C", "F", "O")
# The life each meeting of the cycle is taken through (see `_LIVES`).
CYCLE = (
    "approved",
    "minutes",
    "held",
    "agenda",
    "cancelled",
    "planned",
    "cancelled_unpublished",
    "addendum",
    "changed",
    "minutes",
)


@dataclass
class Archive:
    body: Body
    public: list[Meeting] = field(default_factory=list)
    hidden: list[Meeting] = field(default_factory=list)
    deleted_meetings: list[int] = field(default_factory=list)
    deleted_items: list[int] = field(default_factory=list)
    withdrawn_items: list[AgendaItem] = field(default_factory=list)


@dataclass
class _World:
    body: Body
    committees: list[Organization]
    members: dict[int, list[Person]]  # organization id → its members
    places: list[Location]
    rng: random.Random
    pdfs_left: int
    numbers: int = 0


def generate(meetings: int = 30, *, pdfs: int = 3, seed: int = 11) -> Archive:
    """`meetings` meetings in the cycle of lives above, plus one deleted meeting. The
    agenda PDFs are kept as sent out for the first `pdfs` published agendas; approved
    minutes always keep theirs (the documents app renders them on approval)."""
    world = _world(seed, pdfs)
    archive = Archive(body=world.body)
    for index in range(meetings):
        meeting = _meeting(world, index)
        life = CYCLE[index % len(CYCLE)]
        _LIVES[life](world, meeting, archive)
    _deleted_meeting(world, archive)
    return archive


def _world(seed: int, pdfs: int) -> _World:
    rng = random.Random(seed)
    body = Body.objects.create(name=f"Arkivkommune {seed}", short_name="Arkiv")
    LegislativeTerm.objects.create(
        body=body,
        name="Valgperioden 2026-2029",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2029, 12, 31),
    )
    places = [
        Location.objects.create(body=body, description=f"Rådhuset, mødelokale {n}", room=str(n))
        for n in (1, 2)
    ]
    committees = [
        Organization.objects.create(body=body, name=name, classification=kind)
        for name, kind in (
            ("Byrådet", OrganizationClassification.COUNCIL),
            ("Teknik- og Miljøudvalget", OrganizationClassification.COMMITTEE),
            ("Børne- og Skoleudvalget", OrganizationClassification.COMMITTEE),
        )
    ]
    members: dict[int, list[Person]] = {}
    for n, committee in enumerate(committees):
        seats = []
        for m in range(4):
            person = Person.objects.create(
                body=body, name=f"Medlem {n}-{m} {rng.choice(WORDS).title()}"
            )
            Membership.objects.create(
                person=person,
                organization=committee,
                role=MembershipRole.CHAIR if m == 0 else MembershipRole.MEMBER,
                party=PARTIES[(n + m) % len(PARTIES)],
                start_date=dt.date(2026, 1, 1),
            )
            seats.append(person)
        members[committee.pk] = seats
    return _World(body, committees, members, places, rng, pdfs)


def _meeting(world: _World, index: int) -> Meeting:
    committee = world.committees[index % len(world.committees)]
    day = dt.date(2026, 1, 5) + dt.timedelta(days=7 * index)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))
    life = CYCLE[index % len(CYCLE)]
    hidden = life in ("planned", "cancelled_unpublished")
    meeting = services.meeting_create(
        organization=committee,
        start=start,
        end=start + dt.timedelta(hours=2),
        location=world.places[index % 2],
        by=BY,
    )
    canary = f" {HIDDEN_CANARY}" if hidden else ""
    for n in range(3):
        item = _case_item(
            world,
            meeting,
            reference=f"26/{1000 + world.numbers}",
            title=f"{world.rng.choice(WORDS).title()} {index}-{n}{canary}",
            text=f"Om {world.rng.choice(WORDS)}.{canary}",
            file=(f"bilag-{index}-{n}.txt", f"Bilag {n}{canary}"),
        )
        world.numbers += 1
    services.attachment_add(
        item=item,
        filename=f"notat-{index}.txt",
        content=f"Internt notat {INTERNAL_CANARY}".encode(),
        public=False,
        by=BY,
    )
    _case_item(
        world,
        meeting,
        reference=f"26/9{index:03d}",
        title=f"Personalesag {CLOSED_CANARY}",
        text=f"Fortroligt {CLOSED_CANARY}",
        file=(f"lukket-{index}.txt", f"Lukket bilag {CLOSED_CANARY}"),
        public=False,
        public_title="Personalesag",
    )
    return meeting


def _case_item(
    world: _World,
    meeting: Meeting,
    *,
    reference: str,
    title: str,
    text: str,
    file: tuple[str, str],
    **options: Any,
) -> AgendaItem:
    """An item about a case of its own (named by the item's title), with one file."""
    paper = services.paper_get_or_create(body=world.body, reference=reference, name=title, by=BY)
    item = services.agenda_item_add(
        meeting=meeting,
        title=title,
        paper=paper,
        sections=[("Sagsfremstilling", text)],
        by=BY,
        **options,
    )
    name, content = file
    services.attachment_add(item=item, filename=name, content=content.encode(), by=BY)
    return item


def _publish(world: _World, meeting: Meeting) -> Meeting:
    keep = world.pdfs_left > 0
    world.pdfs_left -= int(keep)
    return services.meeting_publish_agenda(meeting=meeting, by=BY, keep_pdf=keep)


def _hold(world: _World, meeting: Meeting) -> Meeting:
    meeting = services.meeting_mark_held(meeting=meeting, by=BY)
    members = world.members[meeting.organization_id]
    for n, person in enumerate(members):
        status = AttendanceStatus.ABSENT if n == len(members) - 1 else AttendanceStatus.PRESENT
        services.attendance_set(meeting=meeting, person=person, status=status, by=BY)
    return meeting


def _record(world: _World, meeting: Meeting) -> Meeting:
    """Decisions, votes by every present member, one member absent from an item and one
    with a conflict of interest; then the minutes go out."""
    present = world.members[meeting.organization_id][:-1]
    items = list(meeting.items.order_by("order"))
    for n, item in enumerate(items):
        text = f"Fortroligt besluttet {CLOSED_CANARY}." if not item.public else "Godkendt."
        services.decision_record(item=item, outcome=DecisionOutcome.APPROVED, text=text, by=BY)
        if n == 0:
            choices = [VoteChoice.FOR, VoteChoice.FOR, VoteChoice.AGAINST]
            for person, choice in zip(present, choices, strict=True):
                services.vote_record(item=item, person=person, choice=choice, by=BY)
        if n == 1:
            services.item_participation_add(
                item=item, person=present[1], kind=ItemParticipationKind.ABSENT, by=BY
            )
            services.item_participation_add(
                item=item, person=present[2], kind=ItemParticipationKind.CONFLICT, by=BY
            )
    return services.meeting_publish_minutes(meeting=meeting, by=BY)


def _approve(world: _World, meeting: Meeting) -> Meeting:
    for person in world.members[meeting.organization_id][:-1]:
        services.minutes_approve(meeting=meeting, person=person, by=BY)
    meeting.refresh_from_db()
    return meeting


def _life_agenda(world: _World, meeting: Meeting, archive: Archive) -> None:
    archive.public.append(_publish(world, meeting))


def _life_held(world: _World, meeting: Meeting, archive: Archive) -> None:
    archive.public.append(_hold(world, _publish(world, meeting)))


def _life_minutes(world: _World, meeting: Meeting, archive: Archive) -> None:
    archive.public.append(_record(world, _hold(world, _publish(world, meeting))))


def _life_approved(world: _World, meeting: Meeting, archive: Archive) -> None:
    meeting = _record(world, _hold(world, _publish(world, meeting)))
    archive.public.append(_approve(world, meeting))


def _life_addendum(world: _World, meeting: Meeting, archive: Archive) -> None:
    """Approved, corrected by an addendum, and approved again."""
    meeting = _approve(world, _record(world, _hold(world, _publish(world, meeting))))
    item = meeting.items.filter(public=True).order_by("order").first()
    assert item is not None
    services.meeting_add_addendum(
        item=item, text="Beløbet er 2,1 mio. kr.", reason="Skrivefejl i referatet", by=BY
    )
    archive.public.append(_approve(world, meeting))


def _life_cancelled(world: _World, meeting: Meeting, archive: Archive) -> None:
    meeting = _publish(world, meeting)
    archive.public.append(services.meeting_cancel(meeting=meeting, by=BY))


def _life_planned(world: _World, meeting: Meeting, archive: Archive) -> None:
    archive.hidden.append(meeting)


def _life_cancelled_unpublished(world: _World, meeting: Meeting, archive: Archive) -> None:
    archive.hidden.append(services.meeting_cancel(meeting=meeting, by=BY))


def _life_changed(world: _World, meeting: Meeting, archive: Archive) -> None:
    """After the agenda went out, an item is added and deleted again, and an open item is
    closed: its file and case leave the public record."""
    meeting = _publish(world, meeting)
    doomed = services.agenda_item_add(
        meeting=meeting,
        title=f"Udgår {DELETED_CANARY}",
        sections=[("Sagsfremstilling", DELETED_CANARY)],
        by=BY,
    )
    services.attachment_add(
        item=doomed, filename="udgaar.txt", content=DELETED_CANARY.encode(), by=BY
    )
    archive.deleted_items.append(doomed.pk)
    services.agenda_item_delete(item=doomed, by=BY)
    withdrawn = meeting.items.filter(public=True).order_by("order").first()
    assert withdrawn is not None
    withdrawn = services.agenda_item_update(
        item=withdrawn,
        title=f"Trukket {WITHDRAWN_CANARY}",
        by=BY,
        expected_version=withdrawn.version,
    )
    services.attachment_add(
        item=withdrawn, filename="trukket.txt", content=WITHDRAWN_CANARY.encode(), by=BY
    )
    services.agenda_item_update(
        item=withdrawn,
        public=False,
        public_title="Lukket efter udsendelse",
        by=BY,
        expected_version=withdrawn.version,
    )
    archive.withdrawn_items.append(withdrawn)
    archive.public.append(meeting)


_LIVES = {
    "agenda": _life_agenda,
    "held": _life_held,
    "minutes": _life_minutes,
    "approved": _life_approved,
    "addendum": _life_addendum,
    "cancelled": _life_cancelled,
    "planned": _life_planned,
    "cancelled_unpublished": _life_cancelled_unpublished,
    "changed": _life_changed,
}


def _deleted_meeting(world: _World, archive: Archive) -> None:
    """A meeting whose agenda went out and which was then deleted."""
    meeting = _meeting(world, len(CYCLE) * 100)
    services.agenda_item_add(meeting=meeting, title=f"Aflyst {DELETED_CANARY}", by=BY)
    meeting = services.meeting_publish_agenda(meeting=meeting, by=BY, keep_pdf=False)
    archive.deleted_meetings.append(meeting.pk)
    services.meeting_delete(meeting=meeting, by=BY)
