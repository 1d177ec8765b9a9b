"""The files of an archive folder: found, fingerprinted, and sorted into what to read.

A case-system export (eDoc, SBSYS) is a manifest: the PDFs it names beside itself are its
attachments (or its items' own text), not minutes of their own. They are found by reading
the manifests with their own parsers, so the importer and the walk agree on what a
manifest names.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gremium.importers.detect import SourceKind, detect_kind

MANIFEST_KINDS = frozenset({SourceKind.EDOC, SourceKind.SBSYS})
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ArchiveFile:
    path: Path  # absolute
    sha256: str
    kind: str  # a SourceKind value, or "" when the file could not be read
    error: str = ""


def walk(paths: Iterable[Path]) -> list[Path]:
    """Every file under the given files and folders, absolute, each once, in name order.
    Hidden files and folders (".git", ".DS_Store") are left out of a folder's walk."""
    found: dict[Path, None] = {}
    for path in paths:
        entries = _folder_files(path) if path.is_dir() else iter([path])
        for entry in entries:
            found.setdefault(entry.absolute(), None)
    return list(found)


def _folder_files(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def examine(path: Path) -> ArchiveFile:
    """The file's sha256 and kind (by its content), read once in chunks."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            head = stream.read(65536)
            digest.update(head)
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
    except OSError as error:
        return ArchiveFile(path, "", "", f"cannot read the file ({error.strerror})")
    if not head.strip():
        return ArchiveFile(path, digest.hexdigest(), "")
    kind = detect_kind(head)
    if kind is SourceKind.XML and len(head) == 65536:
        # An export may name its kind's marker further in than the head: judge it whole.
        kind = detect_kind(path.read_bytes())
    return ArchiveFile(path, digest.hexdigest(), kind)


# An element's text that may name a file: one line, with a file suffix.
_FILE_NAME = re.compile(rb">\s*([^<>\r\n]{1,255}\.[A-Za-z0-9]{2,5})\s*<")


def manifest_references(manifest: Path) -> set[Path]:
    """The files beside a case-system export that it names anywhere (an item's Bilag, the
    item's own PDF, the whole agenda's PDF), matched without regard to case: Fujitsu's
    eDoc names "X.PDF" where the file is "x.pdf". Only files inside the export's folder."""
    try:
        data = manifest.read_bytes()
    except OSError:
        return set()
    folder = manifest.parent.resolve()
    listing = _Listing()
    found = set()
    for match in _FILE_NAME.finditer(data):
        name = match.group(1).decode("utf-8", "replace").strip().replace("\\", "/")
        path = listing.find(folder, name)
        if path is not None and path != manifest.resolve():
            found.add(path)
    return found


class _Listing:
    """Folders' file names by their lower case, read once per folder."""

    def __init__(self) -> None:
        self.folders: dict[Path, dict[str, Path]] = {}

    def find(self, folder: Path, relative: str) -> Path | None:
        here = folder
        for part in Path(relative).parts:
            if part in ("", ".", "..", "/"):
                return None  # only names inside the export's own folder
            here_entries = self._entries(here)
            found = here_entries.get(part.casefold())
            if found is None:
                return None
            here = found
        return here if here.is_file() else None

    def _entries(self, folder: Path) -> dict[str, Path]:
        if folder not in self.folders:
            try:
                self.folders[folder] = {p.name.casefold(): p for p in folder.iterdir()}
            except OSError:
                self.folders[folder] = {}
        return self.folders[folder]
