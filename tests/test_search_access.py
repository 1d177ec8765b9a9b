"""Search and the access layer: the canary matrix, the public index, and keeping the index
current as the record changes.

A closed item's text, internal title and attachment, an internal attachment of an open
item and an unpublished meeting's text are found by the meeting's insiders (the member of
its period, its secretary, the administrator) and by no one else: not the public, not a
former member, not a member of another committee.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from gremium.audit.services import Actor
from gremium.meetings import services
from gremium.organizations.models import Person
from gremium.search.indexing import rebuild
from gremium.search.models import SearchEntry
from gremium.search.query import parse
from gremium.search.searching import search
from tests.search_archive import CANARIES, INSIDERS, PLANNED_TEXT, ROLES, Archive, build_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(settings, tmp_path, django_capture_on_commit_callbacks) -> Archive:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # As if each change had committed: the reindexes they queued run.
    with django_capture_on_commit_callbacks(execute=True):
        return build_archive()


def _client(archive: Archive, role: str) -> Client:
    client = Client()
    if archive.users[role] is not None:
        client.force_login(archive.users[role])
    return client


def _found(client: Client, text: str) -> set[str]:
    """The canaries in the results (the page repeats the query elsewhere)."""
    response = client.get("/soeg/", {"q": text})
    assert response.status_code == 200
    html = response.content.decode()
    results = re.search(r'<ol class="search-results".*?</ol>', html, re.S)
    shown = results.group(0) if results else ""
    shown = shown.replace("<mark>", "").replace("</mark>", "")
    return {canary for canary in CANARIES if canary in shown}


@pytest.mark.parametrize("role", ROLES)
def test_canary_matrix(archive, role):
    client = _client(archive, role)
    expected = set(CANARIES) if role in INSIDERS else set()
    # By a word of the canaries, by each canary exactly, and by the words around them.
    assert _found(client, "kanariefugl") == expected, role
    for canary in CANARIES:
        found = _found(client, canary)  # the closed item's title and text come together
        assert (canary in found) == (role in INSIDERS) and found <= expected, (role, canary)
    for words in ("fortroligt medarbejder", "notat om sagen", "internt notat", "udkast"):
        found = search(archive.users[role], parse(words)).total
        assert (found > 0) == (role in INSIDERS), (role, words)


def test_an_insider_gets_the_internal_entry_instead_of_the_public_one(archive):
    member, public = archive.users["member"], None
    internal = [e.title for e in search(member, parse("personalesag")).entries]
    outside = [e.title for e in search(public, parse("personalesag")).entries]
    assert internal == ["Punkt 2: Personalesag Kanariefugl-titel-4410"]
    assert outside == ["Punkt 2: Lukket punkt: Personalesag"]
    # The other committee's member sees the public entry of this committee's meeting.
    other = [e.title for e in search(archive.users["other"], parse("personalesag")).entries]
    assert other == outside


def test_the_public_index_holds_only_what_the_public_may_read(archive):
    public = SearchEntry.objects.filter(audience="public")
    assert public.exists()
    for entry in public:
        stored = " ".join((entry.title, entry.text, entry.title_terms, entry.body_terms))
        for canary in CANARIES:
            assert canary.lower() not in stored.lower(), (entry, canary)
    assert not public.filter(meeting=archive.meetings["planned"]).exists()
    assert SearchEntry.objects.filter(meeting=archive.meetings["planned"], audience="internal")


def test_a_public_entry_is_not_shown_once_its_meeting_is_not_public(archive):
    """Fail closed: even a stale public entry of a meeting the public no longer sees (a
    change written past the services) is filtered out by the query itself."""
    meeting = archive.meetings["tmu"]
    type(meeting).objects.filter(pk=meeting.pk).update(state="planned")
    assert search(None, parse("vestergade")).total == 1  # the attachment of the 2024 meeting
    assert [e.kind for e in search(None, parse("vestergade")).entries] == ["attachment"]


# -- keeping the index current -----------------------------------------------------------


def test_publishing_an_agenda_puts_the_meeting_in_the_public_index(
    archive, django_capture_on_commit_callbacks
):
    planned = archive.meetings["planned"]
    assert search(None, parse("budget 2027")).total == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_agenda(meeting=planned, by=Actor.system("test"))
    found = search(None, parse("budget 2027")).entries
    assert [e.title for e in found] == ["Punkt 1: Budget 2027"]
    assert PLANNED_TEXT in found[0].text  # an open item: its text is public now


def test_closing_an_item_takes_its_text_out_of_the_public_index(
    archive, django_capture_on_commit_callbacks
):
    item = archive.items["vestergade"]
    assert search(None, parse("cykelsti boliger")).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_update(
            item=item,
            by=Actor.system("test"),
            expected_version=item.version,
            public=False,
            public_title="Ejendomssag",
        )
    assert search(None, parse("cykelsti boliger")).total == 0
    assert [e.title for e in search(None, parse("ejendomssag")).entries] == [
        "Punkt 1: Lukket punkt: Ejendomssag"
    ]
    secretary = archive.users["admin"]
    assert search(secretary, parse("cykelsti boliger")).total == 1


def test_an_edit_is_found_after_the_commit_and_several_changes_index_once(
    archive, django_capture_on_commit_callbacks
):
    item = archive.items["planned"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.section_add(
            item=item, heading="Bemærkning", body="Skøjtebane", by=Actor.system("t")
        )
    # One reindex per meeting and transaction (the test runs inside one); other receivers
    # (the agenda-change notices) queue their own work beside it.
    reindex = [c for c in callbacks if type(c).__module__ == "gremium.search.receivers"]
    assert len(reindex) == 1
    reindex[0]()
    assert search(archive.users["member"], parse("skøjtebanen")).total == 1
    assert search(None, parse("skøjtebanen")).total == 0


def test_deleting_a_meeting_removes_its_entries(archive, django_capture_on_commit_callbacks):
    planned = archive.meetings["planned"]
    planned_id = planned.pk
    assert SearchEntry.objects.filter(meeting_id=planned_id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_delete(meeting=planned, by=Actor.system("test"))
    assert not SearchEntry.objects.filter(meeting_id=planned_id).exists()
    assert search(archive.users["admin"], parse(PLANNED_TEXT)).total == 0


def test_a_renamed_person_is_found_by_the_new_name(archive, django_capture_on_commit_callbacks):
    person = Person.objects.get(name="Mette Bødker")
    with django_capture_on_commit_callbacks(execute=True):
        person.name = "Mette Bødker Holm"
        person.save()
    assert [e.title for e in search(None, parse("holm")).entries] == ["Mette Bødker Holm"]


def test_reindex_rebuilds_the_index_and_rewrites_only_what_changed(archive, capsys):
    before = dict(SearchEntry.objects.values_list("pk", "digest"))
    call_command("reindex")
    assert dict(SearchEntry.objects.values_list("pk", "digest")) == before  # nothing rewritten
    SearchEntry.objects.all().delete()
    call_command("reindex")
    assert "Indekserede 4 møder" in capsys.readouterr().out
    assert search(None, parse("nytteindsats")).total == 2
    assert search(archive.users["member"], parse("kanariefugl")).total == 4


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_a_transaction_finds_the_same_and_syncs_again(settings, tmp_path):
    """SQLite: the rebuild commits without waiting for the disk until its last commit,
    then sets the connection back as it was."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    archive = build_archive()
    public = search(None, parse("nytteindsats")).total
    inside = search(archive.users["member"], parse("kanariefugl")).total
    synchronous = _synchronous()
    SearchEntry.objects.all().delete()
    assert search(None, parse("nytteindsats")).total == 0
    assert rebuild() == 4
    assert (public, inside) == (2, 4)
    assert search(None, parse("nytteindsats")).total == public
    assert search(archive.users["member"], parse("kanariefugl")).total == inside
    assert _synchronous() == synchronous


def _synchronous() -> object:
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        return cursor.fetchone()[0]
