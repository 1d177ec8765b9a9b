"""The Atom feeds of new agendas and minutes, read back with feedparser, and the
sitemap: both list public meetings only, and the pages announce the feeds."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.utils import timezone

from gremium.meetings import services
from gremium.meetings.models import DecisionOutcome, Meeting
from tests.factories import MeetingFactory, OrganizationFactory
from tests.test_calendars import at, published

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read_feed(client, url: str):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def with_minutes(actor, meeting: Meeting) -> Meeting:  # type: ignore[no-untyped-def]
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    for item in meeting.items.all():
        services.decision_record(item=item, outcome=DecisionOutcome.NOTED, text="", by=actor)
    return services.meeting_publish_minutes(meeting=meeting, by=actor)


def page(meeting: Meeting) -> str:
    return f"http://testserver/moeder/{meeting.pk}/"


def test_body_feed_holds_agendas_and_minutes_newest_first(client, actor):
    committee = OrganizationFactory(name="Skoleudvalget")
    first = published(actor, committee, at(2026, 3, 2))
    second = published(actor, committee, at(2026, 3, 9))
    first = with_minutes(actor, first)
    MeetingFactory(organization=committee)  # planned: not in any feed
    feed = read_feed(client, "/feed.atom")
    entries = [(e.link, e.title.split(":")[0]) for e in feed.entries]
    assert entries == [
        (page(first), "Referat"),
        (page(second), "Dagsorden"),
        (page(first), "Dagsorden"),
    ]
    newest = feed.entries[0]
    assert newest.title == "Referat: Skoleudvalget, mandag d. 02. marts 2026 kl. 16:00"
    published_at = dt.datetime(*newest.updated_parsed[:6], tzinfo=dt.UTC)
    assert published_at == first.minutes_published_at.replace(microsecond=0)
    assert len({e.id for e in feed.entries}) == 3
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries)


def test_feed_holds_only_the_newest_entries(client, actor, settings):
    settings.GREMIUM_FEED_ENTRIES = 2
    committee = OrganizationFactory()
    meetings = [published(actor, committee, at(2026, 3, n)) for n in (2, 3, 4)]
    feed = read_feed(client, "/feed.atom")
    assert [e.link for e in feed.entries] == [page(meetings[2]), page(meetings[1])]


def test_entry_ids_do_not_depend_on_the_host(client, actor, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    published(actor, OrganizationFactory(), at(2026, 3, 2))
    here = read_feed(client, "/feed.atom").entries[0].id
    client.defaults["HTTP_HOST"] = "localhost"
    assert read_feed(client, "/feed.atom").entries[0].id == here


def test_committee_feed_holds_its_own_meetings(client, actor):
    committee, other = OrganizationFactory(), OrganizationFactory()
    own = published(actor, committee, at(2026, 3, 2))
    published(actor, other, at(2026, 3, 3))
    feed = read_feed(client, f"/udvalg/{committee.slug}/feed.atom")
    assert [e.link for e in feed.entries] == [page(own)]
    assert committee.name in feed.feed.title
    assert client.get("/udvalg/findes-ikke/feed.atom").status_code == 404


def test_pages_announce_the_feeds(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    home = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/feed.atom"' in home
    html = client.get(f"/moeder/{meeting.pk}/").content.decode()
    committee_feed = f'href="/udvalg/{meeting.organization.slug}/feed.atom"'
    assert f'<link rel="alternate" type="application/atom+xml" {committee_feed}' in html
    assert read_feed(client, f"/udvalg/{meeting.organization.slug}/feed.atom").entries


def test_sitemap_lists_public_meeting_pages_with_their_last_change(client, actor):
    committee = OrganizationFactory()
    shown = published(actor, committee, at(2026, 3, 2))
    planned = MeetingFactory(organization=committee)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    urls = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.iter(f"{SITEMAP}url")
    }
    meetings = {url for url in urls if "/moeder/" in url}
    assert meetings == {page(shown)}
    assert set(urls) - meetings == {f"http://testserver/udvalg/{committee.slug}/"}
    assert page(planned) not in urls
    assert urls[page(shown)] == f"{timezone.localdate(shown.modified):%Y-%m-%d}"


def test_a_committees_name_is_text_in_the_feed(client, actor):
    published(actor, OrganizationFactory(name="Børn & <b>Unge</b>"), at(2026, 3, 2))
    (entry,) = read_feed(client, "/feed.atom").entries
    assert entry.title.startswith("Dagsorden: Børn & <b>Unge</b>, mandag")
    assert "<b>" not in entry.summary and "&lt;b&gt;Unge&lt;/b&gt;" in entry.summary


def test_committee_and_person_pages_offer_their_calendar_and_feed(client, db, actor):
    from tests.factories import MembershipFactory

    membership = MembershipFactory()
    organization, person = membership.organization, membership.person
    page = client.get(f"/udvalg/{organization.slug}/").content.decode()
    assert f'href="/udvalg/{organization.slug}/kalender.ics"' in page
    assert f'href="/udvalg/{organization.slug}/feed.atom"' in page
    assert 'type="application/atom+xml"' in page
    person_page = client.get(f"/personer/{person.pk}/").content.decode()
    assert f'href="/personer/{person.pk}/kalender.ics"' in person_page
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/udvalg/{organization.slug}/</loc>" in sitemap
