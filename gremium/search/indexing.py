"""Fill the search index from the record, each audience from its own document.

A meeting the public sees is indexed twice: from its public document (a closed item is
only its number and public title there, and only public attachments of open items are
listed) and from its internal one. A meeting the public does not see (planned, or
cancelled before its agenda went out) has internal entries only. So the public index never
holds anything the public may not read, whatever the query later asks.

Each function here can run on its own (the `gremium reindex` command, a receiver after a
commit, later a task queue). Indexing compares what it would write with what is stored
(`SearchEntry.digest`) and writes only what changed, so reindexing an unchanged meeting
costs two document builds and no writes.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import hashlib
import json
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django import db
from django.db import connection
from django.db.models import QuerySet

from gremium.audit.services import write_transaction
from gremium.documents.build import attachment_finder, build_documents
from gremium.lib import document_structure as s
from gremium.lib.item_numbers import number_label
from gremium.meetings.access import document_kind, is_public
from gremium.meetings.models import Meeting
from gremium.organizations.models import Membership, Organization, Person
from gremium.papers.models import Attachment
from gremium.search import words as w
from gremium.search.backends import (
    add_vocabulary,
    facet_terms,
    fts_merging_deferred,
    index_pairs,
    index_terms,
    is_postgresql,
    optimize,
)
from gremium.search.models import EntryAudience, EntryKind, SearchEntry

log = logging.getLogger(__name__)

# A long text is indexed in parts of this many words (the result shows it once). Parts
# keep PostgreSQL's positions (at most 16,383 per tsvector) and snippets cheap; they
# overlap, so a phrase of up to OVERLAP words is found across a boundary.
PART_WORDS = 1500
OVERLAP = 20
BATCH = 500
ATTEMPTS = 3


@dataclasses.dataclass(frozen=True)
class Draft:
    """An entry as it will be stored, before its terms are made."""

    audience: str
    kind: str
    doc_key: str
    title: str
    part: int = 0
    meeting_id: int | None = None
    organization_id: int | None = None
    date: Any = None
    anchor: str = ""
    object_id: int | None = None
    context: str = ""
    reference: str = ""
    text: str = ""
    codes: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.audience, self.doc_key, self.part)

    def digest(self) -> str:
        # Not dataclasses.asdict: its deep copy of every field cost more than the hash.
        data = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        data["date"] = str(self.date)
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# -- meetings ----------------------------------------------------------------------------


def index_meeting(meeting_id: int) -> None:
    """Bring the entries of one meeting in line with the record; a deleted meeting's go."""
    for _attempt in range(ATTEMPTS):
        work = _meeting_work(meeting_id)
        with write_transaction():
            if work.store():
                return
    log.warning(
        "Meeting %s kept changing while it was indexed; left for its next change", meeting_id
    )


@dataclasses.dataclass
class _MeetingWork:
    """What indexing one meeting will write, made before the write lock is taken."""

    meeting_id: int
    version: int  # the meeting's, when it was read
    existing: QuerySet[SearchEntry]
    prepared: _Prepared | None  # None: the meeting is gone, and so go its entries

    def store(self) -> bool:
        """Inside the write transaction: write it, unless the meeting changed since it was
        read (its own reindex follows, but this one must not write what that change
        replaced). False when it changed."""
        if self.prepared is None:
            self.existing.delete()
            return True
        if not Meeting.objects.filter(pk=self.meeting_id, version=self.version).exists():
            return False
        _store(self.existing, self.prepared)
        return True


def _meeting_work(meeting_id: int) -> _MeetingWork:
    meeting = Meeting.objects.select_related("organization").filter(pk=meeting_id).first()
    existing = SearchEntry.objects.filter(meeting_id=meeting_id)
    if meeting is None:
        return _MeetingWork(meeting_id, 0, existing, None)
    prepared = _prepare(meeting_drafts(meeting), _digests(existing))
    return _MeetingWork(meeting_id, meeting.version, existing, prepared)


def meeting_drafts(meeting: Meeting) -> list[Draft]:
    audiences = [s.Audience.INTERNAL]
    if is_public(meeting):
        audiences.insert(0, s.Audience.PUBLIC)
    find = attachment_finder(meeting, with_text=True)
    documents = build_documents(
        meeting, kind=document_kind(meeting), audiences=audiences, find=find
    )
    drafts: list[Draft] = []
    for audience, document in documents.items():
        drafts.extend(_document_drafts(meeting, document, EntryAudience(audience.value), find))
    return drafts


