"""Who may see and do what: the one gate every view and command goes through.

Roles: the administrator (`is_superuser`) may do everything; a secretary (an
`accounts.SecretaryAssignment`) prepares and records the meetings of their organizations
and reads their internal documents; a member (`Person.user` with a `Membership`) reads the
internal documents of the meetings held during their membership, also after leaving, and
approves their minutes; a substitute reads only the meetings they were called in to;
everyone else is the public, which sees meetings from the moment their agenda is published,
with closed items reduced to number and public title. `is_staff` alone grants nothing here:
it only opens the admin. `insider_meetings` is the one rule for reading internal documents;
`is_insider` and every list ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gremium.accounts.models import SecretaryAssignment
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.lib.row_by_pk import row_by_pk
from gremium.meetings.models import AgendaItem, Attendance, AttendanceStatus, Meeting, MeetingState
from gremium.organizations.models import (
    Body,
    Membership,
    MembershipRole,
    Organization,
    Person,
    SignatureRule,
)
from gremium.papers.models import Attachment

PUBLIC_STATES = (
    MeetingState.AGENDA_PUBLISHED,
    MeetingState.HELD,
    MeetingState.MINUTES_PUBLISHED,
    MeetingState.APPROVED,
    MeetingState.CANCELLED,
)
MINUTES_STATES = (MeetingState.MINUTES_PUBLISHED, MeetingState.APPROVED)


def public_meetings_q() -> Q:
    """Meetings the public sees: those whose agenda was published. A meeting cancelled
    before its agenda went out was never public and does not become so by the
    cancellation (its agenda may be a draft)."""
    published = Q(state__in=PUBLIC_STATES) & ~Q(state=MeetingState.CANCELLED)
    return published | Q(state=MeetingState.CANCELLED, agenda_published_at__isnull=False)


def public_attachments() -> QuerySet[Attachment]:
    """The attachments everyone may download: a public file of an open item of a public
    meeting (`access_attachment_for_view` applies the same rule to one attachment), or
    its address at the publisher when an import knows it only by that (`source_url`)."""
    public = Meeting.objects.filter(public_meetings_q())
    return Attachment.objects.filter(
        public=True, agenda_item__public=True, agenda_item__meeting__in=public
    ).exclude(file="", source_url="")


def is_public(meeting: Meeting) -> bool:
    if meeting.state == MeetingState.CANCELLED:
        return meeting.agenda_published_at is not None
    return meeting.state in PUBLIC_STATES


class TwoFactorRequired(PermissionDenied):
    """The municipality demands a verified second factor for this action."""


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    audience: Audience
    kind: DocumentKind


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_admin(user: Any) -> bool:
    return _authenticated(user) and bool(user.is_superuser)


def secretary_organization_ids(user: Any) -> set[int]:
    if not _authenticated(user):
        return set()
    rows = SecretaryAssignment.objects.filter(user=user)
    return set(rows.values_list("organization_id", flat=True))


def person_of(user: Any) -> Person | None:
    if not _authenticated(user):
        return None
    return Person.objects.filter(user=user).first()


def is_secretary(user: Any, organization_id: int) -> bool:
    return organization_id in secretary_organization_ids(user)


def held_during(membership: Membership) -> Q:
    """Meetings held on a day of the membership period (bounds included, open ends open)."""
    q = Q(organization_id=membership.organization_id)
    if membership.start_date is not None:
        q &= Q(start__date__gte=membership.start_date)
    if membership.end_date is not None:
        q &= Q(start__date__lte=membership.end_date)
    return q


def participant_meetings(person: Person) -> Q:
    """The meetings a person takes part in: those held while they had a seat in the
    organization, also after they left (it is their own record), and, for a substitute,
    only the meetings they were called in to (an attendance row). A person recorded as
    substitute at a meeting takes part in it even without a membership."""
    attendances = Attendance.objects.filter(person=person)
    called_in = Q(pk__in=attendances.values("meeting_id"))
    q = Q(pk__in=attendances.filter(status=AttendanceStatus.SUBSTITUTE).values("meeting_id"))
    for membership in Membership.objects.filter(person=person):
        period = held_during(membership)
        q |= (period & called_in) if membership.role == MembershipRole.SUBSTITUTE else period
    return q


def insider_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings whose internal documents (closed items, internal minutes and
    attachments) the user reads: all for the administrator, an organization's meetings for
    its secretaries, and the meetings a member takes part in (`participant_meetings`)."""
    meetings = Meeting.objects.select_related("organization")
    if is_admin(user):
        return meetings
    if not _authenticated(user):
        return meetings.none()
    q = Q(organization_id__in=secretary_organization_ids(user))
    person = person_of(user)
    if person is not None:
        q |= participant_meetings(person)
    return meetings.filter(q)


def is_insider(user: Any, meeting: Meeting) -> bool:
    """Whether the user reads this meeting's internal documents: the one answer every
    page, PDF, attachment and list relies on."""
    if not _authenticated(user):
        return False  # what insider_meetings answers too, without building a query
    return insider_meetings(user).filter(pk=meeting.pk).exists()


def can_edit_meeting(user: Any, meeting: Meeting) -> bool:
    return is_admin(user) or is_secretary(user, meeting.organization_id)


