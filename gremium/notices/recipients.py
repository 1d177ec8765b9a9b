"""Who is told about a meeting. Only persons with a login and a mail address count: a
notice links into the site, which they must be able to open."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gremium.accounts.models import SecretaryAssignment
from gremium.meetings.models import AttendanceStatus, Meeting
from gremium.organizations.models import Membership, MembershipRole, Person


def _reachable(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.filter(user__isnull=False, user__is_active=True).exclude(email="")


def members_of(meeting: Meeting) -> QuerySet[Person]:
    """The organization's members on the meeting's day (substitutes only when called in
    to this meeting), and anyone recorded as substitute at it."""
    seats = Membership.objects.filter(organization_id=meeting.organization_id).on(meeting.day)
    regular = seats.exclude(role=MembershipRole.SUBSTITUTE).values("person_id")
    called_in = meeting.attendances.filter(status=AttendanceStatus.SUBSTITUTE).values("person_id")
    return _reachable(Person.objects.filter(Q(pk__in=regular) | Q(pk__in=called_in))).distinct()


def secretaries_of(meeting: Meeting) -> QuerySet[Person]:
    users = SecretaryAssignment.objects.filter(organization_id=meeting.organization_id)
    return _reachable(Person.objects.filter(user__in=users.values("user_id")))


def pending_signers(meeting: Meeting) -> QuerySet[Person]:
    """Those whose approval counts and who have not signed the current version: the
    domain's one rule (eligible_signers), which the secretary's progress view reads too."""
    from gremium.meetings.services.approval import eligible_signers, valid_approvals

    signed = valid_approvals(meeting).values("person_id")
    return _reachable(eligible_signers(meeting).exclude(pk__in=signed))
