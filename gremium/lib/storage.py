"""Where files live: Django's storage API, every file named by its content.

A stored file is named `sha256/<first two hex digits>/<sha256>` (renderings, a cache that
may be deleted at any time, under `rendered/sha256/...`), never by an absolute path or the
uploader's file name. So the database names the same file on every machine, a backup can
check each file against its name, a restore may put the files anywhere (another folder,
another bucket), and the same content is kept once. A name is never reused for other
content, so nothing stored is ever overwritten.

The default is a folder on the local disk (`MEDIA_ROOT`); with `GREMIUM_S3_BUCKET` set, an
S3-compatible object store through django-storages (docs/settings.md).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import posixpath
import re
import tempfile
from collections.abc import Callable
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models, transaction

log = logging.getLogger(__name__)

_CHUNK = 1024 * 1024
_CONTENT_NAME = re.compile(
    r"(?:(?P<space>[a-z]+)/)?sha256/(?P<two>[0-9a-f]{2})/(?P<hex>[0-9a-f]{64})"
)
RENDERED = "rendered"


def content_name(sha256: str, space: str = "") -> str:
    """The name a file with this sha256 has in the storage."""
    name = f"sha256/{sha256[:2]}/{sha256}"
    return f"{space}/{name}" if space else name


def name_sha256(name: str) -> str | None:
    """The sha256 a content name states, or None for a name of another form."""
    match = _CONTENT_NAME.fullmatch(name)
    if match is None or match["two"] != match["hex"][:2]:
        return None
    return match["hex"]


def stored_upload_to(_instance: Any, filename: str) -> str:
    """`upload_to` of a record's file: the storage names it by its content, so only the
    bare name is passed on (a folder in it would become part of the name)."""
    return posixpath.basename(filename) or "file"


def rendered_upload_to(_instance: Any, filename: str) -> str:
    """`upload_to` of a rendering: kept apart from the records, since renderings are
    deleted when their meeting changes and a record must never lose its file."""
    return f"{RENDERED}/{posixpath.basename(filename) or 'file'}"


def sha256_of(handle: IO[bytes] | File) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


class ContentAddressed(Storage):
    """`save` names the file by its sha256 and writes it only when that name is new."""

    def _save(self, name: str, content: Any) -> str:  # the backend's, after this mixin
        return super()._save(name, content)  # type: ignore[misc]

    def save(self, name: str | None, content: Any, max_length: int | None = None) -> str:
        if not hasattr(content, "chunks"):
            content = File(content, name)
        space = posixpath.dirname(name or "")
        target = content_name(sha256_of(content), space)
        if max_length is not None and len(target) > max_length:
            raise ValueError(f"storage name {target} is longer than {max_length} characters")
        if not self.exists(target):
            self._save(target, content)
        return target

    def put(self, name: str, content: IO[bytes]) -> None:
        """Write a file under exactly this name (a restore: the name comes from the
        backup, checked against the content there), unless it is there already."""
        if not self.exists(name):
            self._save(name, File(content, name))


class LocalContentStorage(ContentAddressed, FileSystemStorage):
    """Files in a local folder. A file appears under its name only when it is complete
    (written beside it, then renamed), so a reader or a second writer of the same
    content never sees part of it."""

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        folder = os.path.dirname(full_path)
        os.makedirs(folder, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, self.file_permissions_mode or 0o640)
            os.replace(temporary, full_path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return name

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name  # a content name is the same file: never "name_abc123"


@functools.cache
def _s3_storage_class() -> type[Storage]:
    from storages.backends.s3 import S3Storage

    class S3ContentStorage(ContentAddressed, S3Storage):
        """Files in an S3-compatible bucket (MinIO, Ceph, AWS, ...)."""

    return S3ContentStorage


def __getattr__(name: str) -> Any:
    # django-storages and boto3 are imported only by a deployment that uses S3.
    if name == "S3ContentStorage":
        return _s3_storage_class()
    raise AttributeError(name)


def discard_unreferenced(model: type[models.Model], field: str, names: set[str]) -> None:
    """Delete the files `names` that no row of `model` names any longer (after the
    transaction commits: a rollback keeps its rows' files)."""
    if not names:
        return
    storage = model._meta.get_field(field).storage  # type: ignore[union-attr]

    def delete() -> None:
        used = set(
            model._default_manager.filter(**{f"{field}__in": names}).values_list(field, flat=True)
        )
        for name in names - used:
            storage.delete(name)

    transaction.on_commit(delete)


def move_into_content_names(
    model: type[models.Model], field: str, space: str = "", *, report: Callable[[str], None]
) -> None:
    """Give every row's file its content name: copy it there, point the row at it, and
    delete the old file once the change is committed. A row whose file is missing keeps
    its name and is reported: nothing is dropped."""
    storage = model._meta.get_field(field).storage  # type: ignore[union-attr]
    moved: set[str] = set()
    rows = list(model._default_manager.exclude(**{field: ""}).values_list("pk", field))
    for pk, old in rows:
        if name_sha256(old) is not None:
            continue
        try:
            with storage.open(old, "rb") as handle:
                new = storage.save(posixpath.join(space, "file"), handle)
        except OSError as error:
            report(f"{model._meta.label} {pk}: file {old} cannot be read ({error}); left as it is")
            continue
        model._default_manager.filter(pk=pk).update(**{field: new})
        moved.add(old)
    transaction.on_commit(lambda: [storage.delete(name) for name in sorted(moved)])
