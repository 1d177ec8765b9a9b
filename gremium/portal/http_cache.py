"""HTTP caching of what the portal publishes (docs/architecture.md, "Caching").

Published pages, PDFs, feeds and calendars are the same for every anonymous reader: they
carry an ETag and Last-Modified read from the database without building anything, answer
a conditional request that still matches with 304, and say `Cache-Control: public`, so
browsers and proxies may keep them and ask again after GREMIUM_PUBLIC_MAX_AGE seconds.
Anything rendered for a logged-in user (an insider's internal page, a page whose header
names the user, a pending message) is `private, no-store`: no shared cache keeps it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from gremium.lib.language import language_etag

# Addresses that name one kept version never change: caches may keep them for a year.
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Validators:
    """A response's ETag (quoted, as sent) and Last-Modified, known before it is built."""

    etag: str
    last_modified: dt.datetime | None = None


def validators(token: str, last_modified: dt.datetime | None) -> Validators:
    return Validators(f'"{token}"', last_modified)


def shared_cacheable(request: HttpRequest) -> bool:
    """Whether this request gets the response every anonymous reader gets: not logged in,
    and no message waiting to be shown to this browser alone."""
    if request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0  # type: ignore[arg-type]


def public_response(
    request: HttpRequest,
    found: Validators,
    build: Callable[[], HttpResponseBase],
    *,
    immutable: bool = False,
) -> HttpResponseBase:
    """304 when the client's copy still matches; else the response `build` makes. Both
    carry the validators and the public caching policy."""
    # HTTP dates have whole seconds: compared as such, or a client's own copy of the
    # header would never match.
    last_modified = int(found.last_modified.timestamp()) if found.last_modified else None
    not_modified = get_conditional_response(request, etag=found.etag, last_modified=last_modified)
    response = build() if not_modified is None else not_modified
    response["ETag"] = found.etag
    if found.last_modified is not None:
        response["Last-Modified"] = http_date(found.last_modified.timestamp())
    if immutable:
        patch_cache_control(response, public=True, max_age=IMMUTABLE_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=settings.GREMIUM_PUBLIC_MAX_AGE)
    return response


def private_response(response: HttpResponseBase) -> HttpResponseBase:
    """A response for this user alone: never stored by a browser's or proxy's cache."""
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def shared_response(
    request: HttpRequest,
    found: Validators,
    build: Callable[[], HttpResponseBase],
    *,
    immutable: bool = False,
) -> HttpResponseBase:
    """`public_response` at an address where logged-in readers get another response:
    caches must tell the two apart by the cookie. The language cookie changes the page's
    words too, so the ETag names the language (gremium/lib/language.py)."""
    found = replace(found, etag=language_etag(found.etag))
    response = public_response(request, found, build, immutable=immutable)
    patch_vary_headers(response, ("Cookie",))
    return response


def for_audience(
    request: HttpRequest, found: Validators, build: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """The public policy for an anonymous reader, the private one for anyone else."""
    if shared_cacheable(request):
        return shared_response(request, found, build)
    return private_response(build())
