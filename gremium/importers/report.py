"""What a parse produced and how far to trust it."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from gremium.importers.contents import Disagreement
from gremium.importers.ocr import OcrPage
from gremium.lib.document_structure import Document


@dataclass(frozen=True)
class UnplacedLine:
    line: int  # 1-based line number in the text the parser saw
    text: str
    page: int | None = None


@dataclass
class ParseReport:
    source_kind: str = ""  # text, pdf, edoc, sbsys
    items_found: int = 0
    item_numbers: list[int | None] = field(default_factory=list)
    unplaced: list[UnplacedLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # what was fixed in a broken input
    # Where the contents, the items and their numbering disagree: nothing is written
    # without --force while there is one.
    disagreements: list[Disagreement] = field(default_factory=list)
    confidence: str = ""
    ocr_pages: list[OcrPage] = field(default_factory=list)  # pages read by OCR (--ocr)

    def summary(self) -> str:
        parts = [
            f"{self.source_kind}: {self.items_found} items {self.item_numbers}",
            f"{len(self.unplaced)} unplaced lines",
            f"confidence: {self.confidence}",
        ]
        parts += [f"repair: {r}" for r in self.repairs]
        parts += [f"note: {n}" for n in self.notes]
        return "\n".join(parts)


@dataclass
class ParseResult:
    documents: list[Document]
    report: ParseReport


def judge_confidence(report: ParseReport, lines_seen: int) -> str:
    """A one-line verdict from the share of lines nobody could place and the item numbering."""
    if report.items_found == 0:
        return "low: no items found"
    if report.disagreements:
        return (
            f"low: {len(report.disagreements)} disagreements between the table of contents,"
            " the items and their numbering"
        )
    share = len(report.unplaced) / max(lines_seen, 1)
    # Sub-items (4.1, 4.2) share their main item's number: each number counts once.
    numbers = list(dict.fromkeys(n for n in report.item_numbers if n is not None))
    gaps = any(b != a + 1 for a, b in pairwise(numbers))
    if share > 0.05 or gaps:
        reason = "gaps in item numbering" if gaps else f"{share:.0%} of lines unplaced"
        return f"medium: {reason}"
    return (
        "high: consecutive items, every line placed"
        if not report.unplaced
        else (f"high: consecutive items, {len(report.unplaced)} lines unplaced")
    )
