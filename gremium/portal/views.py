"""The public portal: thin views over the access layer and the document renderers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from gremium.documents.build import build_document
from gremium.documents.html import render_html
from gremium.meetings.access import access_meeting_for_view, meetings_visible_to


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    meetings = meetings_visible_to(request.user).order_by("-start")[:50]
    return render(request, "portal/home.html", {"meetings": meetings})


@require_safe
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    view = access_meeting_for_view(request.user, meeting_id)
    document = build_document(view.meeting, kind=view.kind, audience=view.audience)
    return render(
        request,
        "portal/meeting.html",
        {"meeting": view.meeting, "document": document, "document_html": render_html(document)},
    )
