"""The office and the portal in a real browser: Debian's chromium driven by Playwright, at a
320 px wide viewport.

Every page the tests visit is checked by tests/browser_checks.py: axe-core (serious and
critical rules, repeated ids), no sideways scrolling at 320 px, nothing blocked by the
Content-Security-Policy. Error states are visited too: a form with errors, a failed login,
a 404, the stale-edit page.

The main flow: the secretary logs in → creates a meeting → adds an item → publishes the
agenda (after confirming) → records a decision and an absence → publishes the minutes
(after confirming). Two members log in and press "Godkend"; the meeting is approved and
locked, and the public page lists both signers.
"""

from __future__ import annotations

import os

import pytest
from django.db import connections

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import AgendaItem, Meeting, MeetingState
from gremium.organizations.models import MembershipRole
from tests.browser_checks import VIEWPORT, check_page, prepare
from tests.factories import (
    MeetingFactory,
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
        context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=VIEWPORT)
        context.set_default_timeout(15_000)
        prepare(context)
        yield context.new_page()
        # ORM calls made while Playwright's event loop runs open connections in its
        # context; close them here, or PostgreSQL cannot drop the test database.
        connections.close_all()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _goto(page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response)
    check_page(page)


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    check_page(page)


def _login(page, username: str) -> None:
    _goto(page, "/konto/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/kontor/")
    check_page(page)


def _logout(page) -> None:
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/")
    check_page(page)


def _confirm(page, action: str, confirmation: str) -> None:
    """Press the state button; the office asks first, and only the second button acts."""
    _click(page, action)
    assert page.get_by_role("heading", level=1).inner_text().endswith("?")
    assert page.get_by_text("Er du sikker?").is_visible()
    _click(page, confirmation)


# The secretary's effort before issue 13, measured by hand as a new secretary would work:
# preparing and recording one meeting took 46 clicks and 45 page loads.
OLD_CLICKS, OLD_PAGE_LOADS = 46, 45

# Counted in the page: every trusted click, and a choice in a drop-down (one click for a
# human); sessionStorage keeps the count across page loads of the tab.
COUNT_CLICKS = """
(() => {
  const bump = () => { sessionStorage.clicks = String(Number(sessionStorage.clicks || 0) + 1); };
  document.addEventListener("click", (e) => { if (e.isTrusted) bump(); }, true);
  document.addEventListener("change", (e) => {
    if (e.target instanceof HTMLSelectElement) bump();
  }, true);
})();
"""


class Effort:
    """Clicks and page loads of one tab, from `start()` on."""

    def __init__(self, page) -> None:
        self.page, self.loads, self.counting = page, 0, False
        page.context.add_init_script(script=COUNT_CLICKS)
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.loads += self.counting

    def start(self) -> None:
        self.page.evaluate("sessionStorage.clicks = '0'")
        self.loads, self.counting = 0, True

    def stop(self) -> tuple[int, int]:
        self.counting = False
        return int(self.page.evaluate("Number(sessionStorage.clicks || 0)")), self.loads


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

    effort = Effort(page)
    _login(page, "sekr")
    effort.start()
    page.get_by_role("link", name="Opret møde").click()
    check_page(page)
    page.get_by_label("Organisation").select_option(str(organization.pk))
    page.get_by_label("Mødestart").fill("2026-03-02T16:00")
    _click(page, "Opret")
    meeting = Meeting.objects.get()
    page.get_by_label("Titel:", exact=True).fill("Ny skolestruktur")
    _click(page, "Tilføj punkt")
    assert page.get_by_role("link", name="Punkt 2: Ny skolestruktur").is_visible()
    _confirm(page, "Offentliggør dagsorden", "Ja, offentliggør dagsordenen")
    _click(page, "Marker som afholdt")
    # Attendance: one form, everyone present by default; only Carla is marked absent.
    page.get_by_role("link", name="Registrér fremmøde").click()
    check_page(page)
    page.get_by_role("group", name="Carla Fraværende").get_by_label("Fraværende").check()
    _click(page, "Gem fremmøde")
    assert page.get_by_text("Fremmødet er gemt.").is_visible()
    # Decisions: item after item on one page, saved without leaving it.
    page.get_by_role("link", name="Registrér beslutninger").click()
    check_page(page)
    for title in ("Godkendelse af dagsorden", "Ny skolestruktur"):
        section = page.locator("section.record-item", has_text=title)
        assert section.get_by_label("Udfald").input_value() == ""  # nothing preset
        section.get_by_label("Udfald").select_option("godkendt")
        section.get_by_role("button", name="Gem og fortsæt").click()
        section.get_by_text("er gemt").wait_for()
    check_page(page)
    _goto(page, f"/kontor/punkter/{AgendaItem.objects.get(title='Ny skolestruktur').pk}/")
    page.locator("form.participation").get_by_label("Medlem").select_option(str(people[1].pk))
    _click(page, "Gem fravær/inhabilitet")
    _goto(page, f"/kontor/moeder/{meeting.pk}/")
    _confirm(page, "Offentliggør referat", "Ja, offentliggør referatet")
    assert page.locator(".state").inner_text() == "Referat offentliggjort"
    clicks, loads = effort.stop()
    # Typed-in addresses count as page loads, as a secretary's bookmarks would.
    print(f"secretary's effort: {clicks} clicks, {loads} page loads")
    assert 0 < clicks <= OLD_CLICKS // 2, clicks
    assert 0 < loads <= OLD_PAGE_LOADS // 2, loads
    _goto(page, f"/kontor/moeder/{meeting.pk}/historik/")
    _logout(page)

    for username in ("anne", "bo"):
        _login(page, username)
        page.get_by_role("link", name="Børne- og Uddannelsesudvalget 02-03-2026").click()
        check_page(page)
        _click(page, "Godkend")
        assert page.get_by_text("Du har godkendt referatet.").is_visible()
        _logout(page)

    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED and meeting.content_locked
    _goto(page, f"/moeder/{meeting.pk}/")
    signatures = page.locator(".signatures").inner_text()
    assert "Anne Formand: godkendt" in signatures
    assert "Bo Medlem: godkendt" in signatures
    assert "Carla Fraværende" not in signatures

    # The locked public PDF, fetched as a citizen's browser would, lists both signers.
    response = page.request.get(f"/moeder/{meeting.pk}/referat.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-security-policy"] == "sandbox"
    pdf_text = _pdf_text(response.body())
    assert "Anne Formand" in pdf_text and "Bo Medlem" in pdf_text
    assert "Godkendt" in pdf_text
    again = page.request.get(f"/moeder/{meeting.pk}/referat.pdf").body()
    assert again == response.body()  # approved minutes are served as stored


