"""`gremium worker`: run the queued background jobs (PDFs, search index, mail)."""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.crypto import get_random_string

from gremium.jobs.worker import Worker


def lower_priority(steps: int) -> None:
    """Readers first: on cores shared with the app servers the jobs (a long PDF renders
    for seconds) take what the servers leave. Measured with bench/load.py: the worker's
    rendering and sealing competed with 200 readers for the same two cores."""
    if steps > 0 and hasattr(os, "nice"):
        os.nice(steps)


class Command(BaseCommand):
    help = "Run the queued background jobs until stopped (SIGTERM: after the job at hand)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
        )
        parser.add_argument("--batch", action="store_true", help="run what is due now, then stop")
        parser.add_argument("--max-jobs", type=int, default=None, help="stop after this many jobs")
        parser.add_argument(
            "--worker-id", default="", help="this worker's name in the queue (default: random)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.GREMIUM_TASKS != "database":
            raise CommandError(
                f"GREMIUM_TASKS={settings.GREMIUM_TASKS!r}: jobs run where they are asked "
                "for, there is no queue to work on. Set GREMIUM_TASKS=database."
            )
        if options["interval"] < 0 or (options["max_jobs"] is not None and options["max_jobs"] < 1):
            raise CommandError("--interval must be 0 or more and --max-jobs 1 or more.")
        worker_id = options["worker_id"] or get_random_string(16)
        if len(worker_id) > 64:
            raise CommandError("--worker-id: at most 64 characters.")
        logging.getLogger("gremium.jobs").setLevel(logging.INFO)
        lower_priority(settings.GREMIUM_WORKER_NICE)
        worker = Worker(
            worker_id=worker_id,
            interval=options["interval"],
            batch=options["batch"],
            max_jobs=options["max_jobs"],
        )
        worker.handle_signals()
        worker.run()
