"""Both databases hold the same terms: what SQLite's FTS5 table and PostgreSQL's tsvector
column indexed equals the stems Python makes (`search.words`), stop words left out.

On SQLite this checks that FTS5's tokenizer keeps the stems as given; on PostgreSQL that
its `danish` configuration stems and drops exactly as the Snowball stemmer and stop word
list used for SQLite do. Together with the shared expectations of tests/test_search.py
this is what makes the two backends give the same results.
"""

from __future__ import annotations

import pytest
from django.db import connection

from gremium.search import words as w
from gremium.search.models import SearchEntry
from gremium.search.query import match_stem, operand
from tests.search_archive import build_archive

pytestmark = pytest.mark.django_db

SAMPLE = """
Kommunalbestyrelsen godkendte budgettet for 2026: nytteindsatsen, nytteindsatser og
nytteindsatsforløbet fortsætter. Børnehaverne, skolerne og ældreplejen får 3,5 mio. kr.
Udvalgets beslutninger om vejene, broerne og cykelstierne blev udsat til næste møde.
Forældrene spurgte om åbningstiderne; høringssvarene kom fra borgerne i Ærøskøbing og Åbenrå.
Hun og han havde ikke været der, men de ville have det sådan. A4-papir, 1e5, COVID-19,
§ 17, stk. 2, 25/30508, EMN-2025-003383, café, naïve, ﬁnansiering, straße.
"""


def _indexed_terms() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT word FROM ts_stat('SELECT search_vector FROM search_searchentry')"
            )
            return {row[0] for row in cursor.fetchall()}
        terms = set()
        for audience in ("public", "internal"):  # one index per audience (migration 0003)
            cursor.execute(
                f"CREATE VIRTUAL TABLE temp.search_vocab_{audience} "
                f"USING fts5vocab(main, search_fts_{audience}, col)"
            )
            cursor.execute(
                f"SELECT term FROM temp.search_vocab_{audience} "  # noqa: S608
                "WHERE col != 'facet_terms'"  # the filters' words (committee, year, kind)
            )
            terms.update(row[0] for row in cursor.fetchall())
        return terms


def _python_terms() -> set[str]:
    terms: set[str] = set()
    for entry in SearchEntry.objects.all():
        for text in (entry.title, f"{entry.reference}\n{entry.text}"):
            terms.update(w.stems(text))
    return terms


