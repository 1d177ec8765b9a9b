"""SQLite: an index holding every column the ranked pool reads of an entry (its key, date,
title, and the columns the access and filter conditions check), so that the 2,000 newest
matches of a frequent word are read from a few dense index pages instead of each entry's
row, whose long text makes it a page of its own (`searching._pool_rows`: a quarter less CPU
per search at `--scale 0.2`). SQLite picks it by itself as a covering index. A no-op on
PostgreSQL, which reads its matches by other indexes (migration 0004).
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX search_entry_pool ON search_searchentry "
    "(id, audience, meeting_id, organization_id, kind, date, object_id, doc_key, title)"
)


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX search_entry_pool")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_sqlite_term_vocabulary")]

    operations = [migrations.RunPython(_forward, _backward)]
