from __future__ import annotations

import json

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
    records = list(AuditRecord.objects.order_by("id"))
    victim = records[len(records) // 2]
    AuditRecord.objects.filter(pk=victim.pk).update(actor_name="someone else")
    with pytest.raises(CommandError, match=f"#{victim.pk}: dens indhold er ændret"):
        call_command("audit", "verify")


def test_verify_names_the_record_after_a_removed_one(demo_meeting):
    records = list(AuditRecord.objects.order_by("id")[:3])
    AuditRecord.objects.filter(pk=records[1].pk).delete()
    with pytest.raises(CommandError, match=f"#{records[2].pk}: posten før den er fjernet"):
        call_command("audit", "verify")


def _head(capsys) -> dict[str, str]:
    lines = capsys.readouterr().out.splitlines()
    return dict(line.split(": ", 1) for line in lines if line.startswith(("count: ", "head: ")))


def test_verify_prints_the_count_and_the_head(demo_meeting, capsys):
    call_command("audit", "verify")
    newest = AuditRecord.objects.order_by("-id").first()
    assert _head(capsys) == {"count": str(AuditRecord.objects.count()), "head": newest.hash}


def test_removed_newest_records_are_found_against_an_earlier_check(demo_meeting, tmp_path, actor):
    earlier = tmp_path / "audit-head.json"
    call_command("audit", "verify", save=earlier)
    saved = json.loads(earlier.read_text())
    assert saved["count"] == AuditRecord.objects.count()
    # Later changes only add to the chain: the earlier head is still in it.
    services.agenda_item_add(meeting=demo_meeting, title="Nyt punkt", by=actor)
    call_command("audit", "verify", expect_file=earlier)
    call_command("audit", "verify", expect_head=saved["head"], expect_count=saved["count"])
    # Removing the newest records leaves a chain that links up by itself ...
    AuditRecord.objects.filter(pk__gte=AuditRecord.objects.order_by("-id")[2].pk).delete()
    call_command("audit", "verify")
    # ... but not one that still holds the earlier head.
    with pytest.raises(CommandError, match="de nyeste poster er fjernet"):
        call_command("audit", "verify", expect_file=earlier)
    with pytest.raises(CommandError, match="findes ikke længere i kæden"):
        call_command("audit", "verify", expect_head=saved["head"])


def test_a_removed_head_is_found_even_when_new_records_hide_the_count(
    demo_meeting, tmp_path, actor
):
    earlier = tmp_path / "audit-head.json"
    call_command("audit", "verify", save=earlier)
    AuditRecord.objects.order_by("-id").first().delete()
    services.agenda_item_add(meeting=demo_meeting, title="Erstatning", by=actor)
    with pytest.raises(CommandError, match="findes ikke længere i kæden"):
        call_command("audit", "verify", expect_file=earlier)


def test_an_earlier_head_must_stand_where_it_stood(demo_meeting, capsys):
    call_command("audit", "verify")
    head = _head(capsys)
    with pytest.raises(CommandError, match=f"nu post nr. {head['count']}"):
        call_command("audit", "verify", expect_head=head["head"], expect_count=1)


@pytest.mark.parametrize(
    "options",
    [
        {"expect_head": "abc"},
        {"expect_count": -1},
        {"expect_file": "missing.json"},
        {"expect_file": "missing.json", "expect_count": 3},
    ],
)
def test_a_wrong_expectation_is_refused_with_a_message(options, tmp_path, db):
    if "expect_file" in options:
        options = {**options, "expect_file": tmp_path / options["expect_file"]}
    with pytest.raises(CommandError):
        call_command("audit", "verify", **options)
