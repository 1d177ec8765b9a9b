"""`gremium backup`: a consistent snapshot of the database, every file it refers to, and
the facts a restore must reproduce, in one file (bundle.py).

SQLite: the online backup API copies the database to a snapshot file while gremium runs;
the portable dump is read from that copy. PostgreSQL: the dump is read in one
REPEATABLE READ transaction, and `pg_dump` (when installed) writes the same snapshot in
its own format beside it. The files are named by their content and never change, so
reading them after the snapshot reads what it names.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from gremium.backup import proof
from gremium.backup.bundle import BackupWriter
from gremium.backup.dump import file_names, write_dump
from gremium.lib.storage import name_sha256

SNAPSHOT = "gremium_backup_snapshot"
DUMP = "database.jsonl"


class MissingFiles(Exception):
    """Files the database names are not in the storage."""


def make_backup(path: Path, *, say: Callable[[str], None]) -> dict[str, Any]:
    """Write the backup to `path`; returns its manifest (with `manifest_sha256`)."""
    writer = BackupWriter(path)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="gremium-backup-") as work,
            _snapshot(Path(work), writer) as using,
        ):
            dump = Path(work) / DUMP
            with dump.open("w", encoding="utf-8") as stream:
                rows = write_dump(stream, using)
            writer.add_file(DUMP, dump)
            names = sorted(file_names(using))
            facts = _facts(using)
            migrations = _migrations(using)
        say(f"database: {rows} rows")
        add_files(writer, names)
        say(f"files: {len(names)}")
        manifest = {
            "created": timezone.now().isoformat(),
            "database": connections["default"].vendor,
            "migrations": migrations,
            "rows": rows,
            **facts,
        }
        manifest["manifest_sha256"] = writer.finish(manifest)
    except BaseException:
        writer.abandon()
        raise
    return manifest


@contextlib.contextmanager
def _snapshot(work: Path, writer: BackupWriter) -> Iterator[str]:
    """A database alias that reads one consistent state of the database."""
    if connections["default"].vendor == "sqlite":
        copy = work / "database.sqlite3"
        _sqlite_copy(copy)
        writer.add_file("database.sqlite3", copy)
        connections.settings[SNAPSHOT] = {**connections.settings["default"], "NAME": str(copy)}
        try:
            yield SNAPSHOT
        finally:
            connections[SNAPSHOT].close()
            del connections[SNAPSHOT]
            del connections.settings[SNAPSHOT]
        return
    outermost = not connections["default"].in_atomic_block
    with transaction.atomic():
        with connections["default"].cursor() as cursor:
            if outermost:  # (inside a test's transaction the level is already set)
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        _pg_dump(work / "database.pgdump", snapshot, writer)
        yield "default"


def _sqlite_copy(target: Path) -> None:
    connection = connections["default"]
    if connection.in_atomic_block:
        # SQLite's backup would wait for this very transaction to end: forever.
        raise RuntimeError("a backup of SQLite cannot be made inside a transaction")
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)


def _pg_dump(target: Path, snapshot: str, writer: BackupWriter) -> None:
    """The same snapshot in pg_dump's custom format, for a restore with pg_restore onto
    PostgreSQL; left out (the portable dump suffices) where pg_dump is not installed."""
    program = shutil.which("pg_dump")
    if program is None:
        return
    settings = connections["default"].settings_dict
    command = [program, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command.append(f"{option}={settings[key]}")
    command.append(f"--dbname={settings['NAME']}")
    environment = {"PGPASSWORD": str(settings.get("PASSWORD") or "")}
    subprocess.run(command, check=True, env={**_path_env(), **environment}, timeout=3600)
    writer.add_file("database.pgdump", target)


def _path_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "HOME")}


def _facts(using: str) -> dict[str, Any]:
    with _reading(using):
        return {"audit": proof.audit_facts(), "approved_meetings": proof.approved_meetings()}


@contextlib.contextmanager
def _reading(using: str) -> Iterator[None]:
    """Point the domain's queries (which use the default database) at the snapshot."""
    if using == "default":
        yield
        return
    original = connections["default"]
    connections["default"] = connections[using]
    try:
        yield
    finally:
        connections["default"] = original


def _migrations(using: str) -> list[list[str]]:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return sorted([app, name] for app, name in applied)


def add_files(writer: BackupWriter, names: list[str]) -> None:
    missing = [name for name in names if not default_storage.exists(name)]
    if missing:
        raise MissingFiles(", ".join(missing[:10]) + (" ..." if len(missing) > 10 else ""))
    for name in names:
        with default_storage.open(name, "rb") as handle:
            data_size = default_storage.size(name)
            digest = writer.add(f"files/{name}", handle, data_size)
        expected = name_sha256(name)
        if expected is not None and expected != digest:
            raise MissingFiles(f"{name} (its content no longer has the sha256 of its name)")
