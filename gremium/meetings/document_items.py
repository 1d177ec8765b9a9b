"""A document's items, sections, cases, attachments, attendance and decisions written in
bulk into a new (or emptied) meeting: a handful of statements per meeting instead of
several per item, and one compact audit record for all of it.

The rules the item services keep are checked here first, on the whole document: a title
on every item, a public title on a closed one, numbers free under the organization's
scheme, a text for a decision without a standard outcome, absences and conflicts only for
participants. Any failure raises `DomainError` before a row is written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record
from gremium.lib import document_structure as s
from gremium.lib.document_json import document_to_dict
from gremium.lib.errors import DomainError
from gremium.lib.item_numbers import number_label
from gremium.meetings.minutes import ItemRows, WrittenMinutes
from gremium.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionOutcome,
    ItemParticipation,
    ItemParticipationKind,
    Meeting,
    Section,
)
from gremium.meetings.services.lifecycle import touch_meeting
from gremium.meetings.services.numbering import numbering_scope
from gremium.organizations.models import Body, Person
from gremium.papers.models import Attachment, Consultation, Paper

OUTCOMES = {str(label).casefold(): value for value, label in DecisionOutcome.choices}


@dataclass(frozen=True)
class Written:
    items: list[AgendaItem]
    counts: dict[str, int]
    # Every row written, by item: what the minutes print, without reading it back.
    minutes: WrittenMinutes


def outcome_of(decision: s.Decision) -> DecisionOutcome:
    return DecisionOutcome(OUTCOMES.get(decision.outcome.casefold(), DecisionOutcome.OTHER))


def document_items_write(
    *, meeting: Meeting, document: s.Document, people: dict[str, Person], by: Actor
) -> Written:
    """Write the document's content into `meeting` (which has no items yet). Decisions
    are written only for minutes. Call inside the store's write transaction."""
    _check(meeting, document, people)
    papers = _papers(meeting.organization.body, document)
    items = _items(meeting, document, papers)
    attendances = _attendances(meeting, document, people)
    sections = _sections(items, document)
    attachments = _attachments(items, document, papers)
    participations = _participations(items, document, people)
    decisions = _decisions(items, document)
    counts = {
        "items": len(items),
        "attendances": len(attendances),
        "sections": len(sections),
        "consultations": _consultations(items, document, papers),
        "attachments": len(attachments),
        "participations": len(participations),
        "decisions": len(decisions),
    }
    audit_record(
        by=by,
        action="meeting.import",
        obj=meeting,
        meeting_id=meeting.pk,
        before=None,
        # What was written, compactly: how many of each, and the digest of the document
        # it came from (its full text is the meeting's own record, not the log's).
        after={**{k: v for k, v in counts.items() if v}, "document_sha256": _digest(document)},
    )
    touch_meeting(meeting)
    rows = [
        ItemRows(
            item,
            sections=[x for x in sections if x.agenda_item is item],
            participations=_in_database_order(item, participations),
            attachments=[x for x in attachments if x.agenda_item is item],
            decision=next((x for x in decisions if x.agenda_item is item), None),
        )
        for item in items
    ]
    return Written(items, counts, WrittenMinutes(attendances, rows))


def _in_database_order(
    item: AgendaItem, participations: list[ItemParticipation]
) -> list[ItemParticipation]:
    """The item's participations as the database orders them (kind, then the person's
    name). Two names of one kind would be ordered by the database's collation, which
    Python cannot know: those are read back."""
    mine = [x for x in participations if x.agenda_item is item]
    kinds = [x.kind for x in mine]
    if len(set(kinds)) == len(kinds):
        return sorted(mine, key=lambda x: x.kind)
    return list(item.participations.select_related("person"))


