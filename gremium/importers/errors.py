"""The one error an importer raises: it always names the file, and the line where it helps."""

from __future__ import annotations

from pathlib import Path


class ImportFailed(Exception):
    """`internal`: the importer failed, not the file (a programming error, logged with its
    traceback); the run still goes on with the next file."""

    def __init__(
        self, path: Path | str, reason: str, line: int | None = None, internal: bool = False
    ) -> None:
        self.path = Path(path)
        self.reason = reason
        self.line = line
        self.internal = internal
        where = f"{self.path.name}, line {line}" if line is not None else self.path.name
        super().__init__(f"{where}: {reason}")
