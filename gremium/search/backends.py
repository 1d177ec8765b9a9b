"""The two full-text engines behind one interface: what an entry's terms columns hold, and
the SQL that finds the entries matching a query, with a score (higher is better).

SQLite (FTS5) gets stems made in Python; PostgreSQL gets the words and stems them itself
in its `danish` configuration (migration 0002), and beside them the pairs of adjacent stems
(`index_pairs`, migration 0007) that find a phrase without reading any entry's vector.
Query syntax is written here from the query's words, each quoted, and passed as bound
parameters: no user text is ever part of the SQL, and none can act as FTS5 or tsquery
syntax.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

from gremium.search import words as w
from gremium.search.models import EntryAudience
from gremium.search.query import Query, Term, is_prefix, match_stem, operand, phrase_stem

# One index per audience (migration 0003). SQLite: bm25, a title word counting ten times a
# body word. PostgreSQL: the rank of the title by any word of the query, plus a small share
# of the match itself (every match counts, one with a query word in its title more): ts_rank
# over the body would read every match's large vector. The audience is one of
# EntryAudience's values, never user text.
SQLITE_MATCH = (
    "SELECT rowid AS entry_id, {score} AS score "
    "FROM search_fts_{audience} WHERE search_fts_{audience} MATCH %s"
)
SQLITE_SCORE = "-bm25(search_fts_{audience}, 10.0, 1.0, 0.0)"
POSTGRESQL_SCORE = "ts_rank(e.search_title, qa) + 0.01"
# PostgreSQL: whether a query word is in the title (the score is then above 0.01).
POSTGRESQL_TITLED = "e.search_title @@ qa"
# The separator of the two stems of a pair: no word holds it (`words.WORD`).
PAIR = "_"
AUDIENCES = frozenset(a.value for a in EntryAudience)
# SQLite: a prefix word is searched as an OR of at most this many exact terms from the
# vocabulary (migration 0005); one that starts more terms keeps FTS5's prefix query, which
# finds the same entries but merges every such term's list in full first.
PREFIX_TERMS = 200
# The vocabulary filled from FTS5's own (migration 0005, `optimize`); FTS5 walks every term's
# list for it, so it is read only after a full build, never by a search.
VOCABULARY_FILL = [
    sql
    for audience in sorted(AUDIENCES)
    for sql in (
        f"CREATE VIRTUAL TABLE temp.search_vocab_{audience} "
        f"USING fts5vocab(main, search_fts_{audience}, col)",
        "INSERT OR IGNORE INTO search_term (term) "  # noqa: S608 (no user text)
        f"SELECT DISTINCT term FROM temp.search_vocab_{audience} "
        "WHERE col != 'facet_terms' AND substr(term, 1, 1) NOT BETWEEN '0' AND '9'",
        f"DROP TABLE temp.search_vocab_{audience}",
    )
]
# The vocabulary keeps the terms a prefix can start: those that do not start with a digit.
_DIGITS = frozenset("0123456789")
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


def index_pairs(*texts: str) -> str:
    """PostgreSQL: the pairs of adjacent stems in each of `texts` ("ved_dispensation"),
    each once, for the pairs' vector (migration 0007): a phrase is then found by its pairs
    in a GIN index, without reading the positions of every entry holding its words. No pair
    runs from one text into the next (the title's last word and the body's first are not
    adjacent in the words' vector either). SQLite finds phrases in FTS5: nothing."""
    if not is_postgresql():
        return ""
    return " ".join(dict.fromkeys(pair for text in texts for pair in _pairs(text)))


@functools.lru_cache(maxsize=1024)  # as `_terms`: public and internal entries share texts
def _pairs(text: str) -> tuple[str, ...]:
    return stem_pairs(w.stem_all(w.words(text)))


def stem_pairs(stems: list[str]) -> tuple[str, ...]:
    """The adjacent pairs of a sequence of stems, as `index_pairs` writes them."""
    return tuple(f"{a}{PAIR}{b}" for a, b in itertools.pairwise(stems))


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
        return postgresql_match(query, audience, ranked=ranked)
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
    narrows it to entries with one facet word of each group. bm25 (`ranked`) reads every
    match of each of the query's words to weigh them, whatever the LIMIT: only for words
    found in few entries."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    score = SQLITE_SCORE.format(audience=audience) if ranked else "0.0"
    # The query's words are looked for in the words of the text only, not in the facets.
    expression = "{title_terms body_terms} : (" + fts5_query(query) + ")"
    for group in facets:
        words = " OR ".join(_fts5_string(word) for word in group)
        expression = f"({expression}) AND facet_terms : ({words})"
    return SQLITE_MATCH.format(audience=audience, score=score), [expression]


def sqlite_term_matches(query: Query, audience: str) -> list[tuple[str, list[str]]]:
    """SQLite: per term of the query, a SELECT of the entries of `audience` it matches (no
    score), to learn how many there are up to a LIMIT."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    sql = SQLITE_MATCH.format(audience=audience, score="0.0")
    return [
        (sql, ["{title_terms body_terms} : (" + _fts5_term(term) + ")"]) for term in query.terms
    ]


def fts5_query(query: Query) -> str:
    """FTS5 syntax: each stem a quoted string ("" for a quote inside), `+` between the
    words of a phrase (each word its own stem only, `phrase_stem`), AND between terms. A
    word that is a prefix is an OR of the exact terms it starts (`prefix_terms`), or the
    stem with a trailing * when they are too many."""
    return " AND ".join(_fts5_term(term) for term in query.terms)


def _fts5_term(term: Term) -> str:
    if term.is_phrase:
        return " + ".join(_fts5_string(phrase_stem(word)) for word in term.words)
    if is_prefix(term.words[0]):
        return _fts5_prefix(match_stem(term.words[0]))
    return _fts5_string(match_stem(term.words[0]))


def _fts5_prefix(stem: str) -> str:
    terms = prefix_terms(stem)
    if terms is None:
        return _fts5_string(stem) + "*"
    return "(" + " OR ".join(_fts5_string(term) for term in terms) + ")"


def prefix_terms(stem: str) -> list[str] | None:
    """SQLite: the terms of the vocabulary that start with `stem` (the stem itself always
    among them), by a range of its primary key; None when they are more than PREFIX_TERMS.
    FTS5 reads an OR of terms lazily in rowid order and stops at a LIMIT, unlike a prefix."""
    last = ord(stem[-1])
    if last >= 0x10FFFF or 0xD7FF <= last < 0xE000:  # no next character to bound the range
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term FROM search_term WHERE term >= %s AND term < %s ORDER BY term LIMIT %s",
            [stem, stem[:-1] + chr(last + 1), PREFIX_TERMS + 1],
        )
        terms = [row[0] for row in cursor.fetchall()]
    if len(terms) > PREFIX_TERMS:
        return None
    return terms if stem in terms else [stem, *terms]


def add_vocabulary(cursor: Any, terms: list[tuple[str, str]]) -> None:
    """SQLite: add the terms of newly written entries (their title and body terms) to the
    vocabulary `prefix_terms` reads. Terms of entries deleted later stay: they match
    nothing, and the next `optimize` leaves only the index's own."""
    if is_postgresql():
        return
    found = {term for pair in terms for text in pair for term in text.split()}
    new = sorted(term for term in found if term[0] not in _DIGITS)
    cursor.executemany("INSERT OR IGNORE INTO search_term (term) VALUES (%s)", [(t,) for t in new])


def postgresql_match(
    query: Query,
    audience: str,
    *,
    ranked: bool = True,
    titled: bool | None = None,
    table: str = "search_searchentry e",
    words: str = "search_vector",
) -> Match:
    """PostgreSQL: the entries of `audience` matching every term, each kind of term by
    its own vector: the words by the words' vector (`q`; a prefix or a word needs no
    positions, so the GIN index answers without reading a vector), the phrases by their
    pairs (`pq`), and a phrase of more than two words, whose pairs may stand apart, also by
    its positions (`xq`), read only for the entries holding all its pairs. `qa` (any word,
    for the score and `titled`) is there when `ranked` or `titled` is given: True keeps the
    entries with a query word in their title, False those without. The title's vector is
    small and in the row; when the query is that one word, the words' vector (large, read
    from TOAST for each entry unless the index alone answers) is not tested at all.

    `table` is where the entries `e` come from (the table, or a subquery of its rows with
    the columns tested), and `words` the column the words are tested in: `search_vector`,
    which the GIN index answers, or `search_words`, the same words without positions kept
    in the row, cheap to test entry by entry."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    joins, conditions, params = [table], [f"e.audience = '{audience}'"], []
    if ranked or titled is not None:
        joins.append("to_tsquery('danish', %s) AS qa")
        params.append(tsquery_any(query))
    if titled is not None:
        conditions.append(POSTGRESQL_TITLED if titled else f"NOT {POSTGRESQL_TITLED}")
    # One word found in the title is found in the words' vector, which holds the title's.
    implied = bool(titled) and len(query.terms) == 1 and not query.terms[0].is_phrase
    for name, function, vector, text in (
        ("q", "to_tsquery('danish', %s)", words, "" if implied else tsquery(query)),
        ("pq", "CAST(%s AS tsquery)", "search_pairs", tsquery_pairs(query)),
        ("xq", "CAST(%s AS tsquery)", "search_vector", tsquery_phrases(query)),
    ):
        if text:
            joins.append(f"{function} AS {name}")
            conditions.append(f"e.{vector} @@ {name}")
            params.append(text)
    return Match(
        source=" CROSS JOIN ".join(joins),
        condition=" AND ".join(conditions),
        score=POSTGRESQL_SCORE if ranked else "0.0",
        params=params,
    )


def tsquery(query: Query) -> str:
    """to_tsquery syntax for the terms of one word: each a quoted operand (PostgreSQL stems
    it), :* for a prefix, & between them; "" when the query has none."""
    return " & ".join(
        _tsquery_lexeme(operand(word)) + (":*" * is_prefix(word))
        for term in query.terms
        if not term.is_phrase
        for word in term.words
    )


def tsquery_pairs(query: Query) -> str:
    """tsquery syntax (lexemes as they are, not stemmed again) for the phrases: every pair
    of adjacent stems of each (`index_pairs`), & between them; "" without a phrase."""
    return " & ".join(
        _tsquery_lexeme(pair)
        for term in query.terms
        if term.is_phrase
        for pair in stem_pairs([phrase_stem(word) for word in term.words])
    )


def tsquery_phrases(query: Query) -> str:
    """tsquery syntax (lexemes as they are) for the phrases of more than two words: their
    stems with <-> between them, & between phrases; "" when there are none (a phrase of two
    words is its one pair)."""
    return " & ".join(
        "(" + " <-> ".join(_tsquery_lexeme(phrase_stem(word)) for word in term.words) + ")"
        for term in query.terms
        if len(term.words) > 2
    )


def tsquery_any(query: Query) -> str:
    """to_tsquery syntax: any word of the query (for the titles that hold one), a phrase's
    word by its own stem only (PostgreSQL stems the word once, as `phrase_stem`)."""
    return " | ".join(_tsquery_any_word(term, word) for term in query.terms for word in term.words)


def _tsquery_any_word(term: Term, word: str) -> str:
    if term.is_phrase:
        return _tsquery_lexeme(word)
    return _tsquery_lexeme(operand(word)) + (":*" * is_prefix(word))


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
            _renew_vocabulary(cursor)
            cursor.execute("ANALYZE")


def _renew_vocabulary(cursor: Any) -> None:
    """SQLite: the vocabulary made anew from the indexes' own terms, the stale ones gone
    (one read of the whole index, about a second per 70,000 entries)."""
    cursor.execute("DELETE FROM search_term")
    for sql in VOCABULARY_FILL:
        cursor.execute(sql)
