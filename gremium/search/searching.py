"""Search the index for a user, through the access layer.

Everyone searches the public entries of the meetings the public sees (and the committees
and people). An insider of a meeting (`access.insider_meetings`: its secretaries, the
members of its period, the administrator) searches that meeting's internal entries
instead of its public ones. An internal entry is never returned for a meeting outside the
user's insider meetings, and a public entry only while its meeting is public: the check
runs in the query itself, on every search.

One result stands for one item, attachment, committee or person: the parts of a long
attachment are grouped, and the best part gives the snippet. Sorting is by relevance (the
database's rank: FTS5's bm25 for words found in few entries, else a query word in the title
and then the date; PostgreSQL's ts_rank of the title; so the order may differ between the
two while the hits are the same) or by date, newest first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import math
from collections.abc import Iterator
from enum import StrEnum
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import QuerySet

from gremium.meetings.access import insider_meetings, public_meetings_q
from gremium.meetings.models import Meeting
from gremium.search.backends import (
    Facets,
    code_match,
    is_postgresql,
    match,
    postgresql_match,
    sqlite_ranked,
    sqlite_term_matches,
)
from gremium.search.models import EntryAudience, EntryKind, SearchEntry
from gremium.search.query import Query
from gremium.search.snippets import titled

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
    more: bool = False  # more results than `total`, which was counted up to a cap

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


ORDER = {
    Sort.RELEVANCE: "score DESC, date DESC NULLS LAST, id",
    Sort.DATE: "date DESC NULLS LAST, score DESC, id",
}
# The count reads at most this many matching rows: beyond it the page says "over N".
COUNT_ROWS = 1000
# The first page's results are picked from this many candidates (more when the results
# sought lie further down, or when the candidates hold too few distinct results).
CANDIDATES = 100
# On SQLite, a word found in more entries than this is ranked among the newest of them
# (and counted among them when they hold COUNT_ROWS visible matches).
RANK_POOL = 2000
# On SQLite, bm25 ranks the matches only when each term of the query is found in fewer
# entries than this (of an audience): it reads every entry of each word to weigh it,
# whatever the limit. Otherwise a match with a query word in its title comes first, then
# the newest, as on PostgreSQL.
BM25_MAX = 500
# PostgreSQL: the newest matches of a frequent word are first looked for among this many
# times as many of the newest entries as are wanted (`_newest_untitled`).
WINDOW = 16
# A period of more years than this is not narrowed by the years' facet words.
MAX_YEARS = 30


@dataclasses.dataclass(frozen=True)
class _Part:
    """The entries of one audience the user may see: which index to read, and the
    conditions (access and filters) on the entry `e`."""

    audience: str
    where: str
    params: list[Any]
    facets: Facets = ()  # the filters as the index's facet words (SQLite)


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
    filters = filters or Filters()
    parts = _parts(user, query, filters)
    # On SQLite the index ranks (and filters, by the facets) without reading the entries;
    # PostgreSQL reads every match's row to find it anyway, and filters there as cheaply.
    if sort == Sort.RELEVANCE and query.terms and not is_postgresql():
        return _ranked_page(query, parts, page, per_page)
    ids: list[int] = []
    with _through_indexes():  # PostgreSQL: by the GIN indexes, not reading rows' vectors
        total, more = _count(query, parts)
        page = max(1, min(page, math.ceil(total / per_page)))
        wanted = page * per_page
        if not total:
            return Results(query, [], 0, 1, per_page)
        if more and sort == Sort.RELEVANCE and query.terms:  # PostgreSQL, a frequent word
            ids = _titled_first(query, parts, wanted)
        elif not more:  # at most COUNT_ROWS matches: all of them
            ids = _joined_first(query, parts, sort, wanted)
    if more and not ids:  # by date: the date index read newest first is the way
        ids = _joined_first(query, parts, sort, wanted)
    ids = ids[wanted - per_page : wanted]
    return Results(query, _entries(ids), total, page, per_page, more)


def _ranked_page(query: Query, parts: list[_Part], page: int, per_page: int) -> Results:
    """SQLite, by relevance: the count and the page from one reading of the index (each
    reading of a word found almost everywhere, or of a prefix, costs as much as the rest
    of the search). The pool of newest matches that is ranked is counted too; only when
    it holds too few visible matches for the count is the index read again to count."""
    pool = RANK_POOL
    weighed = _few(query, parts)
    while True:
        rows, complete = _ranked_pool(query, parts, pool, weighed=weighed)
        visible = [row for row in rows if row.visible]
        if len(visible) >= COUNT_ROWS:
            total, more = len({row.doc_key for row in visible[:COUNT_ROWS]}), True
        elif complete:
            total, more = len({row.doc_key for row in visible}), False
        else:
            total, more = _count(query, parts)
        if not total:
            return Results(query, [], 0, 1, per_page)
        page = min(page, math.ceil(total / per_page))
        wanted = page * per_page
        _sort_by_relevance(visible)
        ids = _distinct(visible)
        if len(ids) >= wanted or complete:
            ids = ids[wanted - per_page : wanted]
            return Results(query, _entries(ids), total, page, per_page, more)
        pool *= 4


def _parts(user: Any, query: Query, filters: Filters) -> list[_Part]:
    where, params = _conditions(query, filters)
    facets = _facets(filters)
    return [
        _Part(
            audience,
            f"{access} AND {where}" if where else access,
            [*access_params, *params],
            facets,
        )
        for audience, access, access_params in _access(user)
    ]


def _facets(filters: Filters) -> Facets:
    """The filters as facet words (`backends.facet_terms`). They only narrow what the
    conditions then check exactly: a period by its years, when it has both ends."""
    groups: list[tuple[str, ...]] = []
    if filters.organization_id is not None:
        groups.append((f"o{filters.organization_id}",))
    if filters.kind:
        groups.append((f"k{filters.kind}",))
    start, end = filters.date_from, filters.date_to
    if start is not None and end is not None and 0 <= end.year - start.year < MAX_YEARS:
        groups.append(tuple(f"y{year}" for year in range(start.year, end.year + 1)))
    return tuple(groups)


def _select(
    query: Query, part: _Part, columns: str, *, ranked: bool = True
) -> tuple[str, list[Any]]:
    """SELECT `columns` (of `e`, and `score`) of the matches of one part."""
    if query.terms:
        found = match(query, part.audience, ranked=ranked, facets=part.facets)
    else:  # Codes only: the first code picks the candidates, the others filter them.
        found = code_match(query.codes[0])
    sql = (
        f"SELECT {columns}, {found.score} AS score FROM {found.source} "  # noqa: S608
        f"WHERE {found.condition} AND {part.where}"
    )
    return sql, [*found.params, *part.params]


def _count(query: Query, parts: list[_Part]) -> tuple[int, bool]:
    """The number of results among the first COUNT_ROWS matching entries, and whether
    there are more (the count is then a lower bound): counting every match of a frequent
    word would cost as much as ranking them all."""
    selects, params = [], []
    for part in parts:
        sql, part_params = _select(query, part, "e.doc_key", ranked=False)
        selects.append(sql)
        params += part_params
    sql = (
        "SELECT COUNT(DISTINCT doc_key), COUNT(*) FROM ("  # noqa: S608 (no user text)
        + " UNION ALL ".join(selects)
        + " LIMIT %s) AS found"
    )
    distinct, rows = _fetch(sql, [*params, COUNT_ROWS])[0]
    return distinct, rows >= COUNT_ROWS


@contextlib.contextmanager
def _through_indexes() -> Iterator[None]:
    """PostgreSQL: the statements inside find the matches by the GIN indexes (a bitmap,
    which for words and pairs needs no row's vector), not by reading rows (the table, a
    b-tree index in order, or one as a list of all rows) and testing each row's vector;
    an index-only scan (the date index for `_date_of_newest`) stays allowed. The planner
    counts that test as cheap and so reads rows until the LIMIT when a word is frequent,
    but each test reads the row's large TOASTed vector ('havn': 21,260 buffers for 1,000
    matches). So: no scan of the table, no index read in order, and an operator's cost a
    hundred times the default, which makes testing every row of a b-tree's bitmap cost
    what it does. No JIT: a plan's cost then counts as huge, and compiling it took 340 ms
    of a 350 ms count. The settings are made in a transaction (a savepoint inside one)
    that is rolled back afterwards: the statements only read, and the settings go with it."""
    if not is_postgresql():
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_SETTINGS)
        yield
        transaction.set_rollback(True)


# SET LOCAL of each, in one statement.
_SETTINGS = "SELECT " + ", ".join(
    f"set_config('{name}', '{value}', true)"
    for name, value in (
        ("enable_seqscan", "off"),
        ("enable_indexscan", "off"),
        ("cpu_operator_cost", "0.25"),
        ("jit", "off"),
    )
)


class _Row(NamedTuple):  # a tuple: the pool builds thousands of them per search
    id: int
    doc_key: str
    score: float
    date: Any
    visible: bool = True


def _distinct(rows: list[_Row]) -> list[int]:
    """One id per result, the best part of each (rows come in the order shown)."""
    seen: set[str] = set()
    ids = []
    for row in rows:
        if row.doc_key not in seen:
            seen.add(row.doc_key)
            ids.append(row.id)
    return ids


def _joined_first(query: Query, parts: list[_Part], sort: Sort, wanted: int) -> list[int]:
    """The first `wanted` results: every visible match scored, sorted, cut at a limit that
    grows until it holds `wanted` distinct results (the parts of a long attachment are
    one result) or every match."""
    selects, params = [], []
    for part in parts:
        sql, part_params = _select(query, part, "e.id, e.doc_key, e.date")
        selects.append(sql)
        params += part_params
    sql = (
        "SELECT id, doc_key, score, date FROM ("  # noqa: S608 (no user text)
        + " UNION ALL ".join(selects)
        + f") AS hits ORDER BY {ORDER[sort]} LIMIT %s"
    )
    limit = max(CANDIDATES, 2 * wanted)
    while True:
        rows = [_Row(*row) for row in _fetch(sql, [*params, limit])]
        ids = _distinct(rows)
        if len(ids) >= wanted or len(rows) < limit:
            return ids
        limit *= 4


def _titled_first(query: Query, parts: list[_Part], wanted: int) -> list[int]:
    """PostgreSQL, by relevance, for a query with more matches than are counted: as
    `_joined_first`, but only the matches with a query word in their title are scored
    (ts_rank of the title: it is 0 for every other match, whose order is then the date's).
    Of the others only the newest are read (`_newest_untitled`), not every match's row."""
    limit = max(CANDIDATES, 2 * wanted)
    while True:
        rows = _titled(query, parts, limit)
        for part in parts:
            rows += _newest_untitled(query, part, limit)
        rows.sort(key=_relevance_key)
        rows = rows[:limit]
        ids = _distinct(rows)
        if len(ids) >= wanted or len(rows) < limit:
            return ids
        limit *= 4


def _titled(query: Query, parts: list[_Part], limit: int) -> list[_Row]:
    """The best `limit` matches with a query word in their title, by the title's index."""
    selects, params = [], []
    for part in parts:
        found = postgresql_match(query, part.audience, titled=True)
        selects.append(
            f"SELECT e.id, e.doc_key, {found.score} AS score, e.date "  # noqa: S608
            f"FROM {found.source} WHERE {found.condition} AND {part.where}"
        )
        params += [*found.params, *part.params]
    sql = (
        "SELECT id, doc_key, score, date FROM ("  # noqa: S608 (no user text)
        + " UNION ALL ".join(selects)
        + f") AS hits ORDER BY {ORDER[Sort.RELEVANCE]} LIMIT %s"
    )
    return [_Row(*row) for row in _fetch(sql, [*params, limit])]


def _newest_untitled(query: Query, part: _Part, limit: int) -> list[_Row]:
    """The `limit` newest matches of one part without a query word in their title. They
    are looked for among the newest entries, a window that grows until it holds enough
    (or is every entry): the matches in it are found by the indexes (GIN and date), so the
    cost follows the window and the limit, not the number of matches. Reading the date
    index newest first and testing each entry's vector until the limit read the large
    vector of every entry passed (2,820 for a pair in 3 % of the entries)."""
    found = postgresql_match(query, part.audience, titled=False)
    sql = (
        f"SELECT e.id, e.doc_key, {found.score} AS score, e.date "  # noqa: S608
        f"FROM {found.source} WHERE {found.condition} AND {part.where}"
    )
    window = WINDOW * limit
    while True:
        since = _date_of_newest(part.audience, window)
        bounded = sql + (" AND e.date >= %s" if since is not None else "")
        bounded += " ORDER BY e.date DESC NULLS LAST, e.id LIMIT %s"
        params = [*found.params, *part.params, *([since] if since is not None else []), limit]
        if window == WINDOW * limit:
            # The first window: its entries read newest first by the date index, each
            # tested, at most WINDOW × limit of them (5 ms at --scale 1), instead of the
            # GIN bitmap of every match in the archive (136 ms for two frequent words).
            with _index_scans_allowed():
                rows = [_Row(*row) for row in _fetch(bounded, params)]
        else:  # a wider window, for rarer matches: by the GIN bitmap
            rows = [_Row(*row) for row in _fetch(bounded, params)]
        if len(rows) >= limit or since is None:
            return rows
        window *= 4


@contextlib.contextmanager
def _index_scans_allowed() -> Iterator[None]:
    """Index scans allowed again inside `_through_indexes` (PostgreSQL), for one bounded
    read of a b-tree in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_indexscan'), set_config('enable_indexscan', 'on', true)"
        )
        before = cursor.fetchone()[0]
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_indexscan', %s, true)", [before])


def _date_of_newest(audience: str, count: int) -> Any:
    """The date of the `count`-th newest dated entry of `audience` (by its date index), or
    None when there are fewer."""
    if audience not in EntryAudience.values:
        raise ValueError(audience)
    sql = (
        "SELECT date FROM search_searchentry "  # noqa: S608 (an audience's name, no user text)
        f"WHERE audience = '{audience}' AND date IS NOT NULL "
        "ORDER BY date DESC NULLS LAST, id OFFSET %s LIMIT 1"
    )
    # An index-only scan of the date index, which needs index scans allowed: inside
    # `_through_indexes` they are not, and the bitmap it then read cost 60 to 120 ms.
    with _index_scans_allowed(), connection.cursor() as cursor:
        cursor.execute(sql, [count - 1])
        found = cursor.fetchone()
    return found[0] if found else None


def _few(query: Query, parts: list[_Part]) -> bool:
    """SQLite: whether each term of the query is found in fewer than BM25_MAX entries of
    every audience searched, learnt by reading at most that many of each."""
    for part in parts:
        for sql, params in sqlite_term_matches(query, part.audience):
            counted = f"SELECT COUNT(*) FROM ({sql} LIMIT %s) AS found"  # noqa: S608
            if _fetch(counted, [*params, BM25_MAX])[0][0] >= BM25_MAX:
                return False
    return True


def _ranked_pool(
    query: Query, parts: list[_Part], pool: int, *, weighed: bool
) -> tuple[list[_Row], bool]:
    """The `pool` newest matches of each audience (the entries indexed last), scored, each
    with whether the user may see it, and whether they are all the matches there are.
    Their order is the index's. Scored by bm25 when `weighed` (few matches: `_few`), else
    by whether a query word is in the title."""
    rows: list[_Row] = []
    complete = True
    for part in parts:
        found = (_weighed_part if weighed else _titled_part)(query, part, pool)
        complete = complete and len(found) < pool
        rows += found
    return rows, complete


def _weighed_part(query: Query, part: _Part, pool: int) -> list[_Row]:
    """The `pool` newest matches of one audience with their bm25 scores. Its words are
    found in few entries, so the facets are left out: bm25 would read every entry of a
    facet word to weigh it too, and the conditions check the filters anyway."""
    ranked, ranked_params = sqlite_ranked(query, part.audience)
    return [
        _Row(id_, key, score, date, bool(visible))
        for id_, key, score, date, visible, _title in _pool_rows(part, ranked, ranked_params, pool)
    ]


def _titled_part(query: Query, part: _Part, pool: int) -> list[_Row]:
    """The `pool` newest matches of one audience, scored 1 when a query word is in the
    title (`titled`), else 0."""
    found, found_params = sqlite_ranked(query, part.audience, ranked=False, facets=part.facets)
    in_title = titled(query)
    return [
        _Row(id_, key, float(in_title(title or "")), date, bool(visible))
        for id_, key, _score, date, visible, title in _pool_rows(part, found, found_params, pool)
    ]


def _pool_rows(
    part: _Part, found: str, found_params: list[str], pool: int
) -> list[tuple[Any, ...]]:
    sql = (
        # The date as text: ISO dates sort as the dates do, and need no parsing.
        "SELECT m.entry_id, e.doc_key, m.score, CAST(e.date AS TEXT), "  # noqa: S608
        f"CASE WHEN {part.where} THEN 1 ELSE 0 END, e.title FROM ("
        f"{found} ORDER BY rowid DESC LIMIT %s"
        ") AS m LEFT JOIN search_searchentry e ON e.id = m.entry_id"
    )
    return _fetch(sql, [*part.params, *found_params, pool])


def _relevance_key(row: _Row) -> tuple[float, float, int]:
    # PostgreSQL's rows (dates as dates): ORDER[Sort.RELEVANCE], score DESC, date DESC (a
    # dated entry first), id.
    return (-row.score, -row.date.toordinal() if row.date else 0.0, row.id or 0)


def _sort_by_relevance(rows: list[_Row]) -> None:
    """ORDER[Sort.RELEVANCE]: score DESC, date DESC (a dated entry first), id; in three
    stable sorts, as the pool's dates are ISO text ("" for none)."""
    rows.sort(key=lambda row: row.id)
    rows.sort(key=lambda row: row.date or "", reverse=True)
    rows.sort(key=lambda row: row.score, reverse=True)


def _conditions(query: Query, filters: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
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


def _access(user: Any) -> list[tuple[str, str, list[Any]]]:
    """Per audience, the entries the user may see: public entries of public meetings (and
    of no meeting), except for the meetings the user is an insider of, whose internal
    entries stand in their place."""
    public_sql, public_params = _ids(Meeting.objects.filter(public_meetings_q()))
    public = f"e.audience = %s AND (e.meeting_id IS NULL OR e.meeting_id IN ({public_sql}))"
    params: list[Any] = [EntryAudience.PUBLIC.value, *public_params]
    insiders = insider_meetings(user)
    if not insiders.exists():
        return [(EntryAudience.PUBLIC.value, f"({public})", params)]
    inside_sql, inside_params = _ids(insiders)
    public += f" AND (e.meeting_id IS NULL OR e.meeting_id NOT IN ({inside_sql}))"
    internal = f"(e.audience = %s AND e.meeting_id IN ({inside_sql}))"
    return [
        (EntryAudience.PUBLIC.value, f"({public})", [*params, *inside_params]),
        (EntryAudience.INTERNAL.value, internal, [EntryAudience.INTERNAL.value, *inside_params]),
    ]


def _ids(meetings: QuerySet[Meeting]) -> tuple[str, tuple[Any, ...]]:
    sql, params = meetings.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _entries(ids: list[int]) -> list[SearchEntry]:
    rows = SearchEntry.objects.select_related("meeting__organization", "organization")
    found = rows.defer("title_terms", "body_terms", "pair_terms").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
