"""The backup file: one tar archive of parts, and `manifest.json` naming each part with
its sha256 and size. A part that is missing, added, or not what the manifest says makes
the whole file unusable: `open_backup` names the part and nothing is restored."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

MANIFEST = "manifest.json"
FORMAT = "gremium-backup"
VERSION = 1
_CHUNK = 1024 * 1024


class BadBackup(Exception):
    """The file is no gremium backup, or a part of it is damaged or altered."""


class BackupWriter:
    """Adds parts to a tar file written beside `path`, renamed into place only when the
    manifest is written: a failed backup never leaves a file that looks whole."""

    def __init__(self, path: Path) -> None:
        self.path = path
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        os.close(handle)
        self._temporary = Path(temporary)
        self._tar = tarfile.open(self._temporary, "w")  # noqa: SIM115 (closed in finish)
        self.parts: dict[str, dict[str, Any]] = {}

    def add(self, name: str, handle: IO[bytes], size: int) -> str:
        """Add a part read from `handle` (`size` bytes); returns its sha256."""
        digest = hashlib.sha256()
        hashing = _Hashing(handle, digest)
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        self._tar.addfile(info, hashing)  # type: ignore[arg-type]
        if hashing.read_bytes != size:
            raise OSError(f"{name}: read {hashing.read_bytes} bytes, expected {size}")
        self.parts[name] = {"sha256": digest.hexdigest(), "size": size}
        return digest.hexdigest()

    def add_file(self, name: str, path: Path) -> str:
        with path.open("rb") as handle:
            return self.add(name, handle, path.stat().st_size)

    def finish(self, manifest: dict[str, Any]) -> str:
        """Write the manifest and put the file in place; returns the manifest's sha256."""
        data = json.dumps(
            {"format": FORMAT, "version": VERSION, **manifest, "parts": self.parts},
            indent=1,
            sort_keys=True,
        ).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mode = 0o600
        self._tar.addfile(info, io.BytesIO(data))
        self._tar.close()
        os.replace(self._temporary, self.path)
        return hashlib.sha256(data).hexdigest()

    def abandon(self) -> None:
        self._tar.close()
        self._temporary.unlink(missing_ok=True)


class _Hashing:
    def __init__(self, handle: IO[bytes], digest: Any) -> None:
        self.handle, self.digest, self.read_bytes = handle, digest, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        self.read_bytes += len(chunk)
        return chunk


class Backup:
    """A backup whose every part has been checked against its manifest."""

    def __init__(self, tar: tarfile.TarFile, manifest: dict[str, Any], digest: str) -> None:
        self._tar = tar
        self.manifest = manifest
        self.manifest_sha256 = digest

    @contextmanager
    def part(self, name: str) -> Iterator[IO[bytes]]:
        handle = self._tar.extractfile(name)
        if handle is None:
            raise BadBackup(_("%(part)s: ikke en fil") % {"part": name})
        with handle:
            yield handle


@contextmanager
def open_backup(path: Path) -> Iterator[Backup]:
    """The backup, after checking every part's sha256 and size against the manifest."""
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 (closed below)
    except (OSError, tarfile.TarError) as error:
        raise BadBackup(
            _("%(file)s er ikke en læsbar tar-fil (%(error)s)") % {"file": path, "error": error}
        ) from error
    with tar:
        manifest, digest = _manifest(tar)
        _check_parts(tar, manifest["parts"])
        yield Backup(tar, manifest, digest)


def _manifest(tar: tarfile.TarFile) -> tuple[dict[str, Any], str]:
    try:
        handle = tar.extractfile(MANIFEST)
    except KeyError as error:
        raise BadBackup(
            _("%(part)s mangler: ikke en sikkerhedskopi fra gremium") % {"part": MANIFEST}
        ) from error
    if handle is None:
        raise BadBackup(_("%(part)s: ikke en fil") % {"part": MANIFEST})
    data = handle.read()
    try:
        manifest = json.loads(data)
    except ValueError as error:
        raise BadBackup(
            _("%(part)s er ikke JSON (%(error)s)") % {"part": MANIFEST, "error": error}
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BadBackup(_("%(part)s: ikke en sikkerhedskopi fra gremium") % {"part": MANIFEST})
    if manifest.get("version") != VERSION:
        raise BadBackup(
            _("%(part)s: formatversion %(version)s er ukendt")
            % {"part": MANIFEST, "version": manifest.get("version")}
        )
    if not isinstance(manifest.get("parts"), dict):
        raise BadBackup(_("%(part)s: ingen liste over dele") % {"part": MANIFEST})
    return manifest, hashlib.sha256(data).hexdigest()


def _check_parts(tar: tarfile.TarFile, parts: dict[str, dict[str, Any]]) -> None:
    seen: set[str] = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        if member.name in seen:
            raise BadBackup(_("%(part)s: delen findes to gange") % {"part": member.name})
        if member.name not in parts:
            raise BadBackup(_("%(part)s: delen står ikke i manifestet") % {"part": member.name})
        seen.add(member.name)
        expected = parts[member.name]
        handle = tar.extractfile(member)
        if handle is None:
            raise BadBackup(_("%(part)s: ikke en fil") % {"part": member.name})
        digest = hashlib.sha256()
        size = 0
        for chunk in iter(lambda h=handle: h.read(_CHUNK), b""):  # type: ignore[misc]
            digest.update(chunk)
            size += len(chunk)
        if size != expected.get("size") or digest.hexdigest() != expected.get("sha256"):
            raise BadBackup(
                _("%(part)s: delens sha256 eller størrelse afviger fra manifestet")
                % {"part": member.name}
            )
    missing = sorted(set(parts) - seen)
    if missing:
        raise BadBackup(
            _("%(part)s: delen mangler (%(count)s mangler i alt)")
            % {"part": missing[0], "count": len(missing)}
        )
