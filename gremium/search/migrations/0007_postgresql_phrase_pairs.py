"""PostgreSQL: the pairs of adjacent stems of each entry (`pair_terms`, written by
`backends.index_pairs`), as a tsvector without positions and a GIN index per audience, so
that a phrase is found by its pairs instead of reading the positions in the large vector of
every entry that holds its words. The existing entries get their pairs here, made from
their terms columns (which hold the words, stop words left out, on PostgreSQL): one UPDATE
per entry, so on a large index this migration takes about as long as `gremium reindex`.
SQLite finds phrases in FTS5 and keeps the column empty: a no-op there but the column.
Dropping a column needs SQLite 3.35 (the reverse migration only).
"""

from django.db import migrations, models

AUDIENCES = ("public", "internal")
BATCH = 1000

POSTGRESQL = [
    # array_to_tsvector takes each pair as it is (no parsing, no stemming, no positions).
    """ALTER TABLE search_searchentry ADD COLUMN search_pairs tsvector
        GENERATED ALWAYS AS (array_to_tsvector(string_to_array(pair_terms, ' '))) STORED""",
    *(
        f"CREATE INDEX search_entry_pairs_{audience} ON search_searchentry "
        f"USING gin (search_pairs) WHERE audience = '{audience}'"
        for audience in AUDIENCES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP INDEX search_entry_pairs_{audience}" for audience in AUDIENCES),
    "ALTER TABLE search_searchentry DROP COLUMN search_pairs",
]


def _schema(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


def _fill(apps, schema_editor):
    """The pairs of the entries indexed before this migration (PostgreSQL)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from gremium.search import words as w
    from gremium.search.backends import stem_pairs

    def pairs(*texts: str) -> str:
        found = (pair for text in texts for pair in stem_pairs(w.stem_all(text.split())))
        return " ".join(dict.fromkeys(found))

    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, title_terms, body_terms FROM search_searchentry "
                "WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.executemany(
                "UPDATE search_searchentry SET pair_terms = %s WHERE id = %s",
                [(pairs(title, body), pk) for pk, title, body in rows],
            )
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("search", "0006_sqlite_pool_index")]

    operations = [
        # The column added by hand: Django's AddField with a default makes SQLite's table
        # anew, which would drop the FTS5 triggers on it (migration 0003).
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE search_searchentry ADD COLUMN pair_terms text NOT NULL DEFAULT ''",
                    "ALTER TABLE search_searchentry DROP COLUMN pair_terms",
                )
            ],
            state_operations=[
                migrations.AddField(
                    model_name="searchentry",
                    name="pair_terms",
                    field=models.TextField(blank=True, default="", verbose_name="ordpar"),
                    preserve_default=False,
                )
            ],
        ),
        migrations.RunPython(_schema(POSTGRESQL), _schema(POSTGRESQL_REVERSE)),
        migrations.RunPython(_fill, migrations.RunPython.noop),
    ]
