"""The full rebuild of the search index: what it stores does not depend on what was stored
before, nor on how it gets there (several meetings a transaction, the entries made by a
second thread, FTS5's merging deferred), and the quick ways of splitting texts find what
the plain ones find."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection

from gremium.search import indexing
from gremium.search import words as w
from gremium.search.indexing import OVERLAP, PART_WORDS, _part_spans, rebuild
from gremium.search.models import SearchCode, SearchEntry
from gremium.search.query import parse
from gremium.search.searching import search
from tests.search_archive import build_archive

FIELDS = [f.attname for f in SearchEntry._meta.concrete_fields if not f.primary_key]


def _stored() -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Every entry (all but its id), its codes, and what the full-text index finds."""
    entries = list(SearchEntry.objects.order_by("audience", "doc_key", "part").values_list(*FIELDS))
    codes = list(
        SearchCode.objects.order_by(
            "entry__audience", "entry__doc_key", "entry__part", "code"
        ).values_list("entry__audience", "entry__doc_key", "entry__part", "code")
    )
    found = [
        (user, text, sorted((e.doc_key, e.part) for e in search(user, parse(text)).entries))
        for user in (None, "member")
        for text in ("nytteindsats", "kanariefugl", "udvalg*", "25/30508")
    ]
    return entries, codes, found


@pytest.fixture
def archive(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_archive()


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_from_nothing_and_over_an_index_store_the_same(archive):
    member = archive.users["member"]
    first = _stored()
    assert first[0] and first[1]  # an archive with entries and codes to compare
    # Over a stale index: entries missing, one changed, one of a meeting long gone.
    SearchEntry.objects.filter(kind="attachment").delete()
    SearchEntry.objects.filter(pk=SearchEntry.objects.order_by("pk")[0].pk).update(
        text="forældet", digest="x"
    )
    assert rebuild() == 4
    over = _stored()
    SearchEntry.objects.all().delete()
    assert rebuild() == 4
    assert over == _stored() == first
    assert search(member, parse("kanariefugl")).total == 4


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_making_the_entries_stops_the_rebuild_and_its_thread(archive, monkeypatch):
    SearchEntry.objects.all().delete()
    made = []

    def failing(meeting):
        made.append(meeting.pk)
        if len(made) == 2:
            raise RuntimeError("bad meeting")
        return real(meeting)

    real = indexing.meeting_drafts
    monkeypatch.setattr(indexing, "meeting_drafts", failing)
    monkeypatch.setattr(indexing, "MEETINGS_PER_WRITE", 1)
    threads = threading.active_count()
    with pytest.raises(RuntimeError, match="bad meeting"):
        rebuild()
    assert threading.active_count() == threads
    assert len(made) == 2
    # The meeting before the failing one is stored whole, nothing of the failing one.
    assert set(SearchEntry.objects.values_list("meeting_id", flat=True)) == {made[0]}


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_sets_the_connection_back(archive):
    before = _connection_settings()
    assert before  # each database has settings the rebuild changes for its own time
    if connection.vendor == "sqlite":  # FTS5's own defaults
        assert before[1:] == [[("automerge", 4), ("crisismerge", 16)]] * 2
    SearchEntry.objects.all().delete()
    rebuild()
    assert _connection_settings() == before


def _connection_settings() -> list[object]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW synchronous_commit")
            return [cursor.fetchone()[0]]
        cursor.execute("PRAGMA synchronous")
        found: list[object] = [cursor.fetchone()[0]]
        for table in ("search_fts_public", "search_fts_internal"):
            sql = f"SELECT k, v FROM {table}_config WHERE k LIKE '%merge' ORDER BY k"  # noqa: S608
            cursor.execute(sql)
            found.append(cursor.fetchall())
        return found


# -- splitting -------------------------------------------------------------------------------


def _plain_part_spans(text: str) -> list[tuple[int, int]]:
    """Parts as first written: every word's span, then every (PART_WORDS - OVERLAP)-th."""
    if len(text) < 2 * PART_WORDS:
        return [(0, len(text))]
    spans = [match.span() for match in w.WORD.finditer(text)]
    if len(spans) <= PART_WORDS:
        return [(0, len(text))]
    step = PART_WORDS - OVERLAP
    return [
        (spans[first][0], spans[min(first + PART_WORDS, len(spans)) - 1][1])
        for first in range(0, len(spans) - OVERLAP, step)
    ]


def test_parts_are_cut_where_counting_every_word_cuts_them():
    rng = random.Random(9)
    separators = [" ", "  ", ", ", "\n", "_", "-", ". ", " – ", "__"]
    vocabulary = ["a", "bb", "dødt", "ærø", "x1", "42", "é"]
    boundaries = [PART_WORDS + d for d in (-1, 0, 1)]
    boundaries += [k * (PART_WORDS - OVERLAP) + OVERLAP + d for k in (1, 2, 3) for d in (-1, 0, 1)]
    for count in [0, 3, *boundaries, *(rng.randrange(0, 6000) for _ in range(40))]:
        words = [rng.choice(vocabulary) for _ in range(count)]
        glue = [rng.choice(separators) for _ in range(count + 1)]
        text = "".join(g + word for g, word in zip(glue, [*words, ""], strict=True))
        assert _part_spans(text) == _plain_part_spans(text), count
    assert len(_part_spans(" ".join(["ord"] * 10_000))) == 7


def test_codes_are_found_as_the_code_pattern_finds_them():
    rng = random.Random(4)
    alphabet = ["a", "B", "7", "ø", "_", "-", "/", "–", " ", "\n", "é", "²", "1", "x-"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 50)))
        plain = [w.normalize_code(m.group(0)) for m in w.CODE.finditer(text)]
        assert w.codes(text) == list(dict.fromkeys(c for c in plain if w.is_code(c))), text
    assert w.codes("Sag 25/30508 og EMN-2025-003383, ikke -12 eller a-b") == [
        "25/30508",
        "EMN-2025-003383",
    ]


def test_stemmed_terms_are_the_stems_of_the_words_but_stop_words():
    rng = random.Random(5)
    vocabulary = ["og", "Det", "kommunens", "skolerne", "Ærø", "x1", "42", "i", "løbende", "ﬁl"]
    for _ in range(2000):
        text = rng.choice([" ", "\n", ", "]).join(
            rng.choice(vocabulary) for _ in range(rng.randrange(0, 30))
        )
        assert w.stemmed_terms(text) == " ".join(w.stem_all(w.words(text))), text
