"""Several bodies in one deployment (issue 10.3): the portal lists the bodies and scopes
its front page, archive, search, calendar and feed to one of them; the people of one body
see nothing internal of another.

Two municipalities, each with a committee and a meeting whose agenda is published with an
open and a closed item, and a planned meeting nobody outside its committee may see.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import Meeting
from gremium.organizations.models import Body, Organization
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretaryAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test")


@dataclass
class Municipality:
    body: Body
    committee: Organization
    published: Meeting
    planned: Meeting
    users: dict[str, Any] = field(default_factory=dict)


def _at(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 3, day, 16, 0))


def _municipality(name: str, word: str, day: int) -> Municipality:
    """A body whose texts all carry `word`, so a search tells the bodies apart."""
    body = BodyFactory(name=name)
    committee = OrganizationFactory(body=body, name=f"Økonomiudvalget i {name}")
    meeting = services.meeting_create(organization=committee, start=_at(day), by=ACTOR)
    services.agenda_item_add(
        meeting=meeting,
        title=f"Budget for {word}",
        sections=[("Sagsfremstilling", f"Åbent om {word}budgettet.")],
        by=ACTOR,
    )
    services.agenda_item_add(
        meeting=meeting,
        title=f"Fortrolig {word}sag",
        public=False,
        public_title="Personalesag",
        sections=[("Sagsfremstilling", f"Lukket hemmelig{word} tekst.")],
        by=ACTOR,
    )
    published = services.meeting_publish_agenda(meeting=meeting, by=ACTOR)
    planned = services.meeting_create(organization=committee, start=_at(day + 7), by=ACTOR)
    services.agenda_item_add(
        meeting=planned,
        title=f"Kommende {word}plan",
        sections=[("Sagsfremstilling", f"Upubliceret udkast{word}.")],
        by=ACTOR,
    )
    place = Municipality(body, committee, published, planned)
    member = UserFactory(username=f"medlem-{word}")
    person = PersonFactory(body=body, name=f"Medlem {word.title()}", user=member)
    MembershipFactory(organization=committee, person=person)
    place.users = {
        "member": member,
        "secretary": SecretaryAssignmentFactory(organization=committee).user,
    }
    return place


@pytest.fixture
def two(django_capture_on_commit_callbacks) -> tuple[Municipality, Municipality]:
    with django_capture_on_commit_callbacks(execute=True):
        return (
            _municipality("Aabenraa Kommune", "kvarts", 2),
            _municipality("Tønder Kommune", "marsk", 4),
        )


def _page(client: Client, url: str, status: int = 200, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == status, (url, params, response.status_code)
    return response.content.decode()


def _meeting_ids(html: str) -> set[int]:
    main = html[html.index("<main") :]
    return {int(pk) for pk in re.findall(r'href="/moeder/(\d+)/"', main)}


def test_body_slug_is_kept_when_the_body_is_renamed_and_never_empty():
    body = BodyFactory(name="Æbeltoft Kommune")
    assert body.slug == "aebeltoft-kommune"
    body.name = "Syddjurs Kommune"
    body.save()
    body.refresh_from_db()
    assert body.slug == "aebeltoft-kommune"
    assert BodyFactory(name="§§§").slug == "kommune"
    assert BodyFactory(name="!!!").slug == "kommune-2"


def test_one_body_shows_no_list_of_bodies(client):
    _municipality("Aabenraa Kommune", "kvarts", 2)
    html = _page(client, "/")
    assert "/kommuner/" not in html
    # No body filter in the search form either: nothing to choose between.
    search = _page(client, "/soeg/", q="kvarts")
    assert 'name="kommune"' in search and 'type="hidden" name="kommune"' in search


def test_front_page_lists_the_bodies_and_each_body_page_is_scoped(client, two):
    aabenraa, toender = two
    home = _page(client, "/")
    assert '<a href="/kommuner/aabenraa-kommune/">Aabenraa Kommune</a>' in home
    assert '<a href="/kommuner/toender-kommune/">Tønder Kommune</a>' in home
    assert _meeting_ids(home) == {aabenraa.published.pk, toender.published.pk}

    page = _page(client, "/kommuner/aabenraa-kommune/")
    assert _meeting_ids(page) == {aabenraa.published.pk}
    assert aabenraa.committee.name in page and toender.committee.name not in page
    assert 'href="/kommuner/aabenraa-kommune/feed.atom"' in page
    assert 'href="/kommuner/aabenraa-kommune/kalender.ics"' in page
    assert 'name="kommune" value="aabenraa-kommune"' in page  # its search box stays inside
    _page(client, "/kommuner/ingen-kommune/", status=404)


def test_archive_filters_by_body_and_refuses_what_does_not_exist(client, two):
    aabenraa, toender = two
    assert _meeting_ids(_page(client, "/moeder/")) == {aabenraa.published.pk, toender.published.pk}
    scoped = _page(client, "/moeder/", kommune="toender-kommune")
    assert _meeting_ids(scoped) == {toender.published.pk}
    assert aabenraa.committee.name not in scoped  # the committee choice is scoped too
    missing = _page(client, "/moeder/", status=404, kommune="ingen")
    assert "»ingen« (kommune=)" in missing
    wrong = _page(
        client, "/moeder/", status=404, kommune="toender-kommune", udvalg=aabenraa.committee.slug
    )
    assert "hører ikke til Tønder Kommune" in wrong


def _search_titles(client: Client, **params: str) -> str:
    html = _page(client, "/soeg/", **params)
    found = re.search(r'<ol class="search-results".*?</ol>', html, re.S)
    return found.group(0).replace("<mark>", "").replace("</mark>", "") if found else ""


def test_search_scoped_to_a_body(client, two):
    both = _search_titles(client, q="budget")
    assert "Budget for kvarts" in both and "Budget for marsk" in both
    one = _search_titles(client, q="budget", kommune="toender-kommune")
    assert "Budget for marsk" in one and "Budget for kvarts" not in one
    # People belong to their body too.
    people = _search_titles(client, q="medlem", kommune="aabenraa-kommune", type="person")
    assert "Medlem Kvarts" in people and "Medlem Marsk" not in people
    # A committee of another body is a contradiction the reader is told about.
    html = _page(
        client, "/soeg/", q="budget", kommune="toender-kommune", udvalg=two[0].committee.slug
    )
    assert "Udvalget hører ikke til den valgte kommune." in html


def test_calendar_and_feed_of_a_body_hold_only_its_meetings(client, two):
    aabenraa, toender = two
    ics = _page(client, "/kommuner/aabenraa-kommune/kalender.ics")
    assert aabenraa.committee.name in ics and toender.committee.name not in ics
    feed = _page(client, "/kommuner/toender-kommune/feed.atom")
    assert f"/moeder/{toender.published.pk}/" in feed
    assert f"/moeder/{aabenraa.published.pk}/" not in feed
    assert "<title>Nye dagsordener og referater – Tønder Kommune</title>" in feed
    everything = _page(client, "/feed.atom")
    assert f"/moeder/{toender.published.pk}/" in everything
    assert f"/moeder/{aabenraa.published.pk}/" in everything
    _page(client, "/kommuner/ingen/feed.atom", status=404)
    sitemap = _page(client, "/sitemap.xml")
    assert "/kommuner/aabenraa-kommune/</loc>" in sitemap


@pytest.mark.parametrize("role", ["member", "secretary"])
def test_people_of_one_body_see_nothing_internal_of_another(two, role):
    aabenraa, toender = two
    client = Client()
    client.force_login(aabenraa.users[role])
    # Their own body: the planned meeting and the closed item are theirs to read.
    own = _page(client, f"/moeder/{aabenraa.planned.pk}/")
    assert "Kommende kvartsplan" in own
    assert "hemmeligkvarts" in _page(client, f"/moeder/{aabenraa.published.pk}/")
    # The other body: the planned meeting does not exist for them, the closed item is shut.
    _page(client, f"/moeder/{toender.planned.pk}/", status=404)
    other = _page(client, f"/moeder/{toender.published.pk}/")
    assert "Budget for marsk" in other
    assert "hemmeligmarsk" not in other and "Fortrolig marsksag" not in other
    assert _search_titles(client, q="hemmeligmarsk") == ""
    assert _search_titles(client, q="udkastmarsk") == ""
    assert "Kommende kvartsplan" in _search_titles(client, q="kvartsplan")
    assert toender.planned.pk not in _meeting_ids(_page(client, "/moeder/", aar="2026"))
    # The office lists only the committees the secretary serves.
    if role == "secretary":
        office = _page(client, "/kontor/")
        assert aabenraa.committee.name in office and toender.committee.name not in office