def test_the_database_indexes_the_stems_python_makes(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    archive = build_archive()
    from gremium.audit.services import Actor
    from gremium.meetings import services
    from gremium.search.indexing import index_meeting

    meeting = archive.meetings["tmu"]
    item = archive.items["vestergade"]
    services.section_add(item=item, heading="Prøvetekst", body=SAMPLE, by=Actor.system("test"))
    index_meeting(meeting.pk)
    indexed = _indexed_terms()
    expected = _python_terms()
    assert "nytteindsats" in expected and "budget" in expected  # the sample is in
    assert indexed == expected, (sorted(indexed - expected), sorted(expected - indexed))
    assert not indexed & w.STOP_WORDS


def _database_stem(word: str) -> str:
    """The term the database makes of a query operand: PostgreSQL stems it in its danish
    configuration; SQLite's FTS5 tokenizes Python's stem of it, which must keep it whole."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT array_to_string(tsvector_to_array(to_tsvector('danish', %s)), ' ')",
                [word],
            )
        else:
            cursor.execute(
                "CREATE VIRTUAL TABLE temp.probe "
                "USING fts5(x, tokenize='unicode61 remove_diacritics 0')"
            )
            cursor.execute("INSERT INTO temp.probe(x) VALUES (%s)", [w.stem(word)])
            cursor.execute(
                "CREATE VIRTUAL TABLE temp.probe_vocab USING fts5vocab(temp, probe, row)"
            )
            cursor.execute("SELECT group_concat(term, ' ') FROM temp.probe_vocab")
        return str(cursor.fetchone()[0])


@pytest.mark.parametrize(
    "word",
    ["budgettet", "nytteindsatsen", "kommunalbestyrelsens", "ærøskøbing", "afgørelserne", "sinet"],
)
def test_a_query_word_is_stemmed_alike(db, word):
    """The stem a query matches is the stem of the word's stem, made by the database from
    `operand(word)` on PostgreSQL and in Python on SQLite."""
    assert _database_stem(operand(word)) == match_stem(word)


def test_the_pairs_are_the_adjacent_stems_of_the_title_and_the_body_apart(monkeypatch):
    from gremium.search import backends

    monkeypatch.setattr(backends, "is_postgresql", lambda: True)
    # Stop words are left out, as in the words' vector; no pair joins title and body; a
    # pair found twice is written once.
    pairs = backends.index_pairs("Budget for 2026", "Budgettet vedtages. Budget 2026")
    assert pairs.split() == ["budg_2026", "budget_vedtag", "vedtag_budg"]
    monkeypatch.setattr(backends, "is_postgresql", lambda: False)
    assert backends.index_pairs("Budget for 2026", "Budgettet vedtages") == ""


def test_a_phrase_is_its_pairs_and_a_long_one_also_its_positions():
    from gremium.search import backends
    from gremium.search.query import parse

    query = parse('lokalplanen "budgettet for 2026" "job og aktivitetscenteret i byen"')
    assert backends.tsquery(query) == "'lokalplan':*"
    assert backends.tsquery_pairs(query) == (
        "'budget_2026' & 'job_aktivitetscent' & 'aktivitetscent_byen'"
    )
    assert backends.tsquery_phrases(query) == "('job' <-> 'aktivitetscent' <-> 'byen')"
    assert backends.tsquery_phrases(parse('"budgettet 2026"')) == ""


def test_the_database_holds_the_pairs_python_makes(settings, tmp_path):
    """PostgreSQL's vector of pairs holds each pair as written (no parsing, no stemming);
    SQLite keeps none (FTS5 finds phrases itself)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    archive = build_archive()
    from gremium.audit.services import Actor
    from gremium.meetings import services
    from gremium.search.backends import index_pairs
    from gremium.search.indexing import index_meeting

    item = archive.items["vestergade"]
    services.section_add(item=item, heading="Prøvetekst", body=SAMPLE, by=Actor.system("test"))
    index_meeting(archive.meetings["tmu"].pk)
    entries = list(SearchEntry.objects.all())
    expected = {e.pk: index_pairs(e.title, f"{e.reference}\n{e.text}") for e in entries}
    assert {e.pk: e.pair_terms for e in entries} == expected
    if connection.vendor != "postgresql":
        assert set(expected.values()) == {""}
        return
    assert "nytteindsats_nytteindsats" in " ".join(expected.values())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, tsvector_to_array(search_pairs) FROM search_searchentry")
        stored = {pk: set(pairs) for pk, pairs in cursor.fetchall()}
    assert stored == {pk: set(pairs.split()) for pk, pairs in expected.items()}


def test_the_migration_makes_the_pairs_of_the_stored_entries(settings, tmp_path):
    """Migration 0005 gives the entries indexed before it the pairs indexing now writes
    (PostgreSQL; SQLite keeps none)."""
    import importlib
    from types import SimpleNamespace

    settings.MEDIA_ROOT = str(tmp_path / "media")
    build_archive()
    written = dict(SearchEntry.objects.values_list("pk", "pair_terms"))
    SearchEntry.objects.update(pair_terms="")
    migration = importlib.import_module("gremium.search.migrations.0007_postgresql_phrase_pairs")
    migration._fill(None, SimpleNamespace(connection=connection))  # all it reads of an editor
    assert dict(SearchEntry.objects.values_list("pk", "pair_terms")) == written
    assert any(written.values()) == (connection.vendor == "postgresql")


def test_the_words_in_the_row_are_the_words_of_the_vector(settings, tmp_path):
    """PostgreSQL tests the newest entries one by one in `search_words` (migration 0008)
    and finds the rest by the GIN index of `search_vector`: both must hold the same words
    for every entry, or the two ways would find different hits. SQLite has neither."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    archive = build_archive()
    from gremium.audit.services import Actor
    from gremium.meetings import services
    from gremium.search.indexing import index_meeting

    item = archive.items["vestergade"]
    services.section_add(item=item, heading="Prøvetekst", body=SAMPLE, by=Actor.system("test"))
    index_meeting(archive.meetings["tmu"].pk)
    if connection.vendor != "postgresql":
        pytest.skip("search_words is PostgreSQL's; SQLite's FTS5 tables hold the words")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, tsvector_to_array(search_words), tsvector_to_array(search_vector) "
            "FROM search_searchentry"
        )
        rows = cursor.fetchall()
    assert len(rows) > 10
    for pk, words, vector in rows:
        assert words == vector, pk
    assert any("nytteindsats" in words for _pk, words, _vector in rows)
