"""Files attached to items (bilag): checked for size and type before they are stored."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, snapshot, write_transaction
from gremium.lib.errors import DomainError
from gremium.lib.pdf_text import PdfTextError, pdf_page_texts
from gremium.meetings.models import AgendaItem
from gremium.meetings.services.guards import ensure_editable, meeting_of
from gremium.meetings.services.lifecycle import touch_meeting
from gremium.papers.models import Attachment

_ZIP = b"PK\x03\x04"
# Extension → (mime type, how the file must begin). The content is checked too, so a
# renamed executable is not stored as a "PDF".
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (_ZIP,),
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (_ZIP,)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain", ()),
}


def _mime_type(filename: str, content: bytes) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise DomainError(
            _("Filtypen %(suffix)s er ikke tilladt. Tilladt: PDF, DOCX, XLSX, PNG, JPEG og TXT.")
            % {"suffix": suffix or _("(ingen)")}
        )
    mime, signatures = ALLOWED_TYPES[suffix]
    if signatures and not content.startswith(signatures):
        raise DomainError(
            _("Filen %(name)s er ikke en gyldig %(suffix)s-fil.")
            % {"name": filename, "suffix": suffix[1:].upper()}
        )
    if suffix == ".txt":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DomainError(_("Tekstfilen skal være i UTF-8.")) from exc
    return mime or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def _extract_text(mime: str, content: bytes, name: str) -> str:
    """The attachment's text for search; a file whose text cannot be read keeps none."""
    if mime == "text/plain":
        return content.decode("utf-8", errors="replace")
    if mime != "application/pdf":
        return ""
    try:
        return "\n\n".join(pdf_page_texts(content))
    except PdfTextError:
        return ""


def attachment_add(
    *, item: AgendaItem, filename: str, content: bytes, by: Actor, public: bool = True
) -> Attachment:
    """Store a file as a bilag of the item, with its sha256, size and mime type."""
    limit = settings.GREMIUM_MAX_UPLOAD_MB * 1024 * 1024
    if len(content) > limit:
        raise DomainError(
            _("Filen er for stor (%(size).1f MB). Højst %(limit)s MB.")
            % {"size": len(content) / 1024 / 1024, "limit": settings.GREMIUM_MAX_UPLOAD_MB}
        )
    if not content:
        raise DomainError(_("Filen er tom."))
    name = PurePath(filename).name
    mime = _mime_type(name, content)
    # Read the file before taking the write lock: other writers need not wait for that.
    text = _extract_text(mime, content, name)
    with write_transaction():
        ensure_editable(meeting_of(item))
        attachment = Attachment(
            agenda_item=item,
            paper=item.paper,
            order=(item.attachments.aggregate(top=Max("order"))["top"] or 0) + 1,
            name=PurePath(name).stem,
            mime_type=mime,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            public=public,
            text=text,
        )
        attachment.file.save(name, ContentFile(content), save=False)
        attachment.save()
        audit_record(
            by=by,
            action="attachment.add",
            obj=attachment,
            meeting_id=item.meeting_id,
            before=None,
            after=snapshot(attachment),
        )
        touch_meeting(item.meeting)
    return attachment
