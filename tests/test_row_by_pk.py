"""row_by_pk: the instance `get` gives, from SQL built once, from the routers' database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.connection import ConnectionDoesNotExist

from gremium.lib.row_by_pk import row_by_pk
from gremium.meetings.models import Meeting
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _fields(instance: Meeting) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in Meeting._meta.concrete_fields}


def test_the_instance_equals_the_orms_in_every_field():
    made = MeetingFactory(
        name="Ekstraordinært møde",
        end=timezone.make_aware(dt.datetime(2026, 3, 2, 18, 30)),
        content_locked=True,
        version=7,
    )
    expected = Meeting.objects.get(pk=made.pk)
    found = row_by_pk(Meeting, made.pk)
    assert isinstance(found, Meeting)
    assert _fields(found) == _fields(expected)
    # Aware datetimes as the ORM gives them, not the database's text.
    assert found.modified.tzinfo is not None
    assert found.end == made.end
    assert not found._state.adding
    assert found._state.db == expected._state.db


def test_a_missing_row_is_none():
    assert row_by_pk(Meeting, 987654) is None


def test_each_call_reads_the_database_anew():
    made = MeetingFactory()
    row_by_pk(Meeting, made.pk)
    Meeting.objects.filter(pk=made.pk).update(version=42)
    with CaptureQueriesContext(connection) as queries:
        assert row_by_pk(Meeting, made.pk).version == 42
    assert len(queries) == 1


class _ElsewhereRouter:
    def db_for_read(self, model, **hints):
        return "elsewhere"


def test_the_routers_choose_the_database(settings):
    made = MeetingFactory()
    settings.DATABASE_ROUTERS = [_ElsewhereRouter()]
    with pytest.raises(ConnectionDoesNotExist):
        row_by_pk(Meeting, made.pk)
