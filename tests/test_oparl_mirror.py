"""`import-oparl`: gremium's own OParl output mirrored into a fresh database renders the
same public minutes; a second run changes nothing; a later run applies changes."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management import call_command

from gremium.documents.build import build_document
from gremium.documents.markdown import render_markdown
from gremium.importers.oparl.mirror import run
from gremium.lib.document_structure import Audience, Document, DocumentKind
from gremium.meetings.models import Meeting
from tests.oparl_mirror import SYSTEM, django_fetch, record, replay


def public_minutes(meeting: Meeting, *, oparl_only: bool = False) -> str:
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    if oparl_only:
        document = _what_oparl_carries(document)
    return render_markdown(document)


def _what_oparl_carries(document: Document) -> Document:
    """OParl has no item texts (sections), statements or addenda, and an attachment known
    by name only (no file, so no URL) is no File: the mirror cannot have them, so the
    source's minutes are compared without them."""
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
    return dataclasses.replace(document, items=items)


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
