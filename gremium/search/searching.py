"""Search the index for a user, through the access layer.

Everyone searches the public entries of the meetings the public sees (and the committees
and people). An insider of a meeting (`access.insider_meetings`: its secretaries, the
members of its period, the administrator) searches that meeting's internal entries
instead of its public ones. An internal entry is never returned for a meeting outside the
user's insider meetings, and a public entry only while its meeting is public: the check
runs in the query itself, on every search.

One result stands for one item, attachment, committee or person: the parts of a long
attachment are grouped, and the best part gives the snippet. Sorting is by relevance (the
database's rank: FTS5's bm25, PostgreSQL's ts_rank of the title, so the order may differ between the
two while the hits are the same) or by date, newest first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from gremium.meetings.access import insider_meetings, public_meetings_q
from gremium.meetings.models import Meeting
from gremium.search.backends import match_sql
from gremium.search.models import EntryAudience, EntryKind, SearchEntry
from gremium.search.query import Query

PER_PAGE = 20


class Sort(StrEnum):
    RELEVANCE = "relevans"
    DATE = "dato"


@dataclasses.dataclass(frozen=True)
class Filters:
    organization_id: int | None = None
    body_id: int | None = None
    kind: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def active(self) -> bool:
        return any(dataclasses.astuple(self))


@dataclasses.dataclass(frozen=True)
class Results:
    query: Query
    entries: list[SearchEntry]
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


ORDER = {
    Sort.RELEVANCE: "score DESC, date DESC, id",
    Sort.DATE: "date DESC NULLS LAST, score DESC, id",
}


def search(
    user: Any,
    query: Query,
    *,
    filters: Filters | None = None,
    sort: Sort = Sort.RELEVANCE,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Results:
    """The page `page` of the results the user may see; a page past the end gives the
    last page."""
    if query.empty:
        return Results(query, [], 0, 1, per_page)
    sql, params = _hits_sql(user, query, filters or Filters(), sort)
    rows = _fetch(sql, [*params, per_page, (page - 1) * per_page])
    if not rows and page > 1:
        first = _fetch(sql, [*params, 1, 0])  # carries the total
        last = math.ceil(first[0][1] / per_page) if first else 1
        return search(user, query, filters=filters, sort=sort, page=last, per_page=per_page)
    total = rows[0][1] if rows else 0
    return Results(query, _entries([row[0] for row in rows]), total, page, per_page)


def _hits_sql(user: Any, query: Query, filters: Filters, sort: Sort) -> tuple[str, list[Any]]:
    """The ranked hits, one per result, each with the total count (a window over all)."""
    source, params = _source(query)
    where, where_params = _conditions(user, query, filters)
    sql = f"""
        WITH hits AS (
            SELECT e.id, e.date, m.score,
                ROW_NUMBER() OVER (PARTITION BY e.doc_key ORDER BY m.score DESC, e.id) AS n
            FROM ({source}) AS m JOIN search_searchentry e ON e.id = m.entry_id
            WHERE {where}
        )
        SELECT id, COUNT(*) OVER () AS total FROM hits WHERE n = 1
        ORDER BY {ORDER[sort]} LIMIT %s OFFSET %s"""  # noqa: S608 (no user text: parameters)
    return sql, [*params, *where_params]


def _source(query: Query) -> tuple[str, list[Any]]:
    if query.terms:
        return match_sql(query)
    # Codes only: the first code picks the candidates, the others filter them.
    return "SELECT entry_id, 0.0 AS score FROM search_searchcode WHERE code = %s", [query.codes[0]]


def _conditions(user: Any, query: Query, filters: Filters) -> tuple[str, list[Any]]:
    clauses, params = _access(user)
    for code in query.codes:
        clauses.append("e.id IN (SELECT entry_id FROM search_searchcode WHERE code = %s)")
        params.append(code)
    if filters.organization_id is not None:
        clauses.append("e.organization_id = %s")
        params.append(filters.organization_id)
    if filters.body_id is not None:
        clauses.append(_IN_BODY_SQL)
        params += [filters.body_id, EntryKind.PERSON.value, filters.body_id]
    if filters.kind:
        clauses.append("e.kind = %s")
        params.append(filters.kind)
    if filters.date_from is not None:
        clauses.append("e.date >= %s")
        params.append(connection.ops.adapt_datefield_value(filters.date_from))
    if filters.date_to is not None:
        clauses.append("e.date <= %s")
        params.append(connection.ops.adapt_datefield_value(filters.date_to))
    return " AND ".join(f"({c})" for c in clauses), params


# A body's entries: its meetings' items and attachments and its committees (all carry the
# organization), and its people (a person's entry carries the person as object_id).
_IN_BODY_SQL = (
    "e.organization_id IN (SELECT id FROM organizations_organization WHERE body_id = %s)"
    " OR (e.kind = %s AND e.object_id IN"
    " (SELECT id FROM organizations_person WHERE body_id = %s))"
)


def _access(user: Any) -> tuple[list[str], list[Any]]:
    """Public entries of public meetings (and of no meeting), except for the meetings the
    user is an insider of, whose internal entries stand in their place."""
    public_sql, public_params = _ids(Meeting.objects.filter(public_meetings_q()))
    insiders = insider_meetings(user)
    public = f"e.audience = %s AND (e.meeting_id IS NULL OR e.meeting_id IN ({public_sql}))"
    params: list[Any] = [EntryAudience.PUBLIC.value, *public_params]
    if not insiders.exists():
        return [public], params
    inside_sql, inside_params = _ids(insiders)
    clause = (
        f"({public} AND (e.meeting_id IS NULL OR e.meeting_id NOT IN ({inside_sql})))"
        f" OR (e.audience = %s AND e.meeting_id IN ({inside_sql}))"
    )
    params += [*inside_params, EntryAudience.INTERNAL.value, *inside_params]
    return [clause], params


def _ids(meetings: QuerySet[Meeting]) -> tuple[str, tuple[Any, ...]]:
    sql, params = meetings.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _entries(ids: list[int]) -> list[SearchEntry]:
    rows = SearchEntry.objects.select_related("meeting__organization", "organization")
    found = rows.defer("title_terms", "body_terms").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
