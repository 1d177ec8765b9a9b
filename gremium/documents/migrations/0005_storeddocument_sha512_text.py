# Each stored PDF's sha512 and text, published with it as an OParl File; read from the
# files already stored.

from django.db import migrations, models

from gremium.lib.file_digest import file_sha512, pdf_text


def fill(apps, schema_editor):
    StoredDocument = apps.get_model("documents", "StoredDocument")
    for stored in StoredDocument.objects.filter(sha512="").iterator():
        digest = file_sha512(stored.file)
        if digest:
            StoredDocument.objects.filter(pk=stored.pk).update(
                sha512=digest, text=pdf_text(stored.file)
            )


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0004_rendering"),
    ]

    operations = [
        migrations.AddField(
            model_name="storeddocument",
            name="sha512",
            field=models.CharField(blank=True, max_length=128, verbose_name="sha512"),
        ),
        migrations.AddField(
            model_name="storeddocument",
            name="text",
            field=models.TextField(blank=True, verbose_name="udtrukket tekst"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
