"""Search (/soeg/): stemming, phrases, case numbers, filters, sorting, pagination, the empty
result, highlighting and hostile queries, on whichever database the suite runs on.

The expectations hold on both SQLite and PostgreSQL: the suite runs on each, so the two
backends are held to the same hit sets (tests/test_search_backends.py checks their terms).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.search.query import parse
from gremium.search.searching import Filters, Sort, search
from tests.search_archive import CANARIES, Archive, build_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(settings, tmp_path) -> Archive:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_archive()


def titles(text: str, user=None, **options) -> set[str]:
    results = search(user, parse(text), per_page=100, **options)
    return {entry.title for entry in results.entries}


def published(
    archive: Archive, days: int, titles: list[str], sections=(), organization=None
) -> None:
    """A meeting of the technical committee (or `organization`) `days` after the technical
    committee's first one, with an item per title, published and indexed."""
    from gremium.search.indexing import index_meeting

    actor = Actor.system("test")
    meeting = services.meeting_create(
        organization=organization or archive.tmu,
        start=archive.meetings["tmu"].start + dt.timedelta(days=days),
        by=actor,
    )
    for title in titles:
        services.agenda_item_add(meeting=meeting, title=title, sections=sections, by=actor)
    services.meeting_publish_agenda(meeting=meeting, by=actor)
    index_meeting(meeting.pk)


def page(client: Client, **params: str) -> str:
    response = client.get("/soeg/", params)
    assert response.status_code == 200
    return response.content.decode()


# What the public finds in the archive. The same sets on SQLite and on PostgreSQL.
PUBLIC_HITS = {
    # Danish stemming: the base form finds the definite and plural forms, and compounds.
    "nytteindsats": {"Punkt 1: Nytteindsatsen i 2024", "Punkt 2: Opfølgning på nytteindsats"},
    "nytteindsatsen": {
        "Punkt 1: Nytteindsatsen i 2024",
        "Punkt 2: Opfølgning på nytteindsats",
    },
    "lokalplanen": {
        "Punkt 1: Lokalplan 12 for Vestergade",
        "Punkt 3: Høring om lokalplan",
        "høringssvar",
    },
    "budgettet": {
        "Punkt 1: Budget 2026",
        "Punkt 1: Nytteindsatsen i 2024",
        "Punkt 2: Opfølgning på nytteindsats",
    },
    # Phrases: the words next to each other, in this order (stop words left out).
    '"job og aktivitetscenteret"': {"Punkt 1: Nytteindsatsen i 2024"},
    '"aktivitetscenteret job"': set(),
    # Every word must be found.
    "lokalplan cykelsti": {"Punkt 1: Lokalplan 12 for Vestergade", "høringssvar"},
    "lokalplan budget": set(),
    # Case numbers exactly; a part of one is not the case number.
    "25/30508": {"Punkt 1: Budget 2026"},
    "EMN-2025-003383": {"Punkt 2: Opfølgning på nytteindsats"},
    "emn-2025-003383": {"Punkt 2: Opfølgning på nytteindsats"},
    "25/3050": set(),
    "EMN-2025-00338": set(),
    # Attachments' text, committees and people.
    "høringssvaret vestergade": {"høringssvar"},
    "miljøudvalget": {"Teknik- og Miljøudvalget", "Anders Andetudvalg"},
    "bødker": {"Mette Bødker"},
}


@pytest.mark.parametrize("text", list(PUBLIC_HITS))
def test_the_public_finds_the_same_on_every_database(archive, text):
    assert titles(text) == PUBLIC_HITS[text]


def test_stemming_finds_every_form_of_nytteindsats(archive):
    for form in ("nytteindsats", "Nytteindsatsen", "nytteindsatser", "NYTTEINDSATS"):
        assert "Punkt 1: Nytteindsatsen i 2024" in titles(form), form


def test_a_phrase_needs_its_words_together_and_in_order(archive):
    assert "Punkt 1: Nytteindsatsen i 2024" in titles("nytteindsatsen budgettet")
    assert "Punkt 1: Nytteindsatsen i 2024" not in titles('"nytteindsatsen budgettet"')
    # A hyphenated word is a phrase of its parts.
    assert titles("job-og-aktivitetscenteret") == {"Punkt 1: Nytteindsatsen i 2024"}


