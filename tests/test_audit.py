from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from gremium.audit.models import AuditRecord
from gremium.meetings import services
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_every_service_change_writes_one_chained_record(actor):
    meeting = MeetingFactory()
    item = services.agenda_item_add(meeting=meeting, title="A", by=actor)
    services.agenda_item_update(item=item, title="B", expected_version=item.version, by=actor)
    records = list(AuditRecord.objects.order_by("id"))
    assert [r.action for r in records] == ["agenda_item.add", "agenda_item.update"]
    assert records[1].previous_hash == records[0].hash
    assert records[1].before["title"] == "A" and records[1].after["title"] == "B"
    assert records[1].meeting_id == meeting.pk


def test_verify_passes_on_an_intact_chain(demo_meeting, capsys):
    call_command("audit", "verify")
    assert "intakt" in capsys.readouterr().out


def test_verify_names_the_altered_record(demo_meeting):
    victim = AuditRecord.objects.order_by("id")[5]
    AuditRecord.objects.filter(pk=victim.pk).update(actor_name="someone else")
    with pytest.raises(CommandError, match=f"#{victim.pk}: its content was altered"):
        call_command("audit", "verify")


def test_verify_names_the_record_after_a_removed_one(demo_meeting):
    records = list(AuditRecord.objects.order_by("id")[:4])
    AuditRecord.objects.filter(pk=records[2].pk).delete()
    with pytest.raises(CommandError, match=f"#{records[3].pk}: the record before it was removed"):
        call_command("audit", "verify")
