"""When another writer holds the database: recognise it, try again, or say so in Danish.

The services write one at a time (audit.services.write_transaction), so a write normally
just waits its turn (GREMIUM_DB_LOCK_TIMEOUT). What is left: a wait that outlasts the
timeout, or PostgreSQL breaking a deadlock. Both roll the whole transaction back, so the
same change can be tried again from the start.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from gremium.lib.error_pages import render_error
from gremium.lib.errors import DomainError

T = TypeVar("T")
ATTEMPTS = 3
# PostgreSQL: serialization failure, deadlock detected, lock wait over lock_timeout.
_BUSY_SQLSTATES = {"40001", "40P01", "55P03"}
_BUSY_SQLITE = ("database is locked", "database table is locked")
log = logging.getLogger(__name__)


class DatabaseBusy(DomainError):
    """The change could not get its turn; nothing of it was saved."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Systemet er optaget af andres ændringer lige nu, så din ændring er ikke "
                "gemt. Prøv igen om et øjeblik."
            )
        )


def is_busy(error: BaseException) -> bool:
    """Whether the database refused because another writer was in the way."""
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return any(text in str(error) for text in _BUSY_SQLITE)


def retry_when_busy(action: Callable[[], T]) -> T:
    """Run a change; when the database was busy, run it again from the start, and after
    ATTEMPTS tries raise DatabaseBusy. Each try must be one transaction, or steps that may
    run again (a busy error rolls back the transaction it happened in). Inside an outer
    transaction the change runs once: only the outer caller can start it over."""
    if connection.in_atomic_block:
        return action()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return action()
        except OperationalError as error:
            if not is_busy(error):
                raise
            log.warning("database busy (attempt %s of %s): %s", attempt, ATTEMPTS, error)
            if attempt == ATTEMPTS:
                raise DatabaseBusy() from error
            # Jitter, so the writers that collided do not collide again.
            time.sleep(0.1 * attempt + random.uniform(0, 0.2))  # noqa: S311
    raise AssertionError("unreachable")


class DatabaseBusyMiddleware:
    """The last resort for a busy database outside the office's actions (login, admin):
    a Danish 503 page that says nothing was saved, instead of a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        log.warning(
            "database busy, answered 503: %s %s: %s", request.method, request.path, exception
        )
        explanation = _(
            "%(busy)s Gå tilbage med browserens Tilbage-knap: det, du skrev, står normalt "
            "stadig i formularen. Send den så igen."
        ) % {"busy": DatabaseBusy().message}
        response = render_error(
            request, status=503, title=_("Prøv igen om et øjeblik"), explanation=explanation
        )
        response["Retry-After"] = "5"
        return response
