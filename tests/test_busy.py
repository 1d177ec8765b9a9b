"""A busy database: the change is tried again, and otherwise refused in Danish with the
user's input kept; never a server error."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, transaction
from django.test import RequestFactory

from gremium.lib import busy
from gremium.lib.busy import DatabaseBusy, DatabaseBusyMiddleware, is_busy, retry_when_busy
from gremium.meetings import services
from tests.concurrency.browser import find_form
from tests.factories import MeetingFactory, SecretaryAssignmentFactory

LOCKED = "database is locked"


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _wrapped(sqlstate: str) -> OperationalError:
    error = OperationalError("could not obtain lock")
    error.__cause__ = _PgError(sqlstate)
    return error


@pytest.fixture(autouse=True)
def _no_pause(monkeypatch):
    monkeypatch.setattr(busy.time, "sleep", lambda seconds: None)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OperationalError(LOCKED), True),
        (_wrapped("40P01"), True),  # deadlock detected
        (_wrapped("55P03"), True),  # lock_timeout
        (_wrapped("40001"), True),  # serialization failure
        (OperationalError("no such table: meetings_meeting"), False),
        (_wrapped("42P01"), False),
        (ValueError(LOCKED), False),
    ],
)
def test_a_busy_database_is_told_from_other_errors(error, expected):
    assert is_busy(error) is expected


def _flaky(failures: int, error: Exception | None = None):
    calls = []

    def action() -> str:
        calls.append(1)
        if len(calls) <= failures:
            raise error or OperationalError(LOCKED)
        return "saved"

    return action, calls


def test_a_busy_change_is_tried_again_and_then_succeeds():
    action, calls = _flaky(failures=busy.ATTEMPTS - 1)
    assert retry_when_busy(action) == "saved"
    assert len(calls) == busy.ATTEMPTS


def test_a_change_that_stays_busy_is_refused_with_a_danish_message():
    action, calls = _flaky(failures=busy.ATTEMPTS)
    with pytest.raises(DatabaseBusy, match="Systemet er optaget"):
        retry_when_busy(action)
    assert len(calls) == busy.ATTEMPTS


def test_other_database_errors_are_not_retried():
    action, calls = _flaky(failures=1, error=OperationalError("disk I/O error"))
    with pytest.raises(OperationalError, match="disk I/O"):
        retry_when_busy(action)
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_an_outer_transaction_only_the_outer_caller_may_start_over():
    action, calls = _flaky(failures=1)
    with pytest.raises(OperationalError), transaction.atomic():
        retry_when_busy(action)
    assert len(calls) == 1


def test_the_last_resort_is_a_danish_503_page():
    request = RequestFactory().post("/konto/log-ind/")
    request.user = AnonymousUser()
    middleware = DatabaseBusyMiddleware(lambda request: None)
    response = middleware.process_exception(request, OperationalError(LOCKED))
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert "Systemet er optaget" in html and "Tilbage-knap" in html
    assert middleware.process_exception(request, ValueError("other")) is None


@pytest.fixture
def office(client):
    assignment = SecretaryAssignmentFactory()
    client.force_login(assignment.user)
    return client, MeetingFactory(organization=assignment.organization)


@pytest.mark.django_db(transaction=True)
def test_an_item_save_on_a_busy_database_keeps_the_text_in_the_form(office, monkeypatch, actor):
    client, meeting = office
    item = services.agenda_item_add(meeting=meeting, title="Skolestruktur", by=actor)

    def busy_edit(**kwargs):
        raise OperationalError(LOCKED)

    monkeypatch.setattr(services, "agenda_item_edit", busy_edit)
    url = f"/kontor/punkter/{item.pk}/"
    form = find_form(client.get(url).content.decode(), button="save")
    form.set("body_0", "Min lange tekst")
    response = client.post(url, dict(form.submission("save")))
    html = response.content.decode()
    assert response.status_code == 503
    assert "Systemet er optaget" in html and "Din tekst står stadig i formularen" in html
    assert "Min lange tekst" in html


@pytest.mark.django_db(transaction=True)
def test_an_office_action_on_a_busy_database_says_so_and_changes_nothing(office, monkeypatch):
    client, meeting = office
    calls = []

    def busy_add(**kwargs):
        calls.append(1)
        raise OperationalError(LOCKED)

    monkeypatch.setattr(services, "agenda_item_add_with_sections", busy_add)
    form = find_form(client.get(f"/kontor/moeder/{meeting.pk}/").content.decode(), action="/nyt/")
    form.set("title", "Nyt punkt")
    response = client.post(form.action, dict(form.submission()), follow=True)
    assert response.status_code == 200
    assert "Systemet er optaget" in response.content.decode()
    assert len(calls) == busy.ATTEMPTS
    assert not meeting.items.exists()


@pytest.mark.django_db
def test_the_database_is_set_up_for_simultaneous_writers(tmp_path, settings):
    from django.db import connection, connections

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == f"{settings.GREMIUM_DB_LOCK_TIMEOUT}s"
        return
    # The test database lives in memory; a file database shows what production gets.
    probe = type(connections["default"])(
        {**connection.settings_dict, "NAME": str(tmp_path / "probe.sqlite3")},
        alias=connection.alias,
    )
    try:
        probe.connect()
        assert probe.transaction_mode == "IMMEDIATE"
        with probe.cursor() as cursor:
            pragmas = {}
            for name in ("journal_mode", "busy_timeout", "synchronous"):
                cursor.execute(f"PRAGMA {name}")
                pragmas[name] = cursor.fetchone()[0]
        assert pragmas == {
            "journal_mode": "wal",
            "busy_timeout": settings.GREMIUM_DB_LOCK_TIMEOUT * 1000,
            "synchronous": 2,  # FULL
        }
    finally:
        probe.close()
