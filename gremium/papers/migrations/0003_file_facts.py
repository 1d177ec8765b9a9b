# Created and modified times for consultations and attachments (OParl 1.1 dates every
# object), and each attachment's sha512 (File.sha512Checksum), read from the stored file.
# Rows that exist already get the time of the migration as their created time.

import django.utils.timezone
from django.db import migrations, models

from gremium.lib.file_digest import file_sha512


def fill_sha512(apps, schema_editor):
    Attachment = apps.get_model("papers", "Attachment")
    for attachment in Attachment.objects.exclude(file="").filter(sha512="").iterator():
        digest = file_sha512(attachment.file)
        if digest:
            Attachment.objects.filter(pk=attachment.pk).update(sha512=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0002_danish_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="created",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="oprettet"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="consultation",
            name="modified",
            field=models.DateTimeField(auto_now=True, verbose_name="ændret"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="modified",
            field=models.DateTimeField(auto_now=True, verbose_name="ændret"),
        ),
        migrations.AddField(
            model_name="attachment",
            name="sha512",
            field=models.CharField(blank=True, max_length=128, verbose_name="sha512"),
        ),
        migrations.RunPython(fill_sha512, migrations.RunPython.noop),
    ]
