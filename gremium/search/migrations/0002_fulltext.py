"""The full-text index beside search_searchentry, one kind per database.

SQLite: an FTS5 table over the entry's stemmed terms (external content: the terms are stored
once, in the entry), kept in step by triggers, so a row deleted any way (a cascade from a
deleted meeting included) leaves the index too. PostgreSQL: a generated tsvector column in
the `danish` configuration with a GIN index. Each half is a no-op on the other database.
"""

from django.db import migrations

SQLITE = [
    # remove_diacritics 0: the terms are already what PostgreSQL's danish configuration
    # would make of them, and "é" stays "é" there too.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, body_terms,
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', detail=full)""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.body_terms);
        INSERT INTO search_fts(rowid, title_terms, body_terms)
        VALUES (new.id, new.title_terms, new.body_terms);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER search_fts_update",
    "DROP TRIGGER search_fts_delete",
    "DROP TRIGGER search_fts_insert",
    "DROP TABLE search_fts",
]

POSTGRESQL = [
    # Title words weigh most (A). The body is read after a stop word ("og"), which
    # PostgreSQL drops but counts: the body's first word then never stands right after the
    # title's last, so a phrase cannot run from title into body (as on SQLite, where
    # they are two columns).
    """ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('danish'::regconfig, title_terms), 'A')
            || setweight(to_tsvector('danish'::regconfig, 'og ' || body_terms), 'D')
        ) STORED""",
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (search_vector)",
    # The title alone, for the rank: ranking by the whole vector reads every match's
    # (large, TOASTed) body vector; the title's is small and stored in the row.
    """ALTER TABLE search_searchentry ADD COLUMN search_title tsvector
        GENERATED ALWAYS AS (to_tsvector('danish'::regconfig, title_terms)) STORED""",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE search_searchentry DROP COLUMN search_title",
    "DROP INDEX search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
