"""`gremium reindex`: bring the whole search index in line with the record (after an
upgrade, a restore or a change made in the admin). Only what differs is rewritten."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gremium.meetings.models import Meeting
from gremium.search.indexing import index_meeting, rebuild
from gremium.search.models import SearchEntry


class Command(BaseCommand):
    help = _(
        "Genopbygger søgeindekset: alle møder, udvalg og personer. Kun det, der er ændret, "
        "skrives. Med --meeting kun ét møde."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--meeting", type=int, help=_("kun mødet med dette id"))

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        meeting_id = options.get("meeting")
        if meeting_id is not None:
            if not Meeting.objects.filter(pk=meeting_id).exists():
                raise CommandError(_("Mødet %(id)s findes ikke.") % {"id": meeting_id})
            index_meeting(meeting_id)
            count = 1
        else:
            count = rebuild(progress=self._progress if options["verbosity"] > 1 else None)
        self.stdout.write(
            _("Indekserede %(meetings)s møder på %(seconds).1f s; indekset har %(entries)s poster.")
            % {
                "meetings": count,
                "seconds": time.monotonic() - started,
                "entries": SearchEntry.objects.count(),
            }
        )

    def _progress(self, done: int, total: int) -> None:
        if done % 100 == 0 or done == total:
            self.stdout.write(f"{done}/{total}")
