"""PostgreSQL: each entry's words once more, without positions or weights (`search_words`),
kept in the row itself (storage MAIN), so that reading the newest entries by the date index
and testing each one's words costs what reading the row costs. The full vector
(`search_vector`, with positions for phrases) is several kilobytes, stored apart (TOAST),
and testing it read and unpacked it for every entry passed: 9 µs per entry against 1.3 µs
at --scale 1. A search for words found in many entries reads its newest matches that way
(`searching._pooled_page`) instead of building the GIN bitmap of every match in the archive.

The column is computed by PostgreSQL from the terms columns, so no reindex is needed; but
the table is written anew (the ALTER TABLE rewrites it and its indexes): on a large
archive this migration takes minutes (see docs/operations.md). SQLite: a no-op.
"""

from django.db import migrations

AUDIENCES = ("public", "internal")
POSTGRESQL = [
    # One ALTER TABLE: the storage and the target apply to the rows the rewrite writes.
    # MAIN: compressed if worth it, moved out of the row only when the row would not fit a
    # page. The target: with the default (2 kB) a row holding these words (1 to 6 kB) never
    # fits, and PostgreSQL then moves every other value longer than a pointer out of the
    # row, the title's vector and the doc_key too, which cost four buffers an entry more
    # wherever the rows are read (a GIN match: 15,211 rows, 73,848 buffers). At 8160 only
    # what does not fit the page goes, largest first.
    """ALTER TABLE search_searchentry
        SET (toast_tuple_target = 8160),
        ADD COLUMN search_words tsvector GENERATED ALWAYS AS (
            strip(to_tsvector('danish'::regconfig, title_terms)
                || to_tsvector('danish'::regconfig, 'og ' || body_terms))
        ) STORED,
        ALTER COLUMN search_words SET STORAGE MAIN""",
    # A committee's entries newest first, for a search filtered by committee: read through
    # the date index alone, the others' entries (29 in 30) were passed over one by one.
    *(
        f"CREATE INDEX search_entry_org_date_{audience} ON search_searchentry "
        f"(organization_id, date DESC NULLS LAST, id) WHERE audience = '{audience}'"
        for audience in AUDIENCES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP INDEX search_entry_org_date_{audience}" for audience in AUDIENCES),
    "ALTER TABLE search_searchentry RESET (toast_tuple_target), DROP COLUMN search_words",
]


def _schema(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgresql_phrase_pairs")]

    operations = [migrations.RunPython(_schema(POSTGRESQL), _schema(POSTGRESQL_REVERSE))]
