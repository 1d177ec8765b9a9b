"""The database cache's table is made by `migrate`, so that a deployment that never ran
`createcachetable` still has a working login throttle and session cache."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    # Does nothing when the table exists or no cache is a database cache.
    call_command("createcachetable", database=using, verbosity=0)
