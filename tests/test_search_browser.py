"""The search page in a real browser (see tests/test_office_browser.py): every state of the
page passes tests/browser_checks.py at 320 px (axe-core, no sideways scrolling, nothing
blocked by the Content-Security-Policy), and the search box works by its label.

The index is kept by the receivers here: the live server's database commits each change.
"""

from __future__ import annotations

import pytest

from gremium.audit.services import Actor
from gremium.meetings import services
from tests.browser_checks import check_page
from tests.factories import OrganizationFactory
from tests.test_office_browser import _goto, page  # noqa: F401 (the browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _archive() -> None:
    from gremium.demo.seed import seed_document
    from gremium.meetings.from_document import meeting_store_document

    actor = Actor.system("test")
    meeting_store_document(document=seed_document(), by=actor)
    roads = OrganizationFactory(name="Teknik- og Miljøudvalget")
    meeting = services.meeting_create(organization=roads, start=_start(), by=actor)
    for n in range(22):
        services.agenda_item_add(
            meeting=meeting,
            title=f"Vejvedligeholdelse af en meget lang strækning nummer {n}",
            sections=[("Sagsresume", "Vejvedligeholdelsen <b>omfatter</b> fortove og cykelstier.")],
            by=actor,
        )
    services.meeting_publish_agenda(meeting=meeting, by=actor)


def _start():  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    return timezone.make_aware(dt.datetime(2025, 5, 5, 16, 0))


def test_the_search_page_in_every_state(page):  # noqa: F811
    _archive()
    _goto(page, "/soeg/")
    page.get_by_label("Søg i møder, punkter, bilag, udvalg og personer").fill("nytteindsats")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_url("**/soeg/?q=nytteindsats*")
    check_page(page)
    first = page.locator(".search-result h3 a").first
    assert "Introduktion til beskæftigelse" in first.inner_text()
    assert page.locator(".search-result mark").count() >= 1

    # Many results: the first and the last page, with their navigation.
    _goto(page, "/soeg/?q=vejvedligeholdelse")
    assert page.get_by_role("navigation", name="Sider i søgeresultatet").is_visible()
    assert page.locator(".search-result").count() == 20
    page.get_by_role("link", name="Næste").click()
    check_page(page)
    assert page.locator(".search-result").count() == 2

    # Nothing found, with filters: the suggestions, and the filters open.
    _goto(page, "/soeg/?q=%22cykelstier+vejvedligeholdelse%22&type=bilag&sortering=dato")
    assert page.get_by_role("heading", level=2).inner_text().startswith("Ingen resultater")
    assert page.get_by_role(
        "link", name="søge uden afgrænsning på type, udvalg og dato"
    ).is_visible()

    # A period the wrong way round: the form says so.
    _goto(page, "/soeg/?q=vej&fra=2026-01-01&til=2025-01-01")
    assert page.get_by_text("»Til dato« skal ligge på eller efter »Fra dato«.").is_visible()
