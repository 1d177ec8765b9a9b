"""The language switcher in a real browser: reachable, labelled, and the pages it leads to
pass the checks every page passes (tests/browser_checks.py: axe-core, no sideways scrolling
at 320 px, nothing blocked by the Content-Security-Policy)."""

from __future__ import annotations

import pytest

from tests.browser_checks import check_page_at_widths
from tests.test_office_browser import page
from tests.test_portal_pages import case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["case", "page"]  # the shared fixtures


def test_the_switcher_changes_the_language_and_the_pages_stay_accessible(page, case):
    page.goto(f"/moeder/{case.second.pk}/")
    check_page_at_widths(page)
    for language, heading in (("en", "Contents"), ("de", "Inhaltsverzeichnis")):
        page.get_by_label("Sprog" if language == "en" else "Language").select_option(language)
        page.get_by_role(
            "button", name="Skift sprog" if language == "en" else "Change language"
        ).click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/moeder/{case.second.pk}/")  # back where it was
        assert page.locator("html").get_attribute("lang") == language
        assert page.get_by_role("heading", name=heading).is_visible()
        check_page_at_widths(page)
