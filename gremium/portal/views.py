"""The public portal: thin views over the access layer and the document renderers."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from gremium.documents.archive import approved_minutes_versions, published_agenda_pdf, stored_pdf
from gremium.documents.archive import meeting_pdf as archived_pdf
from gremium.documents.build import build_document
from gremium.documents.html import render_html
from gremium.documents.rendered import kept_rendering, rendering_key
from gremium.documents.sealing import is_test_seal, sealing_enabled
from gremium.lib.document_structure import DocumentKind
from gremium.lib.file_response import stored_file_response
from gremium.meetings.access import (
    MeetingView,
    access_attachment_for_view,
    access_meeting_for_view,
)
from gremium.meetings.agenda_changes import agenda_changes
from gremium.meetings.models import Meeting, MeetingState
from gremium.portal.http_cache import (
    Validators,
    for_audience,
    private_response,
    shared_cacheable,
    shared_response,
    validators,
)

log = logging.getLogger(__name__)


@require_safe
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponseBase:
    """The meeting page. Its content is rendered once per state of the meeting and
    audience; an anonymous reader gets the whole page as kept, with cache validators."""
    view = access_meeting_for_view(request.user, meeting_id)
    if not shared_cacheable(request):
        return private_response(HttpResponse(_page(request, view)))
    name = f"side-{view.audience}-{get_language()}.html"

    def build() -> HttpResponse:
        return HttpResponse(kept_rendering(view.meeting, name, lambda: _page(request, view)))

    return shared_response(request, meeting_validators(view.meeting), build)


def _page(request: HttpRequest, view: MeetingView) -> bytes:
    # The content's labels are in the interface language: one rendering per language.
    name = f"indhold-{view.audience}-{get_language()}.json"
    kept = kept_rendering(view.meeting, name, lambda: _meeting_content(view))
    content = json.loads(kept)
    context = {
        "meeting": view.meeting,
        "title": content["title"],
        # Rendered by our own template from the document, which escapes all user text.
        "content": mark_safe(content["html"]),  # noqa: S308
    }
    return render_to_string("portal/meeting.html", context, request).encode("utf-8")


def _meeting_content(view: MeetingView) -> bytes:
    document = build_document(view.meeting, kind=view.kind, audience=view.audience)
    context = {
        "meeting": view.meeting,
        "document": document,
        "document_html": render_html(
            document, item_base=reverse("portal:meeting", args=[view.meeting.pk]) + "punkt/"
        ),
        "agenda_changes": agenda_changes(view.meeting, view.audience),
        "has_published_agenda": view.meeting.stored_documents.filter(kind="agenda").exists(),
        "minutes_versions": _versions_worth_listing(view),
        # Approved minutes are sealed: the page links a check of the kept PDF's seal.
        "seal_check": view.meeting.state == MeetingState.APPROVED and sealing_enabled(),
        "test_seal": is_test_seal(view.meeting.organization.body.slug),
    }
    html = render_to_string("portal/meeting_content.html", context)
    return json.dumps({"title": document.title, "html": html}).encode("utf-8")


def meeting_validators(meeting: Meeting) -> Validators:
    return validators(rendering_key(meeting), meeting.modified)


def _versions_worth_listing(view: MeetingView) -> list:  # type: ignore[type-arg]
    # One approved version is simply "the minutes"; the list matters once an addendum
    # made a second one.
    if view.kind is not DocumentKind.MINUTES:
        return []
    versions = approved_minutes_versions(view.meeting, view.audience)
    return versions if len(versions) > 1 else []


# URL word → (document kind, with attachments)
PDF_VARIANTS = {
    "dagsorden": (DocumentKind.AGENDA, False),
    "referat": (DocumentKind.MINUTES, False),
    "samlet-dagsorden": (DocumentKind.AGENDA, True),
    "samlet-referat": (DocumentKind.MINUTES, True),
}


@require_safe
def meeting_pdf(request: HttpRequest, meeting_id: int, variant: str) -> HttpResponseBase:
    view = access_meeting_for_view(request.user, meeting_id)
    if variant == "dagsorden-udsendt":
        return for_audience(request, meeting_validators(view.meeting), _published_agenda(view))
    if variant not in PDF_VARIANTS:
        raise Http404
    kind, with_attachments = PDF_VARIANTS[variant]
    if kind is DocumentKind.MINUTES and view.kind is not DocumentKind.MINUTES:
        raise Http404  # no minutes before they are published

    def build() -> HttpResponse:
        pdf = archived_pdf(
            view.meeting, kind=kind, audience=view.audience, with_attachments=with_attachments
        )
        return _pdf_response(pdf, f"{variant}-{view.meeting.start:%Y-%m-%d}-{view.meeting.pk}")

    return for_audience(request, meeting_validators(view.meeting), build)


@require_safe
def minutes_version_pdf(request: HttpRequest, meeting_id: int, stored_id: int) -> HttpResponseBase:
    """An approved version of the minutes as it was stored, for the reader's audience.
    Its address names one kept file that never changes: caches may keep it for good."""
    view = access_meeting_for_view(request.user, meeting_id)
    if view.kind is not DocumentKind.MINUTES:
        raise Http404
    found = [v for v in approved_minutes_versions(view.meeting, view.audience) if v.pk == stored_id]
    if not found:
        raise Http404
    filename = f"referat-{view.meeting.start:%Y-%m-%d}-{view.meeting.pk}-v{stored_id}"

    def build() -> HttpResponse:
        return _pdf_response(stored_pdf(found[0]), filename)

    if not shared_cacheable(request):
        return private_response(build())
    kept = validators(found[0].sha256, found[0].created)
    return shared_response(request, kept, build, immutable=True)


def _published_agenda(view: MeetingView) -> Callable[[], HttpResponse]:
    pdf = published_agenda_pdf(view.meeting, view.audience)
    if pdf is None:
        raise Http404
    filename = f"dagsorden-udsendt-{view.meeting.start:%Y-%m-%d}-{view.meeting.pk}"
    return lambda: _pdf_response(pdf, filename)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


# Shown in the browser; every other type is downloaded, never rendered by it.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "text/plain"}


@require_safe
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    found = access_attachment_for_view(request.user, attachment_id)
    mime = found.mime_type or "application/octet-stream"
    try:
        response = stored_file_response(
            request,
            found.file,
            sha256=found.sha256,
            content_type=mime,
            as_attachment=mime not in INLINE_TYPES,
            filename=found.download_name(),
        )
    except (FileNotFoundError, ValueError) as error:  # ValueError: a row without a file
        log.warning("attachment %s: file %s missing: %s", found.pk, found.file.name, error)
        raise Http404 from error
    # An uploaded file is data: it may not run scripts in the site's origin.
    response["Content-Security-Policy"] = "sandbox"
    return response
