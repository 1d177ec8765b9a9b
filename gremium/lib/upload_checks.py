"""An uploaded file checked completely before it is stored: allowed type by extension *and*
content, then parsed as that type. Pure file checking; the domain service
(meetings/services/attachments.py) decides what happens with the result.

Refused: a type not on the list, a file whose content is not its extension's type, a PDF
that is damaged, encrypted or also a web page (lib/pdf_checks.py), a DOCX or XLSX that is
not a whole Office Open XML package or carries macros, an image that is not whole
(lib/image_checks.py), a text that is not UTF-8. A PDF is stored without its active
content (lib/pdf_active.py). Every refusal names the file and says why, in Danish.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gremium.lib import pdf_checks
from gremium.lib.errors import DomainError
from gremium.lib.image_checks import jpeg_problem, png_problem

_ZIP = b"PK\x03\x04"
# Extension → (mime type, how the file must begin).
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (_ZIP,),
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain", ()),
}
# The content type of an Office document's main part, by extension.
_OOXML_MAIN = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# A package that unpacks to more than this is a zip bomb, not a committee paper.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_PACKAGE_PARTS = 10_000
_CONTENT_TYPES = "[Content_Types].xml"
_MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # a real one is a few kB
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


class FileRefused(DomainError):
    """An uploaded file cannot be used; the message names it and says why."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(
            _("Filen %(name)s kan ikke bruges: %(reason)s.") % {"name": filename, "reason": reason}
        )
        self.filename = filename
        self.reason = reason


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the file name without any folder
    mime_type: str
    content: bytes  # what is stored: the upload, or a PDF without its active content
    text: str  # the text for search ("" for types whose text is not read)
    removed: tuple[str, ...] = ()  # the active content removed from a PDF
    # A PDF checked without reading its text (check_upload's `read_text`): the text is
    # still to be read, by `pdf_text.pdf_page_texts`, later.
    text_pending: bool = False


def megabytes(size: int) -> str:
    """A size in MB (1024 × 1024 bytes) with one decimal, written the user's way: 31,2."""
    # Rounded here: number_format cuts decimals off rather than rounding them.
    return number_format(round(size / 1024 / 1024, 1), decimal_pos=1)


def refuse_oversize(filename: str, size: int) -> None:
    """FileRefused when `size` bytes exceed GREMIUM_MAX_UPLOAD_MB; the message gives both."""
    if size > settings.GREMIUM_MAX_UPLOAD_MB * 1024 * 1024:
        raise FileRefused(
            PurePath(filename).name,
            _("filen er %(size)s MB; højst %(limit)s MB")
            % {"size": megabytes(size), "limit": settings.GREMIUM_MAX_UPLOAD_MB},
        )


def check_upload(filename: str, content: bytes, *, read_text: bool = True) -> CheckedFile:
    """Check an upload completely; FileRefused, naming the file, when it cannot be used.
    Without `read_text` a PDF's text is not read (the costly part of a long PDF): the
    result says `text_pending`, and whoever stores the file reads it later."""
    name = PurePath(filename).name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise FileRefused(
            name,
            _("filtypen %(suffix)s er ikke tilladt. Tilladt: PDF, DOCX, XLSX, PNG, JPEG og TXT")
            % {"suffix": suffix or _("(ingen)")},
        )
    if not content:
        raise FileRefused(name, _("filen er tom"))
    mime, signatures = ALLOWED_TYPES[suffix]
    if signatures and not content.startswith(signatures):
        raise FileRefused(
            name, _("indholdet er ikke en %(type)s-fil") % {"type": suffix[1:].upper()}
        )
    if suffix == ".pdf":
        return _checked_pdf(name, content, read_text)
    if suffix in _OOXML_MAIN:
        _check_ooxml(name, content, suffix)
    elif suffix == ".png":
        _refuse_problem(name, png_problem(content))
    elif suffix in (".jpg", ".jpeg"):
        _refuse_problem(name, jpeg_problem(content))
    return CheckedFile(name=name, mime_type=mime, content=content, text=_text(name, content, mime))