def test_a_phrases_words_match_their_stem_not_as_prefixes(archive):
    """A word alone finds longer words starting with its stem; in a phrase, it finds its
    own stem only (any inflection), not the words it starts."""
    published(archive, 7, ["Lokalplanforslaget for Skolevej", "Lokalplanen for Skolevejen"])

    def found(text: str) -> set[str]:
        return {title.split(": ", 1)[-1] for title in titles(text)}

    both = {"Lokalplanforslaget for Skolevej", "Lokalplanen for Skolevejen"}
    assert found("lokalplan skolevej") == both
    assert found('"lokalplan skolevej"') == {"Lokalplanen for Skolevejen"}
    assert found('"lokalplanforslag skolevejen"') == {"Lokalplanforslaget for Skolevej"}


def test_a_phrase_finds_its_words_by_their_own_stem_and_never_as_prefixes(archive):
    published(
        archive,
        40,
        [
            "Budgettet 2026 vedtages",
            "Budgetforslaget 2026",
            "Lokalplan for Vestergade og Østergade",
            "Lokalplan Vestergade, Vestergade Østergade",
        ],
    )

    def found(text: str) -> set[str]:  # without the items' numbers
        return {re.sub(r"^Punkt \d+: ", "", title) for title in titles(text)}

    # "budgettet" and "budgetter" share a stem; "budget" (another stem) and a longer word
    # starting with one (a prefix) do not, in a phrase.
    assert found('"budgettet 2026"') == {"Budgettet 2026 vedtages"}
    assert found('"budgetter 2026"') == {"Budgettet 2026 vedtages"}
    assert "Budget 2026" in found("budgettet 2026")  # not a phrase: prefixes
    # Three words: each next to the following one, all at once; holding each adjacent pair
    # apart is not enough.
    assert found('"lokalplan vestergade østergade"') == {"Lokalplan for Vestergade og Østergade"}
    assert "Lokalplan Vestergade, Vestergade Østergade" in found(
        '"lokalplan vestergade" "vestergade østergade"'
    )
    assert found('"østergade vestergade lokalplan"') == set()


def test_a_case_number_finds_the_item_also_in_text_and_with_other_words(archive):
    assert titles("25/30508 budget") == {"Punkt 1: Budget 2026"}
    assert titles("25/30508 lokalplan") == set()
    assert titles("sagsnummer: 25/30508.") == set()  # "sagsnummer" is in no entry
    assert titles("(25/30508)") == {"Punkt 1: Budget 2026"}


def test_filters_by_committee_kind_and_period(archive):
    tmu = Filters(organization_id=archive.tmu.pk)
    assert titles("lokalplan", filters=tmu) == {"Punkt 1: Lokalplan 12 for Vestergade"}
    attachments = Filters(kind="attachment")
    assert titles("lokalplan", filters=attachments) == {"høringssvar"}
    people = Filters(kind="person")
    assert titles("beskæftigelsesudvalget", filters=people) == {"Mette Bødker", "Tove Tidligere"}
    in_2025 = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))
    assert titles("nytteindsats budget", filters=in_2025) == {"Punkt 2: Opfølgning på nytteindsats"}
    until_2024 = Filters(date_to=dt.date(2024, 12, 31))
    assert titles("nytteindsats", filters=until_2024) == {"Punkt 1: Nytteindsatsen i 2024"}


def test_sort_by_date_puts_the_newest_first_and_relevance_a_title_first(archive):
    by_date = search(None, parse("budget"), sort=Sort.DATE).entries
    assert [e.date for e in by_date] == sorted((e.date for e in by_date), reverse=True)
    assert by_date[0].title == "Punkt 1: Budget 2026"
    assert by_date[-1].title == "Punkt 1: Nytteindsatsen i 2024"
    # "lokalplan" is in the title of two items, and only in the text of an attachment.
    by_relevance = [e.title for e in search(None, parse("lokalplan")).entries]
    assert by_relevance[-1] == "høringssvar"


def test_pagination_reaches_every_result_once(archive):
    published(archive, 7, [f"Vejvedligeholdelse, strækning {n}" for n in range(23)])
    first = search(None, parse("vejvedligeholdelse"), per_page=10)
    assert (first.total, first.pages, len(first.entries)) == (23, 3, 10)
    seen = [e.pk for p in (1, 2, 3) for e in search(None, first.query, page=p, per_page=10).entries]
    assert len(seen) == len(set(seen)) == 23
    beyond = search(None, first.query, page=9, per_page=10)
    assert beyond.page == 3 and len(beyond.entries) == 3


