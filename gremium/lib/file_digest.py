"""Facts about a stored file that never change once it is stored: its sha512 (published
as OParl's `File.sha512Checksum`) and, for a PDF, its text. Models fill them in when they
are saved with a file, so every reader gets them from the database."""

from __future__ import annotations

import hashlib

from django.db.models.fields.files import FieldFile

from gremium.lib.pdf_text import PdfTextError, pdf_page_texts

_CHUNK = 1024 * 1024


def file_sha512(field_file: FieldFile) -> str:
    """The sha512 of the file's content in hexadecimal; "" when the file cannot be read."""
    digest = hashlib.sha512()
    try:
        field_file.open("rb")
        try:
            field_file.seek(0)
            for chunk in iter(lambda: field_file.read(_CHUNK), b""):
                digest.update(chunk)
        finally:
            # An unsaved upload is written to storage after this: it must start at 0 again.
            field_file.seek(0)
    except (OSError, ValueError):
        return ""
    return digest.hexdigest()


def pdf_text(field_file: FieldFile) -> str:
    """The text of a stored PDF, pages separated by a blank line; "" when unreadable."""
    try:
        field_file.open("rb")
        try:
            field_file.seek(0)
            data = field_file.read()
        finally:
            field_file.seek(0)
        pages = pdf_page_texts(data)
        return "\n\n".join(page.replace("\r\n", "\n") for page in pages)
    except (OSError, ValueError, PdfTextError):
        return ""