def approvable_meetings(user: Any, person: Person | None = None) -> QuerySet[Meeting]:
    """The meetings whose minutes the user may sign as a person: those they took part in,
    and under the chair-and-secretary rule those of their organizations as secretary (the
    service checks the rest: attendance, voting right, state). `person`: the user's, when
    the caller has looked it up already."""
    person = person or person_of(user)
    if person is None:
        return Meeting.objects.none()
    as_secretary = Q(
        organization_id__in=secretary_organization_ids(user),
        organization__signature_rule=SignatureRule.CHAIR_AND_SECRETARY,
    )
    return Meeting.objects.select_related("organization").filter(
        participant_meetings(person) | as_secretary
    )


def can_approve(user: Any, meeting: Meeting, person: Person | None = None) -> bool:
    return approvable_meetings(user, person).filter(pk=meeting.pk).exists()


def _verified(user: Any) -> bool:
    """This login was confirmed with a one-time code (django-otp's OTPMiddleware)."""
    is_verified = getattr(user, "is_verified", None)
    return callable(is_verified) and bool(is_verified())


def two_factor_missing(user: Any, meeting: Meeting) -> bool:
    """The body demands 2FA of those who edit or approve minutes, and this login lacks it."""
    if not meeting.organization.body.require_two_factor_for_approvers:
        return False
    return not _verified(user)


def admin_two_factor_missing(user: Any) -> bool:
    """The admin edits every body's data directly, past the services' guards: it demands a
    verified login as soon as any body demands one of those who edit or approve minutes,
    or always when GREMIUM_ADMIN_REQUIRE_TWO_FACTOR is set."""
    required = settings.GREMIUM_ADMIN_REQUIRE_TWO_FACTOR or (
        Body.objects.filter(require_two_factor_for_approvers=True).exists()
    )
    return required and not _verified(user)


def _meeting(meeting_id: int, *, related: bool = True) -> Meeting:
    if not related:
        # The meeting alone, without compiling a query: most of a stored page's cost.
        found = row_by_pk(Meeting, meeting_id)
        if found is None:
            raise Http404
        return found
    try:
        return Meeting.objects.select_related("organization__body").get(pk=meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _refuse(user: Any, meeting: Meeting) -> None:
    # Unpublished meetings do not exist for outsiders: 404, not 403.
    if not is_insider(user, meeting) and not is_public(meeting):
        raise Http404
    raise PermissionDenied(_("Du har ikke adgang til at ændre dette møde."))


def access_meeting_for_view(user: Any, meeting_id: int) -> MeetingView:
    """The meeting and the document the user may read, or 404 (never 403: the existence
    of an unpublished meeting is itself not public). The meeting alone is read: a page
    served from storage needs no more, and reading the organization with it would cost
    a published page a good part of its time."""
    meeting = _meeting(meeting_id, related=False)
    insider = is_insider(user, meeting)
    if not insider and not is_public(meeting):
        raise Http404
    return MeetingView(
        meeting, Audience.INTERNAL if insider else Audience.PUBLIC, document_kind(meeting)
    )


def document_kind(meeting: Meeting) -> DocumentKind:
    """The document a meeting's readers get: the minutes once published, else the agenda."""
    return DocumentKind.MINUTES if meeting.state in MINUTES_STATES else DocumentKind.AGENDA


def access_meeting_for_edit(user: Any, meeting_id: int) -> Meeting:
    """The meeting if the user may prepare and record it, else 404/403; 2FA if demanded."""
    meeting = _meeting(meeting_id)
    if not can_edit_meeting(user, meeting):
        _refuse(user, meeting)
    if two_factor_missing(user, meeting):
        raise TwoFactorRequired
    return meeting


def access_item_for_edit(user: Any, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_id).first()
    if item is None:
        raise Http404
    access_meeting_for_edit(user, item.meeting_id)
    return item


def access_meeting_for_approval(user: Any, meeting_id: int) -> tuple[Meeting, Person]:
    """The meeting and the user's person, if the user signs its minutes."""
    meeting = _meeting(meeting_id)
    person = person_of(user)
    if person is None or not can_approve(user, meeting, person):
        _refuse(user, meeting)
    if two_factor_missing(user, meeting):
        raise TwoFactorRequired
    assert person is not None
    return meeting, person


def access_meeting_history(user: Any, meeting_id: int) -> Meeting:
    """The audit history names every change and its author: secretaries and admins only."""
    return access_meeting_for_edit(user, meeting_id)


def access_attachment_for_view(user: Any, attachment_id: int) -> Attachment:
    """An attachment with a file that the user may read, or 404: a closed item's or a
    non-public attachment exists only for members and the secretariat."""
    attachment = Attachment.objects.select_related("agenda_item").filter(pk=attachment_id).first()
    if attachment is None or attachment.agenda_item is None or not attachment.file:
        raise Http404
    view = access_meeting_for_view(user, attachment.agenda_item.meeting_id)
    hidden = not (attachment.public and attachment.agenda_item.public)
    if view.audience is Audience.PUBLIC and hidden:
        raise Http404
    return attachment


def organizations_for_office(user: Any) -> QuerySet[Organization]:
    """Organizations whose meetings the user prepares."""
    if is_admin(user):
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=secretary_organization_ids(user))


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    """Every meeting with a published agenda, and the unpublished ones of which the user is
    an insider."""
    insider = insider_meetings(user).values("pk")
    return Meeting.objects.select_related("organization").filter(
        public_meetings_q() | Q(pk__in=insider)
    )
