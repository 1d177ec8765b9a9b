"""`gremium import-oparl URL`: mirror an OParl 1.0/1.1 server (a System or a Body)."""

from __future__ import annotations

import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gremium.importers.oparl.client import http_fetch
from gremium.importers.oparl.mirror import Progress, RunResult, run


class Command(BaseCommand):
    help = _("Spejler en OParl-server (System eller Body) ind i gremium.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help=_("adressen på et OParl System- eller Body-objekt"))
        parser.add_argument("--full", action="store_true", help=_("læs alt, ikke kun ændringer"))
        parser.add_argument(
            "--files", action="store_true", help=_("hent også filerne, ikke kun deres data")
        )
        parser.add_argument("--workers", type=int, default=4, help=_("samtidige forespørgsler"))
        parser.add_argument("--timeout", type=float, default=30.0, help=_("sekunder pr. svar"))
        parser.add_argument("--retries", type=int, default=3, help=_("nye forsøg pr. svar"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1 or options["timeout"] <= 0 or options["retries"] < 0:
            raise CommandError(
                _("--workers skal være mindst 1, --timeout over 0, --retries 0 eller flere.")
            )
        bar = Bar(self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr)
        result = run(
            options["url"],
            http_fetch(options["timeout"]),
            workers=options["workers"],
            full=options["full"],
            files=options["files"],
            retries=options["retries"],
            progress=Progress(read=bar.read, stored=bar.stored, phase=bar.phase),
        )
        bar.done()
        self.stdout.write(summary(result))
        if not result.ok:
            raise CommandError(
                _("%(url)s kunne ikke læses som OParl System eller Body.") % {"url": options["url"]}
            )


class Bar:
    """A one-line progress display, only on a terminal (logs get the summary alone)."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.active = bool(getattr(out, "isatty", lambda: False)())
        self.lock = threading.Lock()
        self.objects = self.meetings = 0
        self.label = _("læser")

    def read(self, n: int) -> None:
        with self.lock:
            self.objects += n
            self._show()

    def stored(self) -> None:
        with self.lock:
            self.meetings += 1
            self._show()

    def phase(self, name: str, total: int) -> None:
        self.label = _("gemmer")

    def _show(self) -> None:
        if self.active:
            self.out.write(
                "\r"
                + _("%(label)s: %(objects)s objekter læst, %(meetings)s møder gemt")
                % {"label": self.label, "objects": self.objects, "meetings": self.meetings}
            )
            self.out.flush()

    def done(self) -> None:
        if self.active:
            self.out.write("\n")


OUTCOMES = {
    "created": gettext_lazy("oprettet"),
    "updated": gettext_lazy("opdateret"),
    "unchanged": gettext_lazy("uændret"),
    "deleted": gettext_lazy("slettet"),
    "kept": gettext_lazy("beholdt (i brug)"),
}


def summary(result: RunResult) -> str:
    lines = [
        _(
            "%(objects)s objekter læst med %(requests)s forespørgsler; "
            "%(lists)s lister, heraf %(incremental)s kun ændringer."
        )
        % {
            "objects": result.objects_read,
            "requests": result.requests,
            "lists": result.lists,
            "incremental": result.incremental_lists,
        }
    ]
    kinds = sorted({kind for kind, _outcome in result.tally.counts})
    for kind in kinds:
        parts = ", ".join(
            f"{word} {result.tally.counts[(kind, outcome)]}"
            for outcome, word in OUTCOMES.items()
            if result.tally.counts[(kind, outcome)]
        )
        lines.append(f"  {kind}: {parts}")
    by_class = result.problems.by_class()
    lines.append(
        _("Problemer: %(count)s") % {"count": len(result.problems.items)}
        + (
            " (" + ", ".join(f"{name} {n}" for name, n in sorted(by_class.items())) + ")"
            if by_class
            else ""
        )
    )
    lines += [f"  {problem}" for problem in result.problems.items]
    return "\n".join(lines)
