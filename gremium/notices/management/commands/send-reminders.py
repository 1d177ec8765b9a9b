"""`gremium send-reminders`: remind the members who have not signed minutes that have
waited GREMIUM_APPROVAL_REMINDER_DAYS days. Each member gets one reminder per minutes
version however often this runs: schedule it daily (cron or a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gremium.notices.services import send_reminders


class Command(BaseCommand):
    help = "Send one reminder to each member whose approval of published minutes is due."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) queued")
