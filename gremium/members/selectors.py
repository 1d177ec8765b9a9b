"""What the reading room lists for a member, read through the access layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from gremium.meetings.access import approvable_meetings, insider_meetings, person_of
from gremium.meetings.models import Approval, Meeting, MeetingState, MinutesVersion
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
    # A valid signature is one of the newest minutes version (as valid_approvals says);
    # the signed versions are read for the whole list at once.
    newest = MinutesVersion.objects.filter(meeting_id=OuterRef("pk")).order_by("-number")
    waiting = waiting.annotate(newest=Subquery(newest.values("pk")[:1]))
    signed = Approval.objects.filter(
        person=person, withdrawn_at__isnull=True, superseded_at__isnull=True
    ).values("version_id")
    unsigned = Q(newest__isnull=True) | ~Q(newest__in=signed)
    pending = waiting.filter(unsigned).order_by("-start", "-pk")
    return list(pending[:LIST_LENGTH])


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
