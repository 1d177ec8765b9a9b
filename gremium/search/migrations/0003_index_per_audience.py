"""One full-text index per audience, so that a search reads only the audience it may see,
and the filters as words in the SQLite index.

The public searches only public entries: with one index over both audiences, every search
found the internal copy of each match too and threw it away afterwards, which doubled the
work of the most frequent search. SQLite: two FTS5 tables over the same entries, each kept
in step by triggers that look at the entry's audience. PostgreSQL: two partial GIN indexes
on the same tsvector column. Each half is a no-op on the other database.

`facet_terms` holds an entry's committee, year and kind as words ("o12 y2016 kitem"), which
the FTS5 tables index beside the text: a filtered search then narrows in the index.
"""

from django.db import migrations, models

AUDIENCES = ("public", "internal")


def _sqlite(audience: str) -> list[str]:
    table = f"search_fts_{audience}"
    when = f"WHEN {{row}}.audience = '{audience}'"
    return [
        f"""CREATE VIRTUAL TABLE {table} USING fts5(
            title_terms, body_terms, facet_terms,
            content='search_searchentry', content_rowid='id',
            tokenize='unicode61 remove_diacritics 0', detail=full)""",
        f"""CREATE TRIGGER {table}_insert AFTER INSERT ON search_searchentry
            {when.format(row="new")} BEGIN
            INSERT INTO {table}(rowid, title_terms, body_terms, facet_terms)
            VALUES (new.id, new.title_terms, new.body_terms, new.facet_terms);
        END""",
        f"""CREATE TRIGGER {table}_delete AFTER DELETE ON search_searchentry
            {when.format(row="old")} BEGIN
            INSERT INTO {table}({table}, rowid, title_terms, body_terms, facet_terms)
            VALUES ('delete', old.id, old.title_terms, old.body_terms, old.facet_terms);
        END""",
        # An update may move an entry from one audience to the other: out of the old
        # audience's index, into the new one's.
        f"""CREATE TRIGGER {table}_update_old AFTER UPDATE ON search_searchentry
            {when.format(row="old")} BEGIN
            INSERT INTO {table}({table}, rowid, title_terms, body_terms, facet_terms)
            VALUES ('delete', old.id, old.title_terms, old.body_terms, old.facet_terms);
        END""",
        f"""CREATE TRIGGER {table}_update_new AFTER UPDATE ON search_searchentry
            {when.format(row="new")} BEGIN
            INSERT INTO {table}(rowid, title_terms, body_terms, facet_terms)
            VALUES (new.id, new.title_terms, new.body_terms, new.facet_terms);
        END""",
        f"""INSERT INTO {table}(rowid, title_terms, body_terms, facet_terms)
            SELECT id, title_terms, body_terms, facet_terms FROM search_searchentry
            WHERE audience = '{audience}'""",
    ]


SQLITE_OLD = [
    "DROP TRIGGER search_fts_update",
    "DROP TRIGGER search_fts_delete",
    "DROP TRIGGER search_fts_insert",
    "DROP TABLE search_fts",
]
SQLITE_NEW = [sql for audience in AUDIENCES for sql in _sqlite(audience)]
SQLITE_NEW_REVERSE = [
    *(
        f"DROP TRIGGER search_fts_{audience}_{name}"
        for audience in AUDIENCES
        for name in ("insert", "delete", "update_old", "update_new")
    ),
    *(f"DROP TABLE search_fts_{audience}" for audience in AUDIENCES),
]
# The single index of migration 0002, filled again from every entry.
SQLITE_OLD_REVERSE = [
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
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]

# Only SQLite's index reads the facets; PostgreSQL filters by the columns themselves (and
# an UPDATE of every row there would compute every row's vectors again).
FACETS = """UPDATE search_searchentry SET facet_terms = 'k' || kind
    || CASE WHEN organization_id IS NULL THEN '' ELSE ' o' || organization_id END
    || CASE WHEN date IS NULL THEN ''
       ELSE ' y' || CAST(CAST(substr(date, 1, 4) AS INTEGER) AS TEXT) END"""

POSTGRESQL = [
    "DROP INDEX search_entry_vector",
    *(
        f"CREATE INDEX search_entry_vector_{audience} ON search_searchentry "
        f"USING gin (search_vector) WHERE audience = '{audience}'"
        for audience in AUDIENCES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP INDEX search_entry_vector_{audience}" for audience in AUDIENCES),
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (search_vector)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_OLD}), _run({"sqlite": SQLITE_OLD_REVERSE})),
        migrations.AddField(
            model_name="searchentry",
            name="facet_terms",
            field=models.CharField(
                blank=True, default="", max_length=100, verbose_name="filtrenes søgeord"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(_run({"sqlite": [FACETS]}), migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_NEW, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_NEW_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
