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
# The count reads at most this many matching rows: beyond it the page says "over N" (25
# pages of 20), and asks for more words or a filter.
COUNT_ROWS = 500
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
# PostgreSQL: a query with words is ranked among this many of its newest matches in each
# audience (more when the page sought lies further down), as SQLite ranks among RANK_POOL;
# they are also what is counted. Reading them is most of a frequent query's cost: 1,000
# gave p95 55.5 ms at --scale 1, 500 gave 42.6 ms.
POOL = COUNT_ROWS
# PostgreSQL: the newest matches are found by reading the newest entries one by one while
# at least this share of them match (learnt from the first PROBE_ROWS of them); for rarer
# matches the GIN index finds them. An entry read costs 1.3 µs at --scale 1, so a pool
# at this share costs about 13 ms to read; the GIN bitmap of two frequent prefixes costs
# 25 to 40 ms whatever the share. Between 0.03 and 0.08 the p95 at --scale 1 moved within
# the run's noise (58.8, 55.8, 56.6 ms).
PROBE_ROWS = 2500
DENSE = 0.05
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
    narrowed: bool = False  # by a filter or a case number, beyond the access


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
    if query.terms and is_postgresql():
        with _through_indexes():
            return _pooled_page(query, parts, sort, page, per_page)
    # On SQLite the index ranks (and filters, by the facets) without reading the entries.
    if sort == Sort.RELEVANCE and query.terms:
        return _ranked_page(query, parts, page, per_page)
    ids: list[int] = []
    with _through_indexes():  # PostgreSQL (codes only): by the indexes, not reading rows
        total, more = _count(query, parts)
        page = max(1, min(page, math.ceil(total / per_page)))
        wanted = page * per_page
        if not total:
            return Results(query, [], 0, 1, per_page)
        if not more:  # at most COUNT_ROWS matches: all of them
            ids = _joined_first(query, parts, sort, wanted)
    if more:  # the date index read newest first is the way
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


def _pooled_page(query: Query, parts: list[_Part], sort: Sort, page: int, per_page: int) -> Results:
    """PostgreSQL, a query with words: the page from the newest matches (`_pool`), counted
    up to COUNT_ROWS as on SQLite, in the order sought. The GIN index would build a bitmap
    of every match in the archive first (40 ms for two words found in a tenth of the
    entries at --scale 1, each found in many more), where these are all a page needs."""
    pool = POOL
    while True:
        rows, beyond = _pool(query, parts, pool)
        more = beyond or len(rows) >= COUNT_ROWS
        total = len({row.doc_key for row in rows[:COUNT_ROWS]})
        if not total:
            return Results(query, [], 0, 1, per_page)
        page = max(1, min(page, math.ceil(total / per_page)))
        wanted = page * per_page
        if sort == Sort.RELEVANCE:
            rows.sort(key=_relevance_key)
        ids = _distinct(rows)
        if len(ids) >= wanted or not beyond:
            ids = ids[wanted - per_page : wanted]
            return Results(query, _entries(ids), total, page, per_page, more)
        pool *= 4


def _pool(query: Query, parts: list[_Part], pool: int) -> tuple[list[_Row], bool]:
    """PostgreSQL: the newest matches of the parts, newest first, at most `pool` of each
    part, and whether there are more. When a part has more, the others' matches older than
    its oldest are left out: the rows are then every match since a date."""
    rows: list[_Row] = []
    oldest: list[float] = []  # each full part's oldest date, as `_newest_key` orders it
    for part in parts:
        found, full = _part_pool(query, part, pool)
        found.sort(key=_newest_key)
        rows += found
        if full:
            oldest.append(_newest_key(found[-1])[0])
    rows.sort(key=_newest_key)
    if oldest:
        since = min(oldest)  # the newest of the full parts' oldest dates
        rows = [row for row in rows if _newest_key(row)[0] <= since]
    return rows, bool(oldest)


