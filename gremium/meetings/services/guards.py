"""Preconditions shared by the meeting services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gremium.lib.errors import DomainError
from gremium.meetings.models import AgendaItem, Meeting, MeetingState
from gremium.organizations.models import Membership, Person


class MeetingLocked(DomainError):
    """The meeting is approved (or cancelled) and refuses edits."""


class StaleEdit(DomainError):
    """Someone else saved the object after the editor loaded it."""


def ensure_editable(meeting: Meeting) -> None:
    if meeting.state == MeetingState.APPROVED or meeting.content_locked:
        raise MeetingLocked(
            _(
                "Mødet %(meeting)s er godkendt og låst. Rettelser kan kun tilføjes som "
                "en dateret tilføjelse."
            )
            % {"meeting": meeting}
        )
    if meeting.state == MeetingState.CANCELLED:
        raise MeetingLocked(_("Mødet %(meeting)s er aflyst.") % {"meeting": meeting})


def ensure_version(current: int, expected: int | None, what: str) -> None:
    if expected is not None and expected != current:
        raise StaleEdit(
            _(
                "%(what)s er ændret af en anden, efter du åbnede den (version %(expected)s, "
                "nu %(current)s). Dine ændringer er ikke gemt."
            )
            % {"what": what, "expected": expected, "current": current}
        )


def membership_on(person: Person, meeting: Meeting) -> Membership | None:
    """The person's membership of the meeting's organization on the meeting day."""
    return (
        Membership.objects.filter(person=person, organization_id=meeting.organization_id)
        .on(meeting.day)
        .first()
    )


def ensure_member(person: Person, meeting: Meeting) -> Membership:
    membership = membership_on(person, meeting)
    if membership is None:
        raise DomainError(
            _("%(person)s er ikke medlem af %(organization)s den %(day)s.")
            % {
                "person": person,
                "organization": meeting.organization,
                "day": f"{meeting.day:%d-%m-%Y}",
            }
        )
    return membership


def ensure_public_title(*, public: bool, public_title: str) -> None:
    """A closed item needs the title the public sees in its place: its own title is
    internal and must not be published."""
    if not public and not public_title.strip():
        raise DomainError(
            _(
                "Et lukket punkt skal have en offentlig titel. Udfyld feltet »Offentlig "
                "titel«, fx med »Lukket punkt«."
            )
        )


def closed_items_without_public_title(meeting: Meeting) -> list[str]:
    """The numbers (or titles) of the meeting's closed items that lack a public title."""
    closed = meeting.items.filter(public=False).order_by("order")
    return [item.label or item.title for item in closed if not item.public_title.strip()]


def meeting_now(meeting_id: int) -> Meeting:
    """The meeting as stored now: a cached one may predate a state change. Read inside the
    service's write transaction, what the guards check on it holds until the commit."""
    return Meeting.objects.select_related("organization").get(pk=meeting_id)


def meeting_of(item: AgendaItem) -> Meeting:
    return meeting_now(item.meeting_id)
