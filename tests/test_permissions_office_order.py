"""The permission matrix for ordering and clearing the agenda: every role against the
reorder, move, delete and bilag URLs of the planned meeting. Only the organization's
secretary (and the administrator) change anything; everyone else changes nothing."""

from __future__ import annotations

import pytest

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.papers.models import Attachment
from tests.hostile_files import simple_pdf
from tests.test_permissions import PLANNED_CANARY, ROLES, _client, world  # noqa: F401

pytestmark = pytest.mark.django_db
CHANGES = {"secretary", "admin"}
# GET of the confirmation pages: who may see them, and what the others get.
CONFIRM_STATUS = {"anonymous": 302, "secretary": 200, "admin": 200}


def _state(planned):  # type: ignore[no-untyped-def]
    items = list(planned.items.order_by("order").values_list("pk", "title"))
    names = list(Attachment.objects.filter(agenda_item__meeting=planned).values_list("name"))
    return items, names


@pytest.mark.parametrize("role", ROLES)
def test_order_and_clearing_matrix(world, role):  # noqa: F811
    planned = world.planned
    by = Actor.system("test")
    second = services.agenda_item_add(meeting=planned, title="Anden", by=by)
    first = planned.items.order_by("order").first()
    attachment = services.attachment_add(
        item=first, filename="bilag.pdf", content=simple_pdf(), by=by
    )
    client = _client(world, role)
    confirm_urls = [
        f"/kontor/punkter/{first.pk}/slet/",
        f"/kontor/punkter/{first.pk}/bilag/{attachment.pk}/fjern/",
    ]
    for url in confirm_urls:
        response = client.get(url)
        assert response.status_code in (
            (CONFIRM_STATUS[role],) if role in CONFIRM_STATUS else (403, 404)
        ), (role, url, response.status_code)
        if role not in CHANGES:
            assert PLANNED_CANARY not in response.content.decode()
    before = _state(planned)
    posts = [
        (f"/kontor/moeder/{planned.pk}/raekkefoelge/", {"order": f"{second.pk},{first.pk}"}),
        (f"/kontor/punkter/{second.pk}/position/", {f"move-{second.pk}-position": "1"}),
        (
            f"/kontor/punkter/{first.pk}/bilag/{attachment.pk}/omdoeb/",
            {f"rename-{attachment.pk}-name": "Ændret"},
        ),
        (f"/kontor/punkter/{first.pk}/bilag/{attachment.pk}/fjern/", {"confirm": "yes"}),
        (f"/kontor/punkter/{second.pk}/slet/", {"confirm": "yes"}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        if role not in CHANGES:
            assert response.status_code in (302, 403, 404), (role, url)
            if response.status_code == 302:
                assert response["Location"].startswith("/konto/log-ind/"), (role, url)
    after = _state(planned)
    if role in CHANGES:
        assert after != before
        assert [t for _pk, t in after[0]] == ["Plan"] and after[1] == []
    else:
        assert after == before, role
