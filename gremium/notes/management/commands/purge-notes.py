"""`gremium purge-notes`: delete the private notes of members whose membership ended more
than GREMIUM_NOTES_KEEP_DAYS_AFTER_MEMBERSHIP days ago. Schedule it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gremium.notes.services import purge_expired_notes


class Command(BaseCommand):
    help = "Delete private notes whose author's membership ended long enough ago."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired_notes()
        self.stdout.write(f"{deleted} note(s) deleted")
