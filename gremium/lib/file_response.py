"""Serving a stored file: streamed from the storage, with an ETag and byte ranges.

The caller has made the access check; this only answers the HTTP side. The ETag is the
file's sha256 (a stored file never changes under its name), so `If-None-Match` answers
304 without reading the file, and a download resumed with `Range` and `If-Range` gets the
rest of the same file or, when it changed, the whole new one. One range per request; a
request for several gets the whole file (RFC 9110 allows either).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_CHUNK = 64 * 1024


def stored_file_response(
    request: HttpRequest,
    field_file: FieldFile,
    *,
    sha256: str,
    content_type: str,
    filename: str,
    as_attachment: bool,
) -> HttpResponseBase:
    """The file (opened here; FileNotFoundError when the storage lacks it)."""
    etag = f'"{sha256}"' if sha256 else ""
    if etag and _matches(request.headers.get("If-None-Match", ""), etag):
        response: HttpResponseBase = HttpResponse(status=304)
    else:
        handle = field_file.open("rb")
        size = field_file.size
        wanted = _range(request, etag, size)
        if wanted is None:
            response = FileResponse(
                handle, content_type=content_type, as_attachment=as_attachment, filename=filename
            )
            response["Content-Length"] = str(size)
        elif wanted == (0, -1):
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
        else:
            response = _partial(handle, wanted, size, content_type)
            disposition = content_disposition_header(as_attachment, filename)
            if disposition:
                response["Content-Disposition"] = disposition
    response["Accept-Ranges"] = "bytes"
    if etag:
        response["ETag"] = etag
    return response


def _matches(header: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags or "*" in tags


def _range(request: HttpRequest, etag: str, size: int) -> tuple[int, int] | None:
    """The one byte range asked for, as (first, last); None for the whole file; (0, -1)
    for a range the file cannot satisfy."""
    header = request.headers.get("Range", "")
    if request.method not in ("GET", "HEAD") or not header:
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None and (not etag or if_range.strip() != etag):
        return None  # the client holds another version (or a date): send it all
    match = _RANGE.fullmatch(header.strip())
    if match is None or (not match[1] and not match[2]):
        return None  # several ranges or another unit: the whole file
    if not match[1]:
        length = int(match[2])
        if length == 0 or size == 0:
            return (0, -1)
        return (max(size - length, 0), size - 1)
    first = int(match[1])
    last = min(int(match[2]), size - 1) if match[2] else size - 1
    if first >= size or last < first:
        return (0, -1)
    return (first, last)


def _partial(
    handle: IO[bytes], wanted: tuple[int, int], size: int, content_type: str
) -> StreamingHttpResponse:
    first, last = wanted
    response = StreamingHttpResponse(
        _read_span(handle, first, last - first + 1), status=206, content_type=content_type
    )
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Length"] = str(last - first + 1)
    return response


def _read_span(handle: IO[bytes], first: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(first)
        while length > 0:
            chunk = handle.read(min(_CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()
