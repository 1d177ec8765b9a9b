"""Ordering and clearing the agenda in a real browser (chromium, axe on every page):
drag and drop posts the whole order once, the keyboard fallback moves an item to a
position, deleting an item and removing a bilag ask first."""

from __future__ import annotations

import pytest

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import Meeting
from gremium.papers.models import Attachment
from tests.browser_checks import check_page
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    SecretaryAssignmentFactory,
    UserFactory,
)
from tests.hostile_files import simple_pdf
from tests.test_office_browser import _click, _goto, _login, page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _meeting() -> Meeting:
    meeting = MeetingFactory(organization=OrganizationFactory(name="Teknik- og Miljøudvalget"))
    SecretaryAssignmentFactory(organization=meeting.organization, user=UserFactory(username="sekr"))
    for title in ("Alfa", "Beta", "Gamma"):
        services.agenda_item_add(meeting=meeting, title=title, by=Actor.system("test"))
    return meeting


def _titles(meeting: Meeting) -> list[str]:
    return list(meeting.items.order_by("order").values_list("title", flat=True))


def test_keyboard_reorder_and_drag_and_drop(page):  # noqa: F811
    meeting = _meeting()
    _login(page, "sekr")
    _goto(page, f"/kontor/moeder/{meeting.pk}/")
    gamma = meeting.items.get(title="Gamma")
    # Keyboard only: focus the position field, type, press Enter.
    field = page.locator(f"#move-{gamma.pk}-position")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_page(page)
    assert _titles(meeting) == ["Gamma", "Alfa", "Beta"]

    requests = []
    page.on("request", lambda r: requests.append(r.url) if "raekkefoelge" in r.url else None)
    alfa = meeting.items.get(title="Alfa")
    with page.expect_navigation():
        page.drag_and_drop(
            f"li[data-item-id='{alfa.pk}']",
            f"li[data-item-id='{gamma.pk}']",
            target_position={"x": 5, "y": 2},
        )
    check_page(page)
    assert _titles(meeting) == ["Alfa", "Gamma", "Beta"]
    assert len(requests) == 1  # one request for the whole reorder


def test_delete_an_item_and_remove_a_bilag_after_confirming(page):  # noqa: F811
    meeting = _meeting()
    beta = meeting.items.get(title="Beta")
    attachment = services.attachment_add(
        item=beta, filename="kort.pdf", content=simple_pdf(), by=Actor.system("test")
    )
    _login(page, "sekr")
    _goto(page, f"/kontor/punkter/{beta.pk}/")
    page.get_by_text("Ret kort").click()
    page.get_by_label("Nyt navn").fill("Oversigtskort")
    _click(page, "Omdøb")
    attachment.refresh_from_db()
    assert attachment.name == "Oversigtskort"
    page.get_by_text("Ret Oversigtskort").click()
    page.get_by_role("link", name="Fjern").click()
    check_page(page)
    _click(page, "Ja, fjern bilaget")
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    page.get_by_role("link", name="Slet punktet").click()
    check_page(page)
    _click(page, "Ja, slet punktet")
    assert _titles(meeting) == ["Alfa", "Gamma"]


def test_item_editor_toolbar_add_section_and_preview(page):  # noqa: F811
    meeting = _meeting()
    item = meeting.items.get(title="Alfa")
    _login(page, "sekr")
    _goto(page, f"/kontor/punkter/{item.pk}/")
    body = page.locator("textarea[name='item-body_0']")
    body.fill("Godkendes")
    body.select_text()
    page.get_by_role("toolbar").first.get_by_role("button", name="Fed").click()
    assert body.input_value() == "**Godkendes**"
    page.evaluate("window.samePage = true")  # gone if the page is loaded again
    page.get_by_role("button", name="Tilføj afsnit").click()
    assert page.locator("textarea[name='item-body_1']").count() == 1
    assert page.get_by_role("toolbar").count() == 2
    page.get_by_role("button", name="Forhåndsvis").click()
    page.locator("#item-preview strong", has_text="Godkendes").wait_for()
    check_page(page)
    # Neither step loaded the page again.
    assert page.evaluate("window.samePage === true")
    assert page.url.endswith(f"/kontor/punkter/{item.pk}/")
    # Autosave kept the typing as a draft: the next visit offers it back.
    page.wait_for_timeout(2500)
    _goto(page, f"/kontor/punkter/{item.pk}/")
    assert page.get_by_role("link", name="Vis kladden i formularen").is_visible()
    page.get_by_role("link", name="Vis kladden i formularen").click()
    check_page(page)
    assert page.locator("textarea[name='item-body_0']").input_value() == "**Godkendes**"
