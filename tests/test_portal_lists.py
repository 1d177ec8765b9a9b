"""The portal's lists: the front page, the archive and a committee's meetings.

Over a generated archive of 2,000 meetings, following the archive's "older" links from its
first page reaches every public meeting exactly once, and no other; the front page and an
archive page make as many queries for 2,000 meetings as for 10.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.listings import PAGE_SIZE
from gremium.meetings.models import Meeting, MeetingState
from tests.archive_data import generate_archive, public_ids
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
MEETING_LINK = re.compile(r'href="/moeder/(\d+)/"')
OLDER_LINK = re.compile(r'<a rel="next" href="([^"]+)"')
NEWER_LINK = re.compile(r'<a rel="prev" href="([^"]+)"')


def _organizations(n: int = 3):
    return [OrganizationFactory(name=f"Udvalg for emne {i}") for i in range(n)]


def _walk(client: Client, url: str, link: re.Pattern[str]) -> tuple[list[int], list[str]]:
    """Follow `link` from `url` to the end: the meetings listed on the way, and the pages."""
    seen: list[int] = []
    pages: list[str] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        seen += [int(pk) for pk in MEETING_LINK.findall(page[page.index("<main") :])]
        pages.append(url)
        found = link.search(page)
        url = html.unescape(found.group(1)) if found else ""
        assert len(pages) < 500, "the links go round in a circle"
    return seen, pages


def test_following_older_links_reaches_every_public_meeting_once(client):
    generate_archive(2000, _organizations())
    seen, pages = _walk(client, "/moeder/", OLDER_LINK)
    assert len(seen) == len(set(seen)), "a meeting is listed twice"
    assert set(seen) == public_ids()
    assert len(pages) > 2000 * 5 / 7 / PAGE_SIZE  # five of seven generated kinds are public
    # And back: from the oldest page, "newer" links pass the same pages in reverse.
    back, back_pages = _walk(client, pages[-1], NEWER_LINK)
    assert len(back_pages) == len(pages)
    assert sorted(back) == sorted(seen)


def test_each_page_lists_newest_first_and_keeps_the_committee_filter(client):
    organizations = _organizations()
    generate_archive(600, organizations)
    chosen = organizations[1]
    seen, _pages = _walk(client, f"/moeder/?udvalg={chosen.slug}", OLDER_LINK)
    expected = Meeting.objects.filter(pk__in=public_ids(), organization=chosen)
    assert seen == [m.pk for m in expected.order_by("-start", "-pk")]


def test_a_year_holds_the_meetings_of_the_local_year(client):
    generate_archive(2000, _organizations())
    page = client.get("/moeder/?aar=2013").content.decode()
    assert "Møder i 2013, side 1 af" in page
    listed = set()
    for number in range(1, 6):
        page = client.get(f"/moeder/?aar=2013&side={number}").content.decode()
        listed |= {int(pk) for pk in MEETING_LINK.findall(page[page.index("<main") :])}
    new_year = Meeting.objects.get(start=timezone.make_aware(dt.datetime(2013, 1, 1, 0, 30)))
    eve = Meeting.objects.get(start=timezone.make_aware(dt.datetime(2012, 12, 31, 23, 30)))
    # 00:30 on 1 January in Copenhagen is still 2012 in UTC: the local year counts.
    assert new_year.pk in listed and eve.pk not in listed


def test_the_year_and_committee_filter_show_only_those_meetings(client):
    organizations = _organizations()
    generate_archive(300, organizations)
    chosen = organizations[2]
    page = client.get(f"/moeder/?udvalg={chosen.slug}&aar=2011").content.decode()
    listed = {int(pk) for pk in MEETING_LINK.findall(page[page.index("<main") :])}
    start, end = (timezone.make_aware(dt.datetime(y, 1, 1)) for y in (2011, 2012))
    expected = Meeting.objects.filter(
        pk__in=public_ids(), organization=chosen, start__gte=start, start__lt=end
    )
    assert listed == set(expected.values_list("pk", flat=True)) and listed
    assert f'<option value="{chosen.slug}" selected>' in page
    assert '<option value="2011" selected>' in page


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/", "/moeder/", "/moeder/?aar=2010&side=1", "committee"])
@pytest.mark.parametrize("reader", ["anonymous", "member"])
def test_a_page_makes_as_many_queries_for_2000_meetings_as_for_10(client, url, reader):
    organizations = _organizations()
    if url == "committee":
        url = f"/udvalg/{organizations[0].slug}/"
    if reader == "member":
        user = UserFactory()
        MembershipFactory(organization=organizations[0], person=PersonFactory(user=user))
        client.force_login(user)
    generate_archive(10, organizations)
    small = _queries(client, url)
    Meeting.objects.all().delete()
    generate_archive(2000, organizations)
    assert _queries(client, url) == small


def test_bad_filters_are_answered_in_danish_and_show_nothing_else(client):
    generate_archive(20, _organizations())
    cases = [
        ("/moeder/?aar=tyve", 400, "Året skal være et tal, men adressen siger »tyve« (aar=)."),
        ("/moeder/?aar=1200", 400, "Året skal ligge mellem 1900 og 2100"),
        ("/moeder/?side=-1", 400, "Siden skal være et tal"),
        ("/moeder/?udvalg=findes-ikke", 404, "Der er intet udvalg med adressenavnet »findes-ikke«"),
        ("/moeder/?aar=2010&side=9", 404, "Side 9 findes ikke (side=): møderne i 2010 fylder"),
    ]
    for url, status, message in cases:
        response = client.get(url)
        assert response.status_code == status, url
        page = response.content.decode()
        assert message in page, url
        assert not MEETING_LINK.search(page), url


def test_an_empty_year_says_so_and_links_to_the_years_around(client):
    generate_archive(2000, _organizations())
    page = client.get("/moeder/?aar=2030").content.decode()
    assert "Der er ingen møder i 2030." in page
    assert 'rel="next" href="/moeder/?aar=2018&amp;side=1"' in page


def test_an_empty_archive_says_so(client):
    page = client.get("/moeder/").content.decode()
    assert "Der er ingen offentliggjorte møder endnu." in page


def _published(organization, start, actor, *, minutes=False):
    meeting = MeetingFactory(organization=organization, start=start)
    services.agenda_item_add(meeting=meeting, title=f"Punkt {start:%d-%m-%Y}", by=actor)
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor, keep_pdf=False)
    if minutes:
        meeting = services.meeting_mark_held(meeting=meeting, by=actor)
        for item in meeting.items.all():
            services.decision_record(item=item, outcome="godkendt", text="", by=actor)
        meeting = services.meeting_publish_minutes(meeting=meeting, by=actor)
    return meeting


def test_the_front_page_shows_upcoming_meetings_news_committees_and_a_search_box(client):
    actor = Actor.system("test")
    today = timezone.localdate()
    committee = OrganizationFactory(name="Teknik- og Miljøudvalget")
    OrganizationFactory(name="Nedlagt udvalg", end_date=today - dt.timedelta(days=1))
    OrganizationFactory(name="Kommende udvalg", start_date=today + dt.timedelta(days=1))
    soon = _published(committee, timezone.now() + dt.timedelta(days=3), actor)
    held = _published(committee, timezone.now() - dt.timedelta(days=30), actor, minutes=True)
    planned = MeetingFactory(organization=committee, start=timezone.now() + dt.timedelta(days=9))
    page = client.get("/").content.decode()
    upcoming = page[page.index('id="upcoming-h"') : page.index('id="agendas-h"')]
    agendas = page[page.index('id="agendas-h"') : page.index('id="minutes-h"')]
    minutes = page[page.index('id="minutes-h"') : page.index('id="committees-h"')]
    committees = page[page.index('id="committees-h"') :]
    assert f'href="/moeder/{soon.pk}/"' in upcoming and f"/moeder/{held.pk}/" not in upcoming
    assert f"/moeder/{soon.pk}/" in agendas and f"/moeder/{held.pk}/" in agendas
    assert f"/moeder/{held.pk}/" in minutes and f"/moeder/{soon.pk}/" not in minutes
    assert f"/moeder/{planned.pk}/" not in page
    assert f'href="/udvalg/{committee.slug}/"' in committees
    assert "Nedlagt udvalg" not in committees and "Kommende udvalg" not in committees
    assert '<form class="search-box" role="search" method="get" action="/soeg/">' in page
    assert 'name="q"' in page


def test_a_cancelled_meeting_stays_on_the_front_page_marked_cancelled(client):
    actor = Actor.system("test")
    meeting = _published(OrganizationFactory(), timezone.now() + dt.timedelta(days=3), actor)
    services.meeting_cancel(meeting=meeting, by=actor)
    page = client.get("/").content.decode()
    upcoming = page[page.index('id="upcoming-h"') : page.index('id="agendas-h"')]
    assert f"/moeder/{meeting.pk}/" in upcoming and "(Aflyst)" in upcoming
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.CANCELLED
