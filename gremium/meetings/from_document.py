"""Store a `Document` (from the demo seed or an importer) as a meeting, through the services.

A meeting that is already stored with the same content is left alone; one that differs
is refused with a message naming it, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib import document_structure as s
from gremium.lib.errors import DomainError
from gremium.meetings import services
from gremium.meetings.minutes import minutes_content
from gremium.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    DecisionOutcome,
    ItemParticipationKind,
    Meeting,
    MeetingState,
    Section,
)
from gremium.organizations.models import (
    Body,
    Location,
    Membership,
    MembershipRole,
    Organization,
    Person,
)
from gremium.papers.models import Attachment, Paper

ROLES = {
    "formand": MembershipRole.CHAIR,
    "næstformand": MembershipRole.VICE_CHAIR,
    "medlem": MembershipRole.MEMBER,
    "stedfortræder": MembershipRole.SUBSTITUTE,
}
OUTCOMES = {str(label).casefold(): value for value, label in DecisionOutcome.choices}


@dataclass(frozen=True)
class StoreResult:
    meeting: Meeting
    created: bool
    changed: bool = True


def meeting_store_document(
    *, document: s.Document, by: Actor, replace: bool = False
) -> StoreResult:
    """Create the meeting a document describes, with its body, organization, members,
    place, papers, items, decisions, absences and attachment names.

    The same meeting (organization and start) already stored with the same content is left
    alone. With other content it is refused, or with `replace` (a later export or import of
    the same meeting: draft → final) rebuilt from the document in one transaction, unless
    its minutes are approved."""
    if not document.body_name.strip():
        raise DomainError(_("Dokumentet nævner ingen kommune; angiv den."))
    _refuse_overlong(document)
    _refuse_sub_items(document)
    start = _aware(document.start)
    # Looked up under the write lock: two imports of one meeting at once store it once.
    with write_transaction():
        existing = Meeting.objects.filter(
            organization__body__name=document.body_name,
            organization__name=document.organization_name,
            start=start,
        ).first()
        if existing is not None and _unchanged(existing, document):
            return StoreResult(existing, created=False, changed=False)
        if existing is not None and not replace:
            raise DomainError(_conflict_message(existing, document))
        if existing is not None:
            _clear(existing, document, by)
        meeting = _create(document, start, by, into=existing)
    return StoreResult(meeting, created=existing is None, changed=True)


def _refuse_overlong(document: s.Document) -> None:
    """A value longer than its column is named here, before anything is written and alike
    on every database (PostgreSQL refuses it mid-import; SQLite would keep it)."""
    for where, what, model, field, value in _text_fields(document):
        limit = getattr(model._meta.get_field(field), "max_length", None)
        if limit is not None and len(value) > limit:
            raise DomainError(
                _("%(where)s: %(what)s er %(length)s tegn; højst %(limit)s.")
                % {"where": where, "what": what, "length": len(value), "limit": limit}
            )


def _refuse_sub_items(document: s.Document) -> None:
    """Sub-items ("4.1") share their parent's number, which an item's number must not do
    yet: the whole meeting is refused, naming the first, before anything is written."""
    for item in document.items:
        if item.sub_number is not None:
            raise DomainError(
                _(
                    "Punkt %(number)s.%(sub)s er et underpunkt; underpunkter kan ikke gemmes "
                    "endnu. Intet er ændret."
                )
                % {"number": item.number, "sub": item.sub_number}
            )


def _text_fields(document: s.Document) -> Iterator[tuple[str, str, type[Model], str, str]]:
    """(where, what, model, field, value) for every text the document stores."""
    meeting = _("Mødet")
    yield meeting, _("kommunens navn"), Body, "name", document.body_name
    yield meeting, _("udvalgets navn"), Organization, "name", document.organization_name
    yield meeting, _("mødestedet"), Location, "description", document.location
    for person in document.participants:
        yield meeting, _("et deltagernavn"), Person, "name", person.name
        yield meeting, _("et partinavn"), Membership, "party", person.party
    for item in document.items:
        where = _("Punkt %(number)s") % {"number": item.number or "uden nummer"}
        yield where, _("titlen"), AgendaItem, "title", item.title
        yield where, _("den offentlige titel"), AgendaItem, "public_title", item.public_title
        yield where, _("sagsnummeret"), Paper, "reference", item.reference
        for section in item.sections:
            yield where, _("en overskrift"), Section, "heading", section.heading
        for ref in item.attachments:
            yield where, _("et bilagsnavn"), Attachment, "name", ref.name
            yield where, _("et bilags adresse"), Attachment, "source_url", ref.source_url


def _clear(meeting: Meeting, document: s.Document, by: Actor) -> None:
    """Empty a meeting so a newer version of its document can be stored into it."""
    # Approved (also later reopened by an addendum) minutes are locked, and approvals
    # already given are records of their own: a new import must not sweep them away.
    if meeting.state == MeetingState.APPROVED or meeting.content_locked:
        raise DomainError(
            _("Mødet %(meeting)s er godkendt og låst; en ny version kan ikke indlæses.")
            % {"meeting": meeting}
        )
    if meeting.approvals.exists():
        raise DomainError(
            _(
                "Referatet af mødet %(meeting)s er under godkendelse; en ny version kan ikke "
                "indlæses. Ret det i stedet i kontoret."
            )
            % {"meeting": meeting}
        )
    audit_record(
        by=by,
        action="meeting.reimport",
        obj=meeting,
        meeting_id=meeting.pk,
        before=snapshot(meeting),
        after={"items": len(document.items)},
    )
    meeting.items.all().delete()
    meeting.attendances.all().delete()
    meeting.stored_documents.all().delete()
    Meeting.objects.filter(pk=meeting.pk).update(
        state=MeetingState.PLANNED,
        version=F("version") + 1,
        modified=timezone.now(),
        agenda_published_at=None,
        minutes_published_at=None,
    )
    meeting.refresh_from_db()


def _unchanged(existing: Meeting, document: s.Document) -> bool:
    stored, _version = minutes_content(existing)
    return _comparable(stored) == _comparable(document)


def _conflict_message(existing: Meeting, document: s.Document) -> str:
    return _(
        "Der findes allerede et andet møde i %(organization)s den %(day)s (id %(id)s) "
        "med et andet indhold. Intet er ændret."
    ) % {
        "organization": document.organization_name,
        "day": f"{document.start:%d-%m-%Y %H:%M}",
        "id": existing.pk,
    }


def _comparable(document: s.Document) -> tuple:  # type: ignore[type-arg]
    """The content a document stores: what a second load must find unchanged."""
    items = tuple(
        (
            i.number,
            i.title,
            i.reference,
            i.public,
            i.sections,
            (i.decision.outcome, i.decision.text) if i.decision else None,
            tuple(sorted(i.absent)),
            tuple(sorted(i.conflicts)),
            tuple((a.name, a.source_url) for a in i.attachments),
        )
        for i in document.items
    )
    people = tuple(sorted((p.name, p.absent) for p in document.participants))
    return (document.location, people, items)


def _create(
    document: s.Document, start: dt.datetime, by: Actor, into: Meeting | None = None
) -> Meeting:
    body, _created = Body.objects.get_or_create(name=document.body_name)
    organization, _created = Organization.objects.get_or_create(
        body=body, name=document.organization_name
    )
    location = None
    if document.location:
        location, _created = Location.objects.get_or_create(
            body=body, description=document.location
        )
    people = {p.name: _member(body, organization, p, start.date()) for p in document.participants}
    meeting = into or services.meeting_create(
        organization=organization,
        start=start,
        end=_aware(document.end) if document.end else None,
        location=location,
        by=by,
    )
    if into is not None:
        into.location = location
        into.end = _aware(document.end) if document.end else None
        into.save(update_fields=["location", "end"])
    for participant in document.participants:
        _attendance(meeting, participant, people, by)
    stored = [(_item(meeting, item, body, people, by), item) for item in document.items]
    if document.kind is s.DocumentKind.MINUTES:
        _record_as_held(meeting, stored, by)
    meeting.refresh_from_db()
    return meeting


def _record_as_held(meeting: Meeting, stored: list[tuple[AgendaItem, s.Item]], by: Actor) -> None:
    """Minutes describe a meeting that took place: walk it through its life to published
    minutes, so the stored meeting is exactly what the office would have produced."""
    meeting = services.meeting_publish_agenda(meeting=meeting, by=by, keep_pdf=False)
    meeting = services.meeting_mark_held(meeting=meeting, by=by)
    for agenda_item, item in stored:
        if item.decision is not None:
            outcome = OUTCOMES.get(item.decision.outcome.casefold(), DecisionOutcome.OTHER)
            services.decision_record(
                item=agenda_item,
                outcome=DecisionOutcome(outcome),
                text=item.decision.text,
                by=by,
            )
    services.meeting_publish_minutes(meeting=meeting, by=by)


def _member(
    body: Body, organization: Organization, participant: s.Participant, day: dt.date
) -> Person:
    person = Person.objects.filter(body=body, name=participant.name).first()
    if person is None:
        person = Person.objects.create(body=body, name=participant.name)
    if not Membership.objects.filter(person=person, organization=organization).exists():
        Membership.objects.create(
            person=person,
            organization=organization,
            role=ROLES.get(participant.role.casefold(), MembershipRole.MEMBER),
            party=participant.party,
            voting_right=participant.role.casefold() != "stedfortræder",
        )
    return person


def _attendance(
    meeting: Meeting, participant: s.Participant, people: dict[str, Person], by: Actor
) -> None:
    status = AttendanceStatus.ABSENT if participant.absent else AttendanceStatus.PRESENT
    substitute_for = people.get(participant.substitute_for) if participant.substitute_for else None
    if substitute_for is not None:
        status = AttendanceStatus.SUBSTITUTE
    services.attendance_set(
        meeting=meeting,
        person=people[participant.name],
        status=status,
        substitute_for=substitute_for,
        by=by,
    )


def _item(
    meeting: Meeting, item: s.Item, body: Body, people: dict[str, Person], by: Actor
) -> AgendaItem:
    paper = None
    if item.reference:
        paper, _created = Paper.objects.get_or_create(body=body, reference=item.reference)
    stored = services.agenda_item_add(
        meeting=meeting,
        title=item.title,
        public=item.public,
        # A closed item's own title is internal: without a public one it gets the neutral.
        public_title=item.public_title or ("" if item.public else s.CLOSED_TITLE),
        paper=paper,
        number=item.number,
        decision_required=item.decision is not None,
        sections=[(x.heading, x.body) for x in item.sections],
        by=by,
    )
    _participations(stored, item, people, by)
    for order, ref in enumerate(item.attachments, start=1):
        Attachment.objects.create(
            agenda_item=stored,
            paper=paper,
            order=order,
            name=ref.name,
            public=ref.public,
            mime_type=ref.mime_type,
            size=ref.size,
            sha256=ref.sha256,
            source_url=ref.source_url,
        )
    return stored


def _participations(stored: AgendaItem, item: s.Item, people: dict[str, Person], by: Actor) -> None:
    for kind, names in (
        (ItemParticipationKind.ABSENT, item.absent),
        (ItemParticipationKind.CONFLICT, item.conflicts),
    ):
        for name in names:
            person = people.get(name)
            if person is None:
                raise DomainError(
                    _("Punkt %(number)s nævner %(name)s, som ikke er mødedeltager.")
                    % {"number": item.number, "name": name}
                )
            services.item_participation_add(item=stored, person=person, kind=kind, by=by)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)