def _document_drafts(
    meeting: Meeting,
    document: s.Document,
    audience: str,
    find: Callable[[s.AttachmentRef], Attachment | None],
) -> Iterator[Draft]:
    common: dict[str, Any] = {
        "audience": audience,
        "meeting_id": meeting.pk,
        "organization_id": meeting.organization_id,
        "date": meeting.day,
    }
    for item in document.items:
        heading = _item_heading(item)
        yield from _parts(
            Draft(
                kind=EntryKind.ITEM,
                doc_key=f"item:{meeting.pk}:{item.key}",
                title=heading,
                anchor=item.key,
                reference=item.reference,
                **common,
            ),
            _item_text(item),
        )
        for ref in item.attachments:
            row = find(ref)
            if row is None:  # no file: nothing to read and nothing to link to
                continue
            yield from _parts(
                Draft(
                    kind=EntryKind.ATTACHMENT,
                    doc_key=f"attachment:{row.pk}",
                    title=ref.name,
                    anchor=item.key,
                    object_id=row.pk,
                    context=heading,
                    reference=item.reference,
                    **common,
                ),
                row.text,
            )


def _item_heading(item: s.Item) -> str:
    label = number_label(item.number, item.sub_number)
    return f"Punkt {label}: {item.title}" if label else item.title


def _item_text(item: s.Item) -> str:
    """What a reader of the item reads: sections, decision, protocol entries, addenda."""
    parts = []
    for section in item.sections:
        parts += [section.heading, w.markdown_text(section.body)]
    if item.decision is not None:
        parts += [item.decision.outcome, w.markdown_text(item.decision.text)]
    parts += [f"{d.name}: {d.text}" for d in item.dissents]
    parts += [a.text for a in item.addenda]
    return "\n\n".join(p for p in parts if p.strip())


def _parts(head: Draft, text: str) -> Iterator[Draft]:
    """The draft for each part of a text; every part carries the title and the codes of
    the title and reference, so a search for a title word and a text word finds it."""
    head = dataclasses.replace(head, title=w.normalize(head.title))
    shared = w.codes(f"{head.title}\n{head.reference}")
    for number, (body, codes) in enumerate(_split(text)):
        found = tuple(dict.fromkeys(shared + list(codes)))
        yield dataclasses.replace(head, part=number, text=body, codes=found)


