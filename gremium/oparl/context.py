"""What building the API's objects for one request needs: absolute URLs on the host the
client asked, whether embedded objects are left out, and each meeting's public record.

Building a record (the meeting's public document) is the API's main cost, and a crawl
needs each one several times (the meeting, then its items, in other lists). The records are
therefore kept in memory, keyed by the meeting's OParl `modified`: every change to what a
meeting shows moves `Meeting.modified` (`services.lifecycle.meetings_changed`, `stamps.py`),
so a changed meeting is never served from an older record.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gremium.meetings.models import Meeting
from gremium.oparl.kinds import KINDS
from gremium.oparl.record import PublicMeeting, public_meeting

RECORDS_KEPT = 256
_kept: OrderedDict[tuple[Any, ...], PublicMeeting] = OrderedDict()
_lock = threading.Lock()


class Context:
    def __init__(self, request: HttpRequest, *, omit_internal: bool = False) -> None:
        self.base = f"{request.scheme}://{request.get_host()}"
        self.omit_internal = omit_internal
        self._records: dict[int, PublicMeeting] = {}

    def url(self, name: str, *args: Any) -> str:
        """The absolute URL of an API object or list (`oparl:<name>`)."""
        return self.base + _path(f"oparl:{name}", args)

    def site(self, name: str, *args: Any) -> str:
        """The absolute URL of a page or file outside the API (`portal:meeting`, ...)."""
        return self.base + _path(name, args)

    def record(self, meeting: Meeting) -> PublicMeeting:
        if meeting.pk not in self._records:
            self.prepare([meeting])
        return self._records[meeting.pk]

    def prepare(self, meetings: Iterable[Meeting]) -> None:
        """Load the records of these meetings, dating those not dated yet in one query."""
        wanted = [m for m in meetings if m.pk not in self._records]
        undated = [m.pk for m in wanted if getattr(m, "oparl_modified", None) is None]
        dated = KINDS["meeting"].annotated().filter(pk__in=undated).in_bulk()
        for meeting in wanted:
            meeting = dated.get(meeting.pk, meeting)
            self._records[meeting.pk] = _kept_record(meeting)


_MARK = "9182736450"
_paths: dict[tuple[str, int], list[str]] = {}


def _path(name: str, args: tuple[Any, ...]) -> str:
    """`reverse(name, args=args)`, from a cached pattern: a page of objects prints
    thousands of URLs, and URL reversing was a good part of its time."""
    key = (name, len(args))
    if key not in _paths:
        _paths[key] = reverse(name, args=[_MARK] * len(args)).split(_MARK)
    parts = _paths[key]
    return "".join(part + str(arg) for part, arg in zip(parts, args, strict=False)) + parts[-1]


def _kept_record(meeting: Meeting) -> PublicMeeting:
    key = (meeting.pk, meeting.created, meeting.oparl_modified, meeting.state, meeting.version)  # type: ignore[attr-defined]
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    record = public_meeting(meeting)
    with _lock:
        _kept[key] = record
        while len(_kept) > RECORDS_KEPT:
            _kept.popitem(last=False)
    return record


def iso(value: dt.datetime | dt.date | None) -> str | None:
    """OParl's date-time (local time with its offset, whole seconds) or date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Without empty values: OParl asks servers to leave out null and empty lists."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def head(ctx: Context, kind: str, obj: Any) -> dict[str, Any]:
    """An object's `id` and `type`."""
    return {"id": ctx.url(kind, obj.pk), "type": KINDS[kind].type}


def dates(obj: Any) -> dict[str, Any]:
    """`created` and `modified` of a row loaded through `Kind.annotated`."""
    return {"created": iso(obj.oparl_created), "modified": iso(obj.oparl_modified)}
