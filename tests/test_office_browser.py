"""The whole office flow in a real browser: Debian's chromium driven by Playwright.

Secretary: log in → create a meeting → add an item → publish the agenda → record a
decision and an absence → publish the minutes. Two members log in and press "Godkend";
the meeting is approved and locked, and the public page lists both signers.
"""

from __future__ import annotations

import os

import pytest
from django.db import connections

from gremium.meetings.models import AgendaItem, Meeting, MeetingState
from gremium.organizations.models import MembershipRole
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretaryAssignmentFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hemmelig-kode-42"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(live_server, settings):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(base_url=live_server.url, locale="da-DK")
        context.set_default_timeout(15_000)
        yield context.new_page()
        # ORM calls made while Playwright's event loop runs open connections in its
        # context; close them here, or PostgreSQL cannot drop the test database.
        connections.close_all()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _login(page, username: str) -> None:
    page.goto("/konto/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/kontor/")


def _logout(page) -> None:
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/")


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_secretary_records_and_members_approve(page):
    organization = OrganizationFactory(name="Børne- og Uddannelsesudvalget")
    SecretaryAssignmentFactory(organization=organization, user=UserFactory(username="sekr"))
    people = []
    for n, (username, name) in enumerate(
        [("anne", "Anne Formand"), ("bo", "Bo Medlem"), ("carla", "Carla Fraværende")]
    ):
        person = PersonFactory(name=name, user=UserFactory(username=username))
        role = MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER
        MembershipFactory(organization=organization, person=person, role=role)
        people.append(person)

    _login(page, "sekr")
    page.get_by_role("link", name="Opret møde").click()
    page.get_by_label("Organisation").select_option(str(organization.pk))
    page.get_by_label("Mødestart").fill("2026-03-02T16:00")
    _click(page, "Opret")
    meeting = Meeting.objects.get()
    page.locator("#id_new-item-title").fill("Ny skolestruktur")
    _click(page, "Tilføj punkt")
    assert page.get_by_role("link", name="Punkt 2: Ny skolestruktur").is_visible()
    _click(page, "Offentliggør dagsorden")
    _click(page, "Marker som afholdt")
    for person, status in zip(people, ["present", "present", "absent"], strict=True):
        page.locator(f"#status-{person.pk}").select_option(status)
        page.locator(f"form:has(#status-{person.pk}) button").click()
        page.wait_for_load_state()
    for title in ("Godkendelse af dagsorden", "Ny skolestruktur"):
        page.goto(f"/kontor/punkter/{AgendaItem.objects.get(title=title).pk}/")
        page.get_by_label("Udfald").select_option("godkendt")
        _click(page, "Gem beslutning")
    page.locator("form.participation").get_by_label("Medlem").select_option(str(people[1].pk))
    _click(page, "Gem fravær/inhabilitet")
    page.goto(f"/kontor/moeder/{meeting.pk}/")
    _click(page, "Offentliggør referat")
    assert page.locator(".state").inner_text() == "Referat offentliggjort"
    _logout(page)

    for username in ("anne", "bo"):
        _login(page, username)
        page.get_by_role("link", name="Børne- og Uddannelsesudvalget 02-03-2026").click()
        _click(page, "Godkend")
        assert page.get_by_text("Du har godkendt referatet.").is_visible()
        _logout(page)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.content_locked
    page.goto(f"/moeder/{meeting.pk}/")
    signatures = page.locator(".signatures").inner_text()
    assert "Anne Formand: godkendt" in signatures
    assert "Bo Medlem: godkendt" in signatures
    assert "Carla Fraværende" not in signatures

    # The locked public PDF, fetched as a citizen's browser would, lists both signers.
    response = page.request.get(f"/moeder/{meeting.pk}/referat.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf_text = _pdf_text(response.body())
    assert "Anne Formand" in pdf_text and "Bo Medlem" in pdf_text
    assert "Godkendt" in pdf_text
    again = page.request.get(f"/moeder/{meeting.pk}/referat.pdf").body()
    assert again == response.body()  # approved minutes are served as stored


def _pdf_text(pdf: bytes) -> str:
    import io

    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
