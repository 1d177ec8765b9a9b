"""The reading room in a real browser: every page axe-clean at 320 and 1280 px with nothing
blocked by its Content-Security-Policy (the PDF is framed from this site), and on a tablet
(768 and 1024 px) every link and button a finger can hit: at least 44 × 44 px."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gremium.audit.services import Actor
from gremium.demo.seed import seed_expected
from gremium.documents.pdf import render_pdf
from gremium.meetings import services
from tests.browser_checks import check_page, check_page_at_widths
from tests.factories import MeetingFactory, MembershipFactory, PersonFactory, UserFactory
from tests.test_office_browser import PASSWORD, page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["page"]  # the shared fixture
BY = Actor.system("test")
TABLET_WIDTHS = (768, 1024)

SMALL_TARGETS = """
() => [...document.querySelectorAll(
    ".reading a, .reading button, .reading summary, .reading input, .reading select," +
    " .reading textarea")]
  .filter((el) => el.offsetParent !== null)
  // A radio button or check box is hit through its label.
  .map((el) => el.closest("label") || el)
  .map((el) => ({html: el.outerHTML.slice(0, 80), box: el.getBoundingClientRect()}))
  .filter((t) => t.box.height < 44 || t.box.width < 44)
  .map((t) => `${t.html} ${Math.round(t.box.width)}x${Math.round(t.box.height)}`)
"""


def _room() -> dict[str, int]:
    meeting = MeetingFactory(
        organization__name="Beskæftigelses- og Borgerserviceudvalget",
        start=timezone.now() + dt.timedelta(days=5),
    )
    services.agenda_item_add(
        meeting=meeting, title="Åbent punkt", sections=[("Sagsresume", "Tekst.")], by=BY
    )
    closed = services.agenda_item_add(
        meeting=meeting,
        title="Lukket punkt om en personalesag med en lang titel",
        public=False,
        public_title="Lukket punkt",
        sections=[("Sagsfremstilling", "Fortroligt.")],
        by=BY,
    )
    services.attachment_add(
        item=closed, filename="tilbud.pdf", content=render_pdf(seed_expected()), by=BY
    )
    user = UserFactory(username="laeser", password=PASSWORD)
    MembershipFactory(person=PersonFactory(user=user), organization=meeting.organization)
    return {"meeting": meeting.pk, "closed": closed.pk}


def _visit(page, url: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response)
    check_page_at_widths(page)
    before = dict(page.viewport_size)
    try:
        for width in TABLET_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            check_page(page)
            assert page.evaluate(SMALL_TARGETS) == [], (url, width)
    finally:
        page.set_viewport_size(before)


def test_reading_room_pages_in_a_browser(page):
    ids = _room()
    page.goto("/konto/log-ind/")
    page.get_by_label("Brugernavn").fill("laeser")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/kontor/")
    _visit(page, "/medlem/")
    _visit(page, f"/medlem/moeder/{ids['meeting']}/")
    _visit(page, f"/medlem/punkter/{ids['closed']}/")
    page.get_by_label("Min private note til punktet").fill("Spørg om prisen")
    page.get_by_role("button", name="Gem note").last.click()
    page.wait_for_load_state()
    assert page.get_by_label("Min private note til punktet").input_value() == "Spørg om prisen"
    check_page(page)
    _visit(page, "/medlem/meddelelser/")
