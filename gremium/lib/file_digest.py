"""Facts about a stored file that never change once it is stored: its sha512 (published
as OParl's `File.sha512Checksum`) and, for a PDF, its text. Models fill them in when they
are saved with a file, so every reader gets them from the database."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.db.models.fields.files import FieldFile

from gremium.lib.pdf_text import PdfTextError, pdf_page_texts

_CHUNK = 1024 * 1024


def file_sha512(field_file: FieldFile) -> str:
    """The sha512 of the file's content in hexadecimal; "" when the file cannot be read."""
    digest = hashlib.sha512()
    try:
        for chunk in _chunks(field_file):
            digest.update(chunk)
    except (OSError, ValueError):
        return ""
    return digest.hexdigest()


def pdf_text(field_file: FieldFile) -> str:
    """The text of a stored PDF, pages separated by a blank line; "" when unreadable."""
    try:
        pages = pdf_page_texts(b"".join(_chunks(field_file)))
    except (OSError, ValueError, PdfTextError):
        return ""
    return "\n\n".join(page.replace("\r\n", "\n") for page in pages)


def _chunks(field_file: FieldFile) -> Iterator[bytes]:
    # A file not yet written to storage (a model created with a ContentFile) is written
    # after this and must start at 0 again; a stored one is opened here and closed again.
    stored = getattr(field_file, "_committed", True)
    field_file.open("rb")
    try:
        field_file.seek(0)
        yield from iter(lambda: field_file.read(_CHUNK), b"")
    finally:
        if stored:
            field_file.close()
        else:
            field_file.seek(0)
