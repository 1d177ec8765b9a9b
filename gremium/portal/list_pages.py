"""The portal's list pages (front page, archive, committee pages) for the anonymous public:
rendered once per state of what they list, kept in each server process's memory, and sent
with validators and the public caching policy, so that a caching proxy keeps them too.

Under load these pages were rebuilt on every request (several queries and a template
each) while the meeting page was served as kept. Their state is read in one aggregate
query (`public_lists.portal_stamp`) before anything is built: a
published, changed, moved or withdrawn meeting, and any change to a body, term,
committee, person or seat, makes a new state, so an older rendering is never served again
(the same rule as the feeds and calendars). The date is part of the state too: the front
page's "upcoming" and a committee's current members depend on it.

When a change makes a new state, the threads of a process that ask for the same page at
that moment wait for one of them to build it (`_built_once`), instead of each building it.

Logged-in readers, and a browser with a message waiting, get the page built for them and
kept by no cache.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from gremium.lib.code_version import code_fingerprint
from gremium.meetings.public_lists import portal_stamp
from gremium.portal.http_cache import (
    Validators,
    private_response,
    shared_cacheable,
    shared_response,
    validators,
)

# Entries of an old state are never asked for again; they leave with the timeout or when
# the local cache culls.
MEMORY_SECONDS = 3600

# One lock per page being built in this process; it leaves when the page is kept.
_building: dict[str, threading.Lock] = {}
_building_guard = threading.Lock()


def portal_validators() -> Validators:
    """The ETag of the public list pages' current state. No Last-Modified: the date
    changes what they show without any row changing, so only the ETag may say "same"."""
    token = ".".join([portal_stamp(), timezone.localdate().isoformat(), code_fingerprint()])
    return validators(hashlib.sha256(token.encode()).hexdigest()[:32], None)


def list_page(request: HttpRequest, render_page: Callable[[], HttpResponse]) -> HttpResponseBase:
    """The page `render_page` makes, kept per state for the anonymous public."""
    if not shared_cacheable(request):
        return private_response(render_page())
    found = portal_validators()
    remembered = (
        f"gremium-list-page:{get_language()}:{found.etag}:"
        + hashlib.sha256(request.get_full_path().encode()).hexdigest()
    )

    response = shared_response(request, found, lambda: _built_once(remembered, render_page))
    if response.status_code >= 400:
        # An address that is wrong now (a page past the end) may be right after a change:
        # no cache keeps the refusal.
        del response["ETag"]
        response.headers.pop("Cache-Control", None)
        patch_cache_control(response, no_store=True)
    return response


def _built_once(key: str, render_page: Callable[[], HttpResponse]) -> HttpResponse:
    """The page kept under `key`, built by one thread while the others asking for it wait:
    under load, a new state had every waiting thread build the same page at once."""
    content = caches["local"].get(key)
    if content is not None:
        return HttpResponse(content)
    with _building_guard:
        lock = _building.setdefault(key, threading.Lock())
    try:
        with lock:
            content = caches["local"].get(key)  # built while this thread waited
            if content is not None:
                return HttpResponse(content)
            response = render_page()
            if response.status_code == 200:
                caches["local"].set(key, response.content, timeout=MEMORY_SECONDS)
            return response
    finally:
        with _building_guard:
            if _building.get(key) is lock and not lock.locked():
                del _building[key]
