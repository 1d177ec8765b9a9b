"""The two full-text engines behind one interface: what an entry's terms columns hold, and
the SQL that finds the entries matching a query, with a score (higher is better).

SQLite (FTS5) gets stems made in Python; PostgreSQL gets the words and stems them itself
in its `danish` configuration (migration 0002). Query syntax is written here from the
query's words, each quoted, and passed as one bound parameter: no user text is ever part
of the SQL, and none can act as FTS5 or tsquery syntax.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

from gremium.search import words as w
from gremium.search.models import EntryAudience
from gremium.search.query import Query, is_prefix, match_stem, operand

# One index per audience (migration 0003). SQLite: bm25, a title word counting ten times a
# body word. PostgreSQL: the rank of the title plus a small share of the match itself (every
# match counts, one in the title more): ts_rank over the body would read every match's large
# vector. The audience is one of EntryAudience's values, never user text.
SQLITE_MATCH = (
    "SELECT rowid AS entry_id, {score} AS score "
    "FROM search_fts_{audience} WHERE search_fts_{audience} MATCH %s"
)
SQLITE_SCORE = "-bm25(search_fts_{audience}, 10.0, 1.0, 0.0)"
POSTGRESQL_SCORE = "ts_rank(e.search_title, q) + 0.01"
AUDIENCES = frozenset(a.value for a in EntryAudience)
# Groups of facet words (`facet_terms`): an entry has one word of every group.
Facets = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Match:
    """The entries `e` of one audience that match a query, as SQL: `source` goes after
    FROM (with its one parameter, the query), `condition` after WHERE, `score` is the
    score's expression (higher is better; 0 when not ranked)."""

    source: str
    condition: str
    score: str
    params: list[str]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def facet_terms(organization_id: int | None, date: Any, kind: str) -> str:
    """An entry's filters as words: "o12 y2016 kitem" (committee, year, kind)."""
    words = [f"k{kind}"]
    if organization_id is not None:
        words.append(f"o{organization_id}")
    if date is not None:
        words.append(f"y{date.year}")
    return " ".join(words)


def index_terms(text: str) -> str:
    """What the terms column of an entry holds for `text` on this database."""
    return _terms(text, stemmed=not is_postgresql())


@functools.lru_cache(maxsize=1024)  # a meeting's public and internal entries: mostly alike
def _terms(text: str, *, stemmed: bool) -> str:
    if stemmed:
        return w.stemmed_terms(text)
    return " ".join(w.words(text))


def match(query: Query, audience: str, *, ranked: bool = True, facets: Facets = ()) -> Match:
    """The entries of `audience` whose words match every term; without `ranked`, no
    score is computed (for counting). PostgreSQL filters the entry table by its own
    vector; SQLite reads the audience's FTS5 table and joins the entries."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    if is_postgresql():
        return Match(
            source="search_searchentry e CROSS JOIN to_tsquery('danish', %s) AS q",
            condition=f"e.audience = '{audience}' AND e.search_vector @@ q",
            score=POSTGRESQL_SCORE if ranked else "0.0",
            params=[tsquery(query)],
        )
    sql, params = sqlite_ranked(query, audience, ranked=ranked, facets=facets)
    # CROSS JOIN keeps this order: SQLite would otherwise start from the entries when a
    # filter has an index (the committee) and run the MATCH again for each of them.
    return Match(
        source=f"({sql}) AS m CROSS JOIN search_searchentry e",
        condition="e.id = m.entry_id",
        score="m.score",
        params=params,
    )


def code_match(code: str) -> Match:
    """The entries holding a code (a case number), on either database."""
    # CROSS JOIN: SQLite starts from the codes, as in `match`; PostgreSQL plans freely.
    return Match(
        source="search_searchcode c CROSS JOIN search_searchentry e",
        condition="e.id = c.entry_id AND c.code = %s",
        score="0.0",
        params=[code],
    )


def sqlite_ranked(
    query: Query, audience: str, *, ranked: bool = True, facets: Facets = ()
) -> tuple[str, list[str]]:
    """SQLite: a SELECT of (entry_id, score) from the audience's FTS5 table; `facets`
    narrows it to entries with one facet word of each group."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    score = SQLITE_SCORE.format(audience=audience) if ranked else "0.0"
    # The query's words are looked for in the words of the text only, not in the facets.
    expression = "{title_terms body_terms} : (" + fts5_query(query) + ")"
    for group in facets:
        words = " OR ".join(_fts5_string(word) for word in group)
        expression = f"({expression}) AND facet_terms : ({words})"
    return SQLITE_MATCH.format(audience=audience, score=score), [expression]


def fts5_query(query: Query) -> str:
    """FTS5 syntax: each stem a quoted string ("" for a quote inside), a trailing * for a
    prefix, `+` between the words of a phrase, AND between terms."""
    phrases = []
    for term in query.terms:
        parts = [
            _fts5_string(match_stem(word)) + ("*" if is_prefix(word) else "") for word in term.words
        ]
        phrases.append(" + ".join(parts))
    return " AND ".join(phrases)


def tsquery(query: Query) -> str:
    """to_tsquery syntax: each word a quoted operand (PostgreSQL stems it), :* for a prefix,
    <-> between the words of a phrase, & between terms."""
    phrases = []
    for term in query.terms:
        parts = [_tsquery_lexeme(operand(word)) + (":*" * is_prefix(word)) for word in term.words]
        phrases.append("(" + " <-> ".join(parts) + ")")
    return " & ".join(phrases)


def tsquery_any(query: Query) -> str:
    """to_tsquery syntax: any word of the query (for the titles that hold one)."""
    return " | ".join(
        _tsquery_lexeme(operand(word)) + (":*" * is_prefix(word)) for word in query.all_words
    )


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _tsquery_lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


# FTS5's defaults (its documentation): merge 4 segments of a level once there are that many,
# and at the latest 16.
FTS5_AUTOMERGE = 4
FTS5_CRISISMERGE = 16
# During a full rebuild: no merging but when a level holds this many segments.
DEFERRED_CRISISMERGE = 64


@contextlib.contextmanager
def fts_merging_deferred() -> Iterator[None]:
    """SQLite, for a full rebuild: FTS5 merges its index's segments only when a level has
    many (instead of every few commits, reading and rewriting the same lists again and
    again); `optimize` merges them all at the end. Nothing on PostgreSQL."""
    if is_postgresql():
        yield
        return
    _fts_merging(0, DEFERRED_CRISISMERGE)
    try:
        yield
    finally:
        _fts_merging(FTS5_AUTOMERGE, FTS5_CRISISMERGE)


def _fts_merging(automerge: int, crisismerge: int) -> None:
    with connection.cursor() as cursor:
        for audience in sorted(AUDIENCES):
            table = f"search_fts_{audience}"
            for name, value in (("automerge", automerge), ("crisismerge", crisismerge)):
                cursor.execute(
                    f"INSERT INTO {table}({table}, rank) VALUES (%s, %s)",  # noqa: S608
                    [name, value],
                )


def optimize() -> None:
    """After a full build: merge FTS5's index segments (SQLite), refresh the planner's
    statistics (PostgreSQL)."""
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute("ANALYZE search_searchentry")
            cursor.execute("ANALYZE search_searchcode")
        else:
            for audience in sorted(AUDIENCES):
                table = f"search_fts_{audience}"
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608
            cursor.execute("ANALYZE")
