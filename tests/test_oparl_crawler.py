"""The OParl crawler finds what it is there to find: a test tool that reports nothing could
not prove the API right. It is run on the spec's own examples (one of which breaks the
spec's schema) and on a small fake server with one defect of each kind."""

from __future__ import annotations

import json
from pathlib import Path

from tests.oparl_crawler import SCHEMA, VALIDATORS, Answer, Crawler

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "oparl-schema"
EXAMPLES = FIXTURES.parent / "oparl-examples"
BASE = "https://oparl.test/"


def _validate(obj: dict) -> list[str]:  # type: ignore[type-arg]
    name = obj["type"].removeprefix(SCHEMA)
    return [error.message for error in VALIDATORS[name].iter_errors(obj)]


def test_the_schemas_are_the_specs_with_their_licence():
    names = {path.stem for path in FIXTURES.glob("*.json")}
    assert names == {
        "AgendaItem",
        "Body",
        "Consultation",
        "File",
        "LegislativeTerm",
        "Location",
        "Meeting",
        "Membership",
        "Organization",
        "Paper",
        "Person",
        "System",
    }
    assert (FIXTURES / "LICENSE-CC-BY-SA-4.0.txt").exists()


def test_the_schemas_reject_the_known_defect_of_the_specs_meeting_example():
    """Meeting-01.json embeds an AgendaItem without `order`, required since OParl 1.1."""
    example = json.loads((EXAMPLES / "Meeting-01.json").read_text(encoding="utf-8"))
    assert any("'order' is a required property" in message for message in _validate(example))
    fixed = {**example, "agendaItem": [{**i, "order": 0} for i in example["agendaItem"]]}
    assert _validate(fixed) == []


def test_the_other_examples_of_the_spec_are_valid():
    for path in sorted(EXAMPLES.glob("*.json")):
        if path.name != "Meeting-01.json":
            assert _validate(json.loads(path.read_text(encoding="utf-8"))) == [], path.name


def test_the_schemas_check_formats():
    assert _validate({"id": "not a url", "type": f"{SCHEMA}Location"})
    assert _validate({"id": BASE, "type": f"{SCHEMA}Location", "created": "2026-01-01T10:00:00"})
    assert _validate({"id": BASE, "type": f"{SCHEMA}LegislativeTerm", "startDate": "1. januar"})
    good = {"id": BASE, "type": f"{SCHEMA}Location", "created": "2026-01-01T10:00:00+01:00"}
    assert _validate(good) == []


def _list(url: str, data: list, *, page: int = 1, pages: int = 1, per_page: int = 2, **links):  # type: ignore[no-untyped-def,type-arg]
    return {
        "data": data,
        "pagination": {
            "totalElements": sum(len(d) for d in [data]) if pages == 1 else per_page * pages,
            "elementsPerPage": per_page,
            "currentPage": page,
            "totalPages": pages,
        },
        "links": {"self": url, **links},
    }


def _person(n: int, **extra) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return {"id": f"{BASE}person/{n}", "type": f"{SCHEMA}Person", "name": f"P{n}", **extra}


def _server() -> dict[str, object]:
    """A tiny OParl server with one defect of each kind the crawler must report."""
    body_lists = {
        name: f"{BASE}body/1/{name}"
        for name in ("organization", "person", "meeting", "paper", "legislativeTerm")
    }
    people = f"{BASE}body/1/person"
    pages = {
        BASE: {
            "id": BASE,
            "type": f"{SCHEMA}System",
            "oparlVersion": SCHEMA,
            "body": f"{BASE}bodies",
        },
        f"{BASE}bodies": _list(
            f"{BASE}bodies",
            [
                {
                    "id": f"{BASE}body/1",
                    "type": f"{SCHEMA}Body",
                    "name": "Prøve",
                    **{k: v for k, v in body_lists.items() if k != "legislativeTerm"},
                    "legislativeTerm": [],
                }
            ],
        ),
        f"{BASE}body/1/organization": _list(f"{BASE}body/1/organization", []),
        f"{BASE}body/1/paper": _list(f"{BASE}body/1/paper", []),
        # Page 1 of 2 without links.next; a person whose date has no offset.
        people: _list(
            people,
            [_person(1, created="2026-01-01T10:00:00"), _person(2)],
            pages=2,
        ),
        # A meeting list holding a Person, and a meeting linking to a missing organization.
        f"{BASE}body/1/meeting": _list(
            f"{BASE}body/1/meeting",
            [
                _person(3),
                {
                    "id": f"{BASE}meeting/1",
                    "type": f"{SCHEMA}Meeting",
                    "organization": [f"{BASE}organization/404"],
                },
            ],
        ),
    }
    # Every object resolves at its id, except the organization.
    for obj in (*pages[people]["data"], *pages[f"{BASE}body/1/meeting"]["data"]):  # type: ignore[index]
        pages[obj["id"]] = obj
    pages[f"{BASE}body/1"] = pages[f"{BASE}bodies"]["data"][0]  # type: ignore[index]
    return pages


def _get(pages: dict[str, object]):  # type: ignore[no-untyped-def]
    def get(url: str) -> Answer:
        if url not in pages:
            return Answer(404, {"Content-Type": "application/json"}, b"{}")
        body = json.dumps(pages[url]).encode()
        return Answer(200, {"Content-Type": "application/json"}, body)

    return get


def test_the_crawler_reports_each_kind_of_defect():
    errors = "\n".join(Crawler(_get(_server())).crawl(BASE).errors)
    assert "links.next None on page 1 of 2" in errors
    assert "totalElements 4, but the pages hold 2" in errors
    assert "is not a 'date-time'" in errors
    assert "type Person, expected Meeting" in errors
    assert f"{BASE}organization/404: answered 404" in errors


def test_the_crawler_reports_lost_filters_and_an_unstable_order():
    url = f"{BASE}body/1/person?modified_since=2026-01-01T00%3A00%3A00%2B01%3A00"
    second = f"{BASE}body/1/person?page=2"  # the filter is gone
    served: list[int] = []

    def get(address: str) -> Answer:
        if address == url:
            served.append(1)
            # Walked twice: the second walk gets the elements in another order.
            data = [_person(1), _person(2)] if len(served) == 1 else [_person(2), _person(1)]
            page = _list(url, data, pages=2, next=second, first=url, last=second)
        else:
            page = _list(second, [_person(5)], page=2, pages=2, first=url, last=second)
        return Answer(200, {"Content-Type": "application/json"}, json.dumps(page).encode())

    crawler = Crawler(get)
    crawler.walk_list(url, "Person")
    errors = "\n".join(crawler.report.errors)
    assert "lost the filters" in errors
    assert "the order changed when the list was walked again" in errors
