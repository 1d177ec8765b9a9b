"""`import-oparl`: gremium's own OParl output mirrored into a fresh database renders the
same public minutes; a second run changes nothing; a later run applies changes."""

from __future__ import annotations

import dataclasses
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from gremium.audit.models import AuditRecord
from gremium.audit.services import Actor
from gremium.documents.build import build_document
from gremium.documents.markdown import render_markdown
from gremium.importers.oparl.mirror import run
from gremium.lib.document_structure import Audience, Document, DocumentKind
from gremium.meetings import services
from gremium.meetings.access import public_meetings_q
from gremium.meetings.models import ItemParticipation, Meeting, MeetingState, Vote
from gremium.papers.models import Attachment
from tests.oparl_archive import generate
from tests.oparl_mirror import SYSTEM, django_fetch, record, replay

BY = Actor.system("test")


def public_minutes(meeting: Meeting, *, oparl_only: bool = False) -> str:
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    if oparl_only:
        document = _what_oparl_carries(document)
    return render_markdown(document)


def _what_oparl_carries(document: Document) -> Document:
    """OParl has no item texts (sections), statements, addenda or members' approvals (the
    approved minutes are a File), and an attachment known by name only (no file, so no
    URL) is no File: the mirror cannot have them, so the source's minutes are compared
    without them."""
    items = tuple(
        dataclasses.replace(
            i,
            sections=(),
            dissents=(),
            addenda=(),
            attachments=tuple(a for a in i.attachments if a.url),
        )
        for i in document.items
    )
    return dataclasses.replace(document, items=items, signatures=(), approved=False)


@pytest.mark.django_db(transaction=True)
def test_the_demo_mirrored_renders_the_same_public_minutes(demo_meeting, client):
    expected = public_minutes(demo_meeting, oparl_only=True)
    answers = record(django_fetch(client))
    call_command("flush", interactive=False, verbosity=0)

    result = run(SYSTEM, replay(answers), backoff=0)

    assert [str(p) for p in result.problems.items] == []
    (meeting,) = Meeting.objects.all()
    got = public_minutes(meeting)
    import difflib

    print("\n".join(difflib.unified_diff(expected.splitlines(), got.splitlines(), lineterm="")))
    assert got == expected


def _minutes_by_meeting() -> dict[tuple[str, object], str]:
    return {
        (m.organization.name, m.start): public_minutes(m, oparl_only=True)
        for m in Meeting.objects.filter(public_meetings_q()).select_related("organization")
    }


@pytest.mark.django_db(transaction=True)
def test_an_archive_mirrored_then_again_then_its_changes(client):
    generate(12, pdfs=0)
    fetch = django_fetch(client)
    quiet = timezone.localtime().isoformat(timespec="seconds")
    before = _minutes_by_meeting()
    first, unchanged = record(fetch), record(fetch, since=quiet)
    # The source changes: an item is added to a published agenda, a meeting is deleted.
    agendas = list(Meeting.objects.filter(state=MeetingState.AGENDA_PUBLISHED).order_by("pk"))
    changed_at = timezone.localtime().isoformat(timespec="seconds")
    time.sleep(1.1)
    services.agenda_item_add(meeting=agendas[0], title="Nyt punkt om cykelstier", by=BY)
    gone = (agendas[1].organization.name, agendas[1].start)
    services.meeting_delete(meeting=agendas[1], by=BY)
    after = _minutes_by_meeting()
    later, changes = record(fetch), record(fetch, since=changed_at)
    call_command("flush", interactive=False, verbosity=0)

    result = run(SYSTEM, replay(first), backoff=0)
    assert [str(p) for p in result.problems.items] == []
    assert _mirrored_minutes() == before
    assert Vote.objects.exists() and ItemParticipation.objects.exists()  # the extension's
    audit_count = AuditRecord.objects.count()

    again = run(SYSTEM, replay(first, unchanged), backoff=0)
    assert again.incremental_lists == again.lists > 0
    assert again.tally.changed() == 0 and again.problems.items == []
    full_again = run(SYSTEM, replay(first), full=True, backoff=0)
    assert full_again.tally.changed() == 0 and full_again.problems.items == []
    assert AuditRecord.objects.count() == audit_count  # nothing was written

    incremental = run(SYSTEM, replay(later, changes), backoff=0)
    assert [str(p) for p in incremental.problems.items] == []
    assert incremental.tally.counts[("Meeting", "deleted")] == 1
    assert incremental.tally.counts[("Meeting", "updated")] >= 1
    mirrored = _mirrored_minutes()
    assert gone not in mirrored
    assert mirrored == after
    assert "Nyt punkt om cykelstier" in "".join(mirrored.values())


def _mirrored_minutes() -> dict[tuple[str, object], str]:
    return {
        (m.organization.name, m.start): public_minutes(m)
        for m in Meeting.objects.select_related("organization")
    }


@pytest.mark.django_db(transaction=True)
def test_files_are_kept_with_files_and_checked_like_uploads(client):
    generate(6, pdfs=0)
    public = {
        a.sha512
        for a in Attachment.objects.filter(public=True, agenda_item__public=True)
        .filter(agenda_item__meeting__in=Meeting.objects.filter(public_meetings_q()))
        .exclude(file="")
    }
    answers = record(django_fetch(client), files=True)
    call_command("flush", interactive=False, verbosity=0)

    result = run(SYSTEM, replay(answers), files=True, backoff=0)
    assert [str(p) for p in result.problems.items] == []
    kept = Attachment.objects.exclude(file="")
    assert public and {a.sha512 for a in kept} == public
    assert not Attachment.objects.filter(file="").exists()

    again = run(SYSTEM, replay(answers), files=True, full=True, backoff=0)
    assert again.tally.changed() == 0 and again.problems.items == []
    assert again.requests < result.requests  # no file fetched twice
