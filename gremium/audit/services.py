"""Writing to the audit chain. Every service that changes data calls `audit_record`."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from gremium.audit.models import AuditRecord

GENESIS_HASH = "0" * 64
# Any constant works; it only names the advisory lock that serialises writers.
_WRITE_LOCK_KEY = 7_318_004
# Set inside `one_transaction`: nested write transactions join it without a savepoint.
_JOINED: contextvars.ContextVar[bool] = contextvars.ContextVar("joined_writes", default=False)


@dataclass(frozen=True)
class Actor:
    """Who made a change: a logged-in user, or a named system process such as `gremium demo`."""

    user: Any  # django.contrib.auth user or None
    name: str

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(user=None, name=name)

    @classmethod
    def of(cls, user: Any) -> Actor:
        full = user.get_full_name() if hasattr(user, "get_full_name") else ""
        return cls(user=user, name=full or user.get_username())


@contextmanager
def write_transaction() -> Iterator[None]:
    """One change: a transaction in which nobody else writes, from its first statement on.

    What a service reads to decide (the meeting's state, an item's version, the next item
    number, the last audit hash) therefore still holds when it writes. SQLite gets this from
    BEGIN IMMEDIATE (settings: `transaction_mode`); on PostgreSQL the transaction takes an
    advisory lock before any row lock, so two writers never wait for each other in a circle.
    Nested calls join the outer transaction (with a savepoint, except inside
    `one_transaction`).
    """
    if _JOINED.get() and connection.in_atomic_block:
        yield  # the lock is held and a failure rolls back the whole batch: no savepoint
        return
    with transaction.atomic():
        _lock_writers()
        yield


@contextmanager
def one_transaction() -> Iterator[None]:
    """A batch of changes that stands or falls as a whole (one imported file's meetings):
    the services called inside join this transaction without a savepoint each. Nobody in
    the batch may catch a service's failure and go on writing; the failure leaves the
    batch, and the whole batch is rolled back. (An archive import made four savepoint
    pairs per meeting, eight statements, none of them needed.)"""
    with transaction.atomic():
        _lock_writers()
        token = _JOINED.set(True)
        try:
            yield
        finally:
            _JOINED.reset(token)


def snapshot(obj: models.Model | None) -> dict[str, Any] | None:
    """The JSON-safe field values of a model instance, as stored before/after a change."""
    if obj is None:
        return None
    return {f.attname: _json_safe(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


def audit_record(
    *,
    by: Actor,
    action: str,
    obj: models.Model,
    meeting_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditRecord:
    """Append one record to the chain. Call inside the transaction that makes the change."""
    # The services hold the lock already; a caller that is no service still needs it, so
    # that two appends never chain onto the same last record.
    _lock_writers()
    last = AuditRecord.objects.order_by("-id").values_list("hash", flat=True).first()
    before, after = compact_change(before, after)
    record = AuditRecord(
        at=timezone.now(),
        actor=by.user,
        actor_name=by.name,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        meeting_id=meeting_id,
        before=before,
        after=after,
        previous_hash=last or GENESIS_HASH,
    )
    record.hash = record_hash(record)
    record.save()
    return record


def compact_change(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """What changed, not two full snapshots: of a change the fields that differ, plus the
    object's own id and the ids it belongs to (its item, meeting, person); of an addition
    or a removal every field that holds a value. The record stays readable on its own and
    the chain proves it the same way; an object's full state is its first record with
    every later change laid over it (`replay_state`)."""
    if before is None or after is None:
        return _with_values(before), _with_values(after)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    ids = {k for k, v in after.items() if (k == "id" or k.endswith("_id")) and v is not None}
    keep = changed | ids
    return (
        {k: v for k, v in before.items() if k in keep},
        {k: v for k, v in after.items() if k in keep},
    )


def replay_state(known: dict[str, Any], record_state: dict[str, Any] | None) -> dict[str, Any]:
    """An object's state after one more record: the fields it names laid over the rest."""
    return {**known, **(record_state or {})}


def _with_values(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v for k, v in values.items() if v is not None and v != ""}


def record_hash(record: AuditRecord) -> str:
    payload = {
        "at": record.at.isoformat(),
        "actor_id": record.actor_id,  # type: ignore[attr-defined]
        "actor_name": record.actor_name,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "meeting_id": record.meeting_id,
        "before": record.before,
        "after": record.after,
        "previous_hash": record.previous_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_writers() -> None:
    # SQLite serialises writers itself. PostgreSQL keeps the lock until the transaction
    # ends; taking it again in the same transaction returns at once.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_WRITE_LOCK_KEY])


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value
