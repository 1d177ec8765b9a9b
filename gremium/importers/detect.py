"""What kind of file this is, judged by its content and never by its name."""

from __future__ import annotations

import re
from enum import StrEnum


class SourceKind(StrEnum):
    PDF = "pdf"
    EDOC = "edoc"
    SBSYS = "sbsys"
    XML = "xml"  # XML of a kind no importer reads
    HTML = "html"  # minutes published as a web page
    TEXT = "text"


_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def detect_kind(data: bytes) -> SourceKind:
    head = data[:4096]
    if b"%PDF-" in data[:1024]:
        return SourceKind.PDF
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if re.match(rb"(?:<!--.*?-->\s*)*<!doctype\s+html|<html[\s>]", stripped, re.I | re.S):
        return SourceKind.HTML
    if stripped.startswith(b"<?xml") or re.match(rb"<[A-Za-z]", stripped):
        return _xml_kind(data)
    return SourceKind.TEXT


def _xml_kind(data: bytes) -> SourceKind:
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!.*?>", b"", data[:65536], flags=re.S)
    root = _ROOT.search(body)
    name = root.group(1) if root else b""
    if name == b"Meeting" and b"<MeetingAgendaTypes" in data:
        return SourceKind.EDOC
    if name == b"Publication" and b"<Agendas" in data:
        return SourceKind.SBSYS
    return SourceKind.XML
