"""Atom feeds (RFC 4287) of new agendas and minutes: for the whole body and per committee.

An entry is one publication: the agenda of a meeting, or its minutes, dated by the time
it was published and linking to the meeting page. Only public meetings appear, and an
entry says no more of a meeting than its committee and time: item titles would need the
public document of each meeting.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from gremium.documents.dates import long_datetime
from gremium.meetings.models import Meeting, MeetingState
from gremium.meetings.public_lists import committee_meetings, public_meetings
from gremium.organizations.models import Body, Organization
from gremium.portal.calendars import uid_domain


@dataclass(frozen=True)
class Entry:
    meeting_id: int
    minutes: bool  # the minutes' publication, else the agenda's
    published: dt.datetime
    start: dt.datetime
    cancelled: bool
    organization: str
    body: str


def newest_entries(meetings: QuerySet[Meeting], count: int) -> list[Entry]:
    """The `count` newest publications among the meetings, newest first."""
    fields = ("pk", "start", "state", "organization__name", "organization__body__name")
    entries: list[Entry] = []
    for minutes, stamp in ((False, "agenda_published_at"), (True, "minutes_published_at")):
        published = meetings.exclude(**{f"{stamp}__isnull": True}).order_by(f"-{stamp}", "-pk")
        for pk, start, state, organization, body, when in published.values_list(*fields, stamp)[
            :count
        ]:
            cancelled = state == MeetingState.CANCELLED
            entries.append(Entry(pk, minutes, when, start, cancelled, organization, body))
    entries.sort(key=lambda e: (e.published, e.meeting_id, e.minutes), reverse=True)
    return entries[:count]


def _feed_id(*parts: object) -> str:
    """A permanent id, the same whatever the host name: a UUID from the UID domain."""
    name = "/".join(str(p) for p in parts)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"gremium:{name}").urn


class MeetingsFeed(Feed):  # type: ignore[type-arg]
    """New agendas and minutes: of one committee (`slug`), or of every committee."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Organization | None:
        if slug is None:
            return None
        return get_object_or_404(Organization, slug=slug)

    def scope(self, organization: Organization | None) -> QuerySet[Meeting]:
        return public_meetings() if organization is None else committee_meetings(organization)

    def title(self, organization: Organization | None) -> str:
        if organization is None:
            return _("Nye dagsordener og referater – %(body)s") % {"body": _body_name()}
        return _("Nye dagsordener og referater – %(organization)s") % {
            "organization": organization.name
        }

    def subtitle(self, organization: Organization | None) -> str:
        return _("Dagsordener og referater, når de offentliggøres.")

    def link(self, organization: Organization | None) -> str:
        if organization is not None:
            try:
                return reverse("portal:committee", args=[organization.slug])
            except NoReverseMatch:  # a portal without committee pages
                pass
        return reverse("portal:home")

    def feed_guid(self, organization: Organization | None) -> str:
        scope = "body" if organization is None else f"udvalg/{organization.pk}"
        return _feed_id(uid_domain(_body_name()), "feed", scope)

    def author_name(self, organization: Organization | None) -> str:
        return _body_name()

    def items(self, organization: Organization | None) -> list[Entry]:
        return newest_entries(self.scope(organization), settings.GREMIUM_FEED_ENTRIES)

    def item_title(self, entry: Entry) -> str:
        when = _when(entry)
        word = _("Referat") if entry.minutes else _("Dagsorden")
        title = f"{word}: {entry.organization}, {when}"
        return _("%(title)s (aflyst)") % {"title": title} if entry.cancelled else title

    def item_description(self, entry: Entry) -> str:
        text = {
            False: _("Dagsordenen til mødet i %(organization)s %(when)s er offentliggjort."),
            True: _("Referatet af mødet i %(organization)s %(when)s er offentliggjort."),
        }[entry.minutes]
        # Atom's summary is HTML here: the committee's name is text, never markup.
        return escape(text % {"organization": entry.organization, "when": _when(entry)})

    def item_link(self, entry: Entry) -> str:
        return reverse("portal:meeting", args=[entry.meeting_id])

    def item_guid(self, entry: Entry) -> str:
        kind = "referat" if entry.minutes else "dagsorden"
        return _feed_id(uid_domain(entry.body), "meeting", entry.meeting_id, kind)

    def item_updateddate(self, entry: Entry) -> dt.datetime:
        return entry.published

    def item_pubdate(self, entry: Entry) -> dt.datetime:
        return entry.published

    def item_author_name(self, entry: Entry) -> str:
        return entry.organization


def _when(entry: Entry) -> str:
    """ "mandag d. 02. marts 2026 kl. 16:00": the minutes' wording, inside a sentence."""
    when = long_datetime(timezone.localtime(entry.start))
    return when[0].lower() + when[1:]


def _body_name() -> str:
    names = list(Body.objects.values_list("name", flat=True)[:2])
    return names[0] if len(names) == 1 else "gremium"
