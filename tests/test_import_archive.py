"""`gremium import DIR`: a folder of mixed files, a report, a ledger to resume by, and
compact audit records that `gremium audit verify` still proves."""

from __future__ import annotations

import csv
import importlib
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gremium.audit.models import AuditRecord
from gremium.demo.seed import SEED_MARKDOWN
from gremium.importers.models import ImportedFile
from gremium.meetings import services
from gremium.meetings.models import Meeting

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "import"
RUN = importlib.import_module("gremium.importers.archive_run")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "arkiv"
    shutil.copytree(FIXTURES / "sbsys-ballerup-2013", folder / "sbsys")
    shutil.copytree(FIXTURES / "ballerup-edoc-2012", folder / "edoc")
    # The layout text beside the export is the title-wrap tests' fixture, not part of it.
    (folder / "edoc" / "1552814.pdftotext-layout.txt").unlink()
    shutil.copy(SEED_MARKDOWN, folder / "referat.md")
    (folder / "noter.txt").write_text("Dette er ikke et referat.\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    return folder


def _import(folder: Path, *extra: str) -> None:
    call_command("import", str(folder), "--body", "Ballerup Kommune", "--jobs", "2", *extra)


def _rows(report: Path) -> dict[str, dict[str, object]]:
    files = json.loads(report.read_text(encoding="utf-8"))["files"]
    return {str(Path(row["file"]).relative_to(report.parent / "arkiv")): row for row in files}


def test_a_folder_imports_each_file_once_and_reports_what_it_became(archive, capsys):
    report = archive.parent / "rapport.json"
    with pytest.raises(CommandError, match=r"1 af 14 filer kunne ikke indlæses: .*noter\.txt"):
        _import(archive, "--report", str(report))
    rows = _rows(report)
    assert ".DS_Store" not in rows and len(rows) == 14
    outcomes = {name: row["outcome"] for name, row in rows.items()}
    assert outcomes.pop("sbsys/Publication32.xml") == "created"
    assert outcomes.pop("edoc/eDocAgendaPublishing.xml") == "created"
    assert outcomes.pop("referat.md") == "created"
    assert outcomes.pop("noter.txt") == "failed"
    # The exports' PDFs are their attachments, not minutes of their own.
    assert set(outcomes.values()) == {"attachment"} and "sbsys/Enclosures/1.pdf" in outcomes
    assert rows["noter.txt"]["error"]
    assert rows["referat.md"]["items"] == 8 and rows["referat.md"]["meetings"]
    assert Meeting.objects.count() == 3
    assert "Færdig: 14 filer" in capsys.readouterr().out


def test_a_second_run_skips_unchanged_files_and_rereads_a_changed_one(archive, tmp_path):
    (archive / "noter.txt").unlink()
    _import(archive)
    records = AuditRecord.objects.count()
    report = tmp_path / "rapport.csv"
    _import(archive, "--report", str(report))
    with report.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {row["outcome"] for row in rows} == {"skipped", "attachment"}
    assert AuditRecord.objects.count() == records  # nothing read, nothing written
    seed = archive / "referat.md"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Eventuelt", "Evt."), "utf-8")
    _import(archive, "--report", str(report))
    with report.open(encoding="utf-8") as stream:
        changed = {Path(row["file"]).name: row["outcome"] for row in csv.DictReader(stream)}
    assert changed["referat.md"] == "updated" and changed["Publication32.xml"] == "skipped"
    assert Meeting.objects.count() == 3


def test_an_interrupted_run_leaves_the_ledger_naming_exactly_what_is_stored(archive, monkeypatch):
    (archive / "noter.txt").unlink()
    store, calls = RUN.meeting_store_document, []

    def interrupted(**options):
        calls.append(options["document"].organization_name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return store(**options)

    monkeypatch.setattr(RUN, "meeting_store_document", interrupted)
    with pytest.raises(CommandError, match="afbrudt"):
        _import(archive)
    stored = list(ImportedFile.objects.all())
    assert len(stored) == 1 and Meeting.objects.count() == 1
    assert stored[0].meeting_ids == [Meeting.objects.get().pk]
    monkeypatch.setattr(RUN, "meeting_store_document", store)
    _import(archive)
    assert Meeting.objects.count() == 3 and ImportedFile.objects.count() == 3


def test_audit_verify_passes_after_a_bulk_import_and_records_are_compact(archive, actor, capsys):
    (archive / "noter.txt").unlink()
    _import(archive)
    imported = AuditRecord.objects.filter(action="meeting.import")
    assert imported.count() == 3
    for record in imported:
        assert record.before is None
        assert set(record.after) <= {"items", "sections", "attendances", "consultations",
                                     "attachments", "participations", "decisions",
                                     "document_sha256"}  # fmt: skip
    meeting = Meeting.objects.filter(state="planned").first() or Meeting.objects.first()
    item = services.agenda_item_add(meeting=meeting, title="Nyt punkt", number=900, by=actor)
    services.agenda_item_update(
        item=item, title="Nyt navn", by=actor, expected_version=item.version
    )
    update = AuditRecord.objects.get(action="agenda_item.update")
    changed = {"title", "version", "modified"}
    assert set(update.after) - changed <= {"id", "meeting_id", "organization_id"}
    assert update.before["title"] == "Nyt punkt" and update.after["title"] == "Nyt navn"
    call_command("audit", "verify")
    assert "Revisionssporet er intakt" in capsys.readouterr().out


def test_the_progress_bar_shows_the_share_done_and_the_time_left():
    import io

    from gremium.importers.progress import Progress

    line = Progress(200, io.StringIO(), enabled=True).line(50, elapsed=30.0)
    assert "25%" in line and "50/200" in line and "ca. 1:30 tilbage" in line
    quiet = io.StringIO()
    Progress(200, quiet, enabled=False).show(50, force=True)
    assert quiet.getvalue() == ""  # not a terminal: no bar in a log file
