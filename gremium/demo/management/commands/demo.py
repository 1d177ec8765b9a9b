"""`gremium demo`: load the seed meeting. Running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gremium.audit.services import Actor
from gremium.demo.accounts import demo_accounts
from gremium.demo.seed import seed_document
from gremium.lib.errors import DomainError
from gremium.meetings.from_document import meeting_store_document


class Command(BaseCommand):
    help = "Indlæser demomødet: Haderslev Kommunes Beskæftigelses- og Borgerserviceudvalg 2/2 2026."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="Opret også logins til en lokal afprøvning (sekretær og medlemmer).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = meeting_store_document(
                document=seed_document(), by=Actor.system("gremium demo")
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        meeting = result.meeting
        if result.created:
            self.stdout.write(f"Demomødet er indlæst: {meeting} (id {meeting.pk}).")
        else:
            self.stdout.write(f"Demomødet findes allerede uændret: {meeting} (id {meeting.pk}).")
        if options["accounts"]:
            for role, username, password in demo_accounts(meeting):
                self.stdout.write(f"Login ({role}): {username} / {password}")
