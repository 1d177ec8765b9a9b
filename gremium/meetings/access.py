"""Who may see which meeting, and in which version: the one gate every surface uses.

The public sees meetings whose agenda is published, as the public document (closed items
reduced to number and title). Members of the meeting's organization and staff see the
internal document. Nobody else sees a planned (unpublished) meeting at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from gremium.documents.structure import Audience, DocumentKind
from gremium.meetings.models import Meeting, MeetingState

PUBLIC_STATES = (
    MeetingState.AGENDA_PUBLISHED,
    MeetingState.HELD,
    MeetingState.MINUTES_PUBLISHED,
    MeetingState.APPROVED,
    MeetingState.CANCELLED,
)
MINUTES_STATES = (MeetingState.MINUTES_PUBLISHED, MeetingState.APPROVED)


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    audience: Audience
    kind: DocumentKind


def is_insider(user: Any, meeting: Meeting) -> bool:
    """Staff, and members of the meeting's organization, read closed items."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    person = getattr(user, "person", None)
    return (
        person is not None
        and person.memberships.filter(organization_id=meeting.organization_id).exists()
    )


def access_meeting_for_view(user: Any, meeting_id: int) -> MeetingView:
    """The meeting and the document the user may read, or 404 (never 403: the existence
    of an unpublished meeting is itself not public)."""
    meeting = Meeting.objects.select_related("organization__body").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    insider = is_insider(user, meeting)
    if not insider and meeting.state not in PUBLIC_STATES:
        raise Http404
    kind = DocumentKind.MINUTES if meeting.state in MINUTES_STATES else DocumentKind.AGENDA
    return MeetingView(meeting, Audience.INTERNAL if insider else Audience.PUBLIC, kind)


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("organization")
    if getattr(user, "is_authenticated", False) and user.is_staff:
        return meetings
    return meetings.filter(state__in=PUBLIC_STATES)
