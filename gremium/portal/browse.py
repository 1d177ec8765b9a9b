"""The portal's pages for finding one's way: the front page, the archive, committees,
items, cases and people. Each view asks the access layer (directly or through the
listings, which start from `meetings_visible_to`) and renders; content of meetings comes
only from documents built for the reader's audience."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from gremium.documents.build import build_document
from gremium.documents.html import content_language, render_item_html
from gremium.lib.error_pages import Link, render_error
from gremium.meetings import listings
from gremium.meetings.access import access_meeting_for_view, meetings_visible_to
from gremium.meetings.models import Meeting
from gremium.organizations.models import Body, Organization
from gremium.organizations.selectors import (
    archive_committees,
    current_committees,
    current_members,
    person_memberships,
    portal_bodies,
    public_person,
    several_bodies,
)
from gremium.papers.models import Paper
from gremium.portal.case_history import case_attachments, case_history
from gremium.portal.list_pages import list_page
from gremium.portal.scope import BadFilter, body_from_query, check_in_body

YEARS = (1900, 2100)  # what the archive accepts as `aar`


@require_safe
def home(request: HttpRequest) -> HttpResponseBase:
    """The front page; with several bodies it lists them too, each with a page of its own."""

    def page() -> HttpResponse:
        several = several_bodies()
        context = _front_page(request, None) | {
            "bodies": portal_bodies() if several else None,
            "several_bodies": several,
        }
        return render(request, "portal/home.html", context)

    return list_page(request, page)


@require_safe
def body_home(request: HttpRequest, slug: str) -> HttpResponseBase:
    """One body's front page: its meetings, committees, calendar and feed."""
    body = get_object_or_404(Body, slug=slug)

    def page() -> HttpResponse:
        context = _front_page(request, body) | {"several_bodies": several_bodies()}
        return render(request, "portal/home.html", context)

    return list_page(request, page)


def _front_page(request: HttpRequest, body: Body | None) -> dict[str, object]:
    today = timezone.localdate()
    visible = meetings_visible_to(request.user)
    if body is not None:
        visible = visible.filter(organization__body=body)
    return {
        "body": body,
        "upcoming": listings.upcoming_meetings(visible, today=today),
        "agendas": listings.latest_agendas(visible),
        "minutes": listings.latest_minutes(visible),
        "committees": current_committees(today, body),
    }


@dataclass(frozen=True)
class ArchiveQuery:
    organization: Organization | None
    year: int | None
    page: int
    body: Body | None = None


