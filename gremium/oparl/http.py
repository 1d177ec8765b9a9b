"""How the API answers: JSON in UTF-8, an ETag on every answer so a client that has the
object already gets 304 Not Modified, and CORS for reading from any web page (spec 2.6):
`Access-Control-Allow-Origin: *` on GET, HEAD and OPTIONS, and on nothing else, since the
API changes nothing."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
)
from django.utils.cache import get_conditional_response
from django.views.decorators.csrf import csrf_exempt

READ_METHODS = ("GET", "HEAD", "OPTIONS")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ", ".join(READ_METHODS),
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag",
    "Access-Control-Max-Age": "86400",
}

View = Callable[..., HttpResponseBase]


def json_response(request: HttpRequest, data: Any, status: int = 200) -> HttpResponseBase:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = HttpResponse(body, status=status, content_type="application/json")
    response["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
    # Public data, but a cache asks again before it reuses an answer.
    response["Cache-Control"] = "public, no-cache"
    if status != 200:
        return response
    # 304 with the same ETag when the client's copy is this one.
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def error(request: HttpRequest, status: int, message: str) -> HttpResponseBase:
    return json_response(request, {"error": message}, status=status)


def read_only(view: View) -> View:
    """Answer GET and HEAD with the view, OPTIONS with the CORS preflight, anything else
    with 405; every answer to a reading method carries the CORS headers."""

    # Nothing is written, so there is no form to protect: a POST gets 405, not a CSRF page.
    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in READ_METHODS:
            return HttpResponseNotAllowed(READ_METHODS)
        if request.method == "OPTIONS":
            response: HttpResponseBase = HttpResponse(status=204)
        else:
            response = view(request, *args, **kwargs)
        for header, value in CORS.items():
            response[header] = value
        return response

    return wrapper
