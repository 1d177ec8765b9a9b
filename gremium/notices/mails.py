"""The words of each notice. A mail carries the meeting, the items' numbers and titles and
a link into the site, never an item's text: a closed item's content stays behind the login.
The templates are Danish (the source language) through gettext."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from gremium.meetings.models import Meeting
from gremium.notices.models import NoticeKind


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str
    link: str


def absolute(path: str) -> str:
    return f"{settings.GREMIUM_SITE_URL}{path}"


def meeting_link(meeting: Meeting, kind: str) -> str:
    if kind in (NoticeKind.APPROVAL_REQUESTED, NoticeKind.APPROVAL_REMINDER):
        return absolute(reverse("office:approve", args=[meeting.pk]))
    return absolute(reverse("members:meeting", args=[meeting.pk]))


def _subject(kind: str, meeting: Meeting, when: str) -> str:
    subjects = {
        NoticeKind.AGENDA_PUBLISHED: _("Dagsorden: %(organization)s %(date)s"),
        NoticeKind.AGENDA_CHANGED: _("Dagsorden ændret: %(organization)s %(date)s"),
        NoticeKind.APPROVAL_REQUESTED: _("Referat til godkendelse: %(organization)s %(date)s"),
        NoticeKind.APPROVAL_REMINDER: _(
            "Påmindelse: referat til godkendelse: %(organization)s %(date)s"
        ),
        NoticeKind.MINUTES_APPROVED: _("Referat godkendt: %(organization)s %(date)s"),
    }
    return subjects[NoticeKind(kind)] % {"organization": meeting.organization.name, "date": when}


def _items(meeting: Meeting) -> list[dict[str, object]]:
    # Number and title only (members read the internal title); never a section's text.
    return [
        {"label": item.label, "title": item.title, "closed": not item.public}
        for item in meeting.items.order_by("order")
    ]


def render_notice(kind: str, meeting: Meeting) -> Mail:
    with translation.override(settings.LANGUAGE_CODE):
        when = formats.date_format(timezone.localtime(meeting.start), "d-m-Y H:i")
        link = meeting_link(meeting, kind)
        context = {
            "kind": kind,
            "language": translation.get_language(),
            "meeting": meeting,
            "organization": meeting.organization.name,
            "when": when,
            "link": link,
            "items": _items(meeting) if kind == NoticeKind.AGENDA_PUBLISHED else [],
            "location": str(meeting.location) if meeting.location else "",
            "preferences": absolute(reverse("members:preferences")),
        }
        return Mail(
            subject=_subject(kind, meeting, when),
            text=render_to_string("notices/notice.txt", context),
            html=render_to_string("notices/notice.html", context),
            link=link,
        )
