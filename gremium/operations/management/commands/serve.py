"""`gremium serve`: the production server (operations/server.py), after the system checks.

With DEBUG off the deployment checks run too, and an error among them stops the start
with Django's list of what to change; with DEBUG on (`./scripts/serve`, the local demo)
only the ordinary checks run, and the command says that this is no production setup.
"""

from __future__ import annotations

import re
import shutil
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from gremium.operations.server import (
    THREADS,
    ServeOptions,
    default_workers,
    metrics_folder,
    run_server,
)

_HOST_PORT = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(?P<port>\d{1,5})")


def parse_bind(value: str) -> str:
    """HOST:PORT, [IPv6]:PORT or unix:PATH."""
    if value.startswith("unix:") and len(value) > len("unix:"):
        return value
    found = _HOST_PORT.fullmatch(value)
    if found is None or not 0 < int(found["port"]) < 65536:
        raise CommandError(
            _("--bind skal være VÆRT:PORT (fx 127.0.0.1:8000) eller unix:STI, ikke %(value)r.")
            % {"value": value}
        )
    return value


def positive(name: str, value: int) -> int:
    if value < 1:
        raise CommandError(_("%(name)s skal være 1 eller mere.") % {"name": name})
    return value


def _given(value: int | None, default: int) -> int:
    return default if value is None else value


class Command(BaseCommand):
    help = _(
        "Starter gremium som produktionsserver (granian): en proces pr. kerne, statiske "
        "filer, adgangslog, og en pæn nedlukning ved SIGTERM."
    )
    # Run below, with the deployment checks when in production mode.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default="127.0.0.1:8000",
            help=_("Adresse og port, eller unix:STI (standard: 127.0.0.1:8000)."),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_("Antal processer (standard: en pr. kerne, her %(cores)d).")
            % {"cores": default_workers()},
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=THREADS,
            help=_("Tråde pr. proces (standard: %(threads)d).") % {"threads": THREADS},
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=30,
            help=_("Sekunder igangværende forespørgsler får ved SIGTERM (standard: 30)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        serve = ServeOptions(
            bind=parse_bind(options["bind"]),
            workers=positive("--workers", _given(options["workers"], default_workers())),
            threads=positive("--threads", options["threads"]),
            graceful_timeout=positive("--graceful-timeout", options["graceful_timeout"]),
        )
        # Before anything imports prometheus_client (the URL checks below do).
        folder = metrics_folder()
        try:
            self.run_checks()
            self.serve(serve)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def run_checks(self) -> None:
        if settings.DEBUG:
            self.check()
            self.stderr.write(
                _(
                    "DEBUG er slået til: kun til lokal demo og udvikling, aldrig i drift "
                    "(gremium check --deploy viser, hvad drift kræver)."
                )
            )
            return
        self.check(include_deployment_checks=True)

    def serve(self, serve: ServeOptions) -> None:
        # The workers start afresh and load the application themselves: nothing of this
        # process's connections is shared with them.
        connections.close_all()
        self.stdout.write(
            _("gremium serve: %(bind)s, %(workers)d processer × %(threads)d tråde")
            % {"bind": serve.bind, "workers": serve.workers, "threads": serve.threads}
        )
        self.stdout.flush()
        run_server(serve)
