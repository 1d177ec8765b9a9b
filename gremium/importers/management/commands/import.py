"""`gremium import FILE...`: published minutes, agendas and case-system exports into gremium.

Each file is read and stored on its own: a file that fails is reported with its name and
nothing of it is written, while the other files still import.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, transaction

from gremium.audit.services import Actor
from gremium.importers import ImportFailed, ParseResult, parse_file
from gremium.lib.document_structure import Document
from gremium.lib.errors import DomainError
from gremium.meetings.from_document import meeting_store_document


class Command(BaseCommand):
    help = (
        "Indlæser referater og dagsordener (Markdown, tekst, PDF, websider, FirstAgenda, "
        "eDoc, SBSYS, Acadre)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis hvad der ville blive oprettet."
        )
        parser.add_argument(
            "--body", default="", help="Kommunens navn, når dokumentet ikke selv nævner den."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = [path for path in options["files"] if not self._one(path, options)]
        if failed:
            raise CommandError(
                f"{len(failed)} af {len(options['files'])} filer kunne ikke indlæses: "
                + ", ".join(str(p) for p in failed)
            )

    def _one(self, path: Path, options: dict[str, Any]) -> bool:
        try:
            result = parse_file(path)
            documents = [_with_body(d, options["body"]) for d in result.documents]
            self._report(path, result, documents)
            if not options["dry_run"]:
                self._store(path, documents)
        except (ImportFailed, DomainError) as exc:
            self.stderr.write(f"{path}: {exc}")
            return False
        except DatabaseError as exc:  # the file's transaction was rolled back
            self.stderr.write(f"{path}: kunne ikke gemmes ({type(exc).__name__}: {exc})")
            return False
        return True

    def _store(self, path: Path, documents: list[Document]) -> None:
        with transaction.atomic():  # all documents of one file, or none of them
            results = [
                meeting_store_document(document=d, by=Actor.system("gremium import"), replace=True)
                for d in documents
            ]
        for result in results:
            verb = "oprettet" if result.created else "opdateret" if result.changed else "uændret"
            self.stdout.write(f"{path}: møde {result.meeting} (id {result.meeting.pk}) {verb}.")

    def _report(self, path: Path, result: ParseResult, documents: list[Document]) -> None:
        for document in documents:
            self.stdout.write(
                f"{path}: {document.kind} {document.organization_name} "
                f"{document.start:%d-%m-%Y %H:%M}, {document.body_name or '(ingen kommune)'}, "
                f"{len(document.participants)} deltagere, {len(document.items)} punkter"
            )
            for item in document.items:
                closed = "" if item.public else " [lukket]"
                self.stdout.write(f"  Punkt {item.number}: {item.title} {item.reference}{closed}")
        self.stdout.write(_report_text(result))


def _with_body(document: Document, body: str) -> Document:
    if body and not document.body_name:
        return dataclasses.replace(document, body_name=body)
    return document


def _report_text(result: ParseResult) -> str:
    report = result.report
    lines = [f"  {line}" for line in report.summary().splitlines()]
    for unplaced in report.unplaced:
        where = f"side {unplaced.page}, " if unplaced.page else ""
        lines.append(f"  Ikke placeret ({where}linje {unplaced.line}): {unplaced.text}")
    return "\n".join(lines)
