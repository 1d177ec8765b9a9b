"""The OParl 1.1 API walked by a client from its System object: every object valid against
the spec's schemas, every list by the list rules, every link resolving, on the demo and on
a generated archive (tests/oparl_archive.py)."""

from __future__ import annotations

import pytest

from tests.oparl_archive import generate
from tests.oparl_crawler import SCHEMA, Crawler, django_get

pytestmark = pytest.mark.django_db
SYSTEM = "http://testserver/oparl/v1.1/"


def crawl(client):  # type: ignore[no-untyped-def]
    return Crawler(django_get(client)).crawl(SYSTEM)


def test_the_demo_has_no_error(demo_meeting, client):
    report = crawl(client)
    assert report.errors == []
    (meeting,) = report.by_type("Meeting")
    assert meeting["id"] == f"{SYSTEM}meeting/{demo_meeting.pk}"
    assert meeting["meetingState"] == "durchgeführt"
    items = meeting["agendaItem"]
    assert [item["order"] for item in items] == list(range(len(items)))
    assert all(item["number"] and item["name"] for item in items)
    assert report.by_type("Paper") and report.by_type("Consultation")


def test_a_generated_archive_has_no_error(client):
    archive = generate(30)
    report = crawl(client)
    assert report.errors == []
    meetings = {m["id"]: m for m in report.by_type("Meeting")}
    assert len(meetings) == len(archive.public)
    states = {(m["meetingState"], m["cancelled"]) for m in meetings.values()}
    assert states == {
        ("eingeladen", False),
        ("eingeladen", True),
        ("durchgeführt", False),
    }
    # Files of every kind: attachments, the agenda as sent out, approved minutes, and the
    # minutes approved before an addendum.
    files = report.by_type("File")
    assert any("/file/attachment/" in f["id"] for f in files)
    assert any(m.get("invitation") for m in meetings.values())
    corrected = [m for m in meetings.values() if m.get("auxiliaryFile")]
    assert corrected and all(m.get("resultsProtocol") for m in corrected)
    assert all(f.get("sha512Checksum") and f.get("size") for f in files)
    closed = [i for i in report.by_type("AgendaItem") if i["public"] is False]
    assert closed and all(set(i) <= _CLOSED_KEYS for i in closed)


# What a closed item shows: its place, its public title, and the dates.
_CLOSED_KEYS = {"id", "type", "meeting", "number", "order", "name", "public", "web"} | {
    "created",
    "modified",
}


def test_each_list_holds_its_kind(client):
    generate(10)
    report = crawl(client)
    body_lists = [url for url in report.lists if "/body/" in url]
    assert len(body_lists) == 10
    for url, ids in report.lists.items():
        kinds = {report.objects[i]["type"].removeprefix(SCHEMA) for i in ids}
        assert len(kinds) <= 1, url
