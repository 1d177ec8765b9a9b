"""The record of an archive import: a summary for the terminal and a report file (CSV or
JSON, by the file's suffix) listing each file, what it became and every warning."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from gremium.importers.archive_run import FileOutcome, Outcome

REPORT_SUFFIXES = (".csv", ".json")
_COLUMNS = ["file", "kind", "sha256", "outcome", "meetings", "items", "confidence", "warnings",
            "notes", "error"]  # fmt: skip

OUTCOME_WORDS = {
    Outcome.CREATED: gettext_lazy("oprettet"),
    Outcome.UPDATED: gettext_lazy("opdateret"),
    Outcome.UNCHANGED: gettext_lazy("uændret"),
    Outcome.SKIPPED: gettext_lazy("uændret siden sidst, sprunget over"),
    Outcome.ATTACHMENT: gettext_lazy("bilag til en eksport"),
    Outcome.READ: gettext_lazy("læst (prøvekørsel)"),
    Outcome.FAILED: gettext_lazy("fejlede"),
}


def outcome_word(outcome: Outcome) -> str:
    return str(OUTCOME_WORDS[outcome])


def summary(outcomes: list[FileOutcome], seconds: float, interrupted: bool = False) -> str:
    counts = Counter(o.outcome for o in outcomes)
    parts = [f"{counts[o]} {outcome_word(o)}" for o in Outcome if counts[o]]
    warnings = sum(len(o.warnings) for o in outcomes)
    head = _("Afbrudt efter") if interrupted else _("Færdig:")
    files = ngettext("%(count)s fil", "%(count)s filer", len(outcomes)) % {"count": len(outcomes)}
    return _("%(head)s %(files)s på %(seconds).1f s: %(parts)s; %(warnings)s advarsler.") % {
        "head": head,
        "files": files,
        "seconds": seconds,
        "parts": ", ".join(parts) or "-",
        "warnings": warnings,
    }


def check_report_path(path: Path) -> None:
    """Refuse a report file the run could not write, before anything is read or stored."""
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise ValueError(_("Rapportfilen skal ende på .csv eller .json: %(path)s") % {"path": path})
    if not path.parent.is_dir():
        raise ValueError(_("Mappen til rapportfilen findes ikke: %(path)s") % {"path": path})


def write_report(path: Path, outcomes: list[FileOutcome]) -> None:
    rows = [_row(o) for o in outcomes]
    if path.suffix.lower() == ".json":
        text = json.dumps({"files": rows}, ensure_ascii=False, indent=1)
        path.write_text(text + "\n", encoding="utf-8")
        return
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "\n".join(v) if isinstance(v, list) else v for k, v in row.items()})


def _row(outcome: FileOutcome) -> dict[str, object]:
    return {
        "file": str(outcome.path),
        "kind": outcome.kind,
        "sha256": outcome.sha256,
        "outcome": str(outcome.outcome),
        "meetings": outcome.meetings,
        "items": outcome.items,
        "confidence": outcome.confidence,
        "warnings": outcome.warnings,
        "notes": outcome.notes,
        "error": outcome.error,
    }
