"""`gremium import` over many files: parsing on every core, storing in this process.

Each file is stored in one transaction together with its row in the ledger
(`ImportedFile`), so an interrupted run leaves the ledger naming exactly the files whose
meetings are stored; the next run skips those whose content is unchanged and goes on
with the rest. Outcomes come back one file at a time, in the files' order.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path

from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, one_transaction
from gremium.importers.archive_files import (
    MANIFEST_KINDS,
    ArchiveFile,
    examine,
    manifest_references,
    walk,
)
from gremium.importers.attachment_fetch import fetch_attachments
from gremium.importers.errors import ImportFailed
from gremium.importers.files import parse_file
from gremium.importers.models import ImportedFile
from gremium.importers.ocr import UNCERTAIN_OCR, OcrOptions
from gremium.importers.report import ParseResult
from gremium.lib.document_structure import Document
from gremium.lib.errors import DomainError
from gremium.meetings.from_document import StoreResult, meeting_store_document


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # read and found as stored
    SKIPPED = "skipped"  # in the ledger with the same content: not read again
    ATTACHMENT = "attachment"  # named by a manifest (eDoc, SBSYS) beside it
    READ = "read"  # --dry-run: read, nothing stored
    FAILED = "failed"


@dataclass
class FileOutcome:
    path: Path
    kind: str
    sha256: str
    outcome: Outcome
    meetings: list[str] = field(default_factory=list)
    items: int = 0
    confidence: str = ""
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    # For the command's detailed listing; not part of the report file.
    documents: list[Document] = field(default_factory=list, repr=False)
    parsed: ParseResult | None = field(default=None, repr=False)
    stored: list[StoreResult] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Parsed:
    path: Path
    result: ParseResult | None
    error: str = ""


@dataclass(frozen=True)
class RunOptions:
    body: str = ""
    dry_run: bool = False
    force: bool = False  # write a file even where its own evidence disagrees
    jobs: int = 1
    ocr: bool = False  # read PDF pages without a text layer by OCR
    fetch_attachments: bool = False  # download attachments known only by their address
    by: Actor = field(default_factory=lambda: Actor.system("gremium import"))


def parse_one(path: Path, ocr: OcrOptions | None = None) -> Parsed:
    """Read one file (in a worker process): the result, or why it failed."""
    try:
        return Parsed(path, parse_file(path, ocr))
    except ImportFailed as error:
        return Parsed(path, None, str(error))


def archive_files(paths: Iterable[Path]) -> list[ArchiveFile]:
    return [examine(path) for path in walk(paths)]


def import_archive(files: list[ArchiveFile], options: RunOptions) -> Iterator[FileOutcome]:
    """Read and store `files`: manifests first (their attachments are then known and
    passed over), then every other file. One outcome per file, in that order."""
    with _commits_without_waiting_for_the_disk():
        yield from _import(files, options)


@contextmanager
def _commits_without_waiting_for_the_disk() -> Iterator[None]:
    """An import's commits do not each wait for the disk (a power cut may lose the last
    few of them, whole, ledger rows included: the next run simply reads those files
    again). Everywhere else gremium keeps SQLite's synchronous=FULL."""
    if connection.in_atomic_block:
        yield  # inside someone's transaction (a test): its settings stay as they are
        return
    setting = {
        "sqlite": ("PRAGMA synchronous=NORMAL", "PRAGMA synchronous=FULL"),
        "postgresql": ("SET synchronous_commit = off", "RESET synchronous_commit"),
    }.get(connection.vendor)
    if setting is not None:
        with connection.cursor() as cursor:
            cursor.execute(setting[0])
    try:
        yield
    finally:
        if setting is not None:
            with connection.cursor() as cursor:
                cursor.execute(setting[1])


