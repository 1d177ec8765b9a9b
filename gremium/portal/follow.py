"""What the public subscribes to: calendars, Atom feeds and the sitemap.

Each is one document for everyone (public meetings only), so each carries validators read
in one aggregate query (`list_stamp`) and the public caching policy; a conditional request
that still matches is answered 304 without building anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gremium.lib.code_version import code_fingerprint
from gremium.lib.language import in_default_language
from gremium.meetings.models import Meeting
from gremium.meetings.public_lists import (
    body_meetings,
    committee_meetings,
    list_stamp,
    person_committee_meetings,
    public_meetings,
)
from gremium.organizations.models import Body, Membership, Organization, Person
from gremium.portal.calendars import CONTENT_TYPE, calendar_bytes, meeting_page_url
from gremium.portal.feeds import MeetingsFeed
from gremium.portal.http_cache import Validators, public_response, validators
from gremium.portal.sitemaps import SECTIONS


def _list_validators(meetings: QuerySet[Meeting], *extra: str) -> Validators:
    stamp = list_stamp(meetings)
    token = ".".join([stamp.token, code_fingerprint(), *extra])
    return validators(token, stamp.newest)


def _calendar(
    request: HttpRequest, meetings: QuerySet[Meeting], name: str, *extra: str
) -> HttpResponseBase:
    def build() -> HttpResponse:
        url = meeting_page_url(request.build_absolute_uri)
        content = calendar_bytes(meetings, name=name, page_url=url)
        response = HttpResponse(content, content_type=CONTENT_TYPE)
        response["Content-Disposition"] = 'inline; filename="kalender.ics"'
        return response

    return public_response(request, _list_validators(meetings, *extra), build)


@require_safe
@in_default_language
def body_calendar(request: HttpRequest) -> HttpResponseBase:
    return _calendar(request, public_meetings(), _("Møder"))


@require_safe
@in_default_language
def one_body_calendar(request: HttpRequest, slug: str) -> HttpResponseBase:
    """One body's meetings, for a deployment that holds several."""
    body = get_object_or_404(Body, slug=slug)
    name = _("Møder i %(body)s") % {"body": body.name}
    return _calendar(request, body_meetings(body), name, _digest(name))


@require_safe
@in_default_language
def committee_calendar(request: HttpRequest, slug: str) -> HttpResponseBase:
    organization = get_object_or_404(Organization, slug=slug)
    name = _("Møder i %(organization)s") % {"organization": organization.name}
    # The name is in the calendar: a renamed committee is a new calendar document.
    return _calendar(request, committee_meetings(organization), name, _digest(name))


@require_safe
@in_default_language
def person_calendar(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """The meetings of the committees the person sat in on each meeting's day. Only for
    people with a seat: anyone else has no public calendar."""
    person = get_object_or_404(Person, pk=person_id)
    seats = list(
        Membership.objects.filter(person=person).values_list(
            "organization_id", "role", "start_date", "end_date"
        )
    )
    if not seats:
        raise Http404
    name = _("Møder for %(person)s") % {"person": person.name}
    meetings = person_committee_meetings(person)
    return _calendar(request, meetings, name, _digest(name, *sorted(map(str, seats))))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


_feed = MeetingsFeed()


@require_safe
@in_default_language
def body_feed(request: HttpRequest) -> HttpResponseBase:
    return _feed_response(request, public_meetings(), lambda: _feed(request))


@require_safe
@in_default_language
def one_body_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    body = get_object_or_404(Body, slug=slug)
    return _feed_response(
        request, body_meetings(body), lambda: _feed(request, body=slug), _digest(body.name)
    )


@require_safe
@in_default_language
def committee_feed(request: HttpRequest, slug: str) -> HttpResponseBase:
    organization = get_object_or_404(Organization, slug=slug)
    return _feed_response(
        request,
        committee_meetings(organization),
        lambda: _feed(request, slug=slug),
        _digest(organization.name),
    )


def _feed_response(
    request: HttpRequest,
    meetings: QuerySet[Meeting],
    build: Callable[[], HttpResponseBase],
    *extra: str,
) -> HttpResponseBase:
    return public_response(request, _list_validators(meetings, *extra), build)


@require_safe
@in_default_language
def sitemap(request: HttpRequest) -> HttpResponseBase:
    # Every section's pages are meetings' or change with them (an admin repair of a
    # committee or person marks the meetings changed), so the meetings' stamp covers all.
    def build() -> HttpResponseBase:
        response = django_sitemap(request, sitemaps=SECTIONS)
        response.render()  # type: ignore[attr-defined]
        return response

    return public_response(request, _list_validators(public_meetings()), build)
