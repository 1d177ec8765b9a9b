"""`gremium import --fetch-attachments`: the attachments an export names only by their
address at the publisher (FirstAgenda's `Bilag`, `Attachment.source_url`) are downloaded
where they can be had, and kept like an upload in the office: the same checks and the same
content-addressed storage (meetings/services/attachments.py `attachment_keep_file`).

A download has a time limit and a size limit (GREMIUM_MAX_UPLOAD_MB, the office's); an
attachment that cannot be had or is refused stays a link, and the reason is reported for
it. Nothing here stops a run.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import DatabaseError
from django.utils.translation import gettext as _

from gremium.audit.services import Actor
from gremium.lib.errors import DomainError
from gremium.lib.upload_checks import ALLOWED_TYPES, refuse_oversize
from gremium.meetings.models import Meeting
from gremium.meetings.services.attachments import attachment_keep_file
from gremium.papers.models import Attachment

USER_AGENT = "gremium-import (attachments)"
# Seconds to wait for the server to answer or to send more; also the limit for the whole
# download, so a server that sends a byte now and then cannot hold the run.
TIMEOUT_SECONDS = 30.0
# Downloads at the same time: the publisher's server is someone else's.
PARALLEL = 4
_CHUNK = 64 * 1024


class FetchFailed(Exception):
    """The file could not be had; the message says why, in the user's language."""


@dataclass(frozen=True)
class Download:
    body: bytes
    content_type: str = ""
    filename: str = ""  # from Content-Disposition, when the server names it


@dataclass
class FetchReport:
    fetched: list[str] = field(default_factory=list)  # notes: what was kept
    failed: list[str] = field(default_factory=list)  # warnings: what was not, and why


def fetch_attachments(meeting: Meeting, by: Actor) -> FetchReport:
    """Download and keep every attachment of the meeting known only by its address."""
    wanted = list(
        Attachment.objects.filter(agenda_item__meeting=meeting, file="")
        .exclude(source_url="")
        .order_by("agenda_item__order", "order")
    )
    report = FetchReport()
    if not wanted:
        return report
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        downloads = list(pool.map(_try_download, (a.source_url for a in wanted)))
    for attachment, download in zip(wanted, downloads, strict=True):
        if isinstance(download, FetchFailed):
            report.failed.append(_failed(attachment, str(download)))
            continue
        try:
            attachment_keep_file(
                attachment=attachment,
                filename=file_name(attachment.name, attachment.source_url, download),
                content=download.body,
                by=by,
            )
        except (DomainError, DatabaseError) as error:
            report.failed.append(_failed(attachment, str(error)))
            continue
        report.fetched.append(
            _("bilag %(name)s hentet fra %(url)s (%(size)s byte)")
            % {"name": attachment.name, "url": attachment.source_url, "size": attachment.size}
        )
    return report


def _failed(attachment: Attachment, reason: str) -> str:
    return _("bilag %(name)s (%(url)s) ikke hentet: %(reason)s") % {
        "name": attachment.name,
        "url": attachment.source_url,
        "reason": reason,
    }


def _try_download(url: str) -> Download | FetchFailed:
    try:
        return download(url, limit=settings.GREMIUM_MAX_UPLOAD_MB * 1024 * 1024)
    except FetchFailed as error:
        return error


def download(url: str, limit: float, timeout: float | None = None) -> Download:
    """The body at `url`, at most `limit` bytes; FetchFailed with the reason otherwise."""
    timeout = TIMEOUT_SECONDS if timeout is None else timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    if request.type not in ("http", "https"):
        raise FetchFailed(_("ikke en http- eller https-adresse"))
    name = PurePosixPath(unquote(urlsplit(url).path)).name or "bilag"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            declared = answer.headers.get("Content-Length", "")
            if declared.isdigit():
                _refuse_size(name, int(declared), limit)
            body = _read(answer, name, limit, time.monotonic() + timeout)
            typed = answer.headers.get("Content-Type") is not None
            kind = answer.headers.get_content_type() if typed else ""
            return Download(body, kind, _disposed(answer.headers))
    except urllib.error.HTTPError as error:
        raise FetchFailed(_("svar med HTTP-status %(status)s") % {"status": error.code}) from error
    except (OSError, ValueError) as error:  # TimeoutError, URLError; ValueError: a bad URL
        reason = getattr(error, "reason", error)
        raise FetchFailed(
            _("intet svar (%(error)s)") % {"error": f"{type(error).__name__}: {reason}"}
        ) from error


def _read(answer: object, name: str, limit: float, deadline: float) -> bytes:
    chunks, size = [], 0
    while chunk := answer.read(_CHUNK):  # type: ignore[attr-defined]
        size += len(chunk)
        _refuse_size(name, size, limit)
        if time.monotonic() > deadline:
            raise FetchFailed(
                _("filen kom ikke inden for %(seconds)s s") % {"seconds": TIMEOUT_SECONDS}
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _refuse_size(name: str, size: int, limit: float) -> None:
    if size > limit:
        try:
            refuse_oversize(name, size)
        except DomainError as error:
            raise FetchFailed(str(error)) from error
        raise FetchFailed(_("filen er større end tilladt"))  # a limit below the setting's


def _disposed(headers: Message) -> str:
    return PurePosixPath(headers.get_filename() or "").name


def file_name(name: str, url: str, download: Download) -> str:
    """The attachment's name with the suffix of its type: from the name itself, the name
    the server gives, the address, the content type or the first bytes, in that order.
    The upload checks then hold the content to that type."""
    stem = name.replace("/", "-").replace("\\", "-").strip() or "bilag"
    if _suffix(stem):
        return stem
    for candidate in (download.filename, PurePosixPath(unquote(urlsplit(url).path)).name):
        if suffix := _suffix(candidate):
            return stem + suffix
    for suffix, (mime, _signatures) in ALLOWED_TYPES.items():
        if download.content_type == mime:
            return stem + suffix
    for suffix, (_mime, signatures) in ALLOWED_TYPES.items():
        if signatures and download.body.startswith(signatures):
            return stem + suffix
    return stem


def _suffix(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if suffix in ALLOWED_TYPES else ""
