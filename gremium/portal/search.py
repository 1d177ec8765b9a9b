"""The search page (/soeg/?q=...): read the form, ask the search app, show the results.

The form's fields keep plain names (q, type, udvalg, fra, til, sortering), so a search box
anywhere (the front page) can send to this page, and its ids their own prefix ("soeg-").
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from gremium.documents.html import content_language
from gremium.organizations.models import Body, Organization
from gremium.organizations.selectors import portal_bodies, several_bodies
from gremium.search.models import EntryKind, SearchEntry
from gremium.search.query import MAX_LENGTH, Query, parse
from gremium.search.searching import Filters, Results, Sort, search
from gremium.search.snippets import highlight, snippet

KINDS = [
    ("", _("Alt")),
    ("punkt", _("Dagsordenspunkter")),
    ("bilag", _("Bilag")),
    ("udvalg", _("Udvalg")),
    ("person", _("Personer")),
]
KIND_OF = {
    "punkt": EntryKind.ITEM,
    "bilag": EntryKind.ATTACHMENT,
    "udvalg": EntryKind.COMMITTEE,
    "person": EntryKind.PERSON,
}
SORTS = [(Sort.RELEVANCE.value, _("Relevans")), (Sort.DATE.value, _("Dato, nyeste først"))]
FILTER_FIELDS = ("type", "kommune", "udvalg", "fra", "til")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Søg i møder, punkter, bilag, udvalg og personer"),
        required=False,
        widget=forms.widgets.SearchInput(attrs={"maxlength": MAX_LENGTH}),
    )
    type = forms.ChoiceField(label=_("Type"), choices=KINDS, required=False)
    # Shown only when the deployment holds several bodies (see __init__).
    kommune = forms.ChoiceField(label=_("Kommune"), required=False)
    udvalg = forms.ChoiceField(label=_("Udvalg"), required=False)
    fra = forms.DateField(
        label=_("Fra dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    til = forms.DateField(
        label=_("Til dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sortering = forms.ChoiceField(label=_("Sortering"), choices=SORTS, required=False)

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data, auto_id="soeg-%s")
        committees = Organization.objects.order_by("name").values_list("slug", "name")
        self.fields["udvalg"].choices = [("", _("Alle udvalg")), *committees]  # type: ignore[attr-defined]
        bodies = portal_bodies().values_list("slug", "name")
        self.fields["kommune"].choices = [("", _("Alle kommuner")), *bodies]  # type: ignore[attr-defined]
        if not several_bodies():
            self.fields["kommune"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("fra"), data.get("til")
        if start and end and start > end:
            self.add_error("til", _("»Til dato« skal ligge på eller efter »Fra dato«."))
        body, committee = data.get("kommune"), data.get("udvalg")
        if (
            body
            and committee
            and not Organization.objects.filter(slug=committee, body__slug=body).exists()
        ):
            self.add_error("udvalg", _("Udvalget hører ikke til den valgte kommune."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        slug = data.get("udvalg")
        organization = Organization.objects.filter(slug=slug).first() if slug else None
        body_slug = data.get("kommune")
        body = Body.objects.filter(slug=body_slug).first() if body_slug else None
        return Filters(
            organization_id=organization.pk if organization else None,
            body_id=body.pk if body else None,
            kind=KIND_OF.get(data.get("type") or ""),
            date_from=data.get("fra"),
            date_to=data.get("til"),
        )


@dataclasses.dataclass(frozen=True)
class Hit:
    """One result as the page shows it."""

    kind: str
    title: SafeString
    url: str | None
    snippet: SafeString
    entry: SearchEntry


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    page = _page_number(request.GET.get("side"))
    # The index holds Danish content: marked so when the interface speaks another language.
    context: dict[str, Any] = {
        "form": form,
        "searched": False,
        "content_lang": content_language("da"),
    }
    text = request.GET.get("q", "").strip()
    if text and form.is_valid():
        query = parse(form.cleaned_data["q"])
        sort = Sort(form.cleaned_data.get("sortering") or Sort.RELEVANCE)
        results = search(request.user, query, filters=form.filters(), sort=sort, page=page)
        context.update(
            searched=True,
            query=query,
            results=results,
            hits=[_hit(entry, query) for entry in results.entries],
            pages=_pagination(request.GET, results),
            first_number=(results.page - 1) * results.per_page + 1,
            previous_url=_with(request.GET, side=results.page - 1) if results.page > 1 else None,
            next_url=(
                _with(request.GET, side=results.page + 1) if results.page < results.pages else None
            ),
            filtered=any(request.GET.get(name) for name in FILTER_FIELDS),
            unfiltered_url=_with(request.GET, drop=(*FILTER_FIELDS, "side")),
        )
    return render(request, "portal/search.html", context)


def _page_number(value: str | None) -> int:
    if value is None or value == "":
        return 1
    if not value.isdigit() or int(value) < 1:
        raise Http404
    return int(value)


def _hit(entry: SearchEntry, query: Query) -> Hit:
    return Hit(
        kind=entry.get_kind_display(),
        title=highlight(entry.title, query),
        url=_url(entry),
        snippet=snippet(entry.text, query),
        entry=entry,
    )


def _url(entry: SearchEntry) -> str | None:
    """Where a result leads: the item's own page (or its place on the meeting page), the
    attachment, the committee's or the person's page; None where there is no such page."""
    if entry.kind == EntryKind.ATTACHMENT:
        return reverse("portal:attachment", args=[entry.object_id])
    if entry.kind == EntryKind.ITEM:
        meeting_page = reverse("portal:meeting", args=[entry.meeting_id]) + f"#{entry.anchor}"
        return _reverse("portal:item", entry.meeting_id, entry.anchor) or meeting_page
    if entry.kind == EntryKind.COMMITTEE and entry.organization is not None:
        return _reverse("portal:committee", entry.organization.slug)
    if entry.kind == EntryKind.PERSON:
        return _reverse("portal:person", entry.object_id)
    return None


def _reverse(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _with(params: QueryDict, drop: tuple[str, ...] = (), **values: Any) -> str:
    kept = {k: v for k, v in params.items() if k not in drop and k not in values and v}
    kept.update({k: str(v) for k, v in values.items()})
    return "?" + urlencode(kept)


def _pagination(params: QueryDict, results: Results) -> list[dict[str, Any]]:
    """Links to the first, last and nearby pages; None stands for a gap."""
    if results.pages <= 1:
        return []
    shown = sorted(
        {
            1,
            results.pages,
            *range(max(1, results.page - 2), min(results.pages, results.page + 2) + 1),
        }
    )
    links: list[dict[str, Any]] = []
    for number in shown:
        if links and number > links[-1]["number"] + 1:
            links.append({"number": links[-1]["number"] + 1, "gap": True})
        links.append(
            {"number": number, "url": _with(params, side=number), "current": number == results.page}
        )
    return links