@functools.lru_cache(maxsize=64)  # a meeting's public and internal entries share texts
def _split(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The parts of a text, each with its codes."""
    text = w.normalize(text)
    bodies = (text[start:end].strip() for start, end in _part_spans(text))
    return tuple((body, tuple(w.codes(body))) for body in bodies)


def _part_spans(text: str) -> list[tuple[int, int]]:
    """Where each part runs: from a word's start to the end of the PART_WORDS-th word on,
    each part starting PART_WORDS - OVERLAP words after the one before, the last one
    holding more than OVERLAP words of its own. The words are counted by the regex engine:
    a match object per word cost more than the rest of splitting a text."""
    if len(text) < 2 * PART_WORDS:  # words need a separator each: too short for two parts
        return [(0, len(text))]
    first = w.WORD.search(text)
    if first is None or w.WORD.search(text, _end(_PART, text, first.start())) is None:
        return [(0, len(text))]  # PART_WORDS words at most
    start, result = first.start(), []
    while (step := _STEP.match(text, start)) is not None:
        result.append((start, _end(_TAIL, text, step.end())))
        if _MORE.match(text, step.end()) is None:  # what is left is in this part's overlap
            return result
        start = step.end()
    result.append((start, _end(_PART, text, start)))
    return result


def _end(words: re.Pattern[str], text: str, start: int) -> int:
    """Where `words` (_PART or _TAIL), matched at the start of a word, ends."""
    match = words.match(text, start)
    if match is None:  # cannot be: both match any word
        raise ValueError(start)
    return match.end()


# From the start of a word: that word and up to PART_WORDS - 1 more; STEP words and their
# separators (to the start of the next part's first word); the OVERLAP words at the end of
# a part; more than OVERLAP words.
_WORDS = r"[^\W_]++(?:[\W_]++[^\W_]++){{0,{}}}"
_PART = re.compile(_WORDS.format(PART_WORDS - 1))
_STEP = re.compile(rf"(?:[^\W_]++[\W_]++){{{PART_WORDS - OVERLAP}}}(?=[^\W_])")
_TAIL = re.compile(_WORDS.format(OVERLAP - 1))
_MORE = re.compile(rf"(?:[^\W_]++[\W_]*+){{{OVERLAP + 1}}}")


# -- committees and people ---------------------------------------------------------------


def index_directory() -> None:
    """Committees and people: public facts only (names, roles, parties, periods)."""
    drafts = list(directory_drafts())
    existing = SearchEntry.objects.filter(
        meeting__isnull=True, kind__in=[EntryKind.COMMITTEE, EntryKind.PERSON]
    )
    prepared = _prepare(drafts, _digests(existing))
    with write_transaction():
        _store(existing, prepared)


def directory_drafts() -> Iterator[Draft]:
    for organization in Organization.objects.select_related("body"):
        text = "\n".join(
            p
            for p in (
                organization.short_name,
                organization.get_classification_display(),
                organization.body.name,
            )
            if p
        )
        yield Draft(
            audience=EntryAudience.PUBLIC,
            kind=EntryKind.COMMITTEE,
            doc_key=f"organization:{organization.pk}",
            title=organization.name,
            organization_id=organization.pk,
            object_id=organization.pk,
            text=text,
        )
    memberships = Membership.objects.select_related("organization").order_by(
        "person_id", "organization__name", "start_date"
    )
    seats: dict[int, list[Membership]] = {}
    for membership in memberships:
        seats.setdefault(membership.person_id, []).append(membership)
    for person in Person.objects.filter(pk__in=seats.keys()):
        yield _person_draft(person, seats[person.pk])


def _person_draft(person: Person, seats: list[Membership]) -> Draft:
    lines = [
        ", ".join(
            p for p in (str(m.get_role_display()), m.organization.name, m.party, _period(m)) if p
        )
        for m in seats
    ]
    return Draft(
        audience=EntryAudience.PUBLIC,
        kind=EntryKind.PERSON,
        doc_key=f"person:{person.pk}",
        title=person.name,
        object_id=person.pk,
        text="\n".join(lines),
    )


def _period(membership: Membership) -> str:
    start, end = membership.start_date, membership.end_date
    if start is None and end is None:
        return ""
    return (
        f"{start:%d-%m-%Y}–{end:%d-%m-%Y}"
        if start and end
        else (f"fra {start:%d-%m-%Y}" if start else f"til {end:%d-%m-%Y}")
    )


# -- everything --------------------------------------------------------------------------


def rebuild(*, progress: Any = None) -> int:
    """Index every meeting and the directory, a few meetings per transaction (the office
    keeps working meanwhile), and drop entries of meetings that no longer exist. Returns
    the number of meetings indexed."""
    ids = list(Meeting.objects.order_by("pk").values_list("pk", flat=True))
    orphans = SearchEntry.objects.filter(meeting__isnull=False).exclude(meeting_id__in=ids)
    with write_transaction():
        orphans.delete()
    with _rebuild_session(), _vocabulary_at_the_end():
        done = 0
        for works in _made_ahead(_chunks(ids, MEETINGS_PER_WRITE)):
            _store_works(works)
            done += len(works)
            if progress is not None:
                progress(done, len(ids))
        index_directory()
    with write_transaction():
        optimize()  # synced: it makes every commit before it durable too
    return len(ids)


# A full rebuild writes this many meetings per transaction: a commit each cost more than
# writing a meeting's entries, and the write lock is still held only a moment.
MEETINGS_PER_WRITE = 10


def _store_works(works: list[_MeetingWork]) -> None:
    """Several meetings' entries written in one transaction; a meeting that changed since
    it was read is indexed again on its own."""
    with write_transaction():
        changed = [work.meeting_id for work in works if not work.store()]
    for meeting_id in changed:
        index_meeting(meeting_id)


def _made_ahead(chunks: Iterable[list[int]]) -> Iterator[list[_MeetingWork]]:
    """Each chunk's `_MeetingWork`, made by a thread of its own (with a connection of its
    own) while this one writes the chunk before: the database's work (FTS5 in SQLite's C
    code, PostgreSQL's server) runs beside the reading and splitting in Python, on a
    second core. Inside a transaction (a test) the other thread could not see its data,
    and in SQLite's in-memory database (the tests') a reader fails at once while another
    connection writes: made here, one after the other."""
    if connection.in_atomic_block or _in_memory():
        for chunk in chunks:
            yield [_meeting_work(meeting_id) for meeting_id in chunk]
        return
    made: queue.Queue[list[_MeetingWork] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(item: list[_MeetingWork] | BaseException | None) -> bool:
        while not stop.is_set():  # the writer stopped (it failed): nobody takes it
            with contextlib.suppress(queue.Full):
                made.put(item, timeout=0.1)
                return True
        return False

    def make() -> None:
        try:
            for chunk in chunks:
                if not hand_over([_meeting_work(meeting_id) for meeting_id in chunk]):
                    return
            hand_over(None)
        except BaseException as error:  # handed to the writing thread, which raises it
            hand_over(error)
        finally:
            db.connections.close_all()

    maker = threading.Thread(target=make, name="reindex-maker", daemon=True)
    maker.start()
    try:
        while (item := made.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        maker.join()


def _in_memory() -> bool:
    return not is_postgresql() and bool(getattr(connection, "is_in_memory_db", bool)())


def _chunks(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@contextlib.contextmanager
def _rebuild_session() -> Iterator[None]:
    """The rebuild's connection settings: commits that do not wait for the disk, and on
    SQLite no merging of the full-text index's segments until the end (`optimize` merges
    them once)."""
    if connection.in_atomic_block:  # inside a transaction (a test): leave it as it is
        yield
        return
    with _commits_unsynced(), fts_merging_deferred():
        yield


# Set during a full rebuild: the entries' terms are not added to SQLite's vocabulary one
# batch at a time (7 s of CPU for 71,000 entries, splitting every text again) but read once
# from the finished index by `optimize` (about a second). Until then a prefix word finds the
# terms the vocabulary held before, as the index itself is still being filled.
_VOCABULARY_LATER: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "vocabulary_later", default=False
)


@contextlib.contextmanager
def _vocabulary_at_the_end() -> Iterator[None]:
    token = _VOCABULARY_LATER.set(True)
    try:
        yield
    finally:
        _VOCABULARY_LATER.reset(token)


@contextlib.contextmanager
def _commits_unsynced() -> Iterator[None]:
    """Commits that do not wait for the disk, for the rebuild's hundreds of commits: on
    SQLite a third of its time went into them (synchronous=NORMAL, still atomic in WAL
    mode); on PostgreSQL `synchronous_commit` off for this session, which risks only the
    last commits on a crash, never a half-written one. The rebuild's last commit (SQLite)
    is synced again, which makes all before it durable; a rebuild cut short by a power loss
    is run again, as one cut short any other way."""
    if is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous=NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={int(before)}")


# -- storing -----------------------------------------------------------------------------

Key = tuple[str, str, int]


@dataclasses.dataclass
class _Prepared:
    """The drafts by key with their digests, and the rows for those not stored yet, their
    terms made: the costly part (stemming a long attachment), done before the write lock
    is taken."""

    wanted: dict[Key, tuple[Draft, str]]
    entries: dict[Key, SearchEntry]


def _digests(existing: QuerySet[SearchEntry]) -> dict[Key, tuple[int, str]]:
    rows = existing.values_list("audience", "doc_key", "part", "pk", "digest")
    return {(a, k, p): (pk, digest) for a, k, p, pk, digest in rows}


def _prepare(drafts: list[Draft], stored: dict[Key, tuple[int, str]]) -> _Prepared:
    wanted = {draft.key: (draft, draft.digest()) for draft in drafts}
    entries = {
        key: _entry(draft, digest)
        for key, (draft, digest) in wanted.items()
        if stored.get(key, (0, ""))[1] != digest
    }
    return _Prepared(wanted, entries)


def _entry(draft: Draft, digest: str) -> SearchEntry:
    return SearchEntry(
        audience=draft.audience,
        kind=draft.kind,
        doc_key=draft.doc_key,
        part=draft.part,
        meeting_id=draft.meeting_id,
        organization_id=draft.organization_id,
        date=draft.date,
        anchor=draft.anchor,
        object_id=draft.object_id,
        title=draft.title[:600],
        context=draft.context[:600],
        reference=draft.reference[:100],
        text=draft.text,
        title_terms=index_terms(draft.title),
        body_terms=index_terms(f"{draft.reference}\n{draft.text}"),
        pair_terms=index_pairs(draft.title, f"{draft.reference}\n{draft.text}"),
        facet_terms=facet_terms(draft.organization_id, draft.date, draft.kind),
        digest=digest,
    )


def _store(existing: QuerySet[SearchEntry], prepared: _Prepared) -> None:
    """Inside the write transaction: delete what is stale, add what is new, as the rows
    stand now (another indexing may have written since the drafts were prepared)."""
    stored = _digests(existing)
    stale = [
        pk
        for key, (pk, digest) in stored.items()
        if key not in prepared.wanted or prepared.wanted[key][1] != digest
    ]
    for batch in _batches(stale):
        SearchEntry.objects.filter(pk__in=batch).delete()
    new = [
        (prepared.entries.get(key) or _entry(draft, digest), draft.codes)
        for key, (draft, digest) in prepared.wanted.items()
        if stored.get(key, (0, ""))[1] != digest
    ]
    _insert(new)


# The entries' columns but the id (and PostgreSQL's generated vectors, no model fields).
_COLUMNS = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key]
_INSERT_ENTRY = "INSERT INTO {table} ({columns}) VALUES ({values})".format(  # noqa: S608
    table=SearchEntry._meta.db_table,
    columns=", ".join(f'"{f.column}"' for f in _COLUMNS),  # our own names: no quotes inside
    values=", ".join(["%s"] * len(_COLUMNS)),
)
# A code finds its entry by the entry's key, unique once the stale rows are gone: the ids of
# rows written by executemany are not known.
_INSERT_CODE = (
    "INSERT INTO search_searchcode (entry_id, code) SELECT id, %s FROM search_searchentry "
    "WHERE audience = %s AND doc_key = %s AND part = %s"
)


_COPY_ENTRY = "COPY {table} ({columns}) FROM STDIN".format(
    table=SearchEntry._meta.db_table, columns=", ".join(f'"{f.column}"' for f in _COLUMNS)
)
# PostgreSQL: all of a batch's codes in one statement, by the keys of their entries.
_INSERT_CODES_POSTGRESQL = (
    "INSERT INTO search_searchcode (entry_id, code) SELECT e.id, c.code "
    "FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], %s::integer[]) "
    "AS c(code, audience, doc_key, part) JOIN search_searchentry e "
    "ON e.audience = c.audience AND e.doc_key = c.doc_key AND e.part = c.part"
)


def _insert(new: list[tuple[SearchEntry, tuple[str, ...]]]) -> None:
    """The new entries and their codes, a statement each run for many rows: Django's
    bulk_create writes at most 999 values a statement on SQLite (58 entries), and
    compiling those statements cost more than SQLite spent running them. PostgreSQL gets
    the entries by COPY: a statement a row, each parsed with its long texts inside, cost
    the server a sixth more and the client four times as much."""
    with connection.cursor() as cursor:
        for batch in _batches(new):
            rows = [
                [f.get_db_prep_save(getattr(e, f.attname), connection) for f in _COLUMNS]
                for e, _codes in batch
            ]
            codes = [
                (code[:100], e.audience, e.doc_key, e.part) for e, found in batch for code in found
            ]
            if is_postgresql():
                with cursor.cursor.copy(_COPY_ENTRY) as copy:
                    for row in rows:
                        copy.write_row(row)
                if codes:
                    columns = [list(column) for column in zip(*codes, strict=True)]
                    cursor.execute(_INSERT_CODES_POSTGRESQL, columns)
            else:
                cursor.executemany(_INSERT_ENTRY, rows)
                cursor.executemany(_INSERT_CODE, codes)
            if not _VOCABULARY_LATER.get():
                add_vocabulary(cursor, [(e.title_terms, e.body_terms) for e, _codes in batch])


def _batches(rows: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]
