"""A public meeting as the public sees it: the public variant of its agenda or minutes.

Every word the API prints about a meeting and its items comes from that document, built by
the one builder the portal and the PDFs use (`documents.build.build_document`), so the API
can show no more than the portal: a closed item arrives as number and public title only.
The document names no database rows, so its items are matched to the rows here: by item
number (unique within a meeting), and unnumbered items by their position among the
unnumbered. A row the document lacks is shown without content.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse

from gremium.documents.build import build_document
from gremium.lib import document_structure as s
from gremium.meetings.access import document_kind
from gremium.meetings.minutes import current_minutes_version
from gremium.meetings.models import AgendaItem, Meeting
from gremium.oparl.kinds import KINDS
from gremium.oparl.visibility import persons
from gremium.papers.models import Attachment


@dataclass
class PublicMeeting:
    meeting: Meeting
    document: s.Document
    rows: list[AgendaItem]
    items: dict[int, s.Item]  # row id → the row's item in the public document
    # The attachments the public document lists, by row id of their item.
    files: dict[int, list[Attachment]] = field(default_factory=dict)
    # A name as the document prints it → the person, where only one person has that name
    # and the API shows the person.
    person_ids: dict[str, int] = field(default_factory=dict)

    def position(self, row: AgendaItem) -> int:
        """The row's place in the meeting, from 0 (OParl's `order`)."""
        return next((n for n, mine in enumerate(self.rows) if mine.pk == row.pk), len(self.rows))

    def row(self, row: AgendaItem) -> AgendaItem:
        """The record's own copy of the row (it carries what the record matched to it);
        the row itself for one added since the record was built."""
        return next((mine for mine in self.rows if mine.pk == row.pk), row)


def public_meeting(meeting: Meeting) -> PublicMeeting:
    """The meeting's public document and its rows; the meeting must be public."""
    document = build_document(meeting, kind=document_kind(meeting), audience=s.Audience.PUBLIC)
    rows = list(
        KINDS["agendaItem"]
        .annotated()
        .filter(meeting=meeting)
        .select_related("consultation")
        .order_by("order", "pk")
    )
    items = _match(rows, document.items)
    return PublicMeeting(
        meeting=meeting,
        document=document,
        rows=rows,
        items=items,
        files=_files(rows, items),
        person_ids=_person_ids(meeting),
    )


def _match(rows: list[AgendaItem], items: tuple[s.Item, ...]) -> dict[int, s.Item]:
    by_number = {(i.number, i.sub_number): i for i in items if i.number is not None}
    unnumbered = iter([item for item in items if item.number is None])
    matched: dict[int, s.Item] = {}
    for row in rows:
        found = (
            by_number.get((row.number, row.sub_number))
            if row.number is not None
            else next(unnumbered, None)
        )
        if found is not None:
            matched[row.pk] = found
    return matched


def _files(rows: list[AgendaItem], items: dict[int, s.Item]) -> dict[int, list[Attachment]]:
    """Per item, the attachments its public document item links to, in that order. The
    document links a file only when the public may download it."""
    stored = (
        KINDS["attachment"].annotated().filter(agenda_item__in=rows).select_related("agenda_item")
    )
    by_url = {reverse("portal:attachment", args=[a.pk]): a for a in stored}
    files: dict[int, list[Attachment]] = {}
    for row in rows:
        item = items.get(row.pk)
        if item is None or not row.public:
            continue
        found = [by_url[ref.url] for ref in item.attachments if ref.public and ref.url in by_url]
        files[row.pk] = found
    return files


def _person_ids(meeting: Meeting) -> dict[str, int]:
    """Names the document prints → person ids. The kept minutes hold each participant's
    name as it stood; before that the names are today's."""
    version = current_minutes_version(meeting)
    if version is not None:
        pairs = [(str(name), int(pk)) for pk, name in version.participant_names.items()]
    else:
        rows = meeting.attendances.select_related("person")
        pairs = [(a.person.name, a.person_id) for a in rows]
    counts = Counter(name for name, _pk in pairs)
    shown = set(persons().filter(pk__in=[pk for _name, pk in pairs]).values_list("pk", flat=True))
    return {name: pk for name, pk in pairs if counts[name] == 1 and pk in shown}
