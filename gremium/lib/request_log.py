"""Each request gets an id and one access log line.

The id comes from the X-Request-ID header when a proxy (or client) sent a usable one, so a
request can be followed from the proxy's log into gremium's; otherwise gremium makes one.
It is sent back in the response's X-Request-ID and stands in every log record written
while the request is served (lib/log_format.py). The access line is written here rather
than by the WSGI server, so that it shows the client address after the trusted-proxy check
(lib/proxy.py) and has the same format as every other line.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from gremium.lib.log_format import REQUEST_ID_META, current_request_id

access_log = logging.getLogger("gremium.access")
# Long enough for the usual forms (UUIDs, nginx's $request_id, trace ids), and no
# character that could break a log line or a header.
_USABLE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def incoming_request_id(value: object) -> str | None:
    text = str(value or "")
    return text if _USABLE_ID.fullmatch(text) else None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.enabled = settings.GREMIUM_ACCESS_LOG

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = incoming_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request_id = request_id or uuid.uuid4().hex
        request.META[REQUEST_ID_META] = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if self.enabled:
                log_access(request, response, time.perf_counter() - started)
        finally:
            current_request_id.reset(token)
        return response


def log_access(request: HttpRequest, response: HttpResponseBase, seconds: float) -> None:
    fields = {
        "client": request.META.get("REMOTE_ADDR", ""),
        "method": request.method,
        "path": request.get_full_path(),
        "protocol": request.META.get("SERVER_PROTOCOL", ""),
        "status": response.status_code,
        "bytes": _length(response),
        "duration_ms": round(seconds * 1000, 1),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }
    access_log.info(
        '%s "%s %s %s" %s %s %.1fms',
        fields["client"],
        fields["method"],
        fields["path"],
        fields["protocol"],
        fields["status"],
        fields["bytes"] if fields["bytes"] is not None else "-",
        fields["duration_ms"],
        extra={"fields": fields},
    )


def _length(response: HttpResponseBase) -> int | None:
    if response.has_header("Content-Length"):
        return int(response["Content-Length"])
    if not response.streaming:
        return len(response.content)  # type: ignore[attr-defined]
    return None
