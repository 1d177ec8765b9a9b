"""Files a case-system export names beside itself (attachments, the item's own PDF)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gremium.lib.document_structure import AttachmentRef


def local_file(export: Path, relative: str) -> Path | None:
    """The file `relative` to the export's folder, when it is a file inside that folder.
    An export can name any path ("../../etc/shadow", "/proc/kcore"): only its own folder
    is read, so an import never reads, hashes or stores a file from elsewhere."""
    if not relative:
        return None
    folder = export.parent.resolve()
    candidate = (folder / relative).resolve()
    if not candidate.is_relative_to(folder) or not candidate.is_file():
        return None
    return candidate


def local_attachment(
    name: str, export: Path, relative: str, public: bool, mime_type: str
) -> AttachmentRef | None:
    """The attachment with its size and sha256 when the export's folder holds the file."""
    local = local_file(export, relative)
    if local is None:
        return None
    data = local.read_bytes()
    return AttachmentRef(
        name=name,
        public=public,
        mime_type=mime_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        path=str(local),
    )


def files_ignoring_case(export: Path, relative: str) -> list[str]:
    """The paths, relative to the export's folder, of the files `relative` names when
    letter case is ignored (exports say "x.pdf" of a file "x.PDF"). Several paths mean the
    name is ambiguous; none leaves the export's folder ("..", absolute paths)."""
    folder = export.parent.resolve()
    *directories, file_name = [part for part in relative.split("/") if part]
    current = [folder]
    for part in directories:
        current = [d for c in current for d in _named(c, part) if d.is_dir()]
    found = [f for c in current for f in _named(c, file_name) if f.is_file()]
    return [str(f.relative_to(folder)) for f in found if f.resolve().is_relative_to(folder)]


def _named(folder: Path, name: str) -> list[Path]:
    if name in (".", "..") or not folder.is_dir():
        return []
    wanted = name.casefold()
    return [p for p in folder.iterdir() if p.name.casefold() == wanted]
