"""Bytes to text: UTF-8 first, cp1252 or latin-1 only when the bytes clearly are that."""

from __future__ import annotations

import re
from pathlib import Path

from gremium.importers.errors import ImportFailed

# Danish letters as cp1252/latin-1 single bytes: æ ø å Æ Ø Å é
_DANISH_HIGH_BYTES = frozenset(b"\xe6\xf8\xe5\xc6\xd8\xc5\xe9")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """The text and the encoding it was read with; ImportFailed for binary or unknown bytes."""
    if not data.strip():
        raise ImportFailed(path, "the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        text = _decode_single_byte(data, path, error)
        return _without_nul(_refuse_binary(text, path)), "cp1252"
    return _without_nul(_refuse_binary(text, path)), "utf-8"


def _without_nul(text: str) -> str:
    # A stray NUL is no text, and PostgreSQL refuses to store one.
    return text.replace("\x00", "")


def _decode_single_byte(data: bytes, path: Path, error: UnicodeDecodeError) -> str:
    high = [b for b in data if b >= 0x80]
    danish = sum(1 for b in high if b in _DANISH_HIGH_BYTES)
    # Random bytes have high bytes everywhere; a Danish text in cp1252 has few, mostly æøå.
    if high and danish / len(high) >= 0.6 and len(high) / len(data) < 0.1:
        return data.decode("cp1252", errors="replace")
    line = data[: error.start].count(b"\n") + 1
    raise ImportFailed(path, "not UTF-8 text and not clearly cp1252/latin-1 either", line)


def _refuse_binary(text: str, path: Path) -> str:
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 200):
        raise ImportFailed(path, "binary data, not text (control characters throughout)")
    return text