def _import(files: list[ArchiveFile], options: RunOptions) -> Iterator[FileOutcome]:
    run = _Run(options)
    manifests = [f for f in files if f.kind in MANIFEST_KINDS]
    others = [f for f in files if f.kind not in MANIFEST_KINDS]
    parsed_manifests = list(run.parse(manifests))
    attachments = _attachment_paths(parsed_manifests)
    for manifest in manifests:
        attachments |= manifest_references(manifest.path)
    for file, parsed in zip(manifests, parsed_manifests, strict=True):
        yield run.outcome(file, parsed)
    waiting = []
    for file in others:
        if file.path.resolve() in attachments:
            yield FileOutcome(file.path, file.kind, file.sha256, Outcome.ATTACHMENT)
        elif (early := run.early_outcome(file)) is not None:
            yield early
        else:
            waiting.append(file)
    for file, parsed in zip(waiting, run.parse(waiting), strict=False):
        yield run.outcome(file, parsed)


def _attachment_paths(parsed: list[Parsed]) -> set[Path]:
    return {
        Path(ref.path).resolve()
        for one in parsed
        if one.result is not None
        for document in one.result.documents
        for item in document.items
        for ref in item.attachments
        if ref.path
    }


class _Run:
    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self.ledger = dict(ImportedFile.objects.values_list("path", "sha256"))

    def parse(self, files: list[ArchiveFile]) -> Iterator[Parsed]:
        paths = [f.path for f in files]
        if self.options.jobs <= 1 or len(paths) < 2:
            # Read here, one file at a time: OCR may read pages on every core.
            yield from map(partial(parse_one, ocr=self._ocr(self.options.jobs)), paths)
            return
        # fork: the workers start at once and need nothing but the parsers they inherit.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(self.options.jobs, mp_context=context) as pool:
            try:
                # Files in fours (less to and fro) unless OCR makes each one take seconds.
                chunk = 1 if self.options.ocr else 4
                yield from pool.map(partial(parse_one, ocr=self._ocr(1)), paths, chunksize=chunk)
            finally:
                pool.shutdown(wait=False, cancel_futures=True)

    def _ocr(self, threads: int) -> OcrOptions | None:
        return OcrOptions(threads=threads) if self.options.ocr else None

    def early_outcome(self, file: ArchiveFile) -> FileOutcome | None:
        """Files settled without reading them: unreadable, empty, or unchanged since."""
        if file.error or not file.kind:
            error = file.error or _("filen er tom")
            return FileOutcome(file.path, file.kind, file.sha256, Outcome.FAILED, error=error)
        if self._in_ledger(file):
            return FileOutcome(file.path, file.kind, file.sha256, Outcome.SKIPPED)
        return None

    def _in_ledger(self, file: ArchiveFile) -> bool:
        return self.ledger.get(str(file.path)) == file.sha256

    def outcome(self, file: ArchiveFile, parsed: Parsed) -> FileOutcome:
        if parsed.result is None:
            return FileOutcome(
                file.path, file.kind, file.sha256, Outcome.FAILED, error=parsed.error
            )
        documents = [_with_body(d, self.options.body) for d in parsed.result.documents]
        result = _described(file, parsed.result, documents)
        if self._in_ledger(file):  # a manifest read for its attachments only
            result.outcome = Outcome.SKIPPED
        elif parsed.result.report.disagreements and not self.options.force:
            result.outcome, result.error = Outcome.FAILED, _refusal(parsed.result)
        elif any(not d.body_name.strip() for d in documents) and not self.options.dry_run:
            result.outcome, result.error = Outcome.FAILED, _no_body(parsed.result)
        elif not self.options.dry_run:
            self._store(file, result)
        return result

    def _store(self, file: ArchiveFile, result: FileOutcome) -> None:
        try:
            with one_transaction():  # the file's meetings and its ledger row, or nothing
                stored = [self._store_one(d) for d in result.documents]
                _write_ledger(file, [s.meeting.pk for s in stored])
        except DomainError as error:
            result.outcome, result.error = Outcome.FAILED, str(error)
            return
        except DatabaseError as error:  # the file's transaction was rolled back
            result.outcome = Outcome.FAILED
            result.error = _("kunne ikke gemmes (%(error)s)") % {
                "error": f"{type(error).__name__}: {error}"
            }
            return
        result.stored = stored
        result.outcome = _overall(stored)
        result.meetings = [f"{s.meeting} (id {s.meeting.pk})" for s in stored]
        result.warnings += [note for s in stored for note in s.notes]
        if self.options.fetch_attachments:  # after the commit: the network is slow
            for one in stored:
                fetched = fetch_attachments(one.meeting, self.options.by)
                result.notes += fetched.fetched
                result.warnings += fetched.failed

    def _store_one(self, document: Document) -> StoreResult:
        return meeting_store_document(
            document=document, by=self.options.by, replace=True, detect_numbering=True
        )


