"""A client that walks an OParl 1.1 API from its System object, following every link, and
reports what breaks the specification.

It validates each object, embedded ones included, against the spec's draft-07 schemas
(tests/fixtures/oparl-schema), walks every external list page by page and checks the list
rules (data/pagination/links, `next` on every page but the last, the same page size on all
but the last, every element once, the same order when walked again, the client's filters
kept in every link), and fetches every object id it meets to see that it resolves to that
object. File URLs and `web` pages on the same host must answer 200. The crawler takes a
`get(url)` function, so the tests drive it through Django's test client and the benchmark
over HTTP.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).resolve().parent / "fixtures" / "oparl-schema"
SCHEMA = "https://schema.oparl.org/1.1/"
# Properties that hold a URL outside the object graph: fetched only to see they answer.
RESOURCE_LINKS = {"accessUrl", "downloadUrl", "web", "website"}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Get = Callable[[str], Answer]


def _schemas() -> dict[str, dict[str, Any]]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMA_DIR.glob("*.json"))
    }


def _registry(schemas: dict[str, dict[str, Any]]) -> Registry:
    resources = []
    for name, schema in schemas.items():
        resource = Resource.from_contents(schema)
        # "$ref": "File.json" resolves against the $id https://schema.oparl.org/1.1/<Name>.
        resources += [(f"{SCHEMA}{name}", resource), (f"{SCHEMA}{name}.json", resource)]
    return Registry().with_resources(resources)


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    @checker.checks("url")
    def _url(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.netloc)

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        return not isinstance(value, str) or dt.datetime.fromisoformat(value).tzinfo is not None

    @checker.checks("date", raises=ValueError)
    def _date(value: object) -> bool:
        return not isinstance(value, str) or bool(dt.date.fromisoformat(value))

    return checker


SCHEMAS = _schemas()
VALIDATORS = {
    name: Draft7Validator(schema, registry=_registry(SCHEMAS), format_checker=_format_checker())
    for name, schema in SCHEMAS.items()
}


@dataclass
class Report:
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → object
    lists: dict[str, list[str]] = field(default_factory=dict)  # list URL → element ids
    texts: list[str] = field(default_factory=list)  # every answer's body, decoded
    errors: list[str] = field(default_factory=list)
    requests: int = 0

    def by_type(self, name: str) -> list[dict[str, Any]]:
        return [o for o in self.objects.values() if o.get("type") == f"{SCHEMA}{name}"]


class Crawler:
    def __init__(self, get: Get, *, resolve_resources: bool = True) -> None:
        self.get = get
        self.resolve_resources = resolve_resources
        self.report = Report()
        self._lists: list[tuple[str, str]] = []  # (list URL, schema name of its elements)
        self._links: set[str] = set()  # object URLs to resolve
        self._resources: set[str] = set()
        self._host = ""

    def crawl(self, system_url: str) -> Report:
        self._host = urlsplit(system_url).netloc
        system = self._fetch_json(system_url)
        if system is not None:
            self._object(system, "System", system_url)
            self._links.add(system_url)
        walked: set[str] = set()
        while self._lists:
            url, element = self._lists.pop()
            if url not in walked:
                walked.add(url)
                self.walk_list(url, element)
        self._resolve_links()
        return self.report

    # -- one answer -------------------------------------------------------------------

    def _fetch(self, url: str) -> Answer:
        self.report.requests += 1
        answer = self.get(url)
        if answer.headers.get("Content-Type", "").startswith("application/json"):
            self.report.texts.append(answer.body.decode("utf-8"))
        return answer

    def _fetch_json(self, url: str) -> Any:
        answer = self._fetch(url)
        if answer.status != 200:
            self.error(url, f"answered {answer.status}")
            return None
        if not answer.headers.get("Content-Type", "").startswith("application/json"):
            self.error(url, f"is not JSON: {answer.headers.get('Content-Type')}")
            return None
        return answer.json()

    def error(self, where: str, what: str) -> None:
        self.report.errors.append(f"{where}: {what}")

    # -- objects ----------------------------------------------------------------------

    def _object(self, obj: Any, expected: str | None, where: str) -> None:
        if not isinstance(obj, dict):
            self.error(where, f"not an object: {obj!r}")
            return
        name = str(obj.get("type", "")).removeprefix(SCHEMA)
        if name not in VALIDATORS:
            self.error(where, f"unknown type {obj.get('type')!r}")
            return
        if expected and name != expected:
            self.error(where, f"type {name}, expected {expected}")
        for problem in VALIDATORS[name].iter_errors(obj):
            path = "/".join(str(p) for p in problem.absolute_path)
            self.error(f"{obj.get('id', where)} {path}", problem.message)
        for key, value in obj.items():
            if value is None or value == "":
                self.error(f"{obj.get('id', where)} {key}", "empty value (spec: leave it out)")
        if obj.get("deleted") and where != "stub":
            self.error(obj.get("id", where), "deleted object outside a modified_since list")
        self.report.objects.setdefault(obj.get("id", where), obj)
        self._links.add(obj.get("id", where))
        if not obj.get("deleted"):  # a stub's links lead to what is gone
            self._follow(obj, SCHEMAS[name])

    def _follow(self, obj: dict[str, Any], schema: dict[str, Any]) -> None:
        properties = schema.get("properties", {})
        for key, value in obj.items():
            spec = properties.get(key)
            if spec is None:
                self._extension(value)
                continue
            if spec.get("references") == "externalList":
                element = spec.get("items", {}).get("$ref", "").removesuffix(".json")
                self._lists.append((value, element))
            elif "$ref" in spec or "$ref" in spec.get("items", {}):
                element = (spec.get("$ref") or spec["items"]["$ref"]).removesuffix(".json")
                for inner in value if isinstance(value, list) else [value]:
                    self._object(inner, element, obj["id"])
            elif key in RESOURCE_LINKS:
                self._resources.add(value)
            elif spec.get("references") or spec.get("items", {}).get("references"):
                self._links.update(value if isinstance(value, list) else [value])

    def _extension(self, value: Any) -> None:
        """Vendor keys: the object URLs inside them must resolve as well."""
        for text in _strings(value):
            if urlsplit(text).netloc == self._host and "/oparl/" in text:
                self._links.add(text)

    # -- lists ------------------------------------------------------------------------

    def walk_list(self, url: str, element: str | None = None, stub_ok: bool = False) -> list[Any]:
        """Every element of the list, page by page, after checking the list rules."""
        first = self._pages(url, element, stub_ok)
        again = self._pages(url, element, stub_ok, check=False)
        ids = [o.get("id") for o in first]
        if ids != [o.get("id") for o in again]:
            self.error(url, "the order changed when the list was walked again")
        if len(set(ids)) != len(ids):
            self.error(url, "an element appears twice")
        self.report.lists[url] = ids
        return first

    def _pages(self, url: str, element: str | None, stub_ok: bool, check: bool = True) -> list[Any]:
        wanted = _filters(url)
        elements: list[Any] = []
        sizes: list[int] = []
        page_url: str | None = url
        total = None
        while page_url:
            page = self._fetch_json(page_url)
            if page is None:
                break
            if check:
                self._check_page(page_url, page, wanted, sizes)
            total = page.get("pagination", {}).get("totalElements", total)
            for obj in page.get("data", []):
                elements.append(obj)
                if check:
                    self._object(obj, element, "stub" if stub_ok else page_url)
            page_url = page.get("links", {}).get("next")
        if check and total is not None and total != len(elements):
            self.error(url, f"totalElements {total}, but the pages hold {len(elements)}")
        return elements

    def _check_page(
        self, url: str, page: Any, wanted: dict[str, list[str]], sizes: list[int]
    ) -> None:
        for key in ("data", "pagination", "links"):
            if key not in page:
                self.error(url, f"list page without {key}")
                return
        pagination, links = page["pagination"], page["links"]
        current, pages = pagination.get("currentPage"), pagination.get("totalPages")
        if ("next" in links) != (current is not None and pages is not None and current < pages):
            self.error(url, f"links.next {links.get('next')!r} on page {current} of {pages}")
        if not _same_address(links.get("self", ""), url):
            self.error(url, f"links.self is {links.get('self')!r}")
        per_page = pagination.get("elementsPerPage")
        sizes.append(len(page["data"]))
        if current != pages and len(page["data"]) != per_page:
            self.error(url, f"{len(page['data'])} elements on a page of {per_page}")
        for name, link in links.items():
            if _filters(link) != wanted:
                self.error(url, f"links.{name} lost the filters: {link}")

    # -- links ------------------------------------------------------------------------

    def _resolve_links(self) -> None:
        for url in sorted(self._links):
            obj = self._fetch_json(url)
            if obj is None:
                continue
            if obj.get("id") != url:
                self.error(url, f"resolves to {obj.get('id')!r}")
            known = self.report.objects.get(url)
            if known is not None and known.get("type") != obj.get("type"):
                self.error(url, f"type {obj.get('type')} here, {known.get('type')} where linked")
            if known is None:
                self._object(obj, None, url)
        if not self.resolve_resources:
            return
        for url in sorted(self._resources):
            if urlsplit(url).netloc != self._host:
                continue
            answer = self._fetch(url)
            if answer.status != 200:
                self.error(url, f"answered {answer.status}")


def _same_address(one: str, other: str) -> bool:
    """The same resource, however its query is encoded."""
    a, b = urlsplit(one), urlsplit(other)
    return a[:3] == b[:3] and parse_qs(a.query) == parse_qs(b.query)


def _filters(url: str) -> dict[str, list[str]]:
    query = parse_qs(urlsplit(url).query)
    query.pop("page", None)
    return query


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def django_get(client: Any) -> Get:
    """`get` for the crawler through Django's test client."""

    def get(url: str) -> Answer:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return Answer(response.status_code, dict(response.items()), body)

    return get
