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
from gremium.lib.item_numbers import number_label
from gremium.meetings import services
from gremium.meetings.document_items import Written, document_items_write
from gremium.meetings.minutes import minutes_content
from gremium.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingState,
    Section,
    VoteChoice,
)
from gremium.meetings.services.numbering import numbering_scope
from gremium.organizations.models import (
    Body,
    ItemNumbering,
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


@dataclass(frozen=True)
class StoreResult:
    meeting: Meeting
    created: bool
    changed: bool = True
    notes: tuple[str, ...] = ()  # what the store decided on its own, e.g. the numbering


def meeting_store_document(
    *, document: s.Document, by: Actor, replace: bool = False, detect_numbering: bool = False
) -> StoreResult:
    """Create the meeting a document describes, with its body, organization, members,
    place, papers, items, decisions, absences and attachment names.

    The same meeting (organization and start) already stored with the same content is left
    alone. With other content it is refused, or with `replace` (a later export or import of
    the same meeting: draft → final) rebuilt from the document in one transaction, unless
    its minutes are approved.

    With `detect_numbering` (an archive import) numbers another meeting of the year has
    used switch the organization to numbering per meeting instead of refusing the meeting;
    `StoreResult.notes` says so."""
    if not document.body_name.strip():
        raise DomainError(_("Dokumentet nævner ingen kommune; angiv den."))
    _refuse_overlong(document)
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
        meeting, notes = _create(document, start, by, existing, detect_numbering)
    return StoreResult(meeting, created=existing is None, changed=True, notes=notes)


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
        label = number_label(item.number, item.sub_number) or _("uden nummer")
        where = _("Punkt %(number)s") % {"number": label}
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
            i.sub_number,
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
    document: s.Document,
    start: dt.datetime,
    by: Actor,
    into: Meeting | None = None,
    detect_numbering: bool = False,
) -> tuple[Meeting, tuple[str, ...]]:
    body, _created = Body.objects.get_or_create(name=document.body_name)
    organization, _created = Organization.objects.get_or_create(
        body=body, name=document.organization_name
    )
    organization.body = body  # loaded already: what is written below needs it
    location = None
    if document.location:
        location, _created = Location.objects.get_or_create(
            body=body, description=document.location
        )
    people = _members(body, organization, document.participants)
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
    meeting.organization = organization
    notes = _detect_numbering(meeting, document, by) if detect_numbering else ()
    written = document_items_write(meeting=meeting, document=document, people=people, by=by)
    if document.kind is s.DocumentKind.MINUTES:
        _record_as_held(meeting, by, written)
        if any(item.votes or item.dissents for item in document.items):
            stored = meeting.items.order_by("order", "pk")
            for agenda_item, item in zip(stored, document.items, strict=False):
                if item.votes:
                    _votes(agenda_item, item, by)
                notes += _dissents(agenda_item, item, people, by)
        notes += _unstored_record(document)
    meeting.refresh_from_db()
    return meeting, notes


def _dissents(
    agenda_item: AgendaItem, item: s.Item, people: dict[str, Person], by: Actor
) -> tuple[str, ...]:
    """The minutes' protokoltilførsler, each under its member; one by a name that is no
    participant has no member to belong to and is named in the notes instead."""
    notes: list[str] = []
    for dissent in item.dissents:
        person = people.get(dissent.name)
        if person is None:
            notes.append(
                _(
                    "Protokoltilførsel i punkt %(item)s fra %(name)s er ikke gemt: %(name)s "
                    "er ikke mødedeltager."
                )
                % {"item": _label(item), "name": dissent.name or "?"}
            )
            continue
        services.dissent_add(item=agenda_item, person=person, text=dissent.text, by=by)
    return tuple(notes)


def _unstored_record(document: s.Document) -> tuple[str, ...]:
    """Approvals and addenda read from published minutes: an import does not approve
    minutes on the members' behalf, nor correct approved ones, so they are not stored;
    the notes name each one so that nothing is lost unseen."""
    notes = [
        _(
            "Godkendelse på underskriftssiden er ikke gemt (en indlæsning godkender ikke): "
            "%(name)s %(when)s"
        )
        % {"name": signature.name, "when": f"{signature.signed_at:%d-%m-%Y %H:%M}"}
        for signature in document.signatures
        if signature.signed_at is not None
    ]
    notes += [
        _("Tilføjelse i punkt %(item)s af %(author)s %(when)s er ikke gemt: %(text)s")
        % {
            "item": _label(item),
            "author": addendum.author,
            "when": f"{addendum.date:%d-%m-%Y %H:%M}",
            "text": addendum.text,
        }
        for item in document.items
        for addendum in item.addenda
    ]
    return tuple(notes)


