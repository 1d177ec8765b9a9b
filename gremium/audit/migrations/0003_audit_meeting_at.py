from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_danish_labels"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditrecord",
            index=models.Index(fields=["meeting_id", "at"], name="audit_meeting_at"),
        ),
    ]
