"""The anonymous portal reads from the replica, everything else from the primary: tested
with two database aliases, the replica a copy of the primary whose rows then differ."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.db import connections

from gremium.lib.replica import REPLICA
from gremium.organizations.models import Organization
from tests.factories import OrganizationFactory, SecretaryAssignmentFactory

# The replica here is a file copy of the test database made with SQLite's VACUUM INTO; the
# router and middleware never look at the backend, so the SQLite run tests them for both.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgresql" in settings.DATABASES["default"]["ENGINE"],
        reason="the test's replica is a SQLite file copy; the routing is backend-independent",
    ),
]

PRIMARY_NAME = "Teknik- og Miljøudvalget"
REPLICA_NAME = "Kopiudvalget"


@pytest.fixture
def organization(settings, tmp_path):
    """An organisation on the primary and on a replica where it has another name."""
    organization = OrganizationFactory(name=PRIMARY_NAME)
    copy_path = tmp_path / "replica.sqlite3"
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy_path)])
    connection_settings = copy.deepcopy(connections["default"].settings_dict)
    connection_settings["NAME"] = str(copy_path)
    # Made by hand and not listed in connections.settings: the test case would bar an
    # alias that it did not know when it started (Django allows made-on-the-fly ones).
    connections.settings[REPLICA] = connection_settings
    replica = connections.create_connection(REPLICA)
    del connections.settings[REPLICA]
    setattr(connections._connections, REPLICA, replica)
    Organization.objects.using(REPLICA).filter(pk=organization.pk).update(name=REPLICA_NAME)
    settings.DATABASE_ROUTERS = ["gremium.lib.replica.ReplicaRouter"]
    yield organization
    replica.close()
    delattr(connections._connections, REPLICA)


def _committee_page(client, organization) -> str:
    response = client.get(f"/udvalg/{organization.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_portal_reads_come_from_the_replica(client, organization):
    page = _committee_page(client, organization)
    assert REPLICA_NAME in page
    assert PRIMARY_NAME not in page


def test_logged_in_users_read_the_primary(client, organization):
    user = SecretaryAssignmentFactory(organization=organization).user
    client.force_login(user)
    page = _committee_page(client, organization)
    assert PRIMARY_NAME in page
    assert REPLICA_NAME not in page


def test_reads_outside_a_public_request_stay_on_the_primary(client, organization):
    assert Organization.objects.get(pk=organization.pk).name == PRIMARY_NAME
    _committee_page(client, organization)
    assert Organization.objects.get(pk=organization.pk).name == PRIMARY_NAME, "reset after"
