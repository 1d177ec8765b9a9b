"""`gremium verify-pdf FILE`: is the PDF a sealed gremium minutes, unchanged since sealing?

Exit status 0 when the seal is valid; otherwise 1 with the reason (changed after sealing,
unknown signer, expired certificate, no seal, no PDF). The same check as /verificer/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gremium.documents.seal_keys import SealCertificateError
from gremium.documents.seal_verify import describe, verify_sealed_pdf


class Command(BaseCommand):
    help = "Check the seal of a PDF: who sealed it, when, and whether it changed since."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the PDF to check")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file: {error.strerror}") from error
        try:
            report = verify_sealed_pdf(content)
        except SealCertificateError as error:
            raise CommandError(str(error)) from error
        lines = describe(report)
        out = self.stdout if report.ok else self.stderr
        for line in lines:
            out.write(line)
        if not report.ok:
            raise CommandError(f"{path}: {report.verdict}", returncode=1)
