"""Every office and portal page of a recorded meeting, checked as a whole.

- No page repeats an id: a repeated id lets one form's label work another form's field
  (clicking "Offentligt bilag" unticked "Åbent punkt" and closed the item on the next save).
- Every page carries the Content-Security-Policy and has no inline script or style, which
  that policy would block; files are served sandboxed.
- Flash messages sit in a live region that leaves the list a plain list.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client

from gremium.lib.csp import PAGE_POLICY
from gremium.meetings.models import MeetingState
from tests.office_scenario import BY, approve_all, recorded_meeting

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """What the checks need from a page: its ids, inline scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1
        if tag == "style" or "style" in names or any(n.startswith("on") for n in names):
            self.inline.append(self.get_starttag_text() or tag)
        if tag == "script" and "src" not in names:
            self.inline.append(self.get_starttag_text() or tag)


def _parse(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    return parser


def repeated_ids(html: str) -> list[str]:
    return sorted(value for value, count in _parse(html).ids.items() if count > 1)


def _get(client: Client, url: str, data: dict | None = None, status: int = 200):
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def _office_and_portal_pages(client: Client) -> dict[str, object]:
    """Every page a secretary, a member and the public reach around one meeting, in each
    of its states that changes what the pages show, with error states."""
    scenario = recorded_meeting()
    meeting, item = scenario.meeting, scenario.item
    pages = {
        "login": _get(client, "/konto/log-ind/"),
        "login failed": _get(client, "/konto/log-ind/", {"username": "x", "password": "y"}),
        "home": _get(client, "/"),
        "public meeting": _get(client, f"/moeder/{meeting.pk}/"),
        "archive": _get(client, "/moeder/"),
        "committee": _get(client, f"/udvalg/{meeting.organization.slug}/"),
        "item page": _get(client, f"/moeder/{meeting.pk}/punkt/punkt-{item.number}/"),
        "person": _get(client, f"/personer/{scenario.members[0].pk}/"),
        "not found": _get(client, "/moeder/999999/", status=404),
    }
    secretary = Client()
    secretary.force_login(scenario.secretary)
    office = f"/kontor/moeder/{meeting.pk}/"
    pages["dashboard"] = _get(secretary, "/kontor/")
    pages["create"] = _get(secretary, "/kontor/moeder/nyt/")
    pages["create with errors"] = _get(secretary, "/kontor/moeder/nyt/", {"meeting-start": "x"})
    pages["meeting (minutes published)"] = _get(secretary, office)
    pages["history"] = _get(secretary, office + "historik/")
    pages["attendance"] = _get(secretary, office + "fremmoede/")
    pages["record"] = _get(secretary, office + "beslutninger/")
    pages["item with every form"] = _get(secretary, f"/kontor/punkter/{item.pk}/")
    pages["item with errors"] = _get(
        secretary, f"/kontor/punkter/{item.pk}/", {"item-title": ""}, status=400
    )
    pages["stale edit"] = _get(
        secretary,
        f"/kontor/punkter/{item.pk}/",
        {"item-version": 0, "item-title": "Ny", "section_count": "0", "save": "1"},
        status=409,
    )
    pages["two-factor setup"] = _get(secretary, "/konto/totrin/")
    template = f"/kontor/udvalg/{meeting.organization.pk}/skabelon/"
    pages["meeting template"] = _get(secretary, template)
    pages["meeting template with errors"] = _get(
        secretary,
        template,
        {
            "standing-TOTAL_FORMS": "1",
            "standing-INITIAL_FORMS": "0",
            "standing-0-sections": "tekst uden overskrift",
            "template-item_sections": "",
        },
    )

    member = Client()
    member.force_login(scenario.members[0].user)
    pages["member dashboard"] = _get(member, "/kontor/")
    pages["approve"] = _get(member, office + "godkend/")
    pages["member's meeting"] = _get(member, f"/moeder/{meeting.pk}/")

    approve_all(scenario)
    assert scenario.meeting.state == MeetingState.APPROVED
    pages["locked item (addendum)"] = _get(secretary, f"/kontor/punkter/{item.pk}/")
    pages["approved"] = _get(member, office + "godkend/")
    return pages


def _planned_pages(client: Client) -> dict[str, object]:
    from gremium.meetings import services
    from tests.factories import MeetingFactory, SecretaryAssignmentFactory

    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="Skolestruktur", by=BY)
    client.force_login(SecretaryAssignmentFactory(organization=meeting.organization).user)
    office = f"/kontor/moeder/{meeting.pk}/"
    return {
        "planned meeting": _get(client, office),
        "planned item": _get(client, f"/kontor/punkter/{item.pk}/"),
        "confirm cancel": _get(client, office + "status/", {"action": "cancel"}),
        "confirm publish": _get(client, office + "status/?action=publish_agenda"),
    }


