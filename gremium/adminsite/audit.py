"""Every write the admin makes goes into the audit chain, as every service's writes do.

The admin site runs each write request inside `changes_audited_as(actor)`. While that
holds, the model signals turn each save, delete and many-to-many change, including those
of inlines, bulk actions and cascades, into an `audit_record` with before/after snapshots,
the admin user as actor and the meeting the object belongs to. Outside the admin the
signals do nothing: the services write their own records.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot
from gremium.meetings.record_lock import locked_meeting, meeting_id_of
from gremium.meetings.services import meetings_changed

# The admin's own bookkeeping and the chain itself are not changes to the record.
_NOT_AUDITED = {"admin.logentry", "audit.auditrecord", "sessions.session"}
# Secrets are stored as a digest: the log shows that they changed, never what they are.
_SECRET_FIELDS = {"auth.user": {"password"}, "otp_totp.totpdevice": {"key"}}


# What the public pages, calendars and feeds show: a repair here must reach them.
_SHOWN_APPS = {"meetings", "organizations", "papers"}


@dataclass
class _AdminWrite:
    actor: Actor
    before: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    meeting: dict[int, int | None] = field(default_factory=dict)
    # The meetings whose pages the write changed; None once it changed something many
    # meetings show (a committee's or person's name, a place, a case).
    shown: set[int] | None = field(default_factory=set)

    def note(self, obj: models.Model, meeting_id: int | None) -> None:
        if obj._meta.app_label not in _SHOWN_APPS or self.shown is None:
            return
        if meeting_id is None:
            self.shown = None
        else:
            self.shown.add(meeting_id)


_current: ContextVar[_AdminWrite | None] = ContextVar("gremium_admin_write", default=None)


@contextmanager
def changes_audited_as(actor: Actor) -> Iterator[None]:
    write = _AdminWrite(actor)
    token = _current.set(write)
    try:
        yield
        # Stored renderings and cache validators follow `Meeting.modified`.
        if write.shown is None or write.shown:
            meetings_changed(write.shown)
    finally:
        _current.reset(token)


def _write_for(model: type[models.Model]) -> _AdminWrite | None:
    write = _current.get()
    if write is None or model._meta.label_lower in _NOT_AUDITED:
        return None
    return write


def _snapshot(obj: models.Model | None) -> dict[str, Any] | None:
    values = snapshot(obj)
    if obj is None or values is None:
        return values
    # A proxy (accounts.TwoFactorDevice) keeps its concrete model's secrets.
    concrete = obj._meta.concrete_model or type(obj)
    for name in _SECRET_FIELDS.get(concrete._meta.label_lower, ()):
        if values.get(name):
            digest = hashlib.sha256(str(values[name]).encode()).hexdigest()
            values[name] = f"sha256:{digest}"
    return values


def _refuse_locked(obj: models.Model | None) -> int | None:
    """The object's meeting id; PermissionDenied if that meeting's record is locked."""
    if obj is None:
        return None
    meeting_id = meeting_id_of(obj)
    meeting = locked_meeting(meeting_id)
    if meeting is not None:
        raise PermissionDenied(
            _(
                "Mødet %(meeting)s er godkendt, og det godkendte referat er låst: det kan "
                "ikke ændres i administrationen. Rettelser tilføjes som en dateret "
                "tilføjelse i kontoret."
            )
            % {"meeting": meeting}
        )
    return meeting_id


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    write = _write_for(sender)
    if write is None or kwargs.get("raw"):
        return
    stored = None
    if instance.pk is not None:
        stored = sender._base_manager.filter(pk=instance.pk).first()
    _refuse_locked(stored)  # moving an object out of a locked meeting changes that meeting
    _refuse_locked(instance)
    write.before[id(instance)] = _snapshot(stored)


def _after_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    write = _write_for(sender)
    if write is None or kwargs.get("raw"):
        return
    before, after = write.before.pop(id(instance), None), _snapshot(instance)
    if before == after:
        return  # saved unchanged: nothing happened to the record
    action = "admin.change" if before is not None else "admin.add"
    meeting_id = meeting_id_of(instance)
    audit_record(
        by=write.actor,
        action=action,
        obj=instance,
        meeting_id=meeting_id,
        before=before,
        after=after,
    )
    write.note(instance, meeting_id)


def _before_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    write = _write_for(sender)
    if write is not None:
        # Asked now: in a cascade, the agenda item that names the meeting goes later.
        write.meeting[id(instance)] = _refuse_locked(instance)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    write = _write_for(sender)
    if write is None:
        return
    meeting_id = write.meeting.pop(id(instance), None)
    audit_record(
        by=write.actor,
        action="admin.delete",
        obj=instance,
        meeting_id=meeting_id,
        before=_snapshot(instance),
        after=None,
    )
    write.note(instance, meeting_id)


def _related_ids(instance: models.Model, through: type[models.Model]) -> dict[str, Any]:
    """The ids on the other side of one many-to-many relation (either direction)."""
    for m2m in instance._meta.many_to_many:
        if m2m.remote_field.through is through:  # type: ignore[union-attr]
            return {m2m.name: sorted(getattr(instance, m2m.name).values_list("pk", flat=True))}
    for rel in instance._meta.related_objects:
        if rel.many_to_many and rel.through is through:  # type: ignore[attr-defined]
            name = rel.get_accessor_name() or rel.name
            return {name: sorted(getattr(instance, name).values_list("pk", flat=True))}
    return {}


def _m2m_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    write = _write_for(type(instance))
    if write is None:
        return
    action: str = kwargs["action"]
    if action.startswith("pre_"):
        write.meeting[id(instance)] = _refuse_locked(instance)
        write.before[id(instance)] = _related_ids(instance, sender)
        return
    before, after = write.before.pop(id(instance), None), _related_ids(instance, sender)
    meeting_id = write.meeting.pop(id(instance), None)
    if before != after:
        audit_record(
            by=write.actor,
            action="admin.change",
            obj=instance,
            meeting_id=meeting_id,
            before=before,
            after=after,
        )
        write.note(instance, meeting_id)


def connect() -> None:
    uid = "gremium-admin-audit"
    pre_save.connect(_before_save, dispatch_uid=f"{uid}-pre-save")
    post_save.connect(_after_save, dispatch_uid=f"{uid}-post-save")
    pre_delete.connect(_before_delete, dispatch_uid=f"{uid}-pre-delete")
    post_delete.connect(_after_delete, dispatch_uid=f"{uid}-post-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid=f"{uid}-m2m")
