"""Storing imported meetings in bulk: the minutes frozen from the rows just written are
the minutes the database holds, and each meeting costs the same few queries however many
are stored before it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gremium.audit.models import AuditRecord
from gremium.audit.services import Actor, one_transaction
from gremium.demo.seed import seed_document
from gremium.lib import document_structure as s
from gremium.lib.document_json import document_to_dict
from gremium.lib.errors import DomainError
from gremium.meetings.from_document import meeting_store_document
from gremium.meetings.minutes import live_minutes, minutes_fingerprint
from gremium.meetings.models import AgendaItem, Meeting, MinutesVersion

BY = Actor.system("test")


def _minutes(start: dt.datetime, items: int = 4) -> s.Document:
    decision = s.Decision("Teknikudvalget", start.date(), "Godkendt", "Godkendt.")
    people = (
        s.Participant("Anne Holm", "formand", "A"),
        s.Participant("Bo Ek", "medlem", "V", absent=True),
        s.Participant("Carl Dahl", "medlem", "Ø"),
        s.Participant("Dorte Ry", "stedfortræder", "V", substitute_for="Bo Ek"),
    )
    rows = []
    for number in range(1, items + 1):
        rows.append(
            s.Item(
                number=number,
                title=f"  Sag {number} om vejen  ",
                reference=f"25/{100 + number % 2}",  # two items share a case
                public=number != 2,
                sections=(s.Section("Sagsresume", "Tekst."), s.Section(" ", " ")),
                decision=decision
                if number != 3
                else s.Decision("Teknikudvalget", None, "", "Drøftet, ingen beslutning."),
                absent=("Carl Dahl", "Anne Holm") if number == 1 else ("Carl Dahl",),
                conflicts=("Anne Holm",) if number == 4 else (),
                attachments=(
                    s.AttachmentRef("Bilag 1.pdf", mime_type="application/pdf", size=12),
                    s.AttachmentRef("Kort", public=False, source_url="https://example.org/k"),
                ),
            )
        )
    return s.Document(
        kind=s.DocumentKind.MINUTES,
        audience=s.Audience.PUBLIC,
        body_name="Testkommune",
        organization_name="Teknikudvalget",
        start=start,
        location="Rådhuset",
        participants=people,
        items=tuple(rows),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("document", [seed_document(), _minutes(dt.datetime(2020, 3, 4, 17))])
def test_the_frozen_minutes_of_an_import_are_the_minutes_the_database_holds(document):
    meeting = meeting_store_document(document=document, by=BY, detect_numbering=True).meeting
    version = MinutesVersion.objects.get(meeting=meeting)
    live = live_minutes(meeting)
    content = dict(version.content)
    assert version.sha256 == minutes_fingerprint(live)
    assert content == document_to_dict(
        s.Document(**{**live.__dict__, "signatures": (), "approved": False, "logo_path": ""})
    )
    names = {str(a.person_id): a.person.name for a in meeting.attendances.all()}
    assert version.participant_names == names


@pytest.mark.django_db
def test_a_replaced_meeting_is_frozen_anew_from_what_was_written():
    start = dt.datetime(2020, 3, 4, 17)
    first = meeting_store_document(document=_minutes(start, items=3), by=BY).meeting
    again = meeting_store_document(document=_minutes(start, items=5), by=BY, replace=True)
    assert again.meeting.pk == first.pk
    newest = MinutesVersion.objects.filter(meeting=first).order_by("-number").first()
    assert newest.number == 2
    assert newest.sha256 == minutes_fingerprint(live_minutes(first))
    assert len(newest.content["items"]) == 5


@pytest.mark.django_db
def test_storing_a_meeting_costs_the_same_queries_however_many_came_before():
    counts = []
    for index in range(8):
        start = dt.datetime(2020, 1, 6, 17) + dt.timedelta(days=14 * index)
        with CaptureQueriesContext(connection) as queries:
            meeting_store_document(document=_minutes(start), by=BY, detect_numbering=True)
        counts.append(_statements(queries.captured_queries))
    # The first meeting creates the body, committee and people; the second switches the
    # committee to numbering per meeting (both meetings have an item 1). From then on
    # every meeting of the same shape costs the same, and few: not one per row.
    assert len(set(counts[2:])) == 1, counts
    assert counts[-1] <= 36, counts


def _statements(queries: list[dict[str, str]]) -> int:
    """Reads and writes; not the transaction's bookkeeping, which differs by database
    (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock, savepoints)."""
    verbs = ("SELECT", "INSERT", "UPDATE", "DELETE")
    return sum(
        1
        for query in queries
        if query["sql"].lstrip().upper().startswith(verbs) and "pg_advisory" not in query["sql"]
    )


def _savepoints(queries: list[dict[str, str]]) -> int:
    return sum(1 for query in queries if query["sql"].lstrip().upper().startswith("SAVEPOINT"))


@pytest.mark.django_db
def test_one_transaction_stores_a_meeting_without_a_savepoint_per_service():
    with CaptureQueriesContext(connection) as alone:
        meeting_store_document(document=_minutes(dt.datetime(2020, 1, 6, 17)), by=BY)
    with CaptureQueriesContext(connection) as joined, one_transaction():
        meeting_store_document(document=_minutes(dt.datetime(2021, 2, 6, 17)), by=BY)
    # The test's own transaction makes one_transaction a savepoint; the services inside
    # it add none of their own (each made one before: the comparison keeps this honest).
    assert _savepoints(alone.captured_queries) > 2
    assert _savepoints(joined.captured_queries) < _savepoints(alone.captured_queries)
    assert _savepoints(joined.captured_queries) <= 2, joined.captured_queries


@pytest.mark.django_db
def test_a_meeting_that_fails_inside_one_transaction_leaves_nothing(monkeypatch):
    from gremium.meetings import from_document

    def refuse(*args, **kwargs):
        raise DomainError("refused after the items were written")

    monkeypatch.setattr(from_document, "_record_as_held", refuse)
    records, meetings = AuditRecord.objects.count(), Meeting.objects.count()
    with pytest.raises(DomainError), one_transaction():
        meeting_store_document(document=_minutes(dt.datetime(2020, 3, 6, 17)), by=BY)
    assert Meeting.objects.count() == meetings
    assert AgendaItem.objects.count() == 0
    assert AuditRecord.objects.count() == records
    # The connection is usable afterwards: the next meeting stores as usual.
    monkeypatch.undo()
    with one_transaction():
        meeting_store_document(document=_minutes(dt.datetime(2020, 4, 6, 17)), by=BY)
    assert Meeting.objects.count() == meetings + 1
