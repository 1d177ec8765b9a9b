"""`gremium restore`: a backup into an empty deployment, on either database, then proof.

In this order, and nothing is changed until the first three hold: every part of the file
matches its manifest (bundle.py); the database holds no data; it is migrated to the
backup's migrations exactly. Then, in one transaction, the rows are loaded, the files
written to the storage and read back against their names, and the proof is taken: the
audit chain verifies and reaches the backup's head, and every approved meeting counts the
same signatures, meets its signature rule as it did, keeps the same minutes PDFs and
renders its minutes to the same bytes. Any difference rolls the database back and deletes
the files this restore added.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from gremium.backup import proof
from gremium.backup.bundle import Backup, open_backup
from gremium.backup.dump import dumped_models
from gremium.backup.making import DUMP
from gremium.lib.storage import sha256_of


class RestoreRefused(Exception):
    """The deployment is not empty, or not at the backup's version."""


class ProofFailed(Exception):
    """The restored deployment does not reproduce what the backup recorded."""


def restore_backup(path: Path, *, say: Callable[[str], None]) -> dict[str, Any]:
    with open_backup(path) as backup:
        say(f"manifest sha256: {backup.manifest_sha256}")
        _refuse_unless_empty()
        call_command("migrate", verbosity=0, interactive=False)
        _refuse_other_version(backup.manifest)
        written: list[str] = []
        try:
            with transaction.atomic():
                _load(backup)
                _write_files(backup, written)
                _prove(backup.manifest)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        say(f"files: {len(backup.manifest['parts']) - _database_parts(backup.manifest)}")
    call_command("reindex", stdout=io.StringIO())
    return backup.manifest


def _refuse_unless_empty() -> None:
    tables = set(connection.introspection.table_names())
    for model in dumped_models():
        if model._meta.db_table in tables and model._base_manager.exists():
            raise RestoreRefused(
                _("databasen er ikke tom (den har %(model)s); indlæs kun i en tom database")
                % {"model": model._meta.label}
            )


def _refuse_other_version(manifest: dict[str, Any]) -> None:
    applied = MigrationRecorder(connection).applied_migrations()
    here = sorted([app, name] for app, name in applied)
    there = manifest.get("migrations", [])
    if here != there:
        only_here = [f"{a}.{n}" for a, n in here if [a, n] not in there]
        only_there = [f"{a}.{n}" for a, n in there if [a, n] not in here]
        raise RestoreRefused(
            _(
                "sikkerhedskopien er lavet af en anden version af gremium (migreringer kun "
                "i kopien: %(there)s; kun her: %(here)s); indlæs den med den version, og "
                "opgradér derefter"
            )
            % {"there": ", ".join(only_there[:5]), "here": ", ".join(only_here[:5])}
        )


def _load(backup: Backup) -> None:
    with tempfile.TemporaryDirectory(prefix="gremium-restore-") as work:
        dump = Path(work) / DUMP
        with backup.part(DUMP) as source, dump.open("wb") as target:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                target.write(chunk)
        call_command("loaddata", str(dump), verbosity=0)


def _write_files(backup: Backup, written: list[str]) -> None:
    for part in sorted(backup.manifest["parts"]):
        if not part.startswith("files/"):
            continue
        name = part.removeprefix("files/")
        if not default_storage.exists(name):
            with backup.part(part) as handle:
                default_storage.put(name, handle)  # type: ignore[attr-defined]
            written.append(name)
        with default_storage.open(name, "rb") as stored:
            if sha256_of(stored) != backup.manifest["parts"][part]["sha256"]:
                raise ProofFailed(_("%(name)s: den gemte fil afviger fra kopien") % {"name": name})


def _prove(manifest: dict[str, Any]) -> None:
    try:
        audit = proof.audit_facts()
    except proof.ChainBroken as error:
        raise ProofFailed(_("revisionssporet er brudt ved post %(at)s") % {"at": error}) from error
    problems = proof.differences(manifest["audit"], audit, "audit")
    problems += proof.differences(
        manifest["approved_meetings"], proof.approved_meetings(), "approved_meetings"
    )
    if problems:
        raise ProofFailed("; ".join(problems[:10]))


def _database_parts(manifest: dict[str, Any]) -> int:
    return sum(1 for part in manifest["parts"] if not part.startswith("files/"))