def _part_pool(query: Query, part: _Part, pool: int) -> tuple[list[_Row], bool]:
    """PostgreSQL: the `pool` newest matches of one part, and whether it has more. The
    newest entries are read one by one (`_date_scan`) as long as enough of them match;
    otherwise the GIN index finds the matches (`_newest_by_index`)."""
    # The entries holding a phrase's words have its pairs read from TOAST (10 µs an
    # entry): a phrase reads fewer entries, and its pairs' GIN index finds the rest.
    phrase = any(term.is_phrase for term in query.terms)
    probe = max(1, PROBE_ROWS // 5) if phrase else PROBE_ROWS
    rows, whole, last = _date_scan(query, part, probe, pool + 1)
    if len(rows) > pool or whole:
        return rows[:pool], len(rows) > pool
    share = len(rows) / probe
    if rows and share >= DENSE and not phrase and last is not None and last[0] is not None:
        # On from the first window's last entry, as far as `pool` matches should lie.
        window = math.ceil(1.5 * pool / share) - probe
        further, whole, _last = _date_scan(query, part, window, pool + 1 - len(rows), after=last)
        rows += further
        if len(rows) > pool or whole:
            return rows[:pool], len(rows) > pool
    rows = _newest_by_index(query, part, pool + 1, share)
    return rows[:pool], len(rows) > pool


def _date_scan(
    query: Query, part: _Part, window: int, limit: int, *, after: tuple[Any, int] | None = None
) -> tuple[list[_Row], bool, tuple[Any, int] | None]:
    """PostgreSQL: the first `limit` matches among the `window` newest entries of one
    part (older than the entry `after`, a date and an id, when given), read newest first
    by the date index, each entry's words tested in the row (`search_words`; a phrase's
    pairs and positions, stored apart, only for the entries holding its words); whether
    the window held every entry of the part left; and the window's last entry. That
    entry comes too, matching or not, to tell."""
    later = ""
    if after is not None:  # ORDER BY date DESC, id: after it, an older date or a larger id
        later = " AND e.date <= %s AND (e.date < %s OR e.id > %s)"
    inner = (
        "SELECT e.id, e.doc_key, e.date, e.audience, e.search_title, e.search_words, "  # noqa: S608
        "e.search_pairs, e.search_vector, "
        "row_number() OVER (ORDER BY e.date DESC NULLS LAST, e.id) AS n "
        f"FROM search_searchentry e WHERE {part.where}{later} "
        "ORDER BY e.date DESC NULLS LAST, e.id LIMIT %s"
    )
    found = postgresql_match(query, part.audience, table=f"({inner}) AS e", words="search_words")
    sql = (
        f"SELECT e.id, e.doc_key, {found.score} AS score, e.date, e.n, "  # noqa: S608
        f"CASE WHEN e.n = %s THEN {found.condition} ELSE true END "
        f"FROM {found.source} WHERE ({found.condition}) OR e.n = %s LIMIT %s"
    )
    keyset = [after[0], after[0], after[1]] if after is not None else []
    params = [window, *part.params, *keyset, window, *found.params, window, limit + 1]
    with _index_scans_allowed():
        fetched = _fetch(sql, params)
    rows = [_Row(*row[:4]) for row in fetched if row[5]][:limit]
    last = next(((row[3], row[0]) for row in fetched if row[4] == window), None)
    return rows, last is None and len(fetched) <= limit, last


def _newest_by_index(query: Query, part: _Part, limit: int, share: float) -> list[_Row]:
    """PostgreSQL: the `limit` newest matches of one part, found by the GIN indexes. Each
    match the index finds is a row to read, for its date; so, when the part is the
    audience's entries the user may see (no filter), only the matches among the newest
    entries are read: as many as `share` (the matches' share among the newest entries)
    says hold `limit` matches, twice over, and four times more while they do not."""
    sql, params = _select(query, part, "e.id, e.doc_key, e.date")
    window = math.ceil(2 * limit / share) if share and not part.narrowed else 0
    while True:
        since = _date_of_newest(part.audience, window) if window else None
        bounded = f"{sql} AND e.date >= %s" if since is not None else sql
        ordered = (
            f"SELECT id, doc_key, score, date FROM ({bounded}) AS hits "  # noqa: S608
            "ORDER BY date DESC NULLS LAST, id LIMIT %s"
        )
        extra = [since] if since is not None else []
        rows = [_Row(*row) for row in _fetch(ordered, [*params, *extra, limit])]
        if len(rows) >= limit or since is None:
            return rows
        window *= 4


def _date_of_newest(audience: str, count: int) -> Any:
    """PostgreSQL: the date of the `count`-th newest dated entry of `audience` (an
    index-only read of its date index), or None when there are fewer."""
    if audience not in EntryAudience.values:
        raise ValueError(audience)
    sql = (
        "SELECT date FROM search_searchentry "  # noqa: S608 (an audience's name, no user text)
        f"WHERE audience = '{audience}' AND date IS NOT NULL "
        "ORDER BY date DESC NULLS LAST, id OFFSET %s LIMIT 1"
    )
    with _index_scans_allowed():
        found = _fetch(sql, [count - 1])
    return found[0][0] if found else None


def _parts(user: Any, query: Query, filters: Filters) -> list[_Part]:
    where, params = _conditions(query, filters)
    facets = _facets(filters)
    return [
        _Part(
            audience,
            f"{access} AND {where}" if where else access,
            [*access_params, *params],
            facets,
            narrowed=bool(where),
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
    b-tree index in order, or one as a list of all rows) and testing each row's large
    vector, unless a statement allows index scans again (`_index_scans_allowed`, for the
    bounded reads of `_date_scan`, which test the small `search_words`). The planner counts
    the test of a vector as cheap and so read rows until the LIMIT when a word was frequent,
    but each test read the row's TOASTed vector ('havn': 21,260 buffers for 1,000
    matches). So: no scan of the table, no index read in order, and an operator's cost a
    hundred times the default, which makes testing every row of a b-tree's bitmap cost
    what it does. No JIT: a plan's cost then counts as huge, and compiling it took 340 ms
    of a 350 ms count. Memory for a prefix's bitmap: with the default 4 MB the bitmap of
    a prefix found in many entries (the GIN index ORs every word starting with it) became
    lossy, and every match was then tested against its TOASTed vector (5.4 buffers a
    match, 19,506 for 3,607 of "kørekort pasens"). The settings are made in a transaction
    (a savepoint inside one) that is rolled back afterwards: the statements only read, and
    the settings go with it. No parallel workers: starting them cost more than the
    few milliseconds they share, and the server's other searches want the cores."""
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
        ("work_mem", "32MB"),
        ("max_parallel_workers_per_gather", "0"),
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


def _newest_key(row: _Row) -> tuple[float, int]:
    # PostgreSQL's rows: date DESC NULLS LAST, id.
    return (-row.date.toordinal() if row.date else math.inf, row.id)


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
