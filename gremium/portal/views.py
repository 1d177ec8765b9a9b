"""The public portal: thin views over the access layer and the document renderers."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from gremium.documents.archive import approved_minutes_versions, published_agenda_pdf, stored_pdf
from gremium.documents.archive import meeting_pdf as archived_pdf
from gremium.documents.build import build_document
from gremium.documents.html import render_html
from gremium.lib.document_structure import DocumentKind
from gremium.meetings.access import (
    MeetingView,
    access_attachment_for_view,
    access_meeting_for_view,
)
from gremium.meetings.agenda_changes import agenda_changes


@require_safe
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    view = access_meeting_for_view(request.user, meeting_id)
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
    }
    return render(request, "portal/meeting.html", context)


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
def meeting_pdf(request: HttpRequest, meeting_id: int, variant: str) -> HttpResponse:
    view = access_meeting_for_view(request.user, meeting_id)
    if variant == "dagsorden-udsendt":
        return _published_agenda(view)
    if variant not in PDF_VARIANTS:
        raise Http404
    kind, with_attachments = PDF_VARIANTS[variant]
    if kind is DocumentKind.MINUTES and view.kind is not DocumentKind.MINUTES:
        raise Http404  # no minutes before they are published
    pdf = archived_pdf(
        view.meeting, kind=kind, audience=view.audience, with_attachments=with_attachments
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{variant}-{view.meeting.start:%Y-%m-%d}-{view.meeting.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def minutes_version_pdf(request: HttpRequest, meeting_id: int, stored_id: int) -> HttpResponse:
    """An approved version of the minutes as it was stored, for the reader's audience."""
    view = access_meeting_for_view(request.user, meeting_id)
    if view.kind is not DocumentKind.MINUTES:
        raise Http404
    found = [v for v in approved_minutes_versions(view.meeting, view.audience) if v.pk == stored_id]
    if not found:
        raise Http404
    response = HttpResponse(stored_pdf(found[0]), content_type="application/pdf")
    filename = f"referat-{view.meeting.start:%Y-%m-%d}-{view.meeting.pk}-v{stored_id}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _published_agenda(view: MeetingView) -> HttpResponse:
    pdf = published_agenda_pdf(view.meeting, view.audience)
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"dagsorden-udsendt-{view.meeting.start:%Y-%m-%d}-{view.meeting.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# Shown in the browser; every other type is downloaded, never rendered by it.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "text/plain"}


@require_safe
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    found = access_attachment_for_view(request.user, attachment_id)
    mime = found.mime_type or "application/octet-stream"
    filename = (found.file.name or "bilag").rsplit("/", 1)[-1]
    response = FileResponse(
        found.file.open("rb"),
        content_type=mime,
        as_attachment=mime not in INLINE_TYPES,
        filename=filename,
    )
    # An uploaded file is data: it may not run scripts in the site's origin.
    response["Content-Security-Policy"] = "sandbox"
    return response
