"""The portal's list pages (front page, archive, committee page) are rendered once per
state of what they list and sent to the anonymous public with validators and the public
caching policy; every change that makes them read differently makes a new state, and a
logged-in reader's page is kept by no cache."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gremium.meetings import services
from gremium.organizations.models import Organization
from tests.factories import MembershipFactory, OrganizationFactory
from tests.test_calendars import at, published
from tests.test_http_cache import PRIVATE, PUBLIC, cache_control

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_memory() -> None:
    caches["local"].clear()


def urls(committee: Organization) -> list[str]:
    return ["/", "/moeder/", f"/moeder/?udvalg={committee.slug}", f"/udvalg/{committee.slug}/"]


def test_list_pages_carry_an_etag_and_answer_304(client, actor):
    committee = OrganizationFactory()
    published(actor, committee, at(2026, 3, 2))
    for url in urls(committee):
        response = client.get(url)
        assert response.status_code == 200, url
        assert cache_control(response) == PUBLIC, url
        assert "Cookie" in response["Vary"]
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again.content == b"", url
        assert client.get(url, HTTP_IF_NONE_MATCH='"gammel"').status_code == 200


def test_a_kept_list_page_is_not_rendered_again(client, actor):
    committee = OrganizationFactory()
    published(actor, committee, at(2026, 3, 2))
    for url in urls(committee):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert second.content == first.content, url
        # The state's aggregate read (and the committee found by its address): the lists
        # themselves are not read again.
        other = [q["sql"] for q in queries.captured_queries if "COUNT(*)" not in q["sql"]]
        assert len(other) == (1 if url.startswith("/udvalg/") else 0), (url, other)


def test_a_published_meeting_makes_a_new_state_at_once(client, actor):
    committee = OrganizationFactory()
    published(actor, committee, at(2026, 3, 2))
    before = {url: client.get(url) for url in urls(committee)}
    later = published(actor, committee, at(2026, 3, 9))
    for url, old in before.items():
        response = client.get(url, HTTP_IF_NONE_MATCH=old["ETag"])
        assert response.status_code == 200, url
        assert response["ETag"] != old["ETag"], url
        assert f"/moeder/{later.pk}/" in response.content.decode(), url


def test_a_withdrawn_meeting_leaves_the_kept_pages(client, actor):
    committee = OrganizationFactory()
    meeting = published(actor, committee, at(2026, 3, 2))
    for url in urls(committee):
        assert f"/moeder/{meeting.pk}/" in client.get(url).content.decode(), url
    gone = f"/moeder/{meeting.pk}/"
    services.meeting_delete(meeting=meeting, by=actor)
    for url in urls(committee):
        response = client.get(url)
        assert response.status_code == 200, url
        assert gone not in response.content.decode(), url


def test_a_new_seat_changes_the_committee_page(client, actor):
    committee = OrganizationFactory()
    published(actor, committee, at(2026, 3, 2))
    url = f"/udvalg/{committee.slug}/"
    old = client.get(url)
    seat = MembershipFactory(organization=committee)
    response = client.get(url, HTTP_IF_NONE_MATCH=old["ETag"])
    assert response.status_code == 200
    assert seat.person.name in response.content.decode()


def test_a_logged_in_reader_gets_the_page_privately(client, actor):
    committee = OrganizationFactory()
    published(actor, committee, at(2026, 3, 2))
    client.force_login(User.objects.create_user("læser"))
    for url in urls(committee):
        response = client.get(url)
        assert response.status_code == 200, url
        assert cache_control(response) == PRIVATE, url
        assert not response.has_header("ETag"), url


def test_a_page_past_the_end_is_refused_and_kept_by_no_cache(client, actor):
    committee = OrganizationFactory()
    published(actor, committee, at(2026, 3, 2))
    response = client.get("/moeder/?aar=2026&side=9")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_threads_asking_at_once_build_the_page_once():
    """Under load every thread that found a new state built the same page; now one does
    and the others wait for it."""
    import threading
    import time

    from django.http import HttpResponse

    from gremium.portal.list_pages import _building, _built_once

    built: list[int] = []
    start = threading.Barrier(6)

    def render() -> HttpResponse:
        built.append(1)
        time.sleep(0.05)  # long enough for every other thread to arrive meanwhile
        return HttpResponse(b"listen")

    answers: list[bytes] = []

    def ask() -> None:
        start.wait()
        answers.append(_built_once("test-key", render).content)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [b"listen"] * 6
    assert len(built) == 1
    assert "test-key" not in _building


def test_a_failed_build_is_not_kept_and_the_next_one_tries_again():
    from django.http import HttpResponse

    from gremium.portal.list_pages import _building, _built_once

    def broken() -> HttpResponse:
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        _built_once("test-key-2", broken)
    assert "test-key-2" not in _building
    assert _built_once("test-key-2", lambda: HttpResponse(b"ok")).content == b"ok"
