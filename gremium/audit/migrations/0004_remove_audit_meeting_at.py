# The OParl API dates objects by Meeting.modified now, which moves with every change a
# meeting shows; the audit index it used for that (0003) is not needed any more.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_audit_meeting_at'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='auditrecord',
            name='audit_meeting_at',
        ),
    ]
