"""A deployment with a record worth restoring, made in a process of its own (the settings
come from the environment): `python -m tests.backup_site`. The demo meeting, and an
approved meeting with a PDF attachment, a logo, a login with a group, signatures and kept
minutes PDFs."""

from __future__ import annotations

import io
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gremium.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", "--accounts", verbosity=0)
    build()


def build() -> None:
    import pypdf
    from django.contrib.auth.models import Group, Permission
    from django.core.files.base import ContentFile

    from gremium.audit.services import Actor
    from gremium.meetings import services
    from gremium.meetings.models import AttendanceStatus, DecisionOutcome
    from gremium.organizations.models import MembershipRole
    from tests.factories import MeetingFactory, MembershipFactory, UserFactory

    actor = Actor.system("backup test")
    meeting = MeetingFactory(organization__name="Økonomiudvalget")
    body = meeting.organization.body
    body.logo.save("logo.png", ContentFile(_png()), save=True)
    user = UserFactory(username="sekretaer-backup")
    group, _ = Group.objects.get_or_create(name="Sekretariat")
    group.permissions.add(Permission.objects.get(codename="view_meeting"))
    user.groups.add(group)
    item = services.agenda_item_add(meeting=meeting, title="Budget 2027 – æøå", by=actor)
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pdf = io.BytesIO()
    writer.write(pdf)
    services.attachment_add(item=item, filename="budget.pdf", content=pdf.getvalue(), by=actor)
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor)
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    people = []
    for n in range(3):
        role = MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER
        person = MembershipFactory(organization=meeting.organization, role=role).person
        services.attendance_set(
            meeting=meeting, person=person, status=AttendanceStatus.PRESENT, by=actor
        )
        people.append(person)
    services.decision_record(
        item=item, outcome=DecisionOutcome.APPROVED, text="Godkendt.", by=actor
    )
    meeting = services.meeting_publish_minutes(meeting=meeting, by=actor)
    for person in people:
        services.minutes_approve(meeting=meeting, person=person, by=actor)


def _png() -> bytes:
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00\x10\x60\xa0")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    main()