def _number(request: HttpRequest, name: str, what: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise BadFilter(
            400,
            _("Ugyldig adresse"),
            _("%(what)s skal være et tal, men adressen siger »%(value)s« (%(name)s=).")
            % {"what": what, "value": raw[:40], "name": name},
        )
    return int(raw)


def _archive_query(request: HttpRequest, organization: Organization | None) -> ArchiveQuery:
    body = body_from_query(request) if organization is None else None
    slug = request.GET.get("udvalg", "").strip()
    if organization is None and slug:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise BadFilter(
                404,
                _("Udvalget findes ikke"),
                _("Der er intet udvalg med adressenavnet »%(slug)s« (udvalg=).")
                % {"slug": slug[:80]},
            )
    year = _number(request, "aar", _("Året"))
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise BadFilter(
            400,
            _("Ugyldigt år"),
            _("Året skal ligge mellem %(first)s og %(last)s, men adressen siger %(year)s (aar=).")
            % {"first": YEARS[0], "last": YEARS[1], "year": year},
        )
    check_in_body(organization, body)
    return ArchiveQuery(organization, year, _number(request, "side", _("Siden")) or 1, body)


def _page(request: HttpRequest, query: ArchiveQuery) -> listings.ArchivePage:
    meetings = meetings_visible_to(request.user)
    if query.organization is not None:
        meetings = meetings.filter(organization=query.organization)
    elif query.body is not None:
        meetings = meetings.filter(organization__body=query.body)
    try:
        return listings.archive_page(meetings, year=query.year, page=query.page)
    except listings.PageOutOfRange as out:
        raise BadFilter(
            404,
            _("Siden findes ikke"),
            _("Side %(page)s findes ikke (side=): møderne i %(year)s fylder %(pages)s side(r).")
            % {"page": query.page, "year": out.year, "pages": out.pages},
        ) from None


def _pager_url(base: str, params: dict[str, str], target: tuple[int, int] | None) -> str:
    if target is None:
        return ""
    return f"{base}?{urlencode(params | {'aar': str(target[0]), 'side': str(target[1])})}"


def _bad_filter(request: HttpRequest, error: BadFilter) -> HttpResponse:
    archive = Link(reverse("portal:archive"), _("Gå til mødearkivet"))
    return render_error(
        request,
        status=error.status,
        title=error.title,
        explanation=error.explanation,
        links=[archive],
    )


def _archive_context(
    request: HttpRequest, base: str, params: dict[str, str], query: ArchiveQuery
) -> dict[str, object]:
    """The page of meetings and the links to the pages around it, which keep the filter
    (`params`) and change only the year and page."""
    page = _page(request, query)
    return {
        "page": page,
        "query": query,
        "older_url": _pager_url(base, params, page.older),
        "newer_url": _pager_url(base, params, page.newer),
    }


@require_safe
def archive(request: HttpRequest) -> HttpResponseBase:
    return list_page(request, lambda: _archive(request))


def _archive(request: HttpRequest) -> HttpResponse:
    try:
        query = _archive_query(request, None)
        params = {"udvalg": query.organization.slug} if query.organization else {}
        if query.body is not None:
            params["kommune"] = query.body.slug
        context = _archive_context(request, reverse("portal:archive"), params, query)
    except BadFilter as error:
        return _bad_filter(request, error)
    several = several_bodies()
    context |= {
        "committees": archive_committees(query.body),
        "bodies": portal_bodies() if several else None,
    }
    return render(request, "portal/archive.html", context)


@require_safe
def committee(request: HttpRequest, slug: str) -> HttpResponseBase:
    organization = get_object_or_404(Organization.objects.select_related("body"), slug=slug)
    return list_page(request, lambda: _committee(request, organization))


def _committee(request: HttpRequest, organization: Organization) -> HttpResponse:
    slug = organization.slug
    try:
        query = _archive_query(request, organization)
        base = reverse("portal:committee", args=[slug])
        context = _archive_context(request, base, {}, query)
    except BadFilter as error:
        return _bad_filter(request, error)
    context |= {
        "organization": organization,
        "members": current_members(organization, timezone.localdate()),
        "several_bodies": several_bodies(),
    }
    return render(request, "portal/committee.html", context)


@require_safe
def item(request: HttpRequest, meeting_id: int, key: str) -> HttpResponse:
    view = access_meeting_for_view(request.user, meeting_id)
    document = build_document(view.meeting, kind=view.kind, audience=view.audience)
    keys = [found.key for found in document.items]
    if key not in keys:
        raise Http404
    index = keys.index(key)
    shown = document.items[index]
    previous, following = listings.neighbours(meetings_visible_to(request.user), view.meeting)
    context = {
        "meeting": view.meeting,
        "document": document,
        "shown": shown,
        "item_html": render_item_html(shown, document.language),
        "content_lang": content_language(document.language),
        "paper": _paper(view.meeting, shown.reference) if not shown.redacted else None,
        "previous_item": document.items[index - 1] if index > 0 else None,
        "next_item": document.items[index + 1] if index + 1 < len(keys) else None,
        "previous_meeting": previous,
        "next_meeting": following,
    }
    return render(request, "portal/item.html", context)


def _paper(meeting: Meeting, reference: str) -> Paper | None:
    if not reference:
        return None
    return Paper.objects.filter(body_id=meeting.organization.body_id, reference=reference).first()


@require_safe
def paper(request: HttpRequest, paper_id: int) -> HttpResponse:
    found = get_object_or_404(Paper, pk=paper_id)
    history = case_history(request.user, found)
    if not history:
        # A case the reader sees no treatment of does not exist for them.
        raise Http404
    context = {"paper": found, "history": history, "attachments": case_attachments(history)}
    return render(request, "portal/paper.html", context)


@require_safe
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    found = public_person(person_id)
    if found is None:
        raise Http404
    context = {"person": found, "memberships": person_memberships(found)}
    return render(request, "portal/person.html", context)
