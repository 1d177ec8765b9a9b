"""The permission matrix for the portal's browsing pages: every role × the archive, the
committee page, item pages, case pages and person pages × open, closed, deleted and
unpublished content (the world of tests/test_permissions.py).

On top of that world: a case treated in the open and in the closed item, a case treated
only in a second closed item, a case on the planned meeting, a decision on the closed item and
a member's conflict of interest in it, all carrying the canaries. The case's own title is
a canary for everyone: the office fills it from an item's internal title.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.minutes import item_key
from gremium.meetings.models import AgendaItem, DecisionOutcome, ItemParticipationKind
from tests.test_permissions import (
    CLOSED_CANARY,
    CLOSED_TITLE_CANARY,
    PLANNED_CANARY,
    READS_HELD,
    READS_PLANNED,
    ROLES,
    _client,
    assert_no_canary,
    world,
)

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the shared fixture
PAPER_NAME_CANARY = "Kanariefugl-sagsnavn-5150"


@dataclass(frozen=True)
class Page:
    url: str
    opens_for: set[str] | None  # None: every role gets 200; else these roles, the rest 404
    shows: str = ""  # what the roles in `shown_to` must find (proves the check can fail)
    shown_to: frozenset[str] = frozenset()


def _paper(world, reference: str, *items: AgendaItem):  # type: ignore[no-untyped-def]
    actor = Actor.system("test")
    body = world.held.organization.body
    paper = services.paper_get_or_create(
        body=body, reference=reference, name=f"{PAPER_NAME_CANARY} {reference}", by=actor
    )
    for item in items:
        item.refresh_from_db()
        services.agenda_item_update(item=item, by=actor, expected_version=item.version, paper=paper)
    return paper


@pytest.fixture
def pages(world) -> list[Page]:
    actor = Actor.system("test")
    held, planned = world.held, world.planned
    open_item = AgendaItem.objects.get(meeting=held, public=True)
    closed = AgendaItem.objects.get(meeting=held, public=False, title__startswith="Personalesag")
    planned_item = planned.items.get()
    services.decision_record(
        item=closed, outcome=DecisionOutcome.APPROVED, text=f"Vedtaget {CLOSED_CANARY}", by=actor
    )
    services.item_participation_add(
        item=closed,
        person=world.users["member"].person,
        kind=ItemParticipationKind.CONFLICT,
        note=CLOSED_CANARY,
        by=actor,
    )
    both = _paper(world, "26/1000", open_item, closed)
    closed_only = _paper(world, "26/2000")
    services.agenda_item_add(
        meeting=held,
        title=f"Tilkøb {CLOSED_TITLE_CANARY}",
        public=False,
        public_title="Lukket punkt",
        paper=closed_only,
        sections=[("Sagsfremstilling", CLOSED_CANARY)],
        by=actor,
    )
    planned_paper = _paper(world, "26/3000", planned_item)
    slug = held.organization.slug
    held_readers, planned_readers = frozenset(READS_HELD), frozenset(READS_PLANNED)
    planned_link = f'href="/moeder/{planned.pk}/punkt/{item_key(planned_item)}/"'
    return [
        Page("/moeder/", None),
        Page(f"/moeder/?udvalg={slug}&aar=2026", None),
        Page(f"/udvalg/{slug}/", None),
        Page(f"/udvalg/{slug}/?aar=2026", None),
        Page(f"/moeder/{held.pk}/punkt/{item_key(open_item)}/", None),
        Page(f"/moeder/{held.pk}/punkt/{item_key(closed)}/", None, CLOSED_CANARY, held_readers),
        Page(
            f"/moeder/{planned.pk}/punkt/{item_key(planned_item)}/",
            READS_PLANNED,
            PLANNED_CANARY,
            planned_readers,
        ),
        Page(f"/sager/{both.pk}/", None, CLOSED_CANARY, held_readers),
        Page(f"/sager/{closed_only.pk}/", READS_HELD, CLOSED_TITLE_CANARY, held_readers),
        Page(f"/sager/{planned_paper.pk}/", READS_PLANNED, planned_link, planned_readers),
        Page(f"/personer/{world.users['member'].person.pk}/", None),
        Page(f"/personer/{world.users['substitute'].person.pk}/", None),
        Page(f"/personer/{world.users['left_since'].person.pk}/", None),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_browse_matrix(world, pages, role):
    client = _client(world, role)
    for page in pages:
        response = client.get(page.url)
        opens = page.opens_for is None or role in page.opens_for
        assert response.status_code == (200 if opens else 404), (role, page.url)
        text = response.content.decode()
        assert_no_canary(role, page.url, text, world)
        assert PAPER_NAME_CANARY not in text, (role, page.url)
        if role not in READS_PLANNED:
            assert f"/moeder/{world.planned.pk}/" not in text, (role, page.url)
        if page.url.startswith("/personer/"):
            # A person page shows memberships only, never what happened in a meeting.
            assert CLOSED_CANARY not in text, (role, page.url)
        if role in page.shown_to:
            assert page.shows in text, (role, page.url)


def test_insiders_find_the_planned_meeting_in_the_committees_lists(world, pages):
    committee = pages[2].url
    for role in READS_PLANNED:
        text = _client(world, role).get(committee).content.decode()
        assert f'href="/moeder/{world.planned.pk}/"' in text, role
