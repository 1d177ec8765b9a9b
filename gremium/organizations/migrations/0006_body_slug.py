# Bodies get a readable, unique address name on the portal (/kommuner/<slug>/), for a
# deployment that holds several municipalities.

from django.db import migrations, models


def fill_slugs(apps, schema_editor):
    from gremium.lib.slugs import unique_slug

    Body = apps.get_model("organizations", "Body")
    taken = set()
    for body in Body.objects.order_by("pk"):
        body.slug = unique_slug(body.name, taken.__contains__, fallback="kommune")
        taken.add(body.slug)
        body.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_created_modified"),
    ]

    operations = [
        migrations.AddField(
            model_name="body",
            name="slug",
            # No index yet: the unique constraint below brings one (see 0004).
            field=models.SlugField(
                blank=True, default="", max_length=80, db_index=False, verbose_name="adressenavn"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="body",
            name="slug",
            field=models.SlugField(blank=True, max_length=80, unique=True, verbose_name="adressenavn"),
        ),
    ]
