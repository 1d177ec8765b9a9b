"""XML from case systems: refused when it declares a DOCTYPE or entities (XXE, billion
laughs; defusedxml is not available), repaired where real exports are known to be broken."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from gremium.importers.errors import ImportFailed

_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
# Characters XML 1.0 forbids even as references; eDoc writes form feeds as &#xC;.
_FORBIDDEN_REFERENCE = re.compile(
    r"&#(?:x0*([0-8bBcCeEfF]|1[0-9a-fA-F])|0*([0-8]|1[1-9]|2[0-9]|3[01]|12));"
)
_FORBIDDEN_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def refuse_declarations(data: bytes, path: Path) -> None:
    match = _DECLARATION.search(data)
    if match is not None:
        line = data[: match.start()].count(b"\n") + 1
        raise ImportFailed(path, "XML with a DOCTYPE or ENTITY declaration is refused", line)


def parse_xml(data: bytes, path: Path) -> tuple[ET.Element, list[str]]:
    """The root element and the repairs that were needed to read it."""
    refuse_declarations(data, path)
    text = _decode(data, path)
    repairs: list[str] = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        repairs.append("mixed line ends (CR, CRLF) normalised to LF")
    count = len(_FORBIDDEN_REFERENCE.findall(text)) + len(_FORBIDDEN_CHARACTER.findall(text))
    if count:
        text = _FORBIDDEN_CHARACTER.sub("\n", _FORBIDDEN_REFERENCE.sub("\n", text))
        repairs.append(
            f"{count} character references forbidden in XML 1.0 (e.g. &#xC; form feed) replaced by line breaks"  # noqa: E501
        )
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        return ET.fromstring(text), repairs  # noqa: S314 - declarations refused above
    except ET.ParseError as error:
        raise ImportFailed(path, f"XML is not well-formed: {error}", error.position[0]) from error


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            path, "XML is not UTF-8", data[: error.start].count(b"\n") + 1
        ) from error


def text_of(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    return (element.findtext(path) or "").strip()
