"""The permission matrix for the committee's meeting template: every role against the
template page of the planned meeting's organization. Only that organization's secretary and
the administrator see or change it; everyone else gets nothing and changes nothing."""

from __future__ import annotations

import pytest

from gremium.audit.models import AuditRecord
from tests.test_permissions import ROLES, _client, world  # noqa: F401

pytestmark = pytest.mark.django_db
CHANGES = {"secretary", "admin"}
TEMPLATE_CANARY = "Kanariefugl-skabelon-5521"


@pytest.mark.parametrize("role", ROLES)
def test_template_matrix(world, role):  # noqa: F811
    organization = world.planned.organization
    organization.standing_items = [
        {"title": "Godkendelse", "decision_required": True, "sections": [TEMPLATE_CANARY]}
    ]
    organization.save()
    url = f"/kontor/udvalg/{organization.pk}/skabelon/"
    client = _client(world, role)
    response = client.get(url)
    if role in CHANGES:
        assert response.status_code == 200
        assert TEMPLATE_CANARY in response.content.decode()
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/log-ind/")
    else:
        assert response.status_code in (403, 404), role
        assert TEMPLATE_CANARY not in response.content.decode()
    data = {
        "standing-TOTAL_FORMS": "1",
        "standing-INITIAL_FORMS": "1",
        "standing-MIN_NUM_FORMS": "0",
        "standing-MAX_NUM_FORMS": "1000",
        "standing-0-title": "Ændret",
        "standing-0-ORDER": "1",
        "template-item_sections": "# Nyt",
    }
    response = client.post(url, data)
    organization.refresh_from_db()
    changed = AuditRecord.objects.filter(action="organization.template").exists()
    if role in CHANGES:
        assert response.status_code == 302
        assert organization.standing_items == [{"title": "Ændret", "decision_required": False}]
        assert organization.item_sections == ["Nyt"] and changed
    else:
        assert response.status_code in (302, 403, 404), role
        assert organization.standing_items[0]["title"] == "Godkendelse" and not changed
        assert organization.item_sections == []
