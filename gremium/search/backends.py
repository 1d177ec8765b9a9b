"""The two full-text engines behind one interface: what an entry's terms columns hold, and
the SQL that finds the entries matching a query, with a score (higher is better).

SQLite (FTS5) gets stems made in Python; PostgreSQL gets the words and stems them itself
in its `danish` configuration (migration 0002). Query syntax is written here from the
query's words, each quoted, and passed as one bound parameter: no user text is ever part
of the SQL, and none can act as FTS5 or tsquery syntax.
"""

from __future__ import annotations

from django.db import connection

from gremium.search import words as w
from gremium.search.models import EntryAudience
from gremium.search.query import Query, is_prefix, match_stem, operand

# One index per audience (migration 0003). SQLite: bm25, a title word counting ten times a
# body word. PostgreSQL: the rank of the title plus a small share of the match itself (every
# match counts, one in the title more): ts_rank over the body would read every match's large
# vector. The audience is one of EntryAudience's values, never user text.
SQLITE_MATCH = (
    "SELECT rowid AS entry_id, -bm25(search_fts_{audience}, 10.0, 1.0) AS score "
    "FROM search_fts_{audience} WHERE search_fts_{audience} MATCH %s"
)
SQLITE_MATCH_UNRANKED = (
    "SELECT rowid AS entry_id FROM search_fts_{audience} WHERE search_fts_{audience} MATCH %s"
)
POSTGRESQL_MATCH = (
    "SELECT id AS entry_id, ts_rank(search_title, q) + 0.01 AS score, date "
    "FROM search_searchentry, to_tsquery('danish', %s) AS q "
    "WHERE audience = '{audience}' AND search_vector @@ q"
)
POSTGRESQL_MATCH_UNRANKED = (
    "SELECT id AS entry_id FROM search_searchentry "
    "WHERE audience = '{audience}' AND search_vector @@ to_tsquery('danish', %s)"
)
AUDIENCES = frozenset(a.value for a in EntryAudience)
# How the index's best matches are picked, before the entries are read: on PostgreSQL in
# the result list's own order (the match carries the date), on SQLite by score alone.
RANK_ORDER = {
    True: "score DESC, date DESC NULLS LAST, entry_id",
    False: "score DESC, entry_id",
}


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def rank_order_is_total() -> bool:
    """Whether `match_sql` rows can be put in the result list's order (see RANK_ORDER)."""
    return is_postgresql()


def index_terms(text: str) -> str:
    """What the terms column of an entry holds for `text` on this database."""
    found = w.words(text)
    if not is_postgresql():
        found = [w.stem(word) for word in found]
    return " ".join(found)


def match_sql(query: Query, audience: str, *, ranked: bool = True) -> tuple[str, list[str]]:
    """A SELECT of (entry_id, score) for the entries of `audience` whose words match every
    term; without `ranked`, of entry_id alone (no score to compute: for counting)."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    if is_postgresql():
        sql = POSTGRESQL_MATCH if ranked else POSTGRESQL_MATCH_UNRANKED
        return sql.format(audience=audience), [tsquery(query)]
    sql = SQLITE_MATCH if ranked else SQLITE_MATCH_UNRANKED
    return sql.format(audience=audience), [fts5_query(query)]


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


def _fts5_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _tsquery_lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


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
