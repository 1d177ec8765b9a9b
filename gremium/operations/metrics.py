"""Prometheus metrics at /metrics, for a bearer token or an allowed network only.

Requests are counted by method, status class and route (the URL pattern's name, never the
path: ids in paths would make a series per meeting), with their duration. Under `gremium
serve` every worker process writes its figures to PROMETHEUS_MULTIPROC_DIR, which the
command sets before any worker starts, and /metrics adds them up; elsewhere (runserver,
tests) the process's own figures are shown.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from gremium.lib.proxy import address_in

REQUESTS = Counter("gremium_http_requests", "Requests answered", ["method", "status", "route"])
DURATION = Histogram(
    "gremium_http_request_duration_seconds",
    "Time from the request reaching gremium to its answer",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30),
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(method, f"{response.status_code // 100}xx", route).inc()
        DURATION.labels(route).observe(time.perf_counter() - started)
        return response


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "static" if request.path.startswith(f"/{settings.STATIC_URL}") else "none"
    return match.view_name or "unnamed"


def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.GREMIUM_METRICS_TOKEN
    sent = str(request.META.get("HTTP_AUTHORIZATION", ""))
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    client = str(request.META.get("REMOTE_ADDR", ""))
    return address_in(client, settings.GREMIUM_METRICS_NETWORKS)


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    # Not found rather than forbidden: the endpoint does not announce itself to the public.
    if not metrics_allowed(request):
        raise Http404
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "private, no-store"
    return response
