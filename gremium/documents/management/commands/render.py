"""`gremium render`: a meeting's agenda or minutes as a PDF, HTML or Markdown file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gremium.documents.errors import RenderError
from gremium.documents.output import FORMATS, render_document
from gremium.documents.variants import make_variant
from gremium.lib.document_json import load_document
from gremium.lib.document_structure import Audience, Document, DocumentKind


class Command(BaseCommand):
    help = "Render a meeting's agenda or minutes (PDF, HTML or Markdown) to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--meeting", type=int, help="id of the meeting in the database")
        source.add_argument(
            "--from-json", type=Path, help="a serialized internal minutes Document instead"
        )
        parser.add_argument("--variant", choices=["minutes", "agenda"], default="minutes")
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--public", action="store_true", help="closed items redacted")
        parser.add_argument(
            "--with-attachments", action="store_true", help="append PDF attachments (pdf only)"
        )
        parser.add_argument("-o", "--output", type=Path, required=True, help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = DocumentKind.MINUTES if options["variant"] == "minutes" else DocumentKind.AGENDA
        audience = Audience.PUBLIC if options["public"] else Audience.INTERNAL
        document = _document(options, kind, audience)
        try:
            data = render_document(document, options["format"], options["with_attachments"])
        except RenderError as error:
            raise CommandError(str(error)) from error
        options["output"].write_bytes(data)
        self.stdout.write(f"{options['output']}: {len(data)} bytes")


def _document(options: dict[str, Any], kind: DocumentKind, audience: Audience) -> Document:
    if options["from_json"] is not None:
        try:
            minutes = load_document(options["from_json"])
        except (OSError, ValueError) as error:
            raise CommandError(f"{options['from_json']}: {error}") from error
        return make_variant(minutes, kind, audience)
    from gremium.documents.build import build_document
    from gremium.meetings.models import Meeting

    try:
        meeting = Meeting.objects.get(pk=options["meeting"])
    except Meeting.DoesNotExist as error:
        raise CommandError(f"no meeting with id {options['meeting']}") from error
    return build_document(meeting, kind=kind, audience=audience)