def test_the_page_paginates_with_a_labelled_nav(archive, client):
    published(archive, 7, [f"Fortovsrenovering {n}" for n in range(21)])
    html = page(client, q="fortovsrenovering")
    assert "21 resultater for »fortovsrenovering«" in html
    assert html.count('class="search-result"') == 20
    assert 'aria-label="Sider i søgeresultatet"' in html
    assert 'aria-current="page"' in html
    assert "?q=fortovsrenovering&amp;side=2" in html
    second = page(client, q="fortovsrenovering", side="2")
    assert second.count('class="search-result"') == 1
    assert '<ol class="search-results" start="21">' in second
    assert client.get("/soeg/", {"q": "fortovsrenovering", "side": "x"}).status_code == 404


def test_results_are_marked_and_escaped(archive, client):
    published(
        archive,
        14,
        ["Skilte <script>alert(1)</script> ved skolen"],
        [("Sagsresume", 'Skiltningen <img src=x onerror="alert(2)"> ved skolevejen.')],
    )
    html = page(client, q="skilte alert")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;<mark>script</mark>&gt;" not in html  # "script" was not searched for
    assert "<mark>Skilte</mark> &lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in html
    assert (
        "<mark>Skiltningen</mark> &lt;img src=x onerror=&quot;<mark>alert</mark>(2)&quot;&gt;"
        in html
    )


def test_snippets_mark_the_words_found_in_a_long_text(archive, client):
    html = page(client, q="cykelsti")
    assert "Høringssvaret om lokalplanen for Vestergade med <mark>cykelsti</mark>." in html
    html = page(client, q="25/30508")
    assert '<span class="reference"><mark>25/30508</mark></span>' not in html  # reference unmarked
    assert "Sagsnr." in html and "25/30508" in html


def test_nothing_found_says_so_and_suggests_what_to_try(archive, client):
    html = page(client, q='"budget lokalplan"', udvalg=archive.tmu.slug)
    assert "Ingen resultater for »&quot;budget lokalplan&quot;«" in html
    assert "kontrollere stavningen" in html
    assert "fjerne anførselstegnene" in html
    unfiltered = re.search(r'<a href="([^"]+)">søge uden afgrænsning', html)
    assert unfiltered is not None and "udvalg" not in unfiltered.group(1)
    assert "q=%22budget+lokalplan%22" in unfiltered.group(1)
    html = page(client, q="og i til")
    assert "kun af meget almindelige ord" in html


def test_the_form_names_a_wrong_period_and_searches_nothing(archive, client):
    html = page(client, q="budget", fra="2026-01-01", til="2025-01-01")
    assert "»Til dato« skal ligge på eller efter »Fra dato«." in html
    assert "resultater for" not in html
    html = page(client, q="budget", fra="1. januar")
    assert "Indtast en gyldig dato." in html


def test_the_page_without_a_query_shows_the_form(client, db):
    html = page(client)
    assert '<form method="get" action="/soeg/"' in html
    assert '<label for="soeg-q">' in html
    assert "resultater" not in html