def _checked_pdf(name: str, content: bytes, read_text: bool) -> CheckedFile:
    try:
        checked = pdf_checks.check_pdf(content, read_text=read_text)
    except pdf_checks.PdfRefused as refused:
        raise FileRefused(name, _pdf_reason(refused)) from refused
    return CheckedFile(
        name=name,
        mime_type="application/pdf",
        content=checked.content,
        text="\n\n".join(checked.page_texts),
        removed=tuple(checked.removed),
        text_pending=not read_text,
    )


def _pdf_reason(refused: pdf_checks.PdfRefused) -> str:
    if refused.reason == pdf_checks.ENCRYPTED:
        return _(
            "PDF-filen er beskyttet med adgangskode eller kryptering. Gem den uden "
            "beskyttelse, og prøv igen"
        )
    if refused.reason == pdf_checks.NO_PAGES:
        return _("PDF-filen har ingen sider")
    if refused.reason == pdf_checks.HTML:
        return _(
            "PDF-filen indeholder også HTML-kode (%(marker)s), som en browser kan udføre. "
            "Gem eller udskriv dokumentet som PDF igen"
        ) % {"marker": refused.detail}
    return _(
        "PDF-filen er beskadiget eller ufuldstændig og kan ikke vises. Gem eller udskriv "
        "dokumentet som PDF igen"
    )


def _check_ooxml(name: str, content: bytes, suffix: str) -> None:
    kind = _("Word-dokument (DOCX)") if suffix == ".docx" else _("Excel-regneark (XLSX)")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            problem = _package_problem(package, _OOXML_MAIN[suffix])
    # RuntimeError: an encrypted part; NotImplementedError: an unknown compression method.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            RuntimeError, NotImplementedError):  # fmt: skip
        problem = _("ZIP-pakken er beskadiget eller krypteret")
    if problem:
        raise FileRefused(
            name,
            _("den er ikke et gyldigt %(kind)s: %(problem)s") % {"kind": kind, "problem": problem},
        )


def _package_problem(package: zipfile.ZipFile, main_type: str) -> str:
    parts = package.infolist()
    if len(parts) > MAX_PACKAGE_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        return _("den pakker sig ud til mere end 1 GB")
    names = {part.filename for part in parts}
    if _CONTENT_TYPES not in names:
        return _("indholdsfortegnelsen [Content_Types].xml mangler")
    small = package.getinfo(_CONTENT_TYPES).file_size <= _MAX_CONTENT_TYPES_BYTES
    types = _content_types(package.read(_CONTENT_TYPES)) if small else None
    if types is None:
        return _("indholdsfortegnelsen [Content_Types].xml er beskadiget")
    if any("vbaProject" in t or "macroEnabled" in t for t in types.values()) or any(
        n.lower().endswith("vbaproject.bin") for n in names
    ):
        return _("den indeholder makroer. Gem den uden makroer")
    main = [part for part, content_type in types.items() if content_type == main_type]
    if not main or main[0] not in names:
        return _("hoveddelen af dokumentet mangler")
    with package.open(main[0]) as part:  # reading to the end checks its CRC
        while part.read(1 << 20):
            pass
    return ""


def _content_types(data: bytes) -> dict[str, str] | None:
    """Part name (without the leading "/") → content type, from the package's overrides;
    None when the XML is not readable. Declarations are refused: no entity expansion."""
    if _DECLARATION.search(data):
        return None
    try:
        root = ET.fromstring(data)  # noqa: S314 - declarations refused above
    except ET.ParseError:
        return None
    return {
        element.get("PartName", "").lstrip("/"): element.get("ContentType", "")
        for element in root
        if element.tag.endswith("}Override") or element.tag == "Override"
    }


def _refuse_problem(name: str, problem: str) -> None:
    if problem:
        raise FileRefused(name, problem)


def _text(name: str, content: bytes, mime: str) -> str:
    if mime != "text/plain":
        return ""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileRefused(name, _("tekstfilen skal være i UTF-8")) from error
