"""Reads of anonymous portal visitors from a PostgreSQL streaming replica.

The public portal and OParl are most of the traffic and only read. When
GREMIUM_READ_REPLICA_URL names a replica, their reads go to the database alias "replica";
everything else stays on the primary: every write, every logged-in user (a secretary must
see her own change at once, not after the replica caught up), the office, the admin, and
any request that is not GET/HEAD. A replica lags by a fraction of a second, which a
visitor of the archive cannot tell from having loaded the page a moment earlier.

The choice is made per request in process_view (the resolved namespace and the user are
known there) and kept in a context variable that the router reads.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
PUBLIC_NAMESPACES = frozenset({"portal", "oparl"})
# Shared state read and written in the same request (the database cache: login throttle,
# cached pages; sessions): a lagging copy would undo what was just written.
PRIMARY_ONLY = frozenset({"django_cache", "sessions"})
_reads_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "gremium_reads_from_replica", default=False
)


class ReplicaRouter:
    """Installed by settings only when a replica is configured."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if model._meta.app_label in PRIMARY_ONLY:  # type: ignore[attr-defined]
            return None
        return REPLICA if _reads_from_replica.get() else None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None  # the primary

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # it follows the primary's schema by replication


def reads_from_replica(request: HttpRequest) -> bool:
    # A visitor without a session cookie is anonymous. Asking request.user instead would
    # read the session and make every public response "Vary: Cookie", which stops shared
    # caches from keeping the portal's pages; with a cookie, the primary is always right.
    match = request.resolver_match
    return (
        request.method in ("GET", "HEAD")
        and match is not None
        and match.namespace in PUBLIC_NAMESPACES
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class ReplicaMiddleware:
    """After AuthenticationMiddleware: the session is read from the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _reads_from_replica.set(False)
        try:
            return self.get_response(request)
        finally:
            _reads_from_replica.reset(token)

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        _reads_from_replica.set(reads_from_replica(request))
