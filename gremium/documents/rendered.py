"""Each page and PDF of a meeting is rendered once per state of the meeting and audience,
kept in the storage, and served from there.

The state is `rendering_key(meeting)`: the meeting's version (bumped by every service that
changes it), its `modified` (also set when the admin repairs what the meeting shows, and
when a kept PDF was added) and the fingerprint of the rendering code. Every change makes a
new key, so a rendering of the old state is never served again; the renderings of other
keys are deleted when a new one is kept. The key is read before the content is built, so a
rendering is never newer in key than in content (at worst it is newer in content, which a
later request replaces).

Approved minutes PDFs are records, not renderings: documents/archive.py keeps them per
approved version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from gremium.documents.models import Rendering
from gremium.lib.code_version import code_fingerprint
from gremium.lib.storage import discard_unreferenced
from gremium.meetings.models import Meeting

# Renderings up to this size (the pages, small PDFs) are also kept in the "local" cache,
# each server process's memory: a hit then costs neither a query nor a file read. The key
# names the state, so an entry of an old state is never asked for again, and a process
# that has not seen a change simply misses: nothing here needs the shared cache.
MEMORY_LIMIT = 512 * 1024
MEMORY_SECONDS = 3600


def rendering_key(meeting: Meeting) -> str:
    """What the meeting's renderings and their cache validators (ETag) are keyed by."""
    micros = int(meeting.modified.timestamp() * 1_000_000)
    return f"{meeting.version}.{micros}.{code_fingerprint()}"


def kept_rendering(meeting: Meeting, name: str, render: Callable[[], bytes]) -> bytes:
    """The rendering `name` of the meeting in its state as loaded: read from storage, or
    made by `render` now and kept. `name` must say the audience (and anything else the
    bytes depend on besides the meeting)."""
    key = rendering_key(meeting)
    remembered = f"gremium-rendering:{meeting.pk}:{key}:{name}"
    content = caches["local"].get(remembered)
    if content is not None:
        return content
    kept = Rendering.objects.filter(meeting_id=meeting.pk, key=key, name=name).first()
    content = _read(kept) if kept is not None else None
    if content is None:
        content = render()
        _keep(meeting, key, name, content)
    if len(content) <= MEMORY_LIMIT:
        caches["local"].set(remembered, content, timeout=MEMORY_SECONDS)
    return content


def _read(kept: Rendering) -> bytes | None:
    try:
        with kept.file.open("rb") as handle:
            return handle.read()
    except OSError:  # deleted meanwhile by a newer state's cleanup: render anew
        return None


def _keep(meeting: Meeting, key: str, name: str, content: bytes) -> None:
    rendering = Rendering(
        meeting_id=meeting.pk,
        key=key,
        name=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    rendering.file.save(f"{meeting.pk}-{name}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            rendering.save()
    except IntegrityError:  # another request kept it first (the same content: one file)
        return
    _forget_older_states(meeting.pk, key)


def _forget_older_states(meeting_id: int, key: str) -> None:
    """Delete the renderings of the meeting's earlier states. A slow request that kept a
    rendering of an older state after a newer one does not delete the newer one."""
    rows = list(Rendering.objects.filter(meeting_id=meeting_id).exclude(key=key))
    stale = [row for row in rows if _state(row.key) <= _state(key)]
    Rendering.objects.filter(pk__in=[r.pk for r in stale]).delete()
    # Files are named by content: a newer state that renders the same bytes shares one.
    discard_unreferenced(Rendering, "file", {r.file.name for r in stale if r.file.name})


def _state(key: str) -> tuple[int, int]:
    version, micros, _code = key.split(".")
    return int(version), int(micros)
