"""A reminder to the members who have not yet signed published minutes: one Danish mail
each through the task queue, and an audit record that tells the secretary when it went."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from gremium.audit.services import Actor, audit_record, write_transaction
from gremium.jobs.mail import send_mail
from gremium.lib.errors import DomainError
from gremium.meetings.approval_progress import REMIND_ACTION, approval_progress
from gremium.meetings.models import Meeting, MeetingState
from gremium.meetings.services.guards import meeting_now


def approval_remind(*, meeting: Meeting, link: str, by: Actor) -> list[str]:
    """Queue a reminder to every missing signer with an e-mail address; return their names.
    Only the meeting's name, date and the link go into the mail, never its content."""
    with write_transaction():
        meeting = meeting_now(meeting.pk)
        if meeting.state != MeetingState.MINUTES_PUBLISHED:
            raise DomainError(_("Der kan kun rykkes for godkendelse af et offentliggjort referat."))
        missing = approval_progress(meeting).missing
        reachable = [p for p in missing if p.email]
        if not reachable:
            raise DomainError(_("Ingen af de manglende medlemmer har en e-mailadresse."))
        subject = _("Påmindelse: godkend referatet fra %(meeting)s") % {"meeting": meeting}
        body = _(
            "Referatet fra %(meeting)s venter på din godkendelse.\n\n"
            "Læs og godkend det her:\n%(link)s\n"
        ) % {"meeting": meeting, "link": link}
        for person in reachable:
            # Queued once the reminder is recorded: a rolled-back reminder sends nothing.
            transaction.on_commit(partial(_queue, subject, body, person.email, meeting.pk))
        names = [p.name for p in reachable]
        audit_record(
            by=by,
            action=REMIND_ACTION,
            obj=meeting,
            meeting_id=meeting.pk,
            before=None,
            after={"to": names},
        )
    return names


def _queue(subject: str, body: str, email: str, meeting_id: int) -> None:
    send_mail.enqueue(subject=subject, body=body, to=[email], meeting_id=meeting_id)