@pytest.fixture
def pages(client):
    return {**_office_and_portal_pages(client), **_planned_pages(Client())}


def test_the_parser_finds_what_the_checks_look_for():
    page = _parse('<p id="a" style="color:red"></p><input id="b" onclick="x()"><label id="a">')
    assert sorted(k for k, n in page.ids.items() if n > 1) == ["a"]
    assert len(page.inline) == 2
    assert len(_parse("<script>alert(1)</script><script src='/s.js'></script>").inline) == 1


def test_no_page_repeats_an_id(pages):
    repeated = {name: ids for name, r in pages.items() if (ids := repeated_ids(r.content.decode()))}
    assert repeated == {}


def test_every_page_carries_the_policy_and_needs_no_inline_code(pages):
    for name, response in pages.items():
        assert response["Content-Security-Policy"] == PAGE_POLICY, name
        assert _parse(response.content.decode()).inline == [], name
    assert "'unsafe-inline'" not in PAGE_POLICY and "script-src 'self'" in PAGE_POLICY
    assert "style-src 'self'" in PAGE_POLICY and "frame-ancestors 'none'" in PAGE_POLICY


def test_pdfs_and_attachments_are_served_sandboxed(client):
    scenario = recorded_meeting()
    attachment = scenario.item.attachments.get()
    for url in (
        f"/moeder/{scenario.meeting.pk}/referat.pdf",
        f"/moeder/{scenario.meeting.pk}/dagsorden.pdf",
        f"/bilag/{attachment.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == "sandbox", url


def test_a_flash_message_sits_in_a_live_region_around_a_plain_list(client):
    scenario = recorded_meeting()
    client.force_login(scenario.secretary)
    url = f"/kontor/moeder/{scenario.meeting.pk}/status/"
    html = client.post(url, {"action": "nonsense"}, follow=True).content.decode()
    region = '<div class="messages" role="status" aria-live="polite"><ul><li class="message error">'
    assert region in html and "Ukendt handling." in html
    assert '<ul class="messages" role="status">' not in html


def test_markdown_tables_scroll_in_their_own_region_and_align_by_class():
    from gremium.lib.markdown import markdown_to_html

    html = markdown_to_html("| **Navn** | Beløb |\n|:---|---:|\n| Anne | 1.200 |\n")
    assert html.startswith(
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Tabel: Navn, Beløb">'
    )
    assert '<td class="align-right">1.200</td>' in html
    assert "style=" not in html


def test_every_office_form_has_a_prefix_of_its_own():
    from django import forms

    from gremium.office import forms as office_forms

    classes = [
        value
        for value in vars(office_forms).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == office_forms.__name__
        and value is not office_forms.PersonChoiceForm  # a base, never rendered itself
    ]
    prefixes = {cls.__name__: cls.prefix for cls in classes}
    assert None not in prefixes.values(), prefixes
    # The two meeting forms never share a page (one creates, the other edits).
    shared = {"MeetingCreateForm", "MeetingEditForm"}
    distinct = [p for name, p in prefixes.items() if name not in shared]
    assert len(distinct) == len(set(distinct)), prefixes
