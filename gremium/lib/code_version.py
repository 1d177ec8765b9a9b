"""A fingerprint of the code that renders: stored renderings and cache validators carry
it, so a deployment that changes a template, the stylesheet or a renderer never serves a
page made by the code before it."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from django.conf import settings

_PACKAGE = Path(__file__).resolve().parent.parent
_SUFFIXES = {".py", ".html", ".typ", ".css", ".js", ".txt", ".xml", ".po", ".mo"}
# Libraries whose output is part of what is served.
_LIBRARIES = ("django", "typst", "markdown-it-py", "icalendar", "pikepdf", "pypdf")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in _SUFFIXES and "migrations" not in path.parts:
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    for name in _LIBRARIES:
        digest.update(f"{name}={_version(name)}".encode())
    for setting in ("TIME_ZONE", "LANGUAGE_CODE", "STATIC_URL", "GREMIUM_UID_DOMAIN"):
        digest.update(f"{setting}={getattr(settings, setting, '')}".encode())
    return digest.hexdigest()[:12]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
