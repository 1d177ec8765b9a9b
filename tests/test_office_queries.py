"""The office's lists and the approval page cost a fixed number of queries, whatever the
number of meetings: the lists are paginated, the approval page builds its document once."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gremium.audit.services import Actor
from gremium.meetings.models import Meeting, MeetingState
from tests.factories import MeetingFactory
from tests.office_scenario import recorded_meeting

pytestmark = pytest.mark.django_db
BY = Actor.system("test")


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in captured.captured_queries], response


def _more_published_minutes(scenario, n):
    """`n` further meetings of the same organization with minutes out for approval; the
    members' seats cover them (no end date), so each waits for their signature."""
    for _ in range(n):
        MeetingFactory(
            organization=scenario.meeting.organization, state=MeetingState.MINUTES_PUBLISHED
        )


def _dashboard(client):
    sql, response = _queries(client, "/kontor/")
    return len(sql), response.content.decode()


def test_the_members_to_approve_list_is_paginated_at_a_fixed_query_count(client):
    scenario = recorded_meeting()
    client.force_login(scenario.members[0].user)
    few, html = _dashboard(client)
    assert html.count('href="/kontor/moeder/') == 1
    _more_published_minutes(scenario, 60)
    many, html = _dashboard(client)
    assert many == few
    assert html.count("/godkend/") == 25
    assert "Side 1 af 3" in html
    last = client.get("/kontor/?godkend=3").content.decode()
    assert last.count("/godkend/") == 61 - 50
    assert client.get("/kontor/?godkend=x").status_code == 200  # a wrong number: page 1


def test_the_secretarys_meeting_list_is_paginated_at_a_fixed_query_count(client):
    scenario = recorded_meeting()
    client.force_login(scenario.secretary)
    few, _html = _dashboard(client)
    _more_published_minutes(scenario, 60)
    many, html = _dashboard(client)
    assert many == few
    assert html.count('<tr><td><a href="/kontor/moeder/') == 25
    assert Meeting.objects.count() == 61


def test_approval_page_query_count_does_not_grow_with_the_meetings(client):
    scenario = recorded_meeting()
    client.force_login(scenario.members[0].user)
    url = f"/kontor/moeder/{scenario.meeting.pk}/godkend/"
    before, _response = _queries(client, url)
    _more_published_minutes(scenario, 30)
    after, response = _queries(client, url)
    assert len(after) == len(before)
    assert "Godkend" in response.content.decode()
    repeated = sum(c - 1 for c in Counter(after).values() if c > 1)
    assert repeated <= 2
