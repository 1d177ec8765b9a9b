"""Reading a source: its bodies, every list of each body page by page, and the linked
objects the lists did not hold. Embedded objects are taken out and replaced by their ids,
so each object is kept once; what does not have the shape OParl gives it is reported."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gremium.importers.oparl.client import Client
from gremium.importers.oparl.problems import ProblemClass

# Where an object keeps the source body it came from (its lists are per body).
BODY_KEY = "gremium-mirror:body"

# A body's lists (OParl 1.0 has the first four; 1.1 adds the rest), in dependency order.
BODY_LISTS = (
    "legislativeTermList",
    "locationList",
    "person",
    "organization",
    "membership",
    "meeting",
    "paper",
    "consultation",
    "agendaItem",
    "file",
)

# Fields that OParl makes arrays, by type: a lone object or URL in one is wrapped (reported).
ARRAYS = {
    "Body": ("legislativeTerm", "equivalent"),
    "Meeting": ("organization", "participant", "auxiliaryFile", "agendaItem"),
    "AgendaItem": ("auxiliaryFile",),
    "Paper": ("auxiliaryFile", "consultation", "relatedPaper", "location"),
    "Person": ("membership",),
    "Organization": ("membership",),
    "Consultation": ("organization",),
    "File": ("meeting", "agendaItem", "paper", "derivativeFile"),
}

# Objects that may come embedded, with the type they have when they omit `type`.
EMBEDDED = {
    "legislativeTerm": "LegislativeTerm",
    "location": "Location",
    "agendaItem": "AgendaItem",
    "auxiliaryFile": "File",
    "invitation": "File",
    "resultsProtocol": "File",
    "verbatimProtocol": "File",
    "mainFile": "File",
    "consultation": "Consultation",
    "membership": "Membership",
}

# An embedded object's link back to the object that holds it, which it may leave out.
PARENT_KEY = {
    ("Meeting", "agendaItem"): "meeting",
    ("Person", "membership"): "person",
    ("Paper", "consultation"): "paper",
}

# The links the mirror follows when the lists did not hold the object (a source may have
# no consultation list, or a list may miss an object).
LINKS = {
    "Meeting": ("organization", "participant", "location", "agendaItem", "auxiliaryFile"),
    "AgendaItem": ("consultation", "auxiliaryFile"),
    "Consultation": ("paper",),
    "Membership": ("person", "organization"),
}


def kind_of(data: dict[str, Any], default: str = "") -> str:
    value = data.get("type")
    return value.rstrip("/").rsplit("/", 1)[-1] if isinstance(value, str) and value else default


def with_param(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k not in params]
    query += list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


@dataclass
class ListResult:
    url: str
    body_id: str
    complete: bool = False
    objects: int = 0


@dataclass
class Crawl:
    """What one run read: objects by id (embedded ones taken out), and each list."""

    client: Client
    workers: int = 4
    progress: Callable[[int], None] = lambda n: None
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    bodies: list[str] = field(default_factory=list)
    lists: list[ListResult] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ranks: dict[str, tuple[bool, int, str]] = field(default_factory=dict)

    # -- entry ---------------------------------------------------------------------------

    def start(self, url: str) -> bool:
        """Read the System or Body at `url`; False (with a problem) when it is neither."""
        entry = self.client.get_json(url)
        if entry is None:
            return False
        kind = kind_of(entry)
        if kind == "System":
            link = entry.get("body")
            if not isinstance(link, str):
                self.client.problems.add(
                    ProblemClass.MISSING,
                    url,
                    _("System-objektet har ingen liste over kommuner (body)"),
                )
                return False
            for body in self._list_objects(link):
                body_id = str(body["id"])  # _walk takes only objects with an id
                self.absorb(body, body_id)
                self.bodies.append(body_id)
        elif kind == "Body":
            given = entry.get("id")
            body_id = given if isinstance(given, str) else url
            self.absorb({**entry, "id": body_id}, body_id)
            self.bodies.append(body_id)
        else:
            self.client.problems.add(
                ProblemClass.SHAPE,
                url,
                _("ikke et OParl System eller Body (type %(kind)s)") % {"kind": kind or "?"},
            )
            return False
        return True

    def _list_objects(self, url: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        self._walk(url, lambda obj: found.append(obj))
        return found

    # -- lists ---------------------------------------------------------------------------

    def read_lists(self, since: Callable[[str], str | None]) -> None:
        """Every list of every body, `workers` at a time; `since(url)` gives the
        modified_since for a list that was read in full before."""
        jobs: list[tuple[str, str, str | None]] = []
        for body_id in self.bodies:
            body = self.objects[body_id]
            for name in BODY_LISTS:
                link = body.get(name)
                if isinstance(link, str) and link:
                    jobs.append((link, body_id, since(link)))
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            self.lists = list(pool.map(lambda job: self._read_list(*job), jobs))

    def _read_list(self, url: str, body_id: str, modified_since: str | None) -> ListResult:
        result = ListResult(url, body_id)
        start = with_param(url, modified_since=modified_since) if modified_since else url

        def take(obj: dict[str, Any]) -> None:
            self.absorb(obj, body_id)
            result.objects += 1

        result.complete = self._walk(start, take)
        return result

    def _walk(self, url: str, take: Callable[[dict[str, Any]], None]) -> bool:
        """Every page of a list; True when the last page was reached."""
        seen: set[str] = set()
        page_url: str | None = url
        while page_url:
            if page_url in seen:
                self.client.problems.add(
                    ProblemClass.SHAPE, page_url, _("listens sider går i ring")
                )
                return False
            seen.add(page_url)
            page = self.client.get_json(page_url)
            if page is None:
                return False
            data = page.get("data")
            if not isinstance(data, list):
                self.client.problems.add(ProblemClass.SHAPE, page_url, _("en listeside uden data"))
                return False
            for obj in data:
                if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                    take(obj)
                else:
                    self.client.problems.add(
                        ProblemClass.SHAPE, page_url, _("et element i listen er ikke et objekt")
                    )
            self.progress(len(data))
            links = page.get("links")
            following = links.get("next") if isinstance(links, dict) else None
            page_url = following if isinstance(following, str) and following else None
        return True

    # -- objects -------------------------------------------------------------------------

    def absorb(
        self, obj: dict[str, Any], body_id: str, default_kind: str = "", embedded: bool = False
    ) -> str:
        """Keep an object (and the objects it embeds) by id; returns its id."""
        data = dict(obj)
        kind = kind_of(data, default_kind)
        data["type"] = data.get("type") or kind
        for key in ARRAYS.get(kind, ()):
            value = data.get(key)
            if value is not None and not isinstance(value, list):
                self.client.problems.add(
                    ProblemClass.SHAPE,
                    data["id"],
                    _("%(key)s: et objekt, hvor der skal stå en liste") % {"key": key},
                )
                data[key] = [value]
        for key in EMBEDDED:
            if key in data:
                data[key] = self._take_embedded(kind, key, data[key], data["id"], body_id)
        data[BODY_KEY] = body_id
        # The same object met twice (in its list and embedded elsewhere, or embedded in two
        # places, shortened): the one from its list wins, else the fuller one. Decided by
        # content, not by which thread came first, so every run keeps the same data.
        rank = (not embedded, len(data), json.dumps(data, sort_keys=True, default=str))
        with self._lock:
            if rank > self._ranks.get(data["id"], (False, -1, "")):
                self._ranks[data["id"]] = rank
                self.objects[data["id"]] = data
        return str(data["id"])

    def _take_embedded(self, kind: str, key: str, value: Any, parent: str, body_id: str) -> Any:
        if isinstance(value, list):
            return [self._take_embedded(kind, key, v, parent, body_id) for v in value]
        if not isinstance(value, dict):
            return value
        if not isinstance(value.get("id"), str):
            self.client.problems.add(
                ProblemClass.MISSING, parent, _("%(key)s: et objekt uden id") % {"key": key}
            )
            return None
        back = PARENT_KEY.get((kind, key))
        child = {back: parent, **value} if back else value
        return self.absorb(child, body_id, EMBEDDED[key], embedded=True)

    def follow_links(self, known: Callable[[str], bool], rounds: int = 3) -> None:
        """Fetch the objects that objects of this run link to and nobody has: a list that
        missed them, a source without a consultation list. A 404 is a problem of its own."""
        tried: set[str] = set()
        for _round in range(rounds):
            wanted = {
                (link, str(data.get(BODY_KEY, "")))
                for data in list(self.objects.values())
                for link in _links(data)
                if link not in self.objects and link not in tried and not known(link)
            }
            if not wanted:
                return
            tried.update(link for link, _body in wanted)
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                found = pool.map(lambda job: (self.client.get_json(job[0]), job[1]), wanted)
                for data, body_id in found:
                    if data is not None and isinstance(data.get("id"), str):
                        self.absorb(data, body_id)
                        self.progress(1)


def _links(data: dict[str, Any]) -> Iterable[str]:
    if data.get("deleted") is True:
        return
    for key in LINKS.get(kind_of(data), ()):
        value = data.get(key)
        for link in value if isinstance(value, list) else [value]:
            if isinstance(link, str) and link.startswith(("http://", "https://")):
                yield link
