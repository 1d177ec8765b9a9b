"""`gremium import PATH...`: published minutes, agendas and case-system exports into
gremium, one file or a whole archive folder at once.

Each file is read and stored on its own: a file that fails is reported with its name and
nothing of it is written, while the other files still import. A folder is walked, files
are read on every core (`--jobs`), and a ledger lets an interrupted run go on where it
stopped (gremium.importers.archive_run).
"""

from __future__ import annotations

import os
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gremium.importers.archive_report import (
    check_report_path,
    outcome_word,
    summary,
    write_report,
)
from gremium.importers.archive_run import (
    FileOutcome,
    Outcome,
    RunOptions,
    archive_files,
    import_archive,
)
from gremium.importers.progress import Progress
from gremium.importers.report import ParseResult
from gremium.lib.document_structure import Document
from gremium.lib.item_numbers import number_label
from gremium.search.background import AsideIndexer, can_index_aside
from gremium.search.receivers import reindex_deferred


class Command(BaseCommand):
    help = _(
        "Indlæser referater og dagsordener (Markdown, tekst, PDF, websider, FirstAgenda, "
        "eDoc, SBSYS, Acadre): filer eller hele mapper."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help=_("filer og mapper"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Vis hvad der ville blive oprettet.")
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Skriv også filer, hvor indholdsfortegnelsen, punkterne og deres numre ikke "
                "stemmer overens."
            ),
        )
        parser.add_argument(
            "--body", default="", help=_("Kommunens navn, når dokumentet ikke selv nævner den.")
        )
        parser.add_argument(
            "--report",
            type=Path,
            help=_("Skriv en rapport over hver fil og hver advarsel (.csv eller .json)."),
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help=_("Antal processer, der læser filer (standard: alle kerner)."),
        )
        parser.add_argument(
            "--ocr",
            action="store_true",
            help=_(
                "Læs PDF-sider uden tekstlag (scannede referater) med OCR på dansk "
                "(kræver tesseract-ocr og tesseract-ocr-dan)."
            ),
        )
        parser.add_argument(
            "--fetch-attachments",
            action="store_true",
            help=_("Hent bilag, som kun kendes ved deres adresse, hvor de kan nås."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = options["report"]
        if report is not None:
            try:
                check_report_path(report)
            except ValueError as error:
                raise CommandError(str(error)) from error
        started = time.monotonic()
        files = archive_files(options["files"])
        # Named files get the full listing; a folder's thousands only a line each.
        detailed = options["verbosity"] >= 2 or all(not p.is_dir() for p in options["files"])
        stream = cast(TextIO, self.stderr._out)
        progress = Progress(len(files), stream, self._terminal() and not detailed)
        outcomes = self._run(files, options, progress, detailed)
        interrupted = len(outcomes) < len(files)
        progress.clear()
        self.stdout.write(summary(outcomes, time.monotonic() - started, interrupted))
        if report is not None:
            write_report(report, outcomes)
            self.stdout.write(_("Rapport: %(path)s") % {"path": report})
        if interrupted:
            raise CommandError(
                _("Indlæsningen blev afbrudt. Kør kommandoen igen for at fortsætte.")
            )
        failed = [o.path for o in outcomes if o.outcome is Outcome.FAILED]
        if failed:
            raise CommandError(
                _("%(failed)s af %(total)s filer kunne ikke indlæses: %(names)s")
                % {
                    "failed": len(failed),
                    "total": len(outcomes),
                    "names": ", ".join(str(p) for p in failed),
                }
            )

    def _terminal(self) -> bool:
        return bool(getattr(self.stderr._out, "isatty", lambda: False)())

    def _run(
        self, files: list[Any], options: dict[str, Any], progress: Progress, detailed: bool
    ) -> list[FileOutcome]:
        run_options = RunOptions(
            body=options["body"],
            dry_run=options["dry_run"],
            force=options["force"],
            jobs=max(1, options["jobs"]),
            ocr=options["ocr"],
            fetch_attachments=options["fetch_attachments"],
        )
        outcomes: list[FileOutcome] = []
        aside = _aside_indexer(run_options, len(files))
        deferred: AbstractContextManager[set[int]] = (
            reindex_deferred() if aside is not None else nullcontext(set())
        )
        with deferred as changed:
            try:
                for outcome in import_archive(files, run_options):
                    outcomes.append(outcome)
                    self._show(outcome, progress, detailed)
                    progress.show(len(outcomes))
                    if aside is not None:  # committed: the other process can read it
                        aside.add(changed)
                        changed.clear()
            except KeyboardInterrupt:
                pass  # what is stored stays stored, with its ledger rows; the rest waits
            finally:
                if aside is not None:
                    aside.finish()
        return outcomes

    def _show(self, outcome: FileOutcome, progress: Progress, detailed: bool) -> None:
        if outcome.outcome is Outcome.FAILED:
            progress.clear()
            self.stderr.write(f"{outcome.path}: {outcome.error}")
            for warning in outcome.warnings:
                self.stderr.write(f"  {warning}")
            return
        if not detailed and progress.enabled:
            return
        if detailed and outcome.parsed is not None:
            self._listing(outcome.path, outcome.parsed, outcome.documents)
        for note in outcome.warnings if not detailed else []:
            self.stdout.write(f"  {note}")
        if outcome.stored:
            for stored in outcome.stored:
                verb = outcome_word(
                    Outcome.CREATED
                    if stored.created
                    else Outcome.UPDATED
                    if stored.changed
                    else Outcome.UNCHANGED
                )
                self.stdout.write(
                    f"{outcome.path}: møde {stored.meeting} (id {stored.meeting.pk}) {verb}."
                )
                for note in stored.notes:
                    self.stdout.write(f"  {note}")
        elif outcome.outcome is not Outcome.READ:
            self.stdout.write(f"{outcome.path}: {outcome_word(outcome.outcome)}.")

    def _listing(self, path: Path, result: ParseResult, documents: list[Document]) -> None:
        for document in documents:
            self.stdout.write(
                f"{path}: {document.kind} {document.organization_name} "
                f"{document.start:%d-%m-%Y %H:%M}, {document.body_name or '(ingen kommune)'}, "
                f"{len(document.participants)} deltagere, {len(document.items)} punkter"
            )
            for item in document.items:
                closed = "" if item.public else " [lukket]"
                label = number_label(item.number, item.sub_number) or "None"
                self.stdout.write(f"  Punkt {label}: {item.title} {item.reference}{closed}")
        self.stdout.write(_report_text(result))


# Below this many files a second process for the search index costs more than it saves.
_ASIDE_FROM = 50


def _aside_indexer(options: RunOptions, files: int) -> AsideIndexer | None:
    """On two cores and more, a big run's search index is built by a process of its own
    while this one stores; otherwise each meeting is indexed after its commit."""
    if options.dry_run or options.jobs < 2 or files < _ASIDE_FROM or not can_index_aside():
        return None
    return AsideIndexer()


def _report_text(result: ParseResult) -> str:
    report = result.report
    lines = [f"  {line}" for line in report.summary().splitlines()]
    for unplaced in report.unplaced:
        where = f"side {unplaced.page}, " if unplaced.page else ""
        lines.append(f"  Ikke placeret ({where}linje {unplaced.line}): {unplaced.text}")
    for disagreement in report.disagreements:
        lines.append(f"  Uoverensstemmelse ({disagreement.where()}): {disagreement.text}")
    return "\n".join(lines)
