# Organizations get a readable, unique address name on the portal (/udvalg/<slug>/).

from django.db import migrations, models


def fill_slugs(apps, schema_editor):
    from gremium.lib.slugs import unique_slug

    Organization = apps.get_model("organizations", "Organization")
    taken = set()
    for organization in Organization.objects.order_by("pk"):
        organization.slug = unique_slug(organization.name, taken.__contains__)
        taken.add(organization.slug)
        organization.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_danish_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="slug",
            # No index yet: the AlterField below adds the unique one, and on PostgreSQL a
            # second "_like" index of the same name would collide with this one's.
            field=models.SlugField(
                blank=True, db_index=False, default="", max_length=80, verbose_name="adressenavn"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organization",
            name="slug",
            field=models.SlugField(blank=True, max_length=80, unique=True, verbose_name="adressenavn"),
        ),
    ]
