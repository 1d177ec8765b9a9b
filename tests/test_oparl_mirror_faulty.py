"""`import-oparl` against faulty servers: the spec's examples and real output collected by
meine-stadt-transparent (tests/fixtures/oparl-mirror/), served by a local HTTP server.
Every known defect is reported for its object, and the run goes on."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from gremium.importers.oparl.client import http_fetch
from gremium.importers.oparl.mirror import run
from gremium.importers.oparl.problems import ProblemClass
from gremium.meetings.models import Meeting
from gremium.organizations.models import Person

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "oparl-mirror"
HOSTS = {
    "https://oparl.example.org/": "example/",
    "http://oparl.wuppertal.de/": "wuppertal/",
    "https://www.bonn.sitzung-online.de/": "bonn/",
}


def _text(name: str, base: str) -> str:
    raw = (FIXTURES / name).read_text(encoding="utf-8", errors="surrogateescape")
    for host, prefix in HOSTS.items():
        raw = raw.replace(host, base + prefix)
    return raw


def _json(name: str, base: str) -> dict[str, Any]:
    return dict(json.loads(_text(name, base)))


def _page(objects: list[dict[str, Any]], following: str | None = None) -> dict[str, Any]:
    return {"data": objects, "pagination": {}, "links": {"next": following} if following else {}}


def _site(base: str) -> dict[str, bytes]:
    """path → answer. Two sources: the spec's example city and a faulty one built from
    Wuppertal's and Bonn's real objects."""
    wu = f"{base}wuppertal/oparl/"
    body = _json("spec/Body-01.json", base)
    faulty_body = _json("meine-stadt-transparent/body.json", base)
    bonn = _json("meine-stadt-transparent/bonn-allris-meeting-1.1-auxiliaryFile-object.json", base)
    pages: dict[str, Any] = {
        # the spec's example city
        "example/": _json("spec/System-01.json", base),
        "example/bodies": _page([body]),
        "example/body/0/persons/": _page([_json("spec/Person-01.json", base)]),
        "example/body/0/organizations/": _page([_json("spec/Organization-01.json", base)]),
        "example/body/0/meetings/": _page([_json("spec/Meeting-01.json", base)]),
        "example/body/0/papers/": _page([_json("spec/Paper-01.json", base)]),
        "example/body/0/files/": _page([_json("spec/File-01.json", base)]),
        "example/body/0/locations/": _page([_json("spec/Location-01.json", base)]),
        # the faulty city: OParl 1.0, a second meeting page that is not JSON
        "wuppertal/oparl/system": _json("meine-stadt-transparent/system.json", base),
        "wuppertal/oparl/bodies": _page([faulty_body]),
        "wuppertal/oparl/bodies/0001/organizations": _page([]),
        "wuppertal/oparl/bodies/0001/people": _page([]),
        "wuppertal/oparl/bodies/0001/meetings": _page(
            [_json("meine-stadt-transparent/meeting.json", base), bonn],
            f"{wu}bodies/0001/meetings?page=2",
        ),
        "wuppertal/oparl/bodies/0001/meetings?page=2": None,  # broken JSON, below
        "wuppertal/oparl/bodies/0001/papers": _page([]),
    }
    site = {path: json.dumps(page).encode() for path, page in pages.items()}
    site["wuppertal/oparl/bodies/0001/meetings?page=2"] = (
        FIXTURES / "meine-stadt-transparent" / "broken_json.broken_json"
    ).read_bytes()
    return site


@pytest.fixture
def server() -> Iterator[str]:
    site: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = site.get(self.path.lstrip("/"))
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body if body is not None else b'{"error": "not found"}')

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    site.update(_site(base))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


def _classes(result: Any) -> set[tuple[str, str]]:
    return {(str(p.problem_class), p.where) for p in result.problems.items}


def test_every_known_defect_is_reported_and_the_run_goes_on(server):
    fetch = http_fetch(timeout=5)
    faulty = run(f"{server}wuppertal/oparl/system", fetch, backoff=0)
    wu = f"{server}wuppertal/oparl/bodies/0001/"
    bonn = f"{server}bonn/public/oparl/"
    found = _classes(faulty)
    assert (ProblemClass.JSON, f"{wu}meetings?page=2") in found  # a broken JSON page
    assert (ProblemClass.HTTP, f"{wu}organizations/gr/230") in found  # 404 for a linked id
    assert (ProblemClass.SHAPE, f"{bonn}meetings?id=664") in found  # object for an array
    assert (ProblemClass.DOWNLOAD, f"{bonn}files?id=268781&dtyp=134") in found  # no download
    assert (ProblemClass.MISSING, f"{wu}meetings/19160") in found  # its committee is gone
    assert faulty.ok and Meeting.objects.count() == 0  # nothing stored half

    example = run(f"{server}example/", fetch, backoff=0)
    found = _classes(example)
    assert (ProblemClass.HTTP, f"{server}example/consultation/1034") in found  # an item's
    assert (ProblemClass.HTTP, f"{server}example/body/0/agendaItems/") in found  # a list
    assert (ProblemClass.HTTP, f"{server}example/organizations/5") in found  # membership's
    # The rest is stored: the example meeting (items without order, one id for four files).
    assert Person.objects.count() == 1
    (meeting,) = Meeting.objects.all()
    assert meeting.items.count() == 1


def test_a_faulty_source_run_again_changes_nothing(server):
    fetch = http_fetch(timeout=5)
    run(f"{server}example/", fetch, backoff=0)
    again = run(f"{server}example/", fetch, backoff=0, full=True)
    assert again.tally.changed() == 0


def test_the_command_prints_a_summary_and_refuses_what_is_not_oparl(server):
    out = io.StringIO()
    call_command(
        "import-oparl", f"{server}wuppertal/oparl/system", stdout=out, stderr=io.StringIO()
    )
    text = out.getvalue()
    assert "Problemer:" in text and "[json]" in text and "[http]" in text
    assert "Body: oprettet 1" in text
    with pytest.raises(Exception, match="System eller Body"):
        call_command("import-oparl", f"{server}nowhere", stdout=io.StringIO(), stderr=io.StringIO())
