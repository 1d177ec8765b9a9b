"""Reading and checking the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gremium.audit.models import AuditRecord
from gremium.audit.services import GENESIS_HASH, record_hash


@dataclass(frozen=True)
class ChainBreak:
    record_id: int | None  # None: the fault is the chain's end, not one record
    reason: str


@dataclass(frozen=True)
class ChainHead:
    """How long the chain is and the hash of its newest record (GENESIS_HASH when empty).

    The chain alone cannot show that its newest records were removed: the rest still links
    up. An operator keeps the head of each check somewhere else, and the next check proves
    that head is still in the chain, at the same place."""

    count: int
    hash: str


@dataclass(frozen=True)
class Expected:
    """What an earlier check saw; either part may be unknown."""

    count: int | None = None
    head: str | None = None


@dataclass(frozen=True)
class ChainReport:
    head: ChainHead
    broken: ChainBreak | None


def audit_chain_check(expected: Expected | None = None) -> ChainReport:
    """Walk the whole chain: the first record that was altered or whose predecessor was
    removed, or else the first way it falls short of what an earlier check saw."""
    previous, count, found_at = GENESIS_HASH, 0, None
    for record in AuditRecord.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if record.previous_hash != previous:
            reason = _("posten før den er fjernet eller ændret")
            return ChainReport(ChainHead(count, previous), ChainBreak(record.pk, reason))
        if record_hash(record) != record.hash:
            reason = _("dens indhold er ændret")
            return ChainReport(ChainHead(count, previous), ChainBreak(record.pk, reason))
        if expected is not None and record.hash == expected.head:
            found_at = count
        previous = record.hash
    head = ChainHead(count, previous)
    return ChainReport(head, _compare(head, expected or Expected(), found_at))


def _compare(head: ChainHead, expected: Expected, found_at: int | None) -> ChainBreak | None:
    if expected.count is not None and head.count < expected.count:
        return ChainBreak(
            None,
            _(
                "kæden har %(now)s poster, men havde %(then)s ved den tidligere kontrol: "
                "de nyeste poster er fjernet"
            )
            % {"now": head.count, "then": expected.count},
        )
    if expected.head and expected.head != GENESIS_HASH and found_at is None:
        return ChainBreak(
            None,
            _(
                "hovedet fra den tidligere kontrol (%(hash)s) findes ikke længere i kæden: "
                "poster er fjernet eller ændret"
            )
            % {"hash": expected.head},
        )
    if expected.count and found_at is not None and found_at != expected.count:
        return ChainBreak(
            None,
            _(
                "hovedet fra den tidligere kontrol er nu post nr. %(now)s i kæden, ikke nr. "
                "%(then)s: poster før det er fjernet eller indsat"
            )
            % {"now": found_at, "then": expected.count},
        )
    return None


def audit_chain_verify() -> ChainBreak | None:
    """The first record that was altered or whose predecessor was removed, or None."""
    return audit_chain_check().broken


def audit_history_for_meeting(meeting_id: int) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(meeting_id=meeting_id).order_by("-id")
