"""The mail of one notice as a background job (text, HTML and, for an agenda, the
invitation): a mail server that is down is tried again by the worker, never lost."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from gremium.jobs.labels import name_task


@task()
def send_notice(
    *,
    subject: str,
    text: str,
    html: str,
    to: list[str],
    ics: str = "",
    meeting_id: int | None = None,
) -> int:
    """Send one notice to one recipient; `meeting_id` shows a failure on the meeting's
    page in the office. Returns the number sent (1)."""
    if not to:
        raise ValueError("send_notice: no recipients")
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    if ics:
        message.attach("invitation.ics", ics, "text/calendar; method=REQUEST; charset=UTF-8")
    return message.send(fail_silently=False)


name_task(send_notice.module_path, _("Meddelelse pr. e-mail"))


@task()
def notify_agenda_changes(*, meeting_id: int) -> int:
    """Tell the members about the agenda's changes since its publication, keyed by the last
    change: run a while after an edit (GREMIUM_AGENDA_CHANGE_DELAY_SECONDS), so a burst of
    edits is one notice, and a job queued by an edit already told sends nothing."""
    from gremium.lib.document_structure import Audience
    from gremium.meetings.agenda_changes import agenda_changes
    from gremium.meetings.models import Meeting, MeetingState
    from gremium.notices.services import notify_agenda_changed

    meeting = (
        Meeting.objects.select_related("organization__body", "location")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.state != MeetingState.AGENDA_PUBLISHED:
        return 0
    changes = agenda_changes(meeting, Audience.INTERNAL)
    if not changes:
        return 0
    return notify_agenda_changed(meeting, changes[-1].at.isoformat())


name_task(notify_agenda_changes.module_path, _("Meddelelse om ændret dagsorden"))
