"""The record page: decisions item after item on one page, no preset outcome, a JSON
answer for the page's script and a redirect to the next item without it, stale edits
refused."""

from __future__ import annotations

import re

import pytest

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import Decision, DecisionOutcome
from tests.office_scenario import recorded_meeting

pytestmark = pytest.mark.django_db
BY = Actor.system("test")
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def held(client):
    scenario = recorded_meeting()
    client.force_login(scenario.secretary)
    return scenario, client


def _post(client, item, outcome, text="", expected=None, **extra):
    prefix = f"decision-{item.pk}"
    if expected is None:
        expected = services.decision_fingerprint(getattr(item, "decision", None))
    data = {f"{prefix}-outcome": outcome, f"{prefix}-text": text, f"{prefix}-expected": expected}
    return client.post(f"/kontor/punkter/{item.pk}/beslutning/gem/", data, **extra)


def test_every_item_has_a_form_and_no_outcome_is_preset(held):
    scenario, client = held
    items = list(scenario.meeting.items.order_by("order"))
    undecided = [i for i in items if not hasattr(i, "decision")]
    assert undecided
    html = client.get(f"/kontor/moeder/{scenario.meeting.pk}/beslutninger/").content.decode()
    for item in items:
        assert f'id="item-{item.pk}"' in html
    for item in undecided:
        select = re.search(rf'<select name="decision-{item.pk}-outcome".*?</select>', html, re.S)
        assert select is not None
        assert "selected" not in select.group(0).replace('value="" selected', "")
        assert re.search(r'<option value="" selected>', select.group(0))


def test_fetch_save_answers_json_and_the_next_save_uses_the_new_state(held):
    scenario, client = held
    item = scenario.item
    response = _post(client, item, DecisionOutcome.POSTPONED, "Udsat til maj.", **JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    item.refresh_from_db()
    assert item.decision.outcome == DecisionOutcome.POSTPONED
    assert body["expected"] == services.decision_fingerprint(item.decision)
    again = _post(client, item, DecisionOutcome.APPROVED, expected=body["expected"], **JSON)
    assert again.json()["ok"] is True


def test_without_script_the_post_returns_to_the_next_item(held):
    scenario, client = held
    items = list(scenario.meeting.items.order_by("order"))
    response = _post(client, items[0], DecisionOutcome.APPROVED)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/beslutninger/#item-{items[1].pk}")


def test_a_missing_outcome_is_named_and_changes_nothing(held):
    scenario, client = held
    item = scenario.item
    before = list(Decision.objects.filter(agenda_item=item).values_list("outcome", "text"))
    response = _post(client, item, "", "Tekst", **JSON)
    assert response.status_code == 400
    assert "Udfald" in response.json()["message"]
    assert list(Decision.objects.filter(agenda_item=item).values_list("outcome", "text")) == before


def test_a_decision_saved_meanwhile_is_not_overwritten(held):
    scenario, client = held
    item = scenario.item
    seen = services.decision_fingerprint(getattr(item, "decision", None))
    services.decision_record(item=item, outcome=DecisionOutcome.REJECTED, text="Afvist.", by=BY)
    response = _post(client, item, DecisionOutcome.APPROVED, expected=seen, **JSON)
    assert response.status_code == 400
    assert "ændret af en anden" in response.json()["message"]
    item.refresh_from_db()
    assert item.decision.outcome == DecisionOutcome.REJECTED


def test_a_member_cannot_record(held):
    scenario, client = held
    client.force_login(scenario.members[0].user)
    assert client.get(f"/kontor/moeder/{scenario.meeting.pk}/beslutninger/").status_code == 403
    assert _post(client, scenario.item, DecisionOutcome.APPROVED).status_code == 403


def test_the_history_names_actions_and_changed_fields_in_danish(held):
    scenario, client = held
    item = scenario.item
    _post(client, item, DecisionOutcome.POSTPONED, "Udsat.", **JSON)
    html = client.get(f"/kontor/moeder/{scenario.meeting.pk}/historik/").content.decode()
    assert "Beslutning: registreret" in html
    assert "decision.record" not in html
    row = next(r for r in html.split("<tr>") if "Beslutning: registreret" in r and "udfald" in r)
    assert "beslutningstekst" in row
    assert "outcome" not in html.split("<tbody>")[1]
