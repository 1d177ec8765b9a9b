"""What kind of file this is, judged by its content and never by its name."""

from __future__ import annotations

import re
from enum import StrEnum


class SourceKind(StrEnum):
    PDF = "pdf"
    EDOC = "edoc"
    SBSYS = "sbsys"
    SBSYS_DAGSORDEN = "sbsys-dagsorden"  # SBSYS's newer <Dagsorden> export
    EDOC_FUJITSU = "edoc-fujitsu"
    ACADRE = "acadre"
    FIRSTAGENDA = "firstagenda"  # FirstAgenda's publication JSON
    FIRSTAGENDA_WEB = "firstagenda-web"  # a FirstAgenda publication web page
    XML = "xml"  # XML of a kind no importer reads
    HTML = "html"  # minutes published as a web page
    TEXT = "text"


_FUJITSU_NAMESPACE = b"http://www.fujitsu.dk/agenda/xml/schemas/"
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def detect_kind(data: bytes) -> SourceKind:
    head = data[:4096]
    if b"%PDF-" in data[:1024]:
        return SourceKind.PDF
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{") and b'"Dagsordenpunkter"' in data[:65536]:
        return SourceKind.FIRSTAGENDA
    if re.match(rb"(?:<!--.*?-->\s*)*<!doctype\s+html|<html[\s>]", stripped, re.I | re.S):
        return _html_kind(data)
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
    if name == b"Dagsorden" and b"<Dagsordenpunkter" in data:
        return SourceKind.SBSYS_DAGSORDEN
    if name == b"Root" and _FUJITSU_NAMESPACE in data[:4096]:
        return SourceKind.EDOC_FUJITSU
    if name == b"root" and re.search(rb'<table name="(?:agenda|producedAgenda)"', data[:65536]):
        return SourceKind.ACADRE
    return SourceKind.XML


def _html_kind(data: bytes) -> SourceKind:
    # FirstAgenda's page: one row per item in the "dagsordenDetaljer" table.
    if b'id="dagsordenDetaljer"' in data and b'class="punktrow"' in data:
        return SourceKind.FIRSTAGENDA_WEB
    return SourceKind.HTML
