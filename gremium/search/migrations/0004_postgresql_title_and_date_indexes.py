"""PostgreSQL: per audience, a GIN index on the titles' vectors and an index in date order,
so that the first page by relevance reads the matches with the word in their title and the
newest of the others, not every match (searching._joined_first). A no-op on SQLite."""

from django.db import migrations

AUDIENCES = ("public", "internal")

POSTGRESQL = [
    sql
    for audience in AUDIENCES
    for sql in (
        f"CREATE INDEX search_entry_title_{audience} ON search_searchentry "
        f"USING gin (search_title) WHERE audience = '{audience}'",
        f"CREATE INDEX search_entry_date_{audience} ON search_searchentry "
        f"(date DESC NULLS LAST, id) WHERE audience = '{audience}'",
    )
]
POSTGRESQL_REVERSE = [
    f"DROP INDEX search_entry_{kind}_{audience}"
    for audience in AUDIENCES
    for kind in ("title", "date")
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_index_per_audience")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE))]
