"""The invitation attached to an agenda notice (RFC 5546 METHOD:REQUEST). Its UID is the
one the portal's calendars give the meeting, so a calendar that subscribed to the portal
and one that accepted the invitation hold the same event."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gremium.lib.calendar_uid import meeting_uid
from gremium.meetings.models import Meeting


def _escape(text: str) -> str:
    # RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT.
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n")


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1)."""
    data = line.encode()
    parts: list[str] = []
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never inside a UTF-8 sequence
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    parts.append(data.decode())
    return "\r\n ".join(parts)


def invitation(meeting: Meeting, *, summary: str, url: str, organizer: str) -> str:
    end = meeting.end or meeting.start + dt.timedelta(hours=2)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//gremium//notices//DA",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting.pk, meeting.organization.body.name)}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{_escape(summary)}",
        f"URL:{url}",
        f"ORGANIZER:mailto:{organizer}",
    ]
    if meeting.location is not None:
        lines.append(f"LOCATION:{_escape(str(meeting.location))}")
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)
