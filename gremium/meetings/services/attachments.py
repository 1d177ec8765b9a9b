"""Files attached to items (bilag): checked completely before they are stored
(lib/upload_checks.py), and stored without active content."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.lib.upload_checks import CheckedFile, check_upload, refuse_oversize
from gremium.meetings.models import AgendaItem
from gremium.meetings.services.guards import ensure_editable, meeting_of
from gremium.meetings.services.lifecycle import meetings_changed, touch_meeting
from gremium.meetings.signals import attachment_text_pending
from gremium.papers.models import Attachment


def attachment_add(
    *, item: AgendaItem, filename: str, content: bytes, by: Actor, public: bool = True
) -> Attachment:
    """Store a file as a bilag of the item, with its sha256, size and mime type."""
    ensure_editable(meeting_of(item))  # say "locked" before judging the file
    refuse_oversize(filename, len(content))
    # Check and clean the file before taking the write lock: other writers need not wait.
    # A PDF's text is read by the worker afterwards (attachment_text_pending).
    checked = check_upload(filename, content, read_text=False)
    with write_transaction():
        ensure_editable(meeting_of(item))
        attachment = Attachment(
            agenda_item=item,
            paper=item.paper,
            order=(item.attachments.aggregate(top=Max("order"))["top"] or 0) + 1,
            name=PurePath(checked.name).stem,
            filename=checked.name,
            mime_type=checked.mime_type,
            size=len(checked.content),
            sha256=hashlib.sha256(checked.content).hexdigest(),
            public=public,
            text=checked.text,
        )
        attachment.file.save(checked.name, ContentFile(checked.content), save=False)
        attachment.save()
        audit_record(
            by=by,
            action="attachment.add",
            obj=attachment,
            meeting_id=item.meeting_id,
            before=None,
            after=_audited(attachment, checked, content),
        )
        touch_meeting(item.meeting)
        if checked.text_pending:
            attachment_text_pending.send(
                sender=Attachment, attachment_id=attachment.pk, meeting_id=item.meeting_id
            )
    return attachment


def attachment_text_store(*, attachment_id: int, sha256: str, text: str) -> bool:
    """Keep the text read from an attachment's file for search. Only while the
    attachment still has the file the text was read from (`sha256`): whether it was kept.
    Not audited: the text is read from the file the record holds, and changes nothing a
    reader of the record sees."""
    with write_transaction():
        found = Attachment.objects.filter(pk=attachment_id, sha256=sha256)
        return found.update(text=text) == 1


def _audited(attachment: Attachment, checked: CheckedFile, uploaded: bytes) -> dict[str, Any]:
    """The stored attachment and, when active content was removed, what was removed and
    the uploaded file's own size and sha256, so the record shows what arrived."""
    after = snapshot(attachment) or {}
    if checked.removed:
        after["removed_active_content"] = list(checked.removed)
        after["uploaded_sha256"] = hashlib.sha256(uploaded).hexdigest()
        after["uploaded_size"] = len(uploaded)
    return after


def attachment_keep_file(
    *, attachment: Attachment, filename: str, content: bytes, by: Actor
) -> Attachment:
    """Keep the file of an attachment the record names but had no file for (an import, a
    mirror). It must be the file the record names: the same sha256 when one is stored.
    The minutes print the attachment's name, which stays, so no new version is made."""
    refuse_oversize(filename, len(content))
    checked = check_upload(filename, content)
    digest = hashlib.sha256(checked.content).hexdigest()
    if attachment.file:
        raise DomainError(_("Bilaget %(name)s har allerede en fil.") % {"name": attachment.name})
    if attachment.sha256 and attachment.sha256 != digest:
        raise DomainError(
            _("Filen %(file)s er ikke den, bilaget %(name)s nævner (sha256 afviger).")
            % {"file": checked.name, "name": attachment.name}
        )
    with write_transaction():
        before = snapshot(attachment)
        attachment.mime_type = checked.mime_type
        attachment.size = len(checked.content)
        attachment.sha256 = digest
        attachment.text = checked.text
        attachment.file.save(checked.name, ContentFile(checked.content), save=False)
        attachment.save()
        meeting_id = attachment.agenda_item.meeting_id if attachment.agenda_item else None
        audit_record(
            by=by,
            action="attachment.update",
            obj=attachment,
            meeting_id=meeting_id,
            before=before,
            after=_audited(attachment, checked, content),
        )
        if meeting_id is not None:
            meetings_changed([meeting_id])
    return attachment


def _attachment_meeting_check(attachment: Attachment) -> AgendaItem:
    item = attachment.agenda_item
    if item is None:
        raise DomainError(
            _("Bilaget %(name)s hører ikke til et punkt.") % {"name": attachment.name}
        )
    ensure_editable(meeting_of(item))
    return item


def attachment_remove(*, attachment: Attachment, by: Actor) -> None:
    """Remove a bilag from its item. After publication the audit record makes the removal
    a change the agenda's readers see (meetings.agenda_changes)."""
    with write_transaction():
        item = _attachment_meeting_check(attachment)
        audit_record(
            by=by,
            action="attachment.delete",
            obj=attachment,
            meeting_id=item.meeting_id,
            before=snapshot(attachment),
            after=None,
        )
        # The stored file stays: it is named by its content and may serve other records.
        attachment.delete()
        touch_meeting(item.meeting)


def attachment_rename(*, attachment: Attachment, name: str, by: Actor) -> Attachment:
    """Give a bilag the name the agenda prints; its file and filename stay."""
    name = name.strip()
    if not name:
        raise DomainError(_("Bilaget skal have et navn."))
    if len(name) > Attachment._meta.get_field("name").max_length:  # type: ignore[operator]
        raise DomainError(_("Bilagets navn er for langt."))
    with write_transaction():
        item = _attachment_meeting_check(attachment)
        if name == attachment.name:
            return attachment
        before = snapshot(attachment)
        attachment.name = name
        attachment.save(update_fields=["name", "modified"])
        audit_record(
            by=by,
            action="attachment.rename",
            obj=attachment,
            meeting_id=item.meeting_id,
            before=before,
            after=snapshot(attachment),
        )
        touch_meeting(item.meeting)
    return attachment


def attachments_reorder(*, item: AgendaItem, attachment_ids: list[int], by: Actor) -> None:
    """Put the item's bilag in the order of `attachment_ids`, each named exactly once."""
    with write_transaction():
        ensure_editable(meeting_of(item))
        current = list(item.attachments.order_by("order", "id").values_list("pk", flat=True))
        if len(attachment_ids) != len(current) or set(attachment_ids) != set(current):
            raise DomainError(
                _("Rækkefølgen skal nævne hvert af punktets bilag én gang. Genindlæs siden.")
            )
        if current == attachment_ids:
            return
        for position, pk in enumerate(attachment_ids, start=1):
            Attachment.objects.filter(pk=pk).update(order=position)
        audit_record(
            by=by,
            action="attachment.reorder",
            obj=item,
            meeting_id=item.meeting_id,
            before={"attachments": current},
            after={"attachments": attachment_ids},
        )
        touch_meeting(item.meeting)
