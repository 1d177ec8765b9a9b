# Created and modified times for the objects OParl 1.1 dates (every object has both).
# Rows that exist already get the time of the migration: when they were made is unknown.

import django.utils.timezone
from django.db import migrations, models


def _stamps(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name="created",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="oprettet"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name=model_name,
            name="modified",
            field=models.DateTimeField(auto_now=True, verbose_name="ændret"),
        ),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0004_organization_slug"),
    ]

    operations = [
        *_stamps("legislativeterm"),
        *_stamps("membership"),
        *_stamps("location"),
    ]