def _label(item: s.Item) -> str:
    return number_label(item.number, item.sub_number) or item.title


def _detect_numbering(meeting: Meeting, document: s.Document, by: Actor) -> tuple[str, ...]:
    """The numbering scheme read from the archive: a meeting whose numbers another meeting
    of the same year has already used means the organization starts again at every meeting
    (Greve). An imported archive is never refused for two meetings with an item 1."""
    organization = meeting.organization
    if organization.numbering == ItemNumbering.PER_MEETING:
        return ()
    numbers = {(i.number, i.sub_number) for i in document.items if i.number is not None}
    used = set(
        numbering_scope(meeting)
        .exclude(meeting_id=meeting.pk)
        .filter(number__in={n for n, _sub in numbers})
        .values_list("number", "sub_number")
    )
    if not numbers & used:
        return ()
    note = _(
        "%(organization)s nummererer punkterne forfra ved hvert møde (mødet %(day)s genbruger "
        "punktnumre fra %(year)s); indstillingen er ændret."
    ) % {
        "organization": organization,
        "day": f"{meeting.day:%d-%m-%Y}",
        "year": meeting.start.year,
    }
    services.organization_set_numbering(
        organization=organization, numbering=ItemNumbering.PER_MEETING, by=by, reason=note
    )
    return (note,)


def _record_as_held(meeting: Meeting, by: Actor, written: Written) -> None:
    """Minutes describe a meeting that took place: it goes to published minutes in one
    step, checked as the office's steps are, so the stored meeting is what the office
    would have produced."""
    services.meeting_publish_imported_minutes(meeting=meeting, by=by, written=written.minutes)


VOTES = {"for": VoteChoice.FOR, "imod": VoteChoice.AGAINST, "undlod": VoteChoice.ABSTAIN}


def _votes(agenda_item: AgendaItem, item: s.Item, by: Actor) -> None:
    """Each named member's vote, when every name is a member of the committee (a mirror of
    gremium's own OParl gives them so). Minutes that name voters otherwise, or parties
    alone, keep their votes in the decision's text, as before."""
    lines = [(VOTES.get(line.choice.casefold()), line.names) for line in item.votes]
    names = [name for _choice, line_names in lines for name in line_names]
    if not names or any(c is None for c, _n in lines):
        return  # most items: no query for the committee's voters
    voters = Person.objects.filter(
        memberships__organization=agenda_item.organization_id, memberships__voting_right=True
    ).exclude(name__in=(*item.absent, *item.conflicts))
    members = {p.name: p for p in voters}
    if not set(names) <= set(members):
        return
    for choice, line_names in lines:
        for name in line_names:
            assert choice is not None
            services.vote_record(item=agenda_item, person=members[name], choice=choice, by=by)


def _members(
    body: Body, organization: Organization, participants: tuple[s.Participant, ...]
) -> dict[str, Person]:
    """Each participant's person, by name, with a seat on the committee: found, or made
    with the role and party the first mention of the name gives. Two queries for a
    meeting whose people are known already, whatever their number."""
    names = {p.name for p in participants}
    people: dict[str, Person] = {}
    for person in Person.objects.filter(body=body, name__in=names).order_by("name", "pk"):
        people.setdefault(person.name, person)
    seated = set(
        Membership.objects.filter(
            organization=organization, person__in=list(people.values())
        ).values_list("person_id", flat=True)
    )
    for participant in participants:
        if participant.name not in people:
            people[participant.name] = Person.objects.create(body=body, name=participant.name)
        person = people[participant.name]
        if person.pk not in seated:
            seated.add(person.pk)
            Membership.objects.create(
                person=person,
                organization=organization,
                role=ROLES.get(participant.role.casefold(), MembershipRole.MEMBER),
                party=participant.party,
                voting_right=participant.role.casefold() != "stedfortræder",
            )
    return {p.name: people[p.name] for p in participants}


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)