def _digest(document: s.Document) -> str:
    canonical = json.dumps(document_to_dict(document), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _where(item: s.Item) -> str:
    label = number_label(item.number, item.sub_number)
    return _("Punkt %(number)s") % {"number": label} if label else item.title[:60]


def _check(meeting: Meeting, document: s.Document, people: dict[str, Person]) -> None:
    for item in document.items:
        _check_item(item, people)
    _check_numbers(meeting, document)


def _check_item(item: s.Item, people: dict[str, Person]) -> None:
    if not item.title.strip():
        raise DomainError(_("Et punkt uden titel (efter %(where)s).") % {"where": _where(item)})
    if item.sub_number is not None and item.number is None:
        raise DomainError(_("Et underpunkt skal have et punktnummer."))
    decision = item.decision
    if decision and outcome_of(decision) == DecisionOutcome.OTHER and not decision.text.strip():
        raise DomainError(
            _("%(where)s: en beslutning uden standardudfald skal have en tekst.")
            % {"where": _where(item)}
        )
    for name in (*item.absent, *item.conflicts):
        if name not in people:
            raise DomainError(
                _("%(where)s nævner %(name)s, som ikke er mødedeltager.")
                % {"where": _where(item), "name": name}
            )


def _check_numbers(meeting: Meeting, document: s.Document) -> None:
    numbers = [(i.number, i.sub_number) for i in document.items if i.number is not None]
    twice = [key for key, count in Counter(numbers).items() if count > 1]
    if twice:
        raise DomainError(
            _("Punkt %(number)s står to gange i dokumentet.") % {"number": number_label(*twice[0])}
        )
    taken = set(
        numbering_scope(meeting)
        .filter(number__in={n for n, _sub in numbers})
        .values_list("number", "sub_number")
    )
    clash = next((key for key in numbers if key in taken), None)
    if clash is not None:
        raise DomainError(
            _("Punkt %(number)s findes allerede i %(year)s hos %(organization)s.")
            % {
                "number": number_label(*clash),
                "year": meeting.start.year,
                "organization": meeting.organization,
            }
        )


def _papers(body: Body, document: s.Document) -> dict[str, Paper]:
    references = {item.reference for item in document.items if item.reference}
    found = {p.reference: p for p in Paper.objects.filter(body=body, reference__in=references)}
    missing = [Paper(body=body, reference=r) for r in sorted(references - set(found))]
    for paper in Paper.objects.bulk_create(missing):
        found[paper.reference] = paper
    return found


def _items(meeting: Meeting, document: s.Document, papers: dict[str, Paper]) -> list[AgendaItem]:
    rows = [
        AgendaItem(
            meeting=meeting,
            organization_id=meeting.organization_id,
            year=meeting.start.year,
            number=item.number,
            sub_number=item.sub_number,
            numbering=meeting.organization.numbering,
            order=order,
            title=item.title.strip(),
            public=item.public,
            # A closed item's own title is internal: without a public one it gets the neutral.
            public_title=(item.public_title or ("" if item.public else s.CLOSED_TITLE)).strip(),
            paper=papers.get(item.reference),
            decision_required=item.decision is not None,
        )
        for order, item in enumerate(document.items, start=1)
    ]
    return AgendaItem.objects.bulk_create(rows)


def _sections(items: list[AgendaItem], document: s.Document) -> list[Section]:
    rows = [
        Section(agenda_item=row, order=order, heading=x.heading.strip(), body=x.body)
        for row, item in zip(items, document.items, strict=True)
        # An empty section (no heading, no text) holds nothing to keep.
        for order, x in enumerate(
            (x for x in item.sections if x.heading.strip() or x.body.strip()), start=1
        )
    ]
    return Section.objects.bulk_create(rows)


def _consultations(items: list[AgendaItem], document: s.Document, papers: dict[str, Paper]) -> int:
    rows = [
        Consultation(paper=papers[item.reference], organization_id=row.organization_id,
                     agenda_item=row)
        for row, item in zip(items, document.items, strict=True)
        if item.reference
    ]  # fmt: skip
    return len(Consultation.objects.bulk_create(rows))


def _attachments(
    items: list[AgendaItem], document: s.Document, papers: dict[str, Paper]
) -> list[Attachment]:
    rows = [
        Attachment(
            agenda_item=row,
            paper=papers.get(item.reference),
            order=order,
            name=ref.name,
            public=ref.public,
            mime_type=ref.mime_type,
            size=ref.size,
            sha256=ref.sha256,
            source_url=ref.source_url,
        )
        for row, item in zip(items, document.items, strict=True)
        for order, ref in enumerate(item.attachments, start=1)
    ]
    return Attachment.objects.bulk_create(rows)


def _attendances(
    meeting: Meeting, document: s.Document, people: dict[str, Person]
) -> list[Attendance]:
    rows = []
    for participant in document.participants:
        replaced = people.get(participant.substitute_for) if participant.substitute_for else None
        status = AttendanceStatus.ABSENT if participant.absent else AttendanceStatus.PRESENT
        rows.append(
            Attendance(
                meeting=meeting,
                person=people[participant.name],
                status=AttendanceStatus.SUBSTITUTE if replaced else status,
                substitute_for=replaced,
            )
        )
    # The same name twice in the list of participants is one person's attendance.
    unique = {row.person_id: row for row in rows}  # type: ignore[attr-defined]
    return Attendance.objects.bulk_create(list(unique.values()))


def _participations(
    items: list[AgendaItem], document: s.Document, people: dict[str, Person]
) -> list[ItemParticipation]:
    rows = {
        (row.pk, people[name].pk, kind): ItemParticipation(
            agenda_item=row, person=people[name], kind=kind
        )
        for row, item in zip(items, document.items, strict=True)
        for kind, names in (
            (ItemParticipationKind.ABSENT, item.absent),
            (ItemParticipationKind.CONFLICT, item.conflicts),
        )
        for name in names
    }
    return ItemParticipation.objects.bulk_create(list(rows.values()))


def _decisions(items: list[AgendaItem], document: s.Document) -> list[Decision]:
    if document.kind is not s.DocumentKind.MINUTES:
        return []
    rows = [
        Decision(
            agenda_item=row, outcome=outcome_of(item.decision), text=item.decision.text.strip()
        )
        for row, item in zip(items, document.items, strict=True)
        if item.decision is not None
    ]
    return Decision.objects.bulk_create(rows)
