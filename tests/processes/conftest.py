"""The process stage: gremium's own processes (app servers, workers) started beside the
test against the test database, which is therefore a file on SQLite (as in the
concurrency stage) and committed to (transaction=True). Run on its own:
`pytest -m processes tests/processes` (a stage of scripts/test)."""

from __future__ import annotations

from tests.concurrency.conftest import django_db_modify_db_settings  # noqa: F401
