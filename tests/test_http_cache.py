"""Fast and cacheable: published pages, PDFs, feeds and calendars carry validators and
answer conditional requests with 304; a change gives a new ETag and a new rendering, and
the old one is never served again; whatever is rendered for a logged-in user is private.
Pages and PDFs are rendered once per state of the meeting and audience."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from gremium.documents.models import Rendering
from gremium.meetings import services
from gremium.meetings.models import AgendaItem
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    SecretaryAssignmentFactory,
)
from tests.test_admin import _post_form
from tests.test_approval import _minutes
from tests.test_calendars import at, published

pytestmark = pytest.mark.django_db
PUBLIC = {"public", "max-age=60"}
PRIVATE = {"private", "no-store"}


def cache_control(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {part.strip() for part in response["Cache-Control"].split(",")}


def approved(actor):  # type: ignore[no-untyped-def]
    meeting, item, people = _minutes(actor, members=2)
    for person in people:
        services.minutes_approve(meeting=meeting, person=person, by=actor)
    meeting.refresh_from_db()
    return meeting, item


def edit_title(item: AgendaItem, title: str, actor) -> None:  # type: ignore[no-untyped-def]
    item.refresh_from_db()
    services.agenda_item_edit(
        item=item,
        by=actor,
        expected_version=item.version,
        title=title,
        public=True,
        public_title="",
        sections=[],
    )


def assert_revalidates(client, url: str) -> str:  # type: ignore[no-untyped-def]
    """The address sends validators and the public policy and answers a client that
    holds the current copy with 304 (by ETag and by date); returns the ETag."""
    response = client.get(url)
    assert response.status_code == 200, url
    etag = response["ETag"]
    assert etag.startswith('"') and response["Last-Modified"], url
    assert cache_control(response) == PUBLIC, url
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"", url
    assert again["ETag"] == etag and cache_control(again) == PUBLIC
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert by_date.status_code == 304, url
    assert client.get(url, HTTP_IF_NONE_MATCH='"forældet"').status_code == 200
    return etag


def test_published_page_pdf_feeds_calendars_and_sitemap_answer_304(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    slug = meeting.organization.slug
    seat = MembershipFactory(organization=meeting.organization)
    for url in [
        f"/moeder/{meeting.pk}/",
        f"/moeder/{meeting.pk}/dagsorden.pdf",
        "/feed.atom",
        f"/udvalg/{slug}/feed.atom",
        "/kalender.ics",
        f"/udvalg/{slug}/kalender.ics",
        f"/personer/{seat.person.pk}/kalender.ics",
        "/sitemap.xml",
    ]:
        assert_revalidates(client, url)


def test_a_change_makes_a_new_etag_and_the_old_page_is_not_served_again(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    item = meeting.items.get()
    url = f"/moeder/{meeting.pk}/"
    old = assert_revalidates(client, url)
    edit_title(item, "Ny titel på punktet", actor)
    response = client.get(url, HTTP_IF_NONE_MATCH=old)
    assert response.status_code == 200
    assert response["ETag"] != old
    assert "Ny titel på punktet" in response.content.decode()
    assert set(Rendering.objects.filter(meeting=meeting).values_list("key", flat=True)) == {
        response["ETag"].strip('"')
    }


def test_lists_get_a_new_etag_when_a_meeting_is_published_or_moved(client, actor):
    committee = OrganizationFactory()
    meeting = published(actor, committee, at(2026, 3, 2))
    urls = ["/feed.atom", "/kalender.ics", f"/udvalg/{committee.slug}/kalender.ics", "/sitemap.xml"]
    before = {url: client.get(url)["ETag"] for url in urls}
    published(actor, committee, at(2026, 3, 9))
    after = {url: client.get(url)["ETag"] for url in urls}
    assert all(before[url] != after[url] for url in urls)
    meeting.refresh_from_db()
    services.meeting_update(
        meeting=meeting, by=actor, expected_version=meeting.version, start=at(2026, 3, 3)
    )
    moved = client.get("/kalender.ics", HTTP_IF_NONE_MATCH=after["/kalender.ics"])
    assert moved.status_code == 200 and moved["ETag"] != after["/kalender.ics"]


def test_an_addendum_changes_the_approved_pages_etag(client, actor):
    meeting, item = approved(actor)
    urls = [f"/moeder/{meeting.pk}/", f"/moeder/{meeting.pk}/referat.pdf"]
    old = {url: assert_revalidates(client, url) for url in urls}
    services.meeting_add_addendum(item=item, text="Beløbet er 2 mio.", reason="Fejl", by=actor)
    for url in urls:
        response = client.get(url, HTTP_IF_NONE_MATCH=old[url])
        assert response.status_code == 200 and response["ETag"] != old[url], url
    assert "Beløbet er 2 mio." in client.get(urls[0]).content.decode()


def test_a_kept_minutes_version_may_be_cached_for_good(client, actor):
    from gremium.documents.archive import approved_minutes_versions
    from gremium.lib.document_structure import Audience

    meeting, _item = approved(actor)
    (version,) = approved_minutes_versions(meeting, Audience.PUBLIC)
    response = client.get(f"/moeder/{meeting.pk}/referat/version/{version.pk}.pdf")
    assert cache_control(response) == {"public", "max-age=31536000", "immutable"}
    assert response["ETag"] == f'"{version.sha256}"'


def test_internal_pages_and_pdfs_are_private_and_never_stored_by_a_cache(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    public_etag = client.get(f"/moeder/{meeting.pk}/")["ETag"]
    secretary = SecretaryAssignmentFactory(organization=meeting.organization).user
    client.force_login(secretary)
    for url in [f"/moeder/{meeting.pk}/", f"/moeder/{meeting.pk}/dagsorden.pdf"]:
        response = client.get(url, HTTP_IF_NONE_MATCH=public_etag)
        assert response.status_code == 200, url
        assert cache_control(response) == PRIVATE, url
        assert "Cookie" in response["Vary"] and not response.has_header("ETag")


def test_a_logged_in_outsider_gets_the_public_page_privately(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    client.force_login(User.objects.create_user("borger", password="x"))
    response = client.get(f"/moeder/{meeting.pk}/")
    assert cache_control(response) == PRIVATE
    assert "borger" in response.content.decode()  # the header names the user


def test_the_anonymous_page_varies_by_cookie_and_sets_none(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    response = client.get(f"/moeder/{meeting.pk}/")
    assert "Cookie" in response["Vary"]
    # A kept page is served to every anonymous reader: nothing in it may belong to one
    # browser (a CSRF token would come with a cookie).
    assert not response.cookies


def test_a_waiting_message_is_shown_privately(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    client.force_login(User.objects.create_user("borger", password="x"))
    client.post("/konto/log-ud/")
    response = client.get(f"/moeder/{meeting.pk}/")
    assert "Du er logget ud." in response.content.decode()
    assert cache_control(response) == PRIVATE
    assert cache_control(client.get(f"/moeder/{meeting.pk}/")) == PUBLIC


def test_a_page_and_a_pdf_are_rendered_once_per_state_and_audience(client, actor, monkeypatch):
    from gremium.documents import archive
    from gremium.portal import views

    builds: list[str] = []
    real_build, real_render = views.build_document, archive.render_document

    def counting_build(meeting, *, kind, audience):  # type: ignore[no-untyped-def]
        builds.append(f"page-{audience}")
        return real_build(meeting, kind=kind, audience=audience)

    def counting_render(document, fmt, with_attachments=False):  # type: ignore[no-untyped-def]
        builds.append(f"{fmt}-{document.audience}")
        return real_render(document, fmt, with_attachments)

    monkeypatch.setattr(views, "build_document", counting_build)
    monkeypatch.setattr(archive, "render_document", counting_render)
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    secretary = SecretaryAssignmentFactory(organization=meeting.organization).user
    member_client = type(client)()
    member_client.force_login(secretary)
    for _ in range(3):
        client.get(f"/moeder/{meeting.pk}/")
        client.get(f"/moeder/{meeting.pk}/dagsorden.pdf")
        member_client.get(f"/moeder/{meeting.pk}/")
    assert sorted(builds) == ["page-internal", "page-public", "pdf-public"]
    edit_title(meeting.items.get(), "Ændret", actor)
    client.get(f"/moeder/{meeting.pk}/")
    client.get(f"/moeder/{meeting.pk}/")
    assert builds.count("page-public") == 2


def test_an_admin_repair_reaches_the_stored_page(client, actor, admin_client):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    item = meeting.items.get()
    anonymous = type(client)()
    old = anonymous.get(f"/moeder/{meeting.pk}/")
    url = f"/admin/meetings/agendaitem/{item.pk}/change/"
    assert _post_form(admin_client, url, "agendaitem_form", title="Rettet titel").status_code == 302
    response = anonymous.get(f"/moeder/{meeting.pk}/", HTTP_IF_NONE_MATCH=old["ETag"])
    assert response.status_code == 200 and "Rettet titel" in response.content.decode()


def test_an_admin_rename_of_a_committee_reaches_pages_and_calendars(client, actor, admin_client):
    meeting = published(actor, OrganizationFactory(name="Gammelt navn"), at(2026, 3, 2))
    anonymous = type(client)()
    etags = {url: anonymous.get(url)["ETag"] for url in ("/kalender.ics", f"/moeder/{meeting.pk}/")}
    url = f"/admin/organizations/organization/{meeting.organization.pk}/change/"
    response = _post_form(admin_client, url, "organization_form", name="Nyt navn")
    assert response.status_code == 302
    for address, etag in etags.items():
        fresh = anonymous.get(address, HTTP_IF_NONE_MATCH=etag)
        assert fresh.status_code == 200 and "Nyt navn" in fresh.content.decode(), address


@pytest.fixture
def admin_client():  # type: ignore[no-untyped-def]
    from django.test import Client

    admin = Client()
    admin.force_login(User.objects.create_superuser("admin", password="x"))
    return admin


def test_an_unpublished_meetings_page_is_not_found_and_not_cached(client):
    meeting = MeetingFactory()
    response = client.get(f"/moeder/{meeting.pk}/")
    assert response.status_code == 404 and not response.has_header("ETag")


def test_a_kept_page_costs_one_query(client, actor, django_assert_num_queries):
    meeting, _item = approved(actor)
    client.get(f"/moeder/{meeting.pk}/")  # rendered and kept
    with django_assert_num_queries(1):  # the meeting itself: its state and version
        response = client.get(f"/moeder/{meeting.pk}/")
    assert response.status_code == 200 and b"Budget" in response.content
    with django_assert_num_queries(1):
        assert (
            client.get(f"/moeder/{meeting.pk}/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
            == 304
        )


def test_feeds_and_calendars_are_the_same_for_everyone(client, actor):
    meeting = published(actor, OrganizationFactory(), at(2026, 3, 2))
    secretary = SecretaryAssignmentFactory(organization=meeting.organization).user
    insider = type(client)()
    insider.force_login(secretary)
    for url in ("/feed.atom", "/kalender.ics", "/sitemap.xml"):
        anonymous, member = client.get(url), insider.get(url)
        assert anonymous.content == member.content, url
        assert cache_control(member) == PUBLIC, url
        assert "Cookie" not in member.get("Vary", ""), url
