"""Importers: published minutes and agendas (text, PDF, eDoc and SBSYS XML) into the
document structure. Start at `parse_file`."""

from __future__ import annotations

from gremium.importers.errors import ImportFailed
from gremium.importers.files import parse_file
from gremium.importers.report import ParseReport, ParseResult, UnplacedLine

__all__ = ["ImportFailed", "ParseReport", "ParseResult", "UnplacedLine", "parse_file"]
