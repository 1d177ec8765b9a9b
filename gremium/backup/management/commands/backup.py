"""`gremium backup FILE`: the database, every file and a manifest in one tar file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gremium.backup.making import MissingFiles, make_backup


class Command(BaseCommand):
    help = _(
        "Skriver en sikkerhedskopi (tar): databasen, alle filer og et manifest med sha256 "
        "for hver del og for hvert godkendt referat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("filen, der skrives"))

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        if not target.parent.is_dir():
            raise CommandError(_("Mappen %(folder)s findes ikke.") % {"folder": target.parent})
        try:
            manifest = make_backup(target, say=self.stdout.write)
        except MissingFiles as error:
            raise CommandError(
                _("Sikkerhedskopien er ikke skrevet: disse filer mangler i lageret: %(names)s")
                % {"names": error}
            ) from error
        self.stdout.write(
            _("Sikkerhedskopien er skrevet: %(file)s (%(meetings)s godkendte møder).")
            % {"file": target, "meetings": len(manifest["approved_meetings"])}
        )
        # Fixed English keys, as `gremium audit verify` prints them: for scripts.
        self.stdout.write(f"manifest sha256: {manifest['manifest_sha256']}")
        self.stdout.write(f"audit count: {manifest['audit']['count']}")
        self.stdout.write(f"audit head: {manifest['audit']['head']}")
