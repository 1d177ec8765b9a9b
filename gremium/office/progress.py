"""The secretary's view of the approval round: who signed, who is missing, and a button
that reminds the missing members by mail."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.meetings.access import access_meeting_for_edit
from gremium.meetings.approval_progress import ApprovalProgress, approval_progress
from gremium.meetings.models import Meeting, MeetingState
from gremium.office.actions import run


def progress_for(meeting: Meeting) -> ApprovalProgress | None:
    """The progress once the minutes are out; nothing to show before."""
    if meeting.state not in (MeetingState.MINUTES_PUBLISHED, MeetingState.APPROVED):
        return None
    return approval_progress(meeting)


@login_required
@require_POST
def remind(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access_meeting_for_edit(request.user, meeting_id)
    link = request.build_absolute_uri(reverse("office:approve", kwargs={"meeting_id": meeting.pk}))
    sent: list[str] = []
    run(
        request,
        lambda: sent.extend(
            services.approval_remind(meeting=meeting, link=link, by=Actor.of(request.user))
        ),
        _("Påmindelsen er sendt."),
    )
    return redirect("office:meeting", meeting_id=meeting.pk)
