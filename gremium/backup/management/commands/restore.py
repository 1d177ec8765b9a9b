"""`gremium restore FILE`: a backup into an empty deployment, then the proof."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gremium.backup.bundle import BadBackup
from gremium.backup.restoring import ProofFailed, RestoreRefused, restore_backup


class Command(BaseCommand):
    help = _(
        "Indlæser en sikkerhedskopi i en tom installation (SQLite eller PostgreSQL) og "
        "beviser resultatet: manifestets sha256, revisionssporet, underskrifterne og "
        "byte-identiske referater."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("sikkerhedskopien"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(options["file"], say=self.stdout.write)
        except BadBackup as error:
            raise CommandError(
                _("Sikkerhedskopien kan ikke bruges, intet er ændret: %(why)s") % {"why": error}
            ) from error
        except RestoreRefused as error:
            raise CommandError(
                _("Der er ikke indlæst noget, intet er ændret: %(why)s") % {"why": error}
            ) from error
        except ProofFailed as error:
            raise CommandError(
                _("Genskabelsen kunne ikke bevises og er rullet tilbage: %(why)s") % {"why": error}
            ) from error
        meetings = manifest["approved_meetings"]
        self.stdout.write(
            _(
                "Genskabt og bevist: alle dele svarer til manifestet, revisionssporet er "
                "intakt (%(count)s poster), og %(meetings)s godkendte møder har de samme "
                "underskrifter og byte-identiske referater."
            )
            % {"count": manifest["audit"]["count"], "meetings": len(meetings)}
        )
        self.stdout.write(f"audit count: {manifest['audit']['count']}")
        self.stdout.write(f"audit head: {manifest['audit']['head']}")
