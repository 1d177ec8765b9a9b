"""Telling people: one Notice row per person (their feed, and the guard against sending
the same notice twice), and a mail job for those who want mail."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gremium.meetings.models import Meeting
from gremium.notices.ics import invitation
from gremium.notices.mails import Mail, render_notice
from gremium.notices.models import Delivery, Notice, NoticeKind, NoticePreference, new_token
from gremium.notices.recipients import members_of, pending_signers, secretaries_of
from gremium.notices.tasks import send_notice
from gremium.organizations.models import Person

log = logging.getLogger(__name__)


def wants_mail(person: Person, kind: str) -> bool | None:
    """True: mail; False: the feed only; None: this kind is turned off."""
    if person.user_id is None:
        return None
    preference = NoticePreference.objects.filter(user_id=person.user_id).first()
    if preference is None:
        return True
    if not preference.wants(kind):
        return None
    return preference.delivery == Delivery.MAIL


def notify(meeting: Meeting, kind: str, people: Iterable[Person], *, key: str = "") -> int:
    """Tell each person once (per meeting, kind and key); returns the number of mails queued."""
    mail = render_notice(kind, meeting)
    ics = ""
    # A changed agenda brings the event again (a moved meeting has a higher SEQUENCE).
    if kind in (NoticeKind.AGENDA_PUBLISHED, NoticeKind.AGENDA_CHANGED):
        summary = f"{meeting.organization.name}: {meeting.name}".rstrip(": ")
        ics = invitation(
            meeting, summary=summary, url=mail.link, organizer=settings.DEFAULT_FROM_EMAIL
        )
    queued = 0
    for person in people:
        choice = wants_mail(person, kind)
        if choice is None or not _record(meeting, person, kind, key, mail, mailed=choice):
            continue
        if choice:
            send_notice.enqueue(
                subject=mail.subject,
                text=mail.text,
                html=mail.html,
                to=[person.email],
                ics=ics,
                meeting_id=meeting.pk,
            )
            queued += 1
    return queued


def _record(
    meeting: Meeting, person: Person, kind: str, key: str, mail: Mail, *, mailed: bool
) -> bool:
    """Whether this is the first such notice (a second one is not sent)."""
    try:
        with transaction.atomic():
            Notice.objects.create(
                meeting=meeting,
                person=person,
                kind=kind,
                key=key,
                subject=mail.subject,
                link=mail.link,
                mailed=mailed,
            )
    except IntegrityError:
        return False
    return True


def notify_agenda_published(meeting: Meeting) -> int:
    return notify(meeting, NoticeKind.AGENDA_PUBLISHED, members_of(meeting))


def notify_agenda_changed(meeting: Meeting, last_change: str) -> int:
    return notify(meeting, NoticeKind.AGENDA_CHANGED, members_of(meeting), key=last_change)


def notify_approval_requested(meeting: Meeting, version: str) -> int:
    return notify(meeting, NoticeKind.APPROVAL_REQUESTED, pending_signers(meeting), key=version)


def notify_minutes_approved(meeting: Meeting, version: str) -> int:
    people = list(members_of(meeting)) + list(secretaries_of(meeting))
    unique = {person.pk: person for person in people}.values()
    return notify(meeting, NoticeKind.MINUTES_APPROVED, unique, key=version)


def send_reminders(now: dt.datetime | None = None) -> int:
    """One reminder per signer and minutes version, once the minutes have waited
    GREMIUM_APPROVAL_REMINDER_DAYS days: safe to run as often as wanted."""
    from gremium.meetings.minutes import current_minutes_version
    from gremium.meetings.models import MeetingState

    days = settings.GREMIUM_APPROVAL_REMINDER_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    waiting = Meeting.objects.select_related("organization__body").filter(
        state=MeetingState.MINUTES_PUBLISHED, minutes_published_at__lte=cutoff
    )
    sent = 0
    for meeting in waiting:
        version = current_minutes_version(meeting)
        if version is None:
            continue
        sent += notify(
            meeting, NoticeKind.APPROVAL_REMINDER, pending_signers(meeting), key=version.sha256
        )
    return sent


def preference_for(user: Any) -> NoticePreference:
    preference, _created = NoticePreference.objects.get_or_create(user=user)
    return preference


def feed_token_renew(user: Any) -> str:
    preference = preference_for(user)
    preference.feed_token = new_token()
    preference.save(update_fields=["feed_token"])
    return preference.feed_token


def feed_token_revoke(user: Any) -> None:
    NoticePreference.objects.filter(user=user).update(feed_token="")
