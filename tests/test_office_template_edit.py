"""The secretary edits the committee's meeting template in the office; "Tilføj punkt" starts
a new item with the organization's default sections."""

from __future__ import annotations

import pytest

from gremium.audit.models import AuditRecord
from gremium.meetings.models import Meeting
from gremium.office.forms import DEFAULT_HEADINGS
from tests.factories import MeetingFactory, OrganizationFactory, SecretaryAssignmentFactory

pytestmark = pytest.mark.django_db

START = [
    {"title": "Godkendelse af dagsorden", "decision_required": True},
    {"title": "Eventuelt", "decision_required": False},
]


@pytest.fixture
def secretary(client):
    organization = OrganizationFactory(standing_items=START)
    assignment = SecretaryAssignmentFactory(organization=organization)
    client.force_login(assignment.user)
    return client, organization


def _row(n: int, title: str, order: object, decision=False, sections="", delete=False):
    data = {
        f"standing-{n}-title": title,
        f"standing-{n}-sections": sections,
        f"standing-{n}-ORDER": str(order),
    }
    if decision:
        data[f"standing-{n}-decision_required"] = "on"
    if delete:
        data[f"standing-{n}-DELETE"] = "on"
    return data


def _post(client, organization, rows: list[dict], item_sections: str = ""):
    data = {
        "standing-TOTAL_FORMS": str(len(rows)),
        "standing-INITIAL_FORMS": "2",
        "standing-MIN_NUM_FORMS": "0",
        "standing-MAX_NUM_FORMS": "1000",
        "template-item_sections": item_sections,
    }
    for row in rows:
        data.update(row)
    return client.post(f"/kontor/udvalg/{organization.pk}/skabelon/", data, follow=True)


def test_the_page_shows_the_template_with_prefixed_fields(secretary):
    client, organization = secretary
    page = client.get(f"/kontor/udvalg/{organization.pk}/skabelon/").content.decode()
    assert 'id="id_standing-0-title"' in page and 'value="Godkendelse af dagsorden"' in page
    assert 'id="id_standing-2-title"' in page  # the empty row to add one
    assert 'id="id_template-item_sections"' in page
    dashboard = client.get("/kontor/").content.decode()
    assert f'href="/kontor/udvalg/{organization.pk}/skabelon/"' in dashboard


def test_rows_are_added_removed_and_reordered_and_the_change_is_audited(secretary):
    client, organization = secretary
    rows = [
        _row(0, "Godkendelse af dagsorden", 2, decision=True),
        _row(1, "Eventuelt", 3, delete=True),
        _row(
            2,
            "Meddelelser",
            1,
            decision=True,
            sections="# Sagsresume\n# Indstilling\nForvaltningen indstiller, at\n\n- noget",
        ),
    ]
    response = _post(client, organization, rows, item_sections="# Baggrund\n# Indstilling")
    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.standing_items == [
        {
            "title": "Meddelelser",
            "decision_required": True,
            "sections": [
                "Sagsresume",
                {"heading": "Indstilling", "body": "Forvaltningen indstiller, at\n\n- noget"},
            ],
        },
        {"title": "Godkendelse af dagsorden", "decision_required": True},
    ]
    assert organization.item_sections == ["Baggrund", "Indstilling"]
    record = AuditRecord.objects.get(action="organization.template")
    assert record.object_id == str(organization.pk)
    # What was saved reads back into the same form.
    page = client.get(f"/kontor/udvalg/{organization.pk}/skabelon/").content.decode()
    assert "# Indstilling\nForvaltningen indstiller, at" in page


@pytest.mark.parametrize(
    ("rows", "item_sections", "message"),
    [
        ([_row(0, "", 1, sections="# Sagsresume")], "", "Hvert fast punkt skal have en titel"),
        ([_row(0, "A", 1), _row(1, "A", 2)], "", "A står flere gange"),
        ([_row(0, "A", 1, sections="tekst uden overskrift")], "", "Række 1, Afsnit: Linje 1"),
        ([_row(0, "A", 1)], "x\n# B", "Afsnit i nye punkter: Linje 1"),
        ([_row(0, "A", 1, delete=True), _row(1, "B", 2, delete=True)], "", "mindst ét"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(secretary, rows, item_sections, message):
    client, organization = secretary
    response = _post(client, organization, rows, item_sections=item_sections)
    assert message in response.content.decode()
    organization.refresh_from_db()
    assert organization.standing_items == START and organization.item_sections == []
    assert not AuditRecord.objects.filter(action="organization.template").exists()


def _add_item(client, meeting: Meeting):
    response = client.post(
        f"/kontor/moeder/{meeting.pk}/punkter/nyt/",
        {"new-item-title": "Ny sag", "new-item-public": "on"},
    )
    assert response.status_code == 302
    item = meeting.items.get(title="Ny sag")
    return [(s.heading, s.body) for s in item.sections.order_by("order")]


def test_a_new_item_starts_with_the_organizations_sections(secretary):
    client, organization = secretary
    organization.item_sections = ["Baggrund", {"heading": "Indstilling", "body": "At ..."}]
    organization.save()
    meeting = MeetingFactory(organization=organization)
    assert _add_item(client, meeting) == [("Baggrund", ""), ("Indstilling", "At ...")]


def test_without_its_own_sections_a_new_item_gets_the_office_headings(secretary):
    client, organization = secretary
    meeting = MeetingFactory(organization=organization)
    assert _add_item(client, meeting) == [(h, "") for h in DEFAULT_HEADINGS]


def test_the_audit_record_reads_in_words():
    from gremium.audit.labels import action_label

    assert action_label("organization.template") == "Organisation: mødeskabelon ændret"
