"""No page repeats an id: a repeated id lets one form's label work another form's field
(clicking "Offentligt bilag" unticked "Åbent punkt" and closed the item on the next save)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client

from gremium.meetings.models import MeetingState
from tests.office_scenario import approve_all, recorded_meeting

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids[value] += 1


def repeated_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(value for value, count in parser.ids.items() if count > 1)


def _page(client: Client, url: str, data: dict | None = None, status: int = 200) -> str:
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_parser_finds_a_repeated_id():
    assert repeated_ids('<p id="a"></p><input id="b"><label id="a">') == ["a"]


def test_no_office_or_portal_page_repeats_an_id(client):
    scenario = recorded_meeting()
    meeting, item = scenario.meeting, scenario.item
    pages = {"login": _page(client, "/konto/log-ind/"), "home": _page(client, "/")}
    pages["public meeting"] = _page(client, f"/moeder/{meeting.pk}/")

    secretary = Client()
    secretary.force_login(scenario.secretary)
    office = f"/kontor/moeder/{meeting.pk}/"
    pages["dashboard"] = _page(secretary, "/kontor/")
    pages["create"] = _page(secretary, "/kontor/moeder/nyt/")
    pages["create with errors"] = _page(secretary, "/kontor/moeder/nyt/", {"start": "i morgen"})
    pages["meeting (minutes published)"] = _page(secretary, office)
    pages["history"] = _page(secretary, office + "historik/")
    pages["item with every form"] = _page(secretary, f"/kontor/punkter/{item.pk}/")
    pages["item with errors"] = _page(
        secretary, f"/kontor/punkter/{item.pk}/", {"title": ""}, status=400
    )

    member = Client()
    member.force_login(scenario.members[0].user)
    pages["member dashboard"] = _page(member, "/kontor/")
    pages["approve"] = _page(member, office + "godkend/")
    pages["member's meeting"] = _page(member, f"/moeder/{meeting.pk}/")

    approve_all(scenario)
    assert scenario.meeting.state == MeetingState.APPROVED
    pages["locked item (addendum)"] = _page(secretary, f"/kontor/punkter/{item.pk}/")
    pages["approved"] = _page(member, office + "godkend/")

    repeated = {name: ids for name, html in pages.items() if (ids := repeated_ids(html))}
    assert repeated == {}


def test_the_planned_meeting_page_repeats_no_id(client):
    from gremium.meetings import services
    from tests.office_scenario import BY
    from tests.factories import MeetingFactory, SecretaryAssignmentFactory

    meeting = MeetingFactory()
    services.agenda_item_add(meeting=meeting, title="Skolestruktur", by=BY)
    secretary = SecretaryAssignmentFactory(organization=meeting.organization).user
    client.force_login(secretary)
    item = meeting.items.get()
    for url in (f"/kontor/moeder/{meeting.pk}/", f"/kontor/punkter/{item.pk}/"):
        assert repeated_ids(_page(client, url)) == [], url


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
