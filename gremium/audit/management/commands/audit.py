"""`gremium audit verify`: walk the hash chain, name the first broken record, print the
chain's length and head, and compare them with an earlier check."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from gremium.audit.selectors import ChainHead, Expected, audit_chain_check

_HASH = re.compile(r"[0-9a-f]{64}")


class Command(BaseCommand):
    help = _(
        "Kontrollerer revisionssporet (audit log) og udskriver antal poster og hovedets hash. "
        "Med --expect-file (eller --expect-head og --expect-count) fra en tidligere kontrol "
        "opdages det også, hvis de nyeste poster er fjernet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--expect-head", help=_("hovedets hash ved en tidligere kontrol"))
        parser.add_argument("--expect-count", type=int, help=_("antal poster ved den kontrol"))
        parser.add_argument(
            "--expect-file", type=Path, help=_("fil skrevet af --save ved en tidligere kontrol")
        )
        parser.add_argument(
            "--save",
            type=Path,
            help=_("skriv antal og hoved til denne fil (JSON), når alt er i orden"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_check(_expected(options))
        broken = report.broken
        if broken is not None and broken.record_id is not None:
            raise CommandError(
                _("Revisionssporet er brudt ved post #%(id)s: %(reason)s.")
                % {"id": broken.record_id, "reason": broken.reason}
            )
        if broken is not None:
            raise CommandError(
                _("Revisionssporet er brudt: %(reason)s.") % {"reason": broken.reason}
            )
        head = report.head
        self.stdout.write(
            _("Revisionssporet er intakt (%(count)s poster).") % {"count": head.count}
        )
        # Fixed English keys: for scripts that ship the head to a log elsewhere.
        self.stdout.write(f"count: {head.count}")
        self.stdout.write(f"head: {head.hash}")
        if options["save"] is not None:
            _save(options["save"], head)


def _expected(options: dict[str, Any]) -> Expected | None:
    count, head = options["expect_count"], options["expect_head"]
    if options["expect_file"] is not None:
        if count is not None or head is not None:
            raise CommandError(_("Brug enten --expect-file eller --expect-head/--expect-count."))
        count, head = _read(options["expect_file"])
    if count is None and head is None:
        return None
    if count is not None and count < 0:
        raise CommandError(_("--expect-count skal være 0 eller mere."))
    if head is not None and not _HASH.fullmatch(head):
        raise CommandError(_("--expect-head skal være en sha256-hash (64 tegn 0-9a-f)."))
    return Expected(count=count, head=head)


def _read(path: Path) -> tuple[int | None, str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return int(data["count"]), str(data["head"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CommandError(
            _("%(path)s er ikke en fil fra --save (%(error)s).") % {"path": path, "error": exc}
        ) from exc


def _save(path: Path, head: ChainHead) -> None:
    data = {"count": head.count, "head": head.hash, "checked_at": timezone.now().isoformat()}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