def _planned_item(username: str = "sekr") -> AgendaItem:
    meeting = MeetingFactory(organization=OrganizationFactory(name="Økonomiudvalget"))
    SecretaryAssignmentFactory(
        organization=meeting.organization, user=UserFactory(username=username)
    )
    return services.agenda_item_add(meeting=meeting, title="Budget", by=Actor.system("test"))


def test_the_attachment_label_works_only_the_attachment_checkbox(page):
    item = _planned_item()
    _login(page, "sekr")
    _goto(page, f"/kontor/punkter/{item.pk}/")
    open_item = page.locator("form.item-text input[type=checkbox]")
    public_attachment = page.locator("form.attachment input[type=checkbox]")
    assert open_item.is_checked() and public_attachment.is_checked()
    page.locator("label", has_text="Offentligt bilag").click()
    assert not public_attachment.is_checked()
    assert open_item.is_checked()
    _click(page, "Gem")
    item.refresh_from_db()
    assert item.public


def test_error_states_and_the_seed_meeting_at_320_px(page):
    from gremium.demo.seed import seed_document
    from gremium.meetings.from_document import meeting_store_document

    seed = meeting_store_document(document=seed_document(), by=Actor.system("test")).meeting
    item = _planned_item()
    SecretaryAssignmentFactory(organization=seed.organization, user=UserFactory(username="sekr"))

    # The public: the archive, the seed meeting with its wide table and long titles, a 404.
    _goto(page, "/")
    _goto(page, f"/moeder/{seed.pk}/")
    assert page.locator(".table-scroll table").count() >= 1
    _goto(page, "/moeder/999999/", status=404)
    _goto(page, "/konto/log-ind/")
    page.get_by_label("Brugernavn").fill("sekr")
    page.get_by_label("Adgangskode").fill("forkert")
    _click(page, "Log ind")  # the login form with its error

    _login(page, "sekr")
    _goto(page, f"/kontor/moeder/{seed.pk}/")
    _goto(page, f"/kontor/punkter/{seed.items.order_by('order').last().pk}/")
    _goto(page, f"/kontor/moeder/{seed.pk}/historik/")
    _goto(page, "/konto/totrin/")
    _goto(page, f"/kontor/udvalg/{seed.organization.pk}/skabelon/")

    # A form with errors: the browser's own check is switched off to reach the server's.
    _goto(page, f"/kontor/punkter/{item.pk}/")
    page.locator("form.item-text").evaluate("form => { form.noValidate = true; }")
    page.get_by_label("Titel:", exact=True).fill("")
    _click(page, "Gem")
    assert page.get_by_text("Titel: Dette felt er påkrævet.").is_visible()

    # The stale-edit page: someone else saves while this page is open.
    _goto(page, f"/kontor/punkter/{item.pk}/")
    item.refresh_from_db()
    services.agenda_item_edit(
        item=item,
        by=Actor.system("test"),
        expected_version=item.version,
        title=item.title,
        public=True,
        public_title="",
        sections=[("Sagsresume", "Den andens tekst")],
    )
    page.locator("form.item-text textarea").first.fill("Min tekst")
    _click(page, "Gem")
    assert page.get_by_text("Din tekst står stadig i formularen.").is_visible()

    # Cancelling asks first.
    _goto(page, f"/kontor/moeder/{item.meeting_id}/")
    _confirm(page, "Aflys mødet", "Ja, aflys mødet")
    item.meeting.refresh_from_db()
    assert item.meeting.state == MeetingState.CANCELLED


def _pdf_text(pdf: bytes) -> str:
    import io

    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
