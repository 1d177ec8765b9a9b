"""`gremium audit verify`: walk the hash chain and name the first broken record."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gremium.audit.models import AuditRecord
from gremium.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Kontrollerer revisionssporet (audit log)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"Revisionssporet er brudt ved post #{broken.record_id}: {broken.reason}."
            )
        self.stdout.write(f"Revisionssporet er intakt ({AuditRecord.objects.count()} poster).")
