"""Prometheus metrics at /metrics, for a bearer token or an allowed network only.

Requests are counted by method, status class and route (the URL pattern's name, never the
path: ids in paths would make a series per meeting), with their duration. Under `gremium
serve` every worker process writes its figures to PROMETHEUS_MULTIPROC_DIR, which the
command sets before any worker starts, and /metrics adds them up; elsewhere (runserver,
tests) the process's own figures are shown. The worker queue's depth and age are read
from the database at each scrape, so every app server reports the same queue.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterable

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
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from gremium.jobs.selectors import oldest_waiting_age, waiting_count
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
    queue = CollectorRegistry()
    queue.register(QueueCollector())
    body = generate_latest(registry) + generate_latest(queue)
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "private, no-store"
    return response


class QueueCollector(Collector):
    """The jobs due now: how many, and how long the oldest has waited (0 when none)."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        age = oldest_waiting_age()
        yield GaugeMetricFamily(
            "gremium_queue_jobs_waiting",
            "Jobs due now that no worker has taken yet",
            value=waiting_count(),
        )
        yield GaugeMetricFamily(
            "gremium_queue_oldest_age_seconds",
            "How long the oldest job due has waited",
            value=age.total_seconds() if age is not None else 0.0,
        )
