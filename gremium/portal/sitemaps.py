"""sitemap.xml for search engines: the public pages and when each last changed.

`SECTIONS` is the registry: each public kind of page is one line,
`"name": pages(queryset_function, "portal:url-name", "url argument field")`. Everything
listed must be public to everyone: the sitemap is one document for all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Model, QuerySet
from django.urls import reverse

from gremium.meetings.public_lists import public_meetings
from gremium.organizations.models import Body, Organization
from gremium.organizations.selectors import portal_bodies, several_bodies


def pages(
    objects: Callable[[], QuerySet[Any]],
    url_name: str,
    argument: str = "pk",
    lastmod: str | None = "modified",
) -> type[Sitemap]:  # type: ignore[type-arg]
    """A sitemap section: every object of `objects()` at `url_name`, addressed by its
    field `argument`, last changed at its field `lastmod`."""

    class Section(Sitemap):  # type: ignore[type-arg]
        def items(self) -> QuerySet[Any]:
            fields = {"pk", argument} | ({lastmod} if lastmod else set())
            return objects().order_by("pk").only(*fields)

        def location(self, item: Model) -> str:
            return reverse(url_name, args=[getattr(item, argument)])

        def lastmod(self, item: Model) -> dt.datetime | None:
            return getattr(item, lastmod) if lastmod else None

    return Section


def _bodies_with_pages() -> QuerySet[Body]:
    return portal_bodies() if several_bodies() else Body.objects.none()


SECTIONS: dict[str, type[Sitemap] | Sitemap] = {  # type: ignore[type-arg]
    "moeder": pages(public_meetings, "portal:meeting"),
    # Every committee's page is public (its members and public meetings).
    "udvalg": pages(Organization.objects.all, "portal:committee", "slug"),
    # Each body's front page, when the deployment holds several (with one it repeats "/").
    "kommuner": pages(_bodies_with_pages, "portal:body", "slug"),
}
