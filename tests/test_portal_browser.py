"""The portal's browsing pages in a real browser, each checked at 320 px and at 1280 px
(tests/browser_checks.py: axe-core, no sideways scrolling, nothing blocked by the
Content-Security-Policy), and a meeting printed as its PDF reads."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest

from gremium.meetings import services
from gremium.meetings.minutes import item_key
from gremium.meetings.models import AttendanceStatus
from tests.archive_data import generate_archive
from tests.browser_checks import check_page_at_widths
from tests.factories import BodyFactory, MembershipFactory, OrganizationFactory, PersonFactory
from tests.test_office_browser import page
from tests.test_portal_pages import BY, case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["case", "page"]  # the shared fixtures
# What a printed page opens with: an item, or the signatures ("Underskrifter" on the
# page, "Underskriftsside" in the PDF).
OPENING = re.compile(r"^(Punkt \d+: .*|Underskrift)")


def _visit(page, url: str, status: int = 200) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response)
    check_page_at_widths(page)


def test_every_browsing_page_at_320_and_1280_px(page, case):
    chair = PersonFactory(name="Anne Formand med et langt efternavn", body=case.school.body)
    MembershipFactory(organization=case.school, person=chair, role="chair", party="A")
    long_name = OrganizationFactory(name="Beskæftigelses- og Borgerserviceudvalget")
    MembershipFactory(
        organization=long_name, person=chair, party="A", start_date=dt.date(2022, 1, 1)
    )
    # Pages, years and the pager; a committee name with a long compound.
    generate_archive(160, [case.school, case.finance, long_name])
    closed = case.second.items.get(public=False)
    _visit(page, "/")
    _visit(page, "/moeder/")
    _visit(page, "/moeder/?aar=2010&side=2")
    _visit(page, f"/moeder/?udvalg={case.school.slug}&aar=2010")
    _visit(page, "/moeder/?aar=tyve", status=400)
    _visit(page, f"/udvalg/{case.school.slug}/")
    _visit(page, f"/udvalg/{long_name.slug}/?aar=2010")
    _visit(page, f"/moeder/{case.second.pk}/")
    _visit(page, f"/moeder/{case.second.pk}/punkt/punkt-2/")
    _visit(page, f"/moeder/{case.second.pk}/punkt/{item_key(closed)}/")
    _visit(page, f"/sager/{case.paper.pk}/")
    _visit(page, f"/personer/{chair.pk}/")
    # A second body: the front page lists the bodies, the archive and search filter by them.
    other = OrganizationFactory(body=BodyFactory(name="Sønderborg Kommune"), name="Kulturudvalget")
    generate_archive(3, [other])
    _visit(page, "/")
    _visit(page, f"/kommuner/{other.body.slug}/")
    _visit(page, f"/moeder/?kommune={other.body.slug}")
    _visit(page, f"/soeg/?q=udvalg&kommune={other.body.slug}")


def _page_openings(pdf: bytes) -> list[str]:
    """The item heading each page of a PDF opens with (the header line aside), or ""."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    openings = []
    for sheet in reader.pages:
        lines = [line.strip() for line in sheet.extract_text().splitlines() if line.strip()]
        found = next((m for line in lines[:2] if (m := OPENING.match(line))), None)
        openings.append(found.group(1) if found else "")
    return openings


def test_a_meeting_prints_like_its_pdf(page, case):
    member = MembershipFactory(organization=case.finance, party="A").person
    services.attendance_set(
        meeting=case.second, person=member, status=AttendanceStatus.PRESENT, by=BY
    )
    _visit(page, f"/moeder/{case.second.pk}/")
    page.emulate_media(media="print")
    style = """(selector) => {
      const s = getComputedStyle(document.querySelector(selector));
      return {display: s.display, breakBefore: s.breakBefore, font: s.fontFamily};
    }"""
    for hidden in (".site-header", ".site-footer", ".downloads", ".breadcrumbs", ".permalink"):
        assert page.evaluate(style, hidden)["display"] == "none", hidden
    assert "Libertinus Serif" in page.evaluate(style, "body")["font"]
    # Printed, the page opens the same pages with the same items as the PDF: a title page
    # with the contents, then each item from a page of its own.
    printed = _page_openings(page.pdf(format="A4"))
    typst = _page_openings(page.request.get(f"/moeder/{case.second.pk}/referat.pdf").body())
    assert printed == typst
    assert printed == [
        "",
        "Punkt 1: Budgetopfølgning",
        "Punkt 2: Ny skolestruktur",
        "Punkt 3: Lukket punkt: Køb af ejendom",
        "Underskrift",
    ]
    page.emulate_media(media="screen")
    assert page.evaluate(style, ".site-header")["display"] != "none"