HOSTILE = [
    '"',
    '""',
    '"""',
    "*",
    "budget*",
    "-budget",
    "budget OR lokalplan",
    "NEAR(budget lokalplan)",
    "NEAR(",
    "budget NOT lokalplan",
    "title_terms:budget",
    "{body_terms}: budget",
    "^budget",
    "budget:*",
    "budget & !lokalplan | x",
    "budget <-> lokalplan",
    "'; DROP TABLE search_searchentry; --",
    "\\",
    "a\x00b",
    "(((",
    "%",
    "_",
    "🦜 kanariefugl",
    "Kanariefugl*",
    "x" * 5000,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_are_searched_as_words(archive, client, text):
    """No input breaks the query or reaches past the words: FTS5 and tsquery syntax,
    SQL, control characters and overlong input are searched as plain words or dropped."""
    for user in (None, archive.users["member"]):
        results = search(user, parse(text))
        assert all(entry.audience == "public" for entry in results.entries) or user
    html = page(client, q=text)
    for canary in CANARIES:
        assert canary not in html


def test_an_operator_word_is_only_a_word(archive):
    # Had OR or NOT worked as operators, these would find something.
    assert titles("budget OR lokalplan") == set()
    assert titles("budget NOT lokalplan") == set()
    assert titles("budget*") == titles("budget")


def test_a_snippet_opens_just_before_the_first_match_and_keeps_the_others():
    from gremium.search.snippets import snippet

    text = " ".join(f"ord{i}" for i in range(100)).replace("ord40 ", "nytteindsatsen ")
    shown = snippet(text, parse("nytteindsats"), size=60)
    assert (
        shown == "… ord33 ord34 ord35 ord36 ord37 ord38 ord39 <mark>nytteindsatsen</mark> ord41 …"
    )
    both = snippet(text.replace("ord45 ", "budget "), parse("budget nytteindsats"), size=100)
    assert "<mark>nytteindsatsen</mark>" in both and "<mark>budget</mark>" in both
    # Where two matches stand close together later, the snippet shows those.
    crowded = text.replace("ord80 ", "budget ").replace("ord82 ", "nytteindsatser ")
    assert "ord81 <mark>nytteindsatser</mark>" in snippet(crowded, parse("budget nytteindsats"))
    assert snippet("Kort <b>tekst</b> om budget.", parse("budget")) == (
        "Kort &lt;b&gt;tekst&lt;/b&gt; om <mark>budget</mark>."
    )


def _all_pages(user, text: str, per_page: int, **options) -> list[int]:
    first = search(user, parse(text), per_page=per_page, **options)
    return [
        entry.pk
        for number in range(1, first.pages + 1)
        for entry in search(user, first.query, page=number, per_page=per_page, **options).entries
    ]


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_pages_picked_from_few_candidates_are_those_of_the_full_ranking(archive, monkeypatch, role):
    """Long texts in parts, scores that differ and tie: read a few candidates at a time,
    the pages hold the same results in the same order as when every match is read."""
    from gremium.search import indexing, searching

    monkeypatch.setattr(indexing, "PART_WORDS", 8)
    monkeypatch.setattr(indexing, "OVERLAP", 2)
    filler = "Forvaltningen har set på sagen igen og anbefaler at udvalget tager stilling."
    for days in (7, 14):
        titles = [f"Vejvedligeholdelse {n}" if n % 3 else f"Strækning {n}" for n in range(12)]
        sections = [("Sagsfremstilling", f"{filler} " * (days // 7) + "Vejvedligeholdelse. " * 2)]
        published(archive, days, titles, sections=sections)
    user = None if role == "anonymous" else archive.users[role]
    for options in ({}, {"sort": Sort.DATE}, {"filters": Filters(kind="item")}):
        everything = search(user, parse("vejvedligeholdelse"), per_page=500, **options)
        assert everything.total == 24 and not everything.more
        expected = [entry.pk for entry in everything.entries]
        monkeypatch.setattr(searching, "CANDIDATES", 1)
        assert _all_pages(user, "vejvedligeholdelse", 5, **options) == expected, options
        monkeypatch.setattr(searching, "CANDIDATES", 100)


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_a_frequent_words_pages_are_those_of_the_full_ranking(archive, monkeypatch, role):
    """A word with more matches than are counted is ranked from fewer rows (the word in a
    title first, then the newest; on SQLite the newest matches): the pages hold the same
    results in the same order as when every match is counted."""
    from gremium.search import searching

    body = [("Sagsfremstilling", "Skolevejen skal have nyt slidlag.")]
    for days in (7, 14, 21):
        titles = [
            f"Skolevejen etape {n}" if days == 14 and n in (2, 5) else f"Slidlag {n}"
            for n in range(9)
        ]
        published(archive, days, titles, sections=body)
    user = None if role == "anonymous" else archive.users[role]
    for text in ("skolevej", "skolevejen slidlag", '"nyt slidlag"'):
        everything = search(user, parse(text), per_page=500)
        assert everything.total == 27 and not everything.more, text
        expected = [entry.pk for entry in everything.entries]
        monkeypatch.setattr(searching, "COUNT_ROWS", 4)
        monkeypatch.setattr(searching, "CANDIDATES", 1)
        capped = search(user, parse(text), per_page=3)
        assert (capped.total, capped.more, capped.pages) == (4, True, 2), text
        assert _all_pages(user, text, 3) == expected[:6], text
        monkeypatch.setattr(searching, "COUNT_ROWS", 1000)
        monkeypatch.setattr(searching, "CANDIDATES", 100)


# PostgreSQL's ways to the newest matches (`searching._part_pool`): the newest entries read
# one by one, in a first window or in one sized by the share that matched there, or every
# match by the GIN indexes; and pools smaller than the matches, which then grow.
WAYS = {
    "first window": {},
    "second window": {"PROBE_ROWS": 4, "DENSE": 0.01},
    "gin": {"PROBE_ROWS": 4, "DENSE": 1.1},
    "no match in the first window": {"PROBE_ROWS": 1, "DENSE": 0.01},
}
SMALL_POOLS = {
    "pools of 3": {"POOL": 3},
    "pools of 3, gin": {"POOL": 3, "PROBE_ROWS": 4, "DENSE": 1.1},
}


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_every_way_to_the_newest_matches_gives_the_same_pages(archive, monkeypatch, role):
    """On PostgreSQL the newest matches are found by reading the newest entries or by the
    GIN indexes, as their share decides: every way gives the same results in the same
    order; a pool smaller than the matches gives the same pages by date (by relevance it
    ranks only the newest), whose count says "over"."""
    from django.db import connection

    from gremium.search import searching

    if connection.vendor != "postgresql":
        pytest.skip("the ways are PostgreSQL's; SQLite reads its FTS5 index newest first")
    body = [("Sagsfremstilling", "Skolevejen skal have nyt slidlag på hele strækningen.")]
    for days in (7, 14, 21, 28):  # a member sees the internal entries of BBU's meetings
        titles = [f"Slidlag {n}" if n % 3 else f"Skolevejen etape {n}" for n in range(5)]
        titles.append(f"Budgetopfølgning {days}")
        committee = archive.bbu if days % 14 else archive.tmu
        published(archive, days, titles, sections=body, organization=committee)
    user = None if role == "anonymous" else archive.users[role]
    texts = ("skolevej", "slidlag skolevejen", '"nyt slidlag"', '"nyt slidlag på hele"')
    defaults = {name: getattr(searching, name) for name in ("POOL", "PROBE_ROWS", "DENSE")}
    for text in texts:
        expected = {sort: _all_pages(user, text, 2, sort=sort) for sort in Sort}
        assert len(expected[Sort.DATE]) >= 20, text
        for way, settings in {**WAYS, **SMALL_POOLS}.items():
            for name, value in {**defaults, **settings}.items():
                monkeypatch.setattr(searching, name, value)
            found = {sort: _all_pages(user, text, 2, sort=sort) for sort in Sort}
            if way in WAYS:
                assert found == expected, (text, way)
            else:  # the pages the count reaches
                first = search(user, parse(text), per_page=2)
                assert first.more and 0 < first.total < len(expected[Sort.DATE]), (text, way)
                dated = found[Sort.DATE]
                assert len(dated) >= first.total, (text, way)
                assert dated == expected[Sort.DATE][: len(dated)], (text, way)
        for name, value in defaults.items():
            monkeypatch.setattr(searching, name, value)


def test_a_frequent_word_is_counted_up_to_a_cap(archive, client, monkeypatch):
    from gremium.search import searching

    published(archive, 7, [f"Fortovsrenovering {n}" for n in range(12)])
    monkeypatch.setattr(searching, "COUNT_ROWS", 5)
    results = search(None, parse("fortovsrenovering"), per_page=2)
    assert (results.total, results.more, results.pages) == (5, True, 3)
    assert len(results.entries) == 2
    html = page(client, q="fortovsrenovering")
    assert "Over 5 resultater for »fortovsrenovering«" in html
    monkeypatch.setattr(searching, "COUNT_ROWS", 1000)
    assert search(None, parse("fortovsrenovering")).total == 12


def test_the_filters_words_in_the_index_are_not_found_as_text(archive):
    """SQLite's index holds each entry's committee, year and kind as words for the
    filters; a query never finds them."""
    year = archive.meetings["tmu"].start.year
    for text in (f"o{archive.tmu.pk}", f"y{year}", "kitem", "kattachment", "kperson"):
        assert titles(text) == set(), text
    tmu = Filters(organization_id=archive.tmu.pk, kind="item")
    assert titles("lokalplan", filters=tmu) == {"Punkt 1: Lokalplan 12 for Vestergade"}


def test_a_search_inside_a_transaction_leaves_it_as_it_was(archive):
    """PostgreSQL counts with planner settings of its own, made in a savepoint that is
    rolled back: the caller's writes before the search stay, the settings do not."""
    from django.db import connection, transaction

    with transaction.atomic():
        published(archive, 50, ["Fortovsrenovering i Vestergade"])
        assert search(None, parse("fortovsrenovering")).total == 1
        assert titles("fortovsrenovering") == {"Punkt 2: Fortovsrenovering i Vestergade"}
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')"
                )
                assert cursor.fetchone() == ("on", "on")
