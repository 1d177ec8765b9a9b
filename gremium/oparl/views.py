"""The OParl 1.1 API at /oparl/v1.1/: thin views over the visible rows (`visibility.py`),
the object builders and the access layer. Anonymous by design: whoever asks, also a member
or an administrator who is logged in, gets what the public may see."""

from __future__ import annotations

import unicodedata

from django.contrib.auth.models import AnonymousUser
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gremium.lib.file_response import stored_file_response
from gremium.meetings.access import access_attachment_for_view, access_meeting_for_view
from gremium.oparl import lists, objects, visibility
from gremium.oparl.context import Context
from gremium.oparl.http import error, json_response, read_only
from gremium.oparl.kinds import BODY_LISTS, KINDS
from gremium.oparl.meeting_objects import download_name
from gremium.oparl.models import Tombstone

NOT_FOUND = gettext_lazy("Objektet findes ikke i API'et.")
DANISH_LETTERS = {
    ord(a): b for a, b in zip("æøåÆØÅ", ("ae", "oe", "aa", "Ae", "Oe", "Aa"), strict=True)
}


@read_only
def system(request: HttpRequest) -> HttpResponseBase:
    return json_response(request, objects.system(Context(request)))


@read_only
def bodies(request: HttpRequest) -> HttpResponseBase:
    return _list(request, ("body",), {})


@read_only
def body_list(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    if name not in BODY_LISTS or not visibility.bodies().filter(pk=pk).exists():
        return error(request, 404, str(NOT_FOUND))
    return _list(request, BODY_LISTS[name], {"body": pk})


@read_only
def organization_meetings(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not visibility.organizations().filter(pk=pk).exists():
        return error(request, 404, str(NOT_FOUND))
    return _list(request, ("meeting",), {"organization": pk})


def _list(request: HttpRequest, kinds: tuple[str, ...], scope: dict[str, int]) -> HttpResponseBase:
    try:
        query = lists.parse(request.GET)
    except lists.BadParameter as bad:
        return error(request, 400, str(bad))
    ctx = Context(request, omit_internal=query.omit_internal)
    page = lists.list_page(request, ctx, query, kinds, scope)
    if page is None:
        return error(request, 404, _("Listen har ikke så mange sider."))
    return json_response(request, page)


@read_only
def detail(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    """One object; a removed one as its stub (spec 2.8: the URL keeps answering 200)."""
    try:
        query = lists.parse(request.GET)
    except lists.BadParameter as bad:
        return error(request, 400, str(bad))
    ctx = Context(request, omit_internal=query.omit_internal)
    row = objects.rows_for_output(kind, KINDS[kind].annotated().filter(pk=pk)).first()
    if row is not None:
        return json_response(request, objects.build(ctx, kind, [row])[0])
    tombstone = Tombstone.objects.filter(kind=kind, object_id=pk).first()
    if tombstone is not None:
        return json_response(request, objects.stub(ctx, tombstone))
    return error(request, 404, str(NOT_FOUND))


@read_only
def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """File.downloadUrl of an attachment: the file to save (spec 2.7), through the same
    access check as /bilag/, for the public."""
    found = access_attachment_for_view(AnonymousUser(), pk)
    return _file(
        request, found.file, found.sha256, found.mime_type, found.download_name(),
        as_attachment=True,
    )  # fmt: skip


@read_only
def document_access(request: HttpRequest, pk: int) -> HttpResponseBase:
    """File.accessUrl of a kept PDF (agenda as sent out, approved minutes): shown inline."""
    return _document(request, pk, as_attachment=False)


@read_only
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """File.downloadUrl of a kept PDF: the same file, to save."""
    return _document(request, pk, as_attachment=True)


def _document(request: HttpRequest, pk: int, *, as_attachment: bool) -> HttpResponseBase:
    # The public's file, whoever asks: the metadata (size, checksum) describe that one.
    stored = visibility.documents().select_related("meeting").filter(pk=pk).first()
    if stored is None:
        return error(request, 404, str(NOT_FOUND))
    access_meeting_for_view(AnonymousUser(), stored.meeting_id)
    return _file(
        request, stored.file, stored.sha256, "application/pdf", download_name(stored),
        as_attachment=as_attachment,
    )  # fmt: skip


def _file(
    request: HttpRequest,
    field_file: FieldFile,
    sha256: str,
    mime_type: str,
    name: str,
    *,
    as_attachment: bool,
) -> HttpResponseBase:
    response = stored_file_response(
        request,
        field_file,
        sha256=sha256,
        content_type=mime_type or "application/octet-stream",
        filename=ascii_filename(name),
        as_attachment=as_attachment,
    )
    # A file is data: it may not run anything in the site's origin.
    response["Content-Security-Policy"] = "sandbox"
    return response


def ascii_filename(name: str) -> str:
    """The spec recommends ASCII file names: the Danish letters spelt out, other accents
    dropped."""
    spelt = name.translate(DANISH_LETTERS)
    plain = unicodedata.normalize("NFKD", spelt).encode("ascii", "ignore").decode()
    return plain.replace('"', "") or "fil"
