"""SQLite: a vocabulary of the terms the FTS5 indexes hold (`search_term`), so that a query
word that is a prefix is searched as an OR of the exact terms it starts (`backends.
prefix_terms`), which FTS5 reads lazily, newest first, up to the page's limit; FTS5's own
prefix query merges the lists of every such term in full first, at a cost that grows with
the archive. A no-op on PostgreSQL.

Indexing adds the terms of every entry it writes (stale terms, of entries since deleted, only
match nothing). This migration fills the vocabulary once from the existing indexes through
FTS5's own vocabulary tables (one read of the whole index: seconds at `--scale 1`), so an
existing installation needs no reindex. Only terms that start with a letter are kept: a
prefix is always a stem of letters.
"""

from django.db import migrations

AUDIENCES = ("public", "internal")

CREATE = "CREATE TABLE search_term (term TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID"
# FTS5's own vocabulary walks every term's list: fine once, too slow for a query.
FILL = [
    sql
    for audience in AUDIENCES
    for sql in (
        f"CREATE VIRTUAL TABLE temp.search_vocab_{audience} "
        f"USING fts5vocab(main, search_fts_{audience}, col)",
        "INSERT OR IGNORE INTO search_term (term) "  # noqa: S608 (no user text)
        f"SELECT DISTINCT term FROM temp.search_vocab_{audience} "
        "WHERE col != 'facet_terms' AND substr(term, 1, 1) NOT BETWEEN '0' AND '9'",
        f"DROP TABLE temp.search_vocab_{audience}",
    )
]


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in [CREATE, *FILL]:
            schema_editor.execute(sql)


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE search_term")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgresql_title_and_date_indexes")]

    operations = [migrations.RunPython(_forward, _backward)]
