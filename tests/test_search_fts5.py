"""SQLite's FTS5 side of the search: the term vocabulary that turns a prefix word into an OR
of its terms (migration 0005, `backends.prefix_terms`), and the ranking of words found in
many entries (the title first, then the newest, instead of bm25). PostgreSQL has neither:
its own tests cover its tsquery and ranking, and tests/test_search.py holds both to the
same hits."""

from __future__ import annotations

import random

import pytest
from django.conf import settings as django_settings
from django.db import connection

from gremium.search import backends
from gremium.search import words as w
from gremium.search.backends import fts5_query, prefix_terms
from gremium.search.query import parse
from gremium.search.searching import Sort, search
from tests.search_archive import build_archive
from tests.test_search import published

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "postgresql" in django_settings.DATABASES["default"]["ENGINE"],
        reason="FTS5's vocabulary and bm25 are SQLite's; PostgreSQL's search has its own tests",
    ),
]

HEADS = ["udvalg", "skole", "vej", "lokal", "plan", "budget", "børne", "have", "ældre", "pleje"]
ENDINGS = ["", "en", "et", "ene", "erne", "ernes", "s", "ets", "ning", "ningen"]


@pytest.fixture
def archive(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_archive()


def _compounds(rng: random.Random, count: int) -> str:
    return " ".join(
        "".join(rng.choice(HEADS) for _ in range(rng.randint(1, 3))) + rng.choice(ENDINGS)
        for _ in range(count)
    )


def _vocabulary() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT term FROM search_term")
        return {row[0] for row in cursor.fetchall()}


def _indexed_terms() -> set[str]:
    """The terms FTS5 holds in the texts' columns, from its own vocabulary."""
    terms: set[str] = set()
    with connection.cursor() as cursor:
        for audience in ("public", "internal"):
            cursor.execute(
                f"CREATE VIRTUAL TABLE temp.v_{audience} "
                f"USING fts5vocab(main, search_fts_{audience}, col)"
            )
            cursor.execute(f"SELECT term FROM temp.v_{audience} WHERE col != 'facet_terms'")  # noqa: S608
            terms.update(row[0] for row in cursor.fetchall())
            cursor.execute(f"DROP TABLE temp.v_{audience}")
    return terms


def _matches(expression: str, audience: str = "public") -> list[int]:
    table = f"search_fts_{audience}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rowid",  # noqa: S608
            ["{title_terms body_terms} : (" + expression + ")"],
        )
        return [row[0] for row in cursor.fetchall()]


def _generated(archive) -> None:
    rng = random.Random(7)
    for days in (7, 14, 21):
        titles = [_compounds(rng, 3) for _ in range(6)]
        published(archive, days, titles, sections=[("Sagsfremstilling", _compounds(rng, 300))])


def test_indexing_fills_the_vocabulary_with_every_term_a_prefix_can_start(archive):
    _generated(archive)
    indexed = _indexed_terms()
    vocabulary = _vocabulary()
    assert "udvalg" in vocabulary
    assert {t for t in indexed if not t[0].isdigit()} <= vocabulary
    assert not {t for t in vocabulary if t[0] in "0123456789"}


def test_a_prefix_as_an_or_of_its_terms_finds_what_fts5s_prefix_finds(archive, monkeypatch):
    _generated(archive)
    prefixes = {t[:n] for t in _vocabulary() if t.isalpha() for n in range(4, len(t) + 1)}
    assert len(prefixes) > 200
    for prefix in sorted(prefixes):
        terms = prefix_terms(prefix)
        assert terms is not None and prefix in terms
        either = " OR ".join(f'"{t}"' for t in terms)
        for audience in ("public", "internal"):
            assert _matches(f"({either})", audience) == _matches(f'"{prefix}"*', audience), prefix
    # Through the query: a word, two words, a word with a phrase.
    for text in ("udvalg", "skoleve plejen", 'budget "skolevej udvalg"', "børnehaverne"):
        query = parse(text)
        expanded = fts5_query(query)
        monkeypatch.setattr(backends, "PREFIX_TERMS", 0)  # every prefix keeps its *
        starred = fts5_query(query)
        monkeypatch.setattr(backends, "PREFIX_TERMS", 200)
        assert "*" in starred and "*" not in expanded, text
        assert _matches(expanded) == _matches(starred), text


def test_a_prefix_of_too_many_terms_keeps_fts5s_prefix(archive, monkeypatch):
    _generated(archive)
    found = search(None, parse("udvalg"), per_page=100)
    monkeypatch.setattr(backends, "PREFIX_TERMS", 3)
    assert prefix_terms("udvalg") is None
    assert fts5_query(parse("udvalg")) == '"udvalg"*'
    again = search(None, parse("udvalg"), per_page=100)
    # The same hits; bm25 weighs the terms of an OR each by itself, so the order may differ.
    assert sorted(e.pk for e in again.entries) == sorted(e.pk for e in found.entries)
    assert again.total == found.total


def test_a_full_rebuild_leaves_the_indexes_own_terms_in_the_vocabulary(archive):
    from gremium.search.indexing import rebuild

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_term (term) VALUES ('udvalgsforældet')")
    assert "udvalgsforældet" in prefix_terms("udvalg")
    rebuild()
    assert "udvalgsforældet" not in _vocabulary()
    assert {t for t in _indexed_terms() if not t[0].isdigit()} == _vocabulary()


def test_the_migration_fills_the_vocabulary_from_the_indexes(archive):
    from importlib import import_module

    migration = import_module("gremium.search.migrations.0005_sqlite_term_vocabulary")
    expected = _vocabulary()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_term")
        for sql in migration.FILL:
            cursor.execute(sql)
    assert _vocabulary() == expected


def test_a_word_in_many_entries_ranks_a_title_first_then_the_newest(archive, monkeypatch):
    """Beyond BM25_MAX entries a term is not weighed by bm25: the matches with a query word
    in their title come first, then the others, newest first; the pages follow that order."""
    from gremium.search import searching

    body = [("Sagsfremstilling", "Skolevejen skal have nyt slidlag. " * 3)]
    for days in (7, 14, 21):
        titles = [f"Skolevejen etape {n}" if n in (2, 5) else f"Slidlag {n}" for n in range(6)]
        published(archive, days, titles, sections=body)
    weighed = [e.pk for e in search(None, parse("skolevej"), per_page=100).entries]
    monkeypatch.setattr(searching, "BM25_MAX", 3)
    results = search(None, parse("skolevej"), per_page=100)
    assert results.total == 18 and not results.more
    assert sorted(e.pk for e in results.entries) == sorted(weighed)
    in_title = [
        any(stem.startswith("skolevej") for stem in w.stems(e.title)) for e in results.entries
    ]
    assert in_title == sorted(in_title, reverse=True)
    assert sum(in_title) == 6
    dates = [(t, e.date) for t, e in zip(in_title, results.entries, strict=True)]
    assert dates == sorted(dates, key=lambda pair: (not pair[0], -pair[1].toordinal()))
    monkeypatch.setattr(searching, "CANDIDATES", 1)
    pages = [
        e.pk
        for number in range(1, 5)
        for e in search(None, parse("skolevej"), page=number, per_page=5).entries
    ]
    assert pages == [e.pk for e in results.entries]
    assert search(None, parse("skolevej"), sort=Sort.DATE, per_page=100).total == 18
