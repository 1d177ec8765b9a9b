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
from gremium.meetings.public_lists import body_meetings, committee_meetings, public_meetings
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


# What a feed covers: one committee, one body, or every public meeting of the deployment.
Scope = Organization | Body | None


class MeetingsFeed(Feed):  # type: ignore[type-arg]
    """New agendas and minutes: of one committee (`slug`), one body (`body`), or all."""

    feed_type = Atom1Feed

    def get_object(
        self, request: HttpRequest, slug: str | None = None, body: str | None = None
    ) -> Scope:
        if slug is not None:
            return get_object_or_404(Organization, slug=slug)
        if body is not None:
            return get_object_or_404(Body, slug=body)
        return None

    def scope(self, scope: Scope) -> QuerySet[Meeting]:
        if isinstance(scope, Organization):
            return committee_meetings(scope)
        if isinstance(scope, Body):
            return body_meetings(scope)
        return public_meetings()

    def title(self, scope: Scope) -> str:
        name = _body_name() if scope is None else scope.name
        return _("Nye dagsordener og referater – %(name)s") % {"name": name}

    def subtitle(self, scope: Scope) -> str:
        return _("Dagsordener og referater, når de offentliggøres.")

    def link(self, scope: Scope) -> str:
        try:
            if isinstance(scope, Organization):
                return reverse("portal:committee", args=[scope.slug])
            if isinstance(scope, Body):
                return reverse("portal:body", args=[scope.slug])
        except NoReverseMatch:  # a portal without committee or body pages
            pass
        return reverse("portal:home")

    def feed_guid(self, scope: Scope) -> str:
        if isinstance(scope, Organization):
            return _feed_id(uid_domain(scope.body.name), "feed", f"udvalg/{scope.pk}")
        if isinstance(scope, Body):
            return _feed_id(uid_domain(scope.name), "feed", "body")
        return _feed_id(uid_domain(_body_name()), "feed", "body")

    def author_name(self, scope: Scope) -> str:
        if isinstance(scope, Organization):
            return scope.body.name
        return _body_name() if scope is None else scope.name

    def items(self, scope: Scope) -> list[Entry]:
        return newest_entries(self.scope(scope), settings.GREMIUM_FEED_ENTRIES)

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
