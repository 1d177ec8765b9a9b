"""What the reading room lists for a member, read through the access layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gremium.meetings.access import approvable_meetings, insider_meetings, person_of
from gremium.meetings.models import Meeting, MeetingState
from gremium.meetings.services.approval import valid_approvals
from gremium.notices.models import Notice
from gremium.organizations.models import Membership, Organization

LIST_LENGTH = 20


def coming_meetings(user: Any) -> QuerySet[Meeting]:
    """The next meetings the user reads as an insider (their committees, or called in)."""
    start = timezone.now() - dt.timedelta(hours=12)
    meetings = insider_meetings(user).filter(start__gte=start).exclude(state=MeetingState.CANCELLED)
    return meetings.order_by("start", "pk")[:LIST_LENGTH]


def to_approve(user: Any) -> list[Meeting]:
    """Published minutes the user may sign and has not signed in their current version."""
    person = person_of(user)
    if person is None:
        return []
    waiting = approvable_meetings(user).filter(state=MeetingState.MINUTES_PUBLISHED)
    pending = []
    for meeting in waiting.order_by("-start", "-pk")[:LIST_LENGTH]:
        if not valid_approvals(meeting).filter(person=person).exists():
            pending.append(meeting)
    return pending


def recent_notices(user: Any) -> QuerySet[Notice]:
    """The user's own newest notices (what the mails and the private feed said)."""
    if not getattr(user, "is_authenticated", False):
        return Notice.objects.none()
    return Notice.objects.filter(person__user=user).order_by("-created", "-id")[:10]


def own_committees(user: Any) -> QuerySet[Organization]:
    person = person_of(user)
    if person is None:
        return Organization.objects.none()
    seats = Membership.objects.filter(person=person).on(timezone.localdate())
    return Organization.objects.filter(pk__in=seats.values("organization_id")).order_by("name")
