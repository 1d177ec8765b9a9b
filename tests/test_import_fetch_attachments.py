"""`gremium import --fetch-attachments`: attachments known only by their address are
downloaded from a local HTTP server where they can be had, checked and kept like an
upload; every one that cannot be had is reported with its reason, and the run goes on."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.core.management import call_command

from gremium.importers import attachment_fetch
from gremium.lib.storage import content_name
from gremium.meetings.models import Meeting
from gremium.papers.models import Attachment

pytestmark = pytest.mark.django_db

IDS = {
    "good": "aaaaaaaa-0000-0000-0000-000000000001",
    "missing": "aaaaaaaa-0000-0000-0000-000000000002",
    "slow": "aaaaaaaa-0000-0000-0000-000000000003",
    "large": "aaaaaaaa-0000-0000-0000-000000000004",
    "broken": "aaaaaaaa-0000-0000-0000-000000000005",
}


def _pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


GOOD_PDF = _pdf()
SLOW_SECONDS = 2.0


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    answers: dict[str, tuple[int, bytes]] = {
        IDS["good"]: (200, GOOD_PDF),
        IDS["slow"]: (200, GOOD_PDF),
        IDS["large"]: (200, b"%PDF-1.7\n" + b"0" * 40_000),
        IDS["broken"]: (200, b"%PDF-1.7\nnot a PDF at all\n"),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            identifier = self.path.rsplit("/", 1)[-1]
            status, body = answers.get(identifier, (404, b"not found"))
            if identifier == IDS["slow"]:
                time.sleep(SLOW_SECONDS)
            self.send_response(status)
            self.send_header("Content-Type", "application/pdf" if status == 200 else "text/plain")
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (the slow one)
                self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    httpd.shutdown()
    httpd.server_close()


def _firstagenda(base: str) -> str:
    bilag = [{"Navn": f"Bilag {kind}", "Id": identifier, "Order": order}
             for order, (kind, identifier) in enumerate(IDS.items(), start=1)]  # fmt: skip
    return json.dumps(
        {
            "Udvalg": {"Navn": "Økonomiudvalget"},
            "Moede": {
                "Dato": "2024-03-04T16:00:00+01:00",
                "Sted": "Rådhuset",
                "Afsluttet": True,
                "Moededeltagere": [{"Name": "Anne Holm"}],
            },
            "Dagsordenpunkter": [
                {
                    "Punktnummer": "1",
                    "Navn": "Budget 2025",
                    "SagsNummer": "24-000001",
                    "Felter": [
                        {
                            "Html": "<h3>Beslutning</h3><div>Godkendt.</div>",
                            "Link": f"{base}/vis/pdf/dagsorden/{IDS['good']}",
                        }
                    ],
                    "Bilag": bilag,
                }
            ],
        }
    )


@pytest.fixture
def export(tmp_path: Path, server: tuple[str, list[str]]) -> Path:
    path = tmp_path / "moede.json"
    path.write_text(_firstagenda(server[0]), encoding="utf-8")
    return path


def _import(export: Path, report: Path, *options: str) -> dict[str, Any]:
    call_command(
        "import", str(export), "--body", "Testkommune", "--report", str(report), *options,
        stdout=io.StringIO(),
    )  # fmt: skip
    (row,) = json.loads(report.read_text(encoding="utf-8"))["files"]
    return dict(row)


def _small_limits(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.GREMIUM_MAX_UPLOAD_MB = 0.02  # 20 KB: the "large" file is 40 KB
    monkeypatch.setattr(attachment_fetch, "TIMEOUT_SECONDS", 0.5)


def test_reachable_attachments_are_kept_and_the_others_reported(
    export, server, tmp_path, settings, monkeypatch
):
    _small_limits(settings, monkeypatch)
    base, _asked = server
    row = _import(export, tmp_path / "rapport.json", "--fetch-attachments")

    assert row["outcome"] == "created" and Meeting.objects.count() == 1
    by_name = {a.name: a for a in Attachment.objects.all()}
    good = by_name["Bilag good"]
    digest = hashlib.sha256(GOOD_PDF).hexdigest()
    assert (good.sha256, good.size, good.mime_type) == (digest, len(GOOD_PDF), "application/pdf")
    assert good.file.name == content_name(digest)
    with good.file.open("rb") as stored:
        assert stored.read() == GOOD_PDF
    assert good.source_url == f"{base}/vis/pdf/bilag/{IDS['good']}"
    assert any("Bilag good" in note and "hentet" in note for note in row["notes"])

    for kind in ("missing", "slow", "large", "broken"):
        assert not by_name[f"Bilag {kind}"].file, kind  # still a link
        assert by_name[f"Bilag {kind}"].source_url.endswith(IDS[kind])
    warnings = {w.split(" (")[0]: w for w in row["warnings"] if w.startswith("bilag ")}
    assert "HTTP-status 404" in warnings["bilag Bilag missing"]
    assert "intet svar" in warnings["bilag Bilag slow"]
    assert "højst" in warnings["bilag Bilag large"]
    assert "PDF-filen er beskadiget" in warnings["bilag Bilag broken"]
    assert all(f"{base}/vis/pdf/bilag/" in w for w in warnings.values())


def test_without_the_option_nothing_is_fetched(export, server, tmp_path):
    _base, asked = server
    _import(export, tmp_path / "rapport.json")
    assert asked == []
    assert Attachment.objects.count() == len(IDS)
    assert not Attachment.objects.exclude(file="").exists()


def test_an_unreachable_server_is_reported_for_each_attachment(tmp_path, settings, monkeypatch):
    _small_limits(settings, monkeypatch)
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = closed.server_address[1]
    closed.server_close()  # nothing listens there any more
    path = tmp_path / "moede.json"
    path.write_text(_firstagenda(f"http://127.0.0.1:{port}"), encoding="utf-8")
    row = _import(path, tmp_path / "rapport.json", "--fetch-attachments")
    assert row["outcome"] == "created"
    failed = [w for w in row["warnings"] if w.startswith("bilag ") and "intet svar" in w]
    assert len(failed) == len(IDS)
    assert not Attachment.objects.exclude(file="").exists()


def test_the_file_name_takes_the_suffix_of_its_type():
    pdf = attachment_fetch.Download(GOOD_PDF)
    assert attachment_fetch.file_name("Notat.PDF", "http://x/1", pdf) == "Notat.PDF"
    assert attachment_fetch.file_name("Notat", "http://x/a/notat.docx", pdf) == "Notat.docx"
    typed = attachment_fetch.Download(b"x", content_type="image/png")
    assert attachment_fetch.file_name("Kort", "http://x/vis/1", typed) == "Kort.png"
    assert attachment_fetch.file_name("a/b", "http://x/vis/1", pdf) == "a-b.pdf"
    unknown = attachment_fetch.Download(b"MZ\x90\x00", content_type="application/x-msdownload")
    assert attachment_fetch.file_name("Program", "http://x/vis/1", unknown) == "Program"
