"""An attachment's PDF shown inside the reading room's item page. The portal serves files
sandboxed and unframeable; a sandboxed PDF is not shown by the browsers' PDF viewers, so
this view serves only PDFs (checked by type and signature), framed only by this site."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from gremium.lib.file_response import stored_file_response
from gremium.meetings.access import access_attachment_for_view

INLINE_POLICY = "default-src 'none'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"


@require_safe
@login_required
@xframe_options_sameorigin
def attachment_inline(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    found = access_attachment_for_view(request.user, attachment_id)
    if found.mime_type != "application/pdf" or not _is_pdf(found):
        raise Http404
    try:
        response = stored_file_response(
            request,
            found.file,
            sha256=found.sha256,
            content_type="application/pdf",
            as_attachment=False,
            filename=found.download_name(),
        )
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response["Content-Security-Policy"] = INLINE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _is_pdf(attachment: object) -> bool:
    try:
        with attachment.file.open("rb") as handle:  # type: ignore[attr-defined]
            return bool(handle.read(1024).lstrip().startswith(b"%PDF-"))
    except (FileNotFoundError, ValueError):
        return False
