"""Refuse an oversize upload before its bytes are read.

Django's parser would otherwise read a whole multipart body (spooling files to disk) before
any view could look at the size. This handler runs first: when a file part begins and the
request as a whole is larger than GREMIUM_MAX_UPLOAD_MB allows, parsing stops there; the
rest of the body is never read. The form fields before the file (the CSRF token comes
first in every form) are kept, so the view can answer with a message giving the size. A
request without a usable length is stopped as soon as the file's bytes pass the limit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from gremium.lib.upload_checks import FileRefused, refuse_oversize

# Room for the other form fields and the multipart framing around the file.
FORM_ALLOWANCE = 64 * 1024


def upload_refusal(request: Any) -> FileRefused | None:
    """The refusal the handler recorded for this request, if it stopped the upload."""
    return getattr(request, "gremium_upload_refused", None)


class UploadSizeLimit(FileUploadHandler):
    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.request_size = content_length

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.request_size > _limit() + FORM_ALLOWANCE:
            self._refuse(self.request_size)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > _limit():
            self._refuse(max(self.request_size, start + len(raw_data)))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self, size: int) -> None:
        try:
            refuse_oversize(self.file_name or "", size)
        except FileRefused as refused:
            self.request.gremium_upload_refused = refused  # type: ignore[union-attr]
        # Not reading the rest is the point; the WSGI server discards what is left.
        raise StopUpload(connection_reset=True)


def _limit() -> int:
    return int(settings.GREMIUM_MAX_UPLOAD_MB) * 1024 * 1024
