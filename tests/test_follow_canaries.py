"""The canary matrix for what the public follows: every role × the feeds, calendars and
the sitemap. These are one document for everyone, so no role, insider or not, may find a
closed item's text or title, a deleted closed item, or anything of a meeting whose agenda
is not published (docs/architecture.md, "Access")."""

from __future__ import annotations

import pytest

from tests.test_permissions import (
    CLOSED_CANARY,
    CLOSED_TITLE_CANARY,
    DELETED_CANARY,
    PLANNED_CANARY,
    ROLES,
    _client,
    world,
)

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the shared fixture
CANARIES = (CLOSED_CANARY, CLOSED_TITLE_CANARY, DELETED_CANARY, PLANNED_CANARY)


def follow_urls(world) -> list[str]:  # type: ignore[no-untyped-def]
    slug = world.held.organization.slug
    people = {user.person.pk for user in world.users.values() if hasattr(user, "person")}
    return [
        "/feed.atom",
        f"/udvalg/{slug}/feed.atom",
        "/kalender.ics",
        f"/udvalg/{slug}/kalender.ics",
        *(f"/personer/{pk}/kalender.ics" for pk in sorted(people)),
        "/sitemap.xml",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_no_feed_calendar_or_sitemap_shows_closed_or_unpublished_content(world, role):
    client = _client(world, role)
    planned_page = f"/moeder/{world.planned.pk}/"
    held_page = f"/moeder/{world.held.pk}/"
    for url in follow_urls(world):
        response = client.get(url)
        assert response.status_code == 200, (role, url)
        text = response.content.decode()
        for canary in CANARIES:
            assert canary not in text, (role, url, canary)
        # The planned meeting is in no list, not even as an address or an id.
        assert planned_page not in text, (role, url)
        assert f"meeting-{world.planned.pk}@" not in text, (role, url)
        if "person" not in url:
            assert held_page in text, (role, url)


def test_the_closed_items_content_is_in_the_internal_page_the_lists_leave_out(world):
    # The canaries are real: a secretary's meeting page shows them.
    page = _client(world, "secretary").get(f"/moeder/{world.held.pk}/").content.decode()
    assert CLOSED_CANARY in page and CLOSED_TITLE_CANARY in page
