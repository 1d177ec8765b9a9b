"""The UID of a meeting's calendar event, shared by the portal's calendars and the mailed
invitations: a calendar holding both sees one event. UIDs must never change."""

from __future__ import annotations

from django.conf import settings

from gremium.lib.slugs import danish_slug


def uid_domain(body_name: str) -> str:
    """The right-hand side of every UID: the configured domain, or one made from the
    municipality's name. UIDs must never change, so set GREMIUM_UID_DOMAIN once."""
    return settings.GREMIUM_UID_DOMAIN or f"{danish_slug(body_name)}.gremium"


def meeting_uid(meeting_id: int, body_name: str) -> str:
    return f"meeting-{meeting_id}@{uid_domain(body_name)}"
