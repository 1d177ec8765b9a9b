"""OParl's external lists: pages of `data` with `pagination` and `links`, in a stable order
(by id), narrowed by created_since/created_until/modified_since/modified_until, which every
link carries on, and with the deleted and depublished objects as stubs when the client
asks for changes (`modified_since`, spec 2.5 and 2.8)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from gremium.oparl import objects
from gremium.oparl.context import Context
from gremium.oparl.kinds import KINDS
from gremium.oparl.models import Tombstone

PAGE_SIZE = 100
DATE_FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class BadParameter(ValueError):
    """A query parameter the API cannot use; the message says which and why, in Danish."""


@dataclass
class ListQuery:
    dates: dict[str, dt.datetime] = field(default_factory=dict)
    limit: int = PAGE_SIZE
    page: int = 1
    omit_internal: bool = False
    # The client's parameters as given, carried into every link but `page`.
    carried: dict[str, str] = field(default_factory=dict)


def parse(params: QueryDict) -> ListQuery:
    given = {name: str(params.get(name, "")) for name in params}
    query = ListQuery()
    for name in DATE_FILTERS:
        if given.get(name):
            # An unencoded "+" of the offset arrives as a space; the links encode it.
            text = given[name].strip().replace(" ", "+")
            query.dates[name] = _moment(name, text)
            query.carried[name] = text
    if given.get("limit"):
        query.limit = min(_positive("limit", given["limit"]), PAGE_SIZE)
        query.carried["limit"] = given["limit"]
    if given.get("page"):
        query.page = _positive("page", given["page"])
    if given.get("omit_internal"):
        query.omit_internal = given["omit_internal"].lower() not in ("false", "0", "no")
        query.carried["omit_internal"] = given["omit_internal"]
    return query


def _moment(name: str, value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadParameter(
            _(
                "Parameteren %(name)s skal være et tidspunkt som 2026-01-01T00:00:00+01:00, "
                "ikke »%(value)s«."
            )
            % {"name": name, "value": value}
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _positive(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise BadParameter(
            _("Parameteren %(name)s skal være et helt tal større end 0, ikke »%(value)s«.")
            % {"name": name, "value": value}
        )
    return number


def _date_filter(query: ListQuery, created: str, modified: str) -> Q:
    lookups = {
        "created_since": f"{created}__gte",
        "created_until": f"{created}__lte",
        "modified_since": f"{modified}__gte",
        "modified_until": f"{modified}__lte",
    }
    return Q(**{lookups[name]: moment for name, moment in query.dates.items()})


def _live_ids(kind: str, scope: dict[str, int], query: ListQuery) -> list[int]:
    rows = KINDS[kind].annotated().filter(**_scope(kind, scope))
    rows = rows.filter(_date_filter(query, "oparl_created", "oparl_modified"))
    return list(rows.order_by("pk").values_list("pk", flat=True))


def _scope(kind: str, scope: dict[str, int]) -> dict[str, int]:
    paths = {"body": KINDS[kind].body, "organization": KINDS[kind].organization}
    return {paths[name]: value for name, value in scope.items()}


def _tombstones(kind: str, scope: dict[str, int], query: ListQuery) -> QuerySet[Tombstone]:
    """Removed objects of the list, when the client asks for changes: never otherwise."""
    if "modified_since" not in query.dates:
        return Tombstone.objects.none()
    scoped = {f"{name}_id": value for name, value in scope.items()}
    return (
        Tombstone.objects.filter(kind=kind, **scoped)
        .filter(_date_filter(query, "created", "deleted_at"))
        # An object shown again (an item opened again) is listed as itself.
        .exclude(object_id__in=KINDS[kind].objects().values("pk"))
    )


def list_page(
    request: HttpRequest,
    ctx: Context,
    query: ListQuery,
    kinds: tuple[str, ...],
    scope: dict[str, int],
) -> dict[str, Any] | None:
    """One page of the list of `kinds` within `scope` ({"body": id} or
    {"organization": id}); None when the page does not exist."""
    entries: list[tuple[int, int, Tombstone | None]] = []
    for rank, kind in enumerate(kinds):
        entries += [(rank, pk, None) for pk in _live_ids(kind, scope, query)]
        entries += [(rank, t.object_id, t) for t in _tombstones(kind, scope, query)]
    entries.sort(key=lambda entry: entry[:2])
    total = len(entries)
    pages = max(1, -(-total // query.limit))
    if query.page > pages:
        return None
    shown = entries[(query.page - 1) * query.limit : query.page * query.limit]
    return {
        "data": _data(ctx, kinds, shown),
        "pagination": {
            "totalElements": total,
            "elementsPerPage": query.limit,
            "currentPage": query.page,
            "totalPages": pages,
        },
        "links": _links(request, ctx, query, pages),
    }


def _data(
    ctx: Context, kinds: tuple[str, ...], shown: list[tuple[int, int, Tombstone | None]]
) -> list[dict[str, Any]]:
    built: dict[tuple[int, int], dict[str, Any]] = {}
    for rank, kind in enumerate(kinds):
        ids = [pk for r, pk, tombstone in shown if r == rank and tombstone is None]
        if ids:
            rows = objects.rows_for_output(kind, KINDS[kind].annotated().filter(pk__in=ids))
            rows = rows.order_by("pk")
            built.update({(rank, row.pk): data for row, data in _paired(ctx, kind, rows)})
    return [
        objects.stub(ctx, tombstone) if tombstone is not None else built[(rank, pk)]
        for rank, pk, tombstone in shown
        if tombstone is not None or (rank, pk) in built
    ]


def _paired(ctx: Context, kind: str, rows: QuerySet[Any]) -> list[tuple[Any, dict[str, Any]]]:
    listed = list(rows)
    return list(zip(listed, objects.build(ctx, kind, listed), strict=True))


def _links(request: HttpRequest, ctx: Context, query: ListQuery, pages: int) -> dict[str, str]:
    def page_url(number: int) -> str:
        params = {**query.carried, "page": str(number)} if number > 1 else query.carried
        suffix = f"?{urlencode(params)}" if params else ""
        return f"{ctx.base}{request.path}{suffix}"

    links = {"first": page_url(1), "self": page_url(query.page), "last": page_url(pages)}
    if query.page > 1:
        links["prev"] = page_url(query.page - 1)
    if query.page < pages:
        links["next"] = page_url(query.page + 1)
    return links
