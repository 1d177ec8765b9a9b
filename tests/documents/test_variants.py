from __future__ import annotations

import dataclasses

from gremium.documents.markdown import render_markdown
from gremium.documents.variants import make_variant
from gremium.lib.document_structure import AttachmentRef, Audience, DocumentKind

from .conftest import CANARY


def test_public_minutes_show_a_closed_item_as_number_and_title_only(minutes_with_closed_item):
    public = make_variant(minutes_with_closed_item, DocumentKind.MINUTES, Audience.PUBLIC)
    closed = public.items[-1]
    assert (closed.number, closed.title, closed.redacted) == (
        20,
        "Lukket punkt: Køb af ejendom",
        True,
    )
    assert CANARY not in repr(public)


def test_public_markdown_holds_no_text_of_a_closed_item(minutes_with_closed_item):
    public = make_variant(minutes_with_closed_item, DocumentKind.MINUTES, Audience.PUBLIC)
    markdown = render_markdown(public)
    assert "## Punkt 20: Lukket punkt: Køb af ejendom" in markdown
    assert CANARY not in markdown


def test_internal_minutes_keep_the_closed_item(minutes_with_closed_item):
    internal = make_variant(minutes_with_closed_item, DocumentKind.MINUTES, Audience.INTERNAL)
    assert CANARY in render_markdown(internal)


def test_public_variant_drops_non_public_attachments_of_open_items(seed):
    hidden = AttachmentRef(name="Fortroligt bilag", public=False)
    item = dataclasses.replace(seed.items[1], attachments=(*seed.items[1].attachments, hidden))
    document = dataclasses.replace(seed, items=(item,))
    public = make_variant(document, DocumentKind.MINUTES, Audience.PUBLIC)
    assert [a.name for a in public.items[0].attachments] == [
        a.name for a in seed.items[1].attachments
    ]


def test_agenda_drops_decisions_votes_dissents_and_signatures(minutes_with_closed_item):
    agenda = make_variant(minutes_with_closed_item, DocumentKind.AGENDA, Audience.INTERNAL)
    assert agenda.signatures == ()
    for item in agenda.items:
        assert (item.decision, item.votes, item.dissents, item.addenda) == (None, (), (), ())
    assert agenda.items[-1].sections == minutes_with_closed_item.items[-1].sections


def test_variant_leaves_its_input_untouched(minutes_with_closed_item):
    before = repr(minutes_with_closed_item)
    make_variant(minutes_with_closed_item, DocumentKind.AGENDA, Audience.PUBLIC)
    assert repr(minutes_with_closed_item) == before
