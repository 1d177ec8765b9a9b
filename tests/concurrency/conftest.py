"""The concurrency stage runs against a database that several threads share for real.

The default SQLite test database lives in memory, and the live server then hands every
request thread the test's own connection: writers never meet, so no lock conflict can show.
Here the SQLite test database is a file, as in production. Run these tests on their own
(`pytest -m concurrency`, the concurrency stage of scripts/test): the test database is
created once per run, by whichever test asks first.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        folder = tmp_path_factory.mktemp("concurrency")
        database.setdefault("TEST", {})["NAME"] = str(folder / "gremium.sqlite3")
