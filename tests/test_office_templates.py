"""A new meeting from the committee's template or from the previous meeting's open items."""

from __future__ import annotations

import pytest

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.models import DecisionOutcome, Meeting
from tests.factories import OrganizationFactory, SecretaryAssignmentFactory

pytestmark = pytest.mark.django_db

TEMPLATE = [
    {
        "title": "Godkendelse af dagsorden",
        "decision_required": True,
        "sections": [{"heading": "Indstilling", "body": "Dagsordenen godkendes."}],
    },
    {
        "title": "Sag fra forvaltningen",
        "decision_required": True,
        "sections": ["Sagsresume", "Indstilling", "Sagsfremstilling", "Økonomi", "Beslutning"],
    },
    {"title": "Eventuelt", "decision_required": False},
]


@pytest.fixture
def secretary(client):
    organization = OrganizationFactory(standing_items=TEMPLATE)
    assignment = SecretaryAssignmentFactory(organization=organization)
    client.force_login(assignment.user)
    return client, organization, Actor.of(assignment.user)


def _create(client, organization, start: str, source: str | None) -> Meeting:
    data = {"meeting-organization": organization.pk, "meeting-start": start}
    if source is not None:
        data["meeting-source"] = source
    response = client.post("/kontor/moeder/nyt/", data)
    assert response.status_code == 302, response.content
    return Meeting.objects.get(organization=organization, start__date=start[:10])


def _sections(item) -> list[tuple[str, str]]:
    return [(s.heading, s.body) for s in item.sections.order_by("order")]


def test_a_meeting_starts_from_the_template_with_its_sections(secretary):
    client, organization, _by = secretary
    meeting = _create(client, organization, "2026-03-02T16:00", "template")
    first, case, last = meeting.items.order_by("order")
    assert _sections(first) == [("Indstilling", "Dagsordenen godkendes.")]
    assert [h for h, _b in _sections(case)] == [
        "Sagsresume",
        "Indstilling",
        "Sagsfremstilling",
        "Økonomi",
        "Beslutning",
    ]
    assert last.title == "Eventuelt" and _sections(last) == []


def test_copying_the_previous_meeting_brings_its_open_items_only(secretary):
    client, organization, by = secretary
    earlier = _create(client, organization, "2026-02-02T16:00", None)
    undecided = services.agenda_item_add_before_closing(
        meeting=earlier, title="Skolestruktur", by=by, public=False, public_title="Lukket sag"
    )
    services.section_add(item=undecided, heading="Sagsfremstilling", body="Tekst *her*", by=by)
    postponed = services.agenda_item_add_before_closing(meeting=earlier, title="Budget", by=by)
    decided = services.agenda_item_add_before_closing(meeting=earlier, title="Vejnavne", by=by)
    services.meeting_publish_agenda(meeting=earlier, by=by)
    earlier.refresh_from_db()
    services.meeting_mark_held(meeting=earlier, by=by)
    services.decision_record(item=postponed, outcome=DecisionOutcome.POSTPONED, text="", by=by)
    services.decision_record(item=decided, outcome=DecisionOutcome.APPROVED, text="", by=by)

    meeting = _create(client, organization, "2026-03-02T16:00", "previous")
    titles = list(meeting.items.order_by("order").values_list("title", flat=True))
    assert titles == [
        "Godkendelse af dagsorden",
        "Sag fra forvaltningen",
        "Skolestruktur",
        "Budget",
        "Eventuelt",
    ]
    copy = meeting.items.get(title="Skolestruktur")
    assert (copy.public, copy.public_title) == (False, "Lukket sag")
    assert _sections(copy) == [("Sagsfremstilling", "Tekst *her*")]
    assert copy.pk != undecided.pk


def test_copying_without_a_previous_meeting_is_refused_and_creates_nothing(secretary):
    client, organization, _by = secretary
    response = client.post(
        "/kontor/moeder/nyt/",
        {
            "meeting-organization": organization.pk,
            "meeting-start": "2026-03-02T16:00",
            "meeting-source": "previous",
        },
    )
    assert response.status_code == 200
    assert "intet tidligere møde" in response.content.decode()
    assert not Meeting.objects.filter(organization=organization).exists()
