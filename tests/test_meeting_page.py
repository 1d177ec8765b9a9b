"""The public meeting page shows the minutes in the seed's order."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.utils.html import escape

from gremium.accounts.models import SecretaryAssignment
from gremium.meetings import services
from gremium.meetings.models import AgendaItem
from tests.factories import MeetingFactory
from tests.test_demo import SEED_ITEMS

pytestmark = pytest.mark.django_db


def _positions(html: str, needles: list[str]) -> list[int]:
    found, start = [], 0
    for needle in needles:
        index = html.find(escape(needle), start)
        assert index >= 0, f"{needle!r} missing or out of order"
        found.append(index)
        start = index + 1
    return found


def test_home_links_to_the_meeting(client, demo_meeting):
    html = client.get("/").content.decode()
    assert f'href="/moeder/{demo_meeting.pk}/"' in html


def test_meeting_page_shows_every_title_and_decision_in_seed_order(client, demo_meeting):
    response = client.get(f"/moeder/{demo_meeting.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index('class="item') :]
    needles: list[str] = []
    for number, title, reference, decision, attachments in SEED_ITEMS:
        needles += [f"Punkt {number}: {title}", reference]
        if decision:
            needles += [
                "Beslutning i Beskæftigelses- og Borgerserviceudvalget den 02-02-2026",
                decision,
            ]
        needles += ["Jon Krongaard", *attachments]
    _positions(body, needles)


def test_meeting_page_header_marks_the_absent_member(client, demo_meeting):
    html = client.get(f"/moeder/{demo_meeting.pk}/").content.decode()
    assert re.search(r"Jon Krongaard\s*<span class=\"absent\">\(Fravær\)</span>", html)
    assert "Mandag d. 02. februar 2026 kl. 16:00" in html
    assert "Servicefunktionen" in html
    assert '<table class="md-table">' in html
    assert html.count('<a href="#punkt-') == 8  # the table of contents


def test_section_html_and_script_are_shown_as_text(client, demo_meeting, actor):
    item = AgendaItem.objects.get(number=13)
    sections = [(x.heading, x.body) for x in item.sections.all()]
    sections[0] = (sections[0][0], '<script>alert("x")</script> [klik](javascript:alert(1))')
    services.agenda_item_edit(
        item=item,
        by=actor,
        expected_version=item.version,
        title=item.title,
        public=True,
        public_title="",
        sections=sections,
    )
    html = client.get(f"/moeder/{demo_meeting.pk}/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html


def test_closed_item_shows_only_number_and_title_to_the_public(client, demo_meeting, actor):
    item = AgendaItem.objects.get(number=16)
    services.agenda_item_update(
        item=item,
        by=actor,
        expected_version=item.version,
        public=False,
        public_title="Måling af virksomhedsservice",
    )
    canary = "Tilfredshedsmålingen viser, at 89 %"
    public = client.get(f"/moeder/{demo_meeting.pk}/").content.decode()
    assert "Lukket punkt: Måling af virksomhedsservice" in public
    assert item.title not in public  # the internal title stays internal
    assert canary not in public and "26/1743" not in public
    staff = User.objects.create_user("sekretær", password="x", is_staff=True)
    client.force_login(staff)
    # is_staff opens the admin only: closed content needs a role in the organization.
    assert canary not in client.get(f"/moeder/{demo_meeting.pk}/").content.decode()
    SecretaryAssignment.objects.create(user=staff, organization=demo_meeting.organization)
    assert canary in client.get(f"/moeder/{demo_meeting.pk}/").content.decode()


def test_planned_meeting_is_not_found_by_the_public(client, actor):
    meeting = MeetingFactory()
    services.agenda_item_add(meeting=meeting, title="Hemmelig plan", by=actor)
    assert client.get(f"/moeder/{meeting.pk}/").status_code == 404
    assert "Hemmelig plan" not in client.get("/").content.decode()
