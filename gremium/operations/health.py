"""/health/live and /health/ready for load balancers, orchestrators and the container's
HEALTHCHECK, answered before any other middleware: no host check (a probe asks by
address), no HTTPS redirect (it probes the app server directly), no session or database
beyond what the readiness check itself needs.

Live: the process answers. Ready: it can serve, i.e. the database answers, every
migration is applied, the file storage takes a write and the oldest job due in the worker
queue has not waited longer than GREMIUM_READY_MAX_QUEUE_AGE (no worker, or too few,
would otherwise go unnoticed while PDFs and mail pile up). The answer is JSON; a failed check
is named but its details (which may say where the database is) go only to the log.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponseBase, JsonResponse

from gremium.jobs.selectors import oldest_waiting_age

LIVE = "/health/live"
READY = "/health/ready"
log = logging.getLogger(__name__)


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        # Migrations do not go away under a running process: once all were applied, the
        # (costly) check is not repeated.
        self.migrated = False

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info.rstrip("/")
        if path == LIVE:
            return _answer({"status": "ok"}, ok=True)
        if path == READY:
            return self.ready()
        return self.get_response(request)

    def ready(self) -> JsonResponse:
        checks = {
            "database": _check("database", _database),
            "migrations": "ok" if self.migrated else _check("migrations", _migrations),
            "storage": _check("storage", _storage),
            "queue": _check("queue", _queue),
        }
        self.migrated = checks["migrations"] == "ok"
        ok = all(state == "ok" for state in checks.values())
        return _answer({"status": "ok" if ok else "fail", "checks": checks}, ok=ok)


def _answer(body: dict[str, object], *, ok: bool) -> JsonResponse:
    response = JsonResponse(body, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    return response


def _check(name: str, probe: Callable[[], str]) -> str:
    try:
        return probe()
    except Exception:
        log.exception("readiness check %s failed", name)
        return "fail"


def _database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        log.warning("readiness: %d migrations not applied (gremium migrate)", len(pending))
        return f"{len(pending)} not applied"
    return "ok"


def _storage() -> str:
    name = default_storage.save(f"health/ready-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return "ok"


def _queue() -> str:
    limit = settings.GREMIUM_READY_MAX_QUEUE_AGE
    age = oldest_waiting_age()
    if not limit or age is None or age.total_seconds() <= limit:
        return "ok"
    log.warning(
        "readiness: the oldest waiting job has waited %d s, more than %d s "
        "(GREMIUM_READY_MAX_QUEUE_AGE): is `gremium worker` running, and are there enough?",
        age.total_seconds(),
        limit,
    )
    return f"oldest job waiting {int(age.total_seconds())} s, limit {limit} s"
