"""The members' reading room: a start page with their coming meetings and what waits for
them, and an agenda read item by item with its attachments shown inline. Everything here
is for insiders: a meeting the user does not read as an insider is not found."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from gremium.documents.html import content_language
from gremium.lib.document_structure import Audience
from gremium.lib.markdown import markdown_to_html
from gremium.meetings.access import access_meeting_for_view
from gremium.meetings.models import AgendaItem, Meeting
from gremium.members.selectors import (
    coming_meetings,
    own_committees,
    recent_notices,
    to_approve,
)
from gremium.notes.selectors import attachment_notes, item_notes
from gremium.papers.models import Attachment

# The item page frames the access-checked PDFs of this site (files.attachment_inline).
READING_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def _insider_meeting(user: Any, meeting_id: int) -> Meeting:
    view = access_meeting_for_view(user, meeting_id)
    if view.audience is not Audience.INTERNAL:
        raise Http404
    return view.meeting


@require_safe
@login_required
def start(request: HttpRequest) -> HttpResponse:
    context = {
        "coming": coming_meetings(request.user),
        "to_approve": to_approve(request.user),
        "committees": own_committees(request.user),
        "notices": recent_notices(request.user),
    }
    return render(request, "members/start.html", context)


@require_safe
@login_required
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = _insider_meeting(request.user, meeting_id)
    items = list(found.items.order_by("order"))
    notes = item_notes(request.user, [item.pk for item in items])
    rows = [{"item": item, "has_note": item.pk in notes} for item in items]
    context = {"meeting": found, "rows": rows, "content_lang": content_language("da")}
    return render(request, "members/meeting.html", context)


@require_safe
@login_required
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    found = AgendaItem.objects.select_related("meeting__organization").filter(pk=item_id).first()
    if found is None:
        raise Http404
    meeting = _insider_meeting(request.user, found.meeting_id)
    response = render(request, "members/item.html", _item_context(request.user, meeting, found))
    response["Content-Security-Policy"] = READING_POLICY
    return response


def _item_context(user: Any, meeting: Meeting, item: AgendaItem) -> dict[str, object]:
    siblings = list(meeting.items.order_by("order").values_list("pk", flat=True))
    position = siblings.index(item.pk)
    attachments = list(
        Attachment.objects.filter(agenda_item=item).exclude(file="").order_by("order", "pk")
    )
    notes = attachment_notes(user, [a.pk for a in attachments])
    return {
        "meeting": meeting,
        "item": item,
        # Content stays Danish; marked so when the interface speaks another language.
        "content_lang": content_language("da"),
        "sections": [
            {"heading": s.heading, "html": markdown_to_html(s.body)}
            for s in item.sections.order_by("order")
        ],
        "attachments": [
            {"attachment": a, "pdf": a.mime_type == "application/pdf", "note": notes.get(a.pk)}
            for a in attachments
        ],
        "note": item_notes(user, [item.pk]).get(item.pk),
        "previous": siblings[position - 1] if position > 0 else None,
        "next": siblings[position + 1] if position + 1 < len(siblings) else None,
        "position": position + 1,
        "count": len(siblings),
    }
