"""Reading and checking the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gremium.audit.models import AuditRecord
from gremium.audit.services import GENESIS_HASH, record_hash


@dataclass(frozen=True)
class ChainBreak:
    record_id: int
    reason: str


def audit_chain_verify() -> ChainBreak | None:
    """Walk the whole chain; return the first record that was altered or whose predecessor
    was removed, or None when the chain is intact."""
    previous = GENESIS_HASH
    for record in AuditRecord.objects.order_by("id").iterator(chunk_size=2000):
        if record.previous_hash != previous:
            return ChainBreak(record.pk, "the record before it was removed or altered")
        if record_hash(record) != record.hash:
            return ChainBreak(record.pk, "its content was altered")
        previous = record.hash
    return None


def audit_history_for_meeting(meeting_id: int) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(meeting_id=meeting_id).order_by("-id")
