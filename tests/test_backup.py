"""`gremium backup` and `gremium restore` through the command line, each deployment in
processes of its own (settings come from the environment, as in production): a round trip
SQLite -> SQLite, and in the PostgreSQL run SQLite -> PostgreSQL and PostgreSQL -> SQLite,
each restored into another folder than it was made in. A restore proves the result itself
(manifest, audit chain, signatures, byte-identical minutes) and fails otherwise; a tampered
backup and a non-empty deployment are refused with nothing changed."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith("postgres")


def _environment(folder: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "GREMIUM_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "gremium.settings",
            "SECRET_KEY": "backup-test-" + "x" * 50,
            "GREMIUM_DATA_DIR": str(folder),
            "DATABASE_URL": database_url or f"sqlite:///{folder / 'gremium.sqlite3'}",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("DEBUG", None)
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def _gremium(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return _run(env, "-m", "gremium.manage", *args)


def _new_postgres_database() -> str:
    """A database of its own on the test run's PostgreSQL server."""
    settings = dj_database_url.parse(SERVER_URL)
    name = f"gremium_backup_{uuid.uuid4().hex[:10]}"
    import psycopg

    with psycopg.connect(
        dbname="postgres", user=settings["USER"], host=settings["HOST"] or None,
        port=settings["PORT"] or None, password=settings["PASSWORD"] or None, autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute(f'CREATE DATABASE "{name}"')
    parsed = SERVER_URL.rsplit("/", 1)[0]
    return f"{parsed}/{name}"


def _site(tmp_path_factory: pytest.TempPathFactory, backend: str) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp(f"source-{backend}")
    url = _new_postgres_database() if backend == "postgresql" else ""
    env = _environment(folder, url)
    made = _run(env, "-m", "tests.backup_site")
    assert made.returncode == 0, made.stderr
    return folder, env


def _backup(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Path:
    folder, env = _site(tmp_path_factory, backend)
    target = folder / "backup.tar"
    done = _gremium(env, "backup", str(target))
    assert done.returncode == 0, done.stderr
    assert "audit head: " in done.stdout
    return target


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory):
    return _backup(tmp_path_factory, "sqlite")


def _manifest(backup: Path) -> dict:
    with tarfile.open(backup) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return json.load(member)


def _restore_target(tmp_path, backend: str) -> dict[str, str]:
    url = _new_postgres_database() if backend == "postgresql" else ""
    (tmp_path / "elsewhere").mkdir()
    return _environment(tmp_path / "elsewhere", url)


def _round_trip(backup: Path, tmp_path: Path, backend: str) -> None:
    manifest = _manifest(backup)
    assert manifest["approved_meetings"], "the source must hold approved minutes"
    assert any(p.startswith("files/") for p in manifest["parts"])
    env = _restore_target(tmp_path, backend)
    done = _gremium(env, "restore", str(backup))
    assert done.returncode == 0, done.stderr + done.stdout
    assert f"audit head: {manifest['audit']['head']}" in done.stdout
    # Proven by the restore itself; checked once more from outside, in a new process.
    verified = _gremium(env, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert f"head: {manifest['audit']['head']}" in verified.stdout
    media = tmp_path / "elsewhere" / "media"
    for part in manifest["parts"]:
        if part.startswith("files/"):
            assert (media / part.removeprefix("files/")).is_file()
    again = _gremium(env, "restore", str(backup))
    assert again.returncode != 0
    assert "ikke tom" in again.stderr and "intet er ændret" in again.stderr
    still = _gremium(env, "audit", "verify")
    assert f"count: {manifest['audit']['count']}" in still.stdout


# The SQLite run restores SQLite into SQLite; the PostgreSQL run, across the backends.
DIRECTIONS = (
    [("sqlite", "postgresql"), ("postgresql", "sqlite")] if ON_POSTGRES else [("sqlite", "sqlite")]
)


@pytest.mark.parametrize(("source", "target"), DIRECTIONS)
def test_round_trip(sqlite_backup, tmp_path_factory, tmp_path, source, target):
    backup = sqlite_backup if source == "sqlite" else _backup(tmp_path_factory, source)
    if source == "postgresql":
        assert "database.pgdump" in _manifest(backup)["parts"]
    else:
        assert "database.sqlite3" in _manifest(backup)["parts"]
    _round_trip(backup, tmp_path, target)


def _tampered(backup: Path, target: Path, part_prefix: str) -> str:
    """A copy of the backup with one byte changed in the first part named so."""
    changed = ""
    with tarfile.open(backup) as source, tarfile.open(target, "w") as out:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if not changed and member.name.startswith(part_prefix):
                data = bytes([data[0] ^ 1]) + data[1:]
                changed = member.name
            out.addfile(member, io.BytesIO(data))
    return changed


@pytest.mark.parametrize("part", ["database.jsonl", "files/"])
def test_a_tampered_backup_is_refused_naming_the_part(sqlite_backup, tmp_path, part):
    tampered = tmp_path / "tampered.tar"
    name = _tampered(sqlite_backup, tampered, part)
    env = _restore_target(tmp_path, "sqlite")
    done = _gremium(env, "restore", str(tampered))
    assert done.returncode != 0
    assert name in done.stderr and "intet er ændret" in done.stderr
    assert not (tmp_path / "elsewhere" / "media").exists()
    database = tmp_path / "elsewhere" / "gremium.sqlite3"
    if database.exists():  # opened to look, never written to
        with sqlite3.connect(database) as connection:
            assert connection.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)


@pytest.mark.django_db
def test_a_backup_stops_naming_a_file_missing_from_the_storage(settings, tmp_path, actor):
    from django.core.files.storage import default_storage

    from gremium.backup.bundle import BackupWriter
    from gremium.backup.making import MissingFiles, add_files
    from gremium.meetings import services
    from tests.factories import MeetingFactory

    settings.MEDIA_ROOT = str(tmp_path / "media")
    item = services.agenda_item_add(meeting=MeetingFactory(), title="Punkt", by=actor)
    kept = services.attachment_add(item=item, filename="a.txt", content=b"tekst", by=actor)
    gone = services.attachment_add(item=item, filename="b.txt", content=b"borte", by=actor)
    default_storage.delete(gone.file.name)
    folder = tmp_path / "backups"
    folder.mkdir()
    writer = BackupWriter(folder / "backup.tar")
    with pytest.raises(MissingFiles, match=gone.file.name) as refused:
        add_files(writer, sorted([kept.file.name, gone.file.name]))
    assert kept.file.name not in str(refused.value)
    writer.abandon()  # as make_backup does on any failure
    assert list(folder.iterdir()) == []  # no file that looks like a backup, nothing half