def _write_ledger(file: ArchiveFile, meeting_ids: list[int]) -> None:
    """The file's row in the ledger, inside the file's transaction. An UPDATE, and an
    INSERT for a file new to the ledger: update_or_create's SELECT and two savepoints
    bought nothing here, a failure rolls back the whole file anyway."""
    values = {"sha256": file.sha256, "kind": file.kind, "meeting_ids": meeting_ids}
    rows = ImportedFile.objects.filter(path=str(file.path))
    if not rows.update(**values, imported_at=timezone.now()):
        ImportedFile.objects.create(path=str(file.path), **values)


def _refusal(parsed: ParseResult) -> str:
    found = parsed.report.disagreements
    return _(
        "indholdsfortegnelsen, punkterne og deres numre stemmer ikke overens (%(first)s%(more)s); "
        "intet er skrevet. Ret filen, eller indlæs den alligevel med --force."
    ) % {
        "first": found[0],
        "more": _(" og %(count)s flere") % {"count": len(found) - 1} if len(found) > 1 else "",
    }


def _no_body(parsed: ParseResult) -> str:
    named = [n for n in parsed.report.notes if n.startswith("the header names more than one")]
    return _(
        "dokumentet siger ikke entydigt, hvilken kommune eller region det hører til%(which)s; "
        "angiv den med --body."
    ) % {"which": f" ({named[0]})" if named else ""}


def _overall(stored: list[StoreResult]) -> Outcome:
    if any(s.created for s in stored):
        return Outcome.CREATED
    return Outcome.UPDATED if any(s.changed for s in stored) else Outcome.UNCHANGED


def _with_body(document: Document, body: str) -> Document:
    if body and not document.body_name:
        return dataclasses.replace(document, body_name=body)
    return document


def _described(file: ArchiveFile, parsed: ParseResult, documents: list[Document]) -> FileOutcome:
    report = parsed.report
    warnings = [
        _("ikke placeret (%(where)slinje %(line)s): %(text)s")
        % {
            "where": _("side %(page)s, ") % {"page": u.page} if u.page else "",
            "line": u.line,
            "text": u.text,
        }
        for u in report.unplaced
    ]
    warnings += [_("uoverensstemmelse (%(what)s)") % {"what": d} for d in report.disagreements]
    warnings += [_("reparation: %(what)s") % {"what": r} for r in report.repairs]
    warnings += [
        _("OCR af side %(page)s er usikker (middel %(mean).1f, lavest %(min).1f): læs den efter")
        % {"page": p.number, "mean": p.mean_confidence, "min": p.min_confidence}
        for p in report.ocr_pages
        if p.words and p.mean_confidence < UNCERTAIN_OCR
    ]
    if report.confidence and not report.confidence.startswith("high"):
        warnings.append(_("sikkerhed: %(confidence)s") % {"confidence": report.confidence})
    return FileOutcome(
        file.path,
        file.kind,
        file.sha256,
        Outcome.READ,
        items=sum(len(d.items) for d in documents),
        confidence=report.confidence,
        warnings=warnings,
        notes=list(report.notes),
        documents=documents,
        parsed=parsed,
    )
