"""The approved minutes are a record: later data, a restore or another MEDIA_ROOT change
neither what was approved nor whether the signatures count; each approved version is kept."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from django.core.files.storage import default_storage

from gremium.documents.build import build_document
from gremium.documents.html import render_html
from gremium.documents.markdown import render_markdown
from gremium.documents.models import StoredDocument
from gremium.lib.document_structure import Audience, DocumentKind
from gremium.lib.storage import content_name
from gremium.meetings import services
from gremium.meetings.minutes import live_minutes, minutes_fingerprint
from gremium.meetings.models import (
    AttendanceStatus,
    DecisionOutcome,
    MeetingState,
    MinutesVersion,
)
from gremium.organizations.models import Membership, MembershipRole
from tests.factories import MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def _published(actor, members=3):
    """Minutes with a decided item, a public attachment and `members` attending members."""
    meeting = MeetingFactory()
    organization = meeting.organization
    item = services.agenda_item_add(meeting=meeting, title="Budget 2027", by=actor)
    services.attachment_add(item=item, filename="budget.pdf", content=_pdf(), by=actor)
    meeting = services.meeting_publish_agenda(meeting=meeting, by=actor, keep_pdf=False)
    meeting = services.meeting_mark_held(meeting=meeting, by=actor)
    people = []
    for n in range(members):
        role = MembershipRole.CHAIR if n == 0 else MembershipRole.MEMBER
        person = MembershipFactory(organization=organization, role=role, party="A").person
        services.attendance_set(
            meeting=meeting, person=person, status=AttendanceStatus.PRESENT, by=actor
        )
        people.append(person)
    services.decision_record(
        item=item, outcome=DecisionOutcome.APPROVED, text="Godkendt.", by=actor
    )
    return services.meeting_publish_minutes(meeting=meeting, by=actor), item, people


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _approve_all(meeting, people, actor):
    for person in people:
        services.minutes_approve(meeting=meeting, person=person, by=actor)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED


def _renderings(meeting) -> tuple[str, str]:
    internal = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.INTERNAL)
    return render_html(internal), render_markdown(internal)


def _signed(meeting) -> list[str]:
    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.PUBLIC)
    return [s.name for s in document.signatures if s.signed_at is not None]


def test_a_rename_after_approval_keeps_every_signature_and_the_text(media, actor):
    meeting, _item, people = _published(actor)
    _approve_all(meeting, people, actor)
    before = _renderings(meeting)
    signers = _signed(meeting)
    old_name = people[1].name
    people[1].name = "Nyt Efternavn"  # married, renamed in the admin
    people[1].save()
    Membership.objects.filter(person=people[2]).update(party="Ø")  # changed party
    meeting.organization.name = "Nyt udvalgsnavn"
    meeting.organization.save()
    assert services.valid_approvals(meeting).count() == 3
    assert _signed(meeting) == signers and old_name in signers
    assert _renderings(meeting) == before


def test_a_rename_between_two_approvals_keeps_the_first(media, actor):
    meeting, _item, people = _published(actor, members=2)
    services.minutes_approve(meeting=meeting, person=people[0], by=actor)
    people[0].name = "Omdøbt Person"
    people[0].save()
    services.minutes_approve(meeting=meeting, person=people[1], by=actor)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED
    assert services.valid_approvals(meeting).count() == 2
    assert "Omdøbt Person" not in _renderings(meeting)[0]


@pytest.mark.parametrize("old_folder_stays", [True, False], ids=["mounted-elsewhere", "restored"])
def test_another_media_root_keeps_signatures_and_renders_the_same(
    media, settings, actor, old_folder_stays
):
    meeting, _item, people = _published(actor)
    _approve_all(meeting, people, actor)
    before = _renderings(meeting)
    combined_before = _pdf_text(meeting)
    # Restore as docs/operations.md says, into another folder, or mount it elsewhere.
    moved = media / "restored-elsewhere"
    shutil.copytree(settings.MEDIA_ROOT, moved)
    if not old_folder_stays:
        shutil.rmtree(settings.MEDIA_ROOT)
    settings.MEDIA_ROOT = str(moved)
    assert services.valid_approvals(meeting).count() == 3
    assert _renderings(meeting) == before
    internal = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.INTERNAL)
    (ref,) = internal.items[0].attachments
    assert ref.path == content_name(ref.sha256)
    assert Path(default_storage.path(ref.path)).is_relative_to(moved)
    assert default_storage.exists(ref.path)
    assert _pdf_text(meeting) == combined_before


def _pdf_text(meeting) -> str:
    from gremium.documents.output import render_document

    document = build_document(meeting, kind=DocumentKind.MINUTES, audience=Audience.INTERNAL)
    pdf = render_document(document, "pdf", with_attachments=True)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return f"{len(reader.pages)}\n" + "\n".join(p.extract_text() for p in reader.pages)


def test_the_fingerprint_covers_content_not_storage(media, actor):
    meeting, _item, _people = _published(actor)
    document = live_minutes(meeting)
    assert document.items[0].attachments[0].path == ""
    import dataclasses

    item = document.items[0]
    elsewhere = dataclasses.replace(
        document,
        items=(
            dataclasses.replace(
                item,
                attachments=(
                    dataclasses.replace(item.attachments[0], path="/srv/x.pdf", url="/bilag/9/"),
                ),
            ),
        ),
        logo_path="/srv/logo.png",
    )
    assert minutes_fingerprint(elsewhere) == minutes_fingerprint(document)
    changed = dataclasses.replace(
        document,
        items=(
            dataclasses.replace(
                item,
                attachments=(dataclasses.replace(item.attachments[0], sha256="0" * 64),),
            ),
        ),
    )
    assert minutes_fingerprint(changed) != minutes_fingerprint(document)


def test_an_edit_through_the_services_makes_a_new_version_and_asks_again(media, actor):
    meeting, item, people = _published(actor, members=2)
    services.minutes_approve(meeting=meeting, person=people[0], by=actor)
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 1
    services.decision_record(
        item=item, outcome=DecisionOutcome.APPROVED, text="Godkendt med en ændring.", by=actor
    )
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 2
    assert not services.valid_approvals(meeting).exists()
    assert "Godkendt med en ændring." in _renderings(meeting)[0]


def _versions_on_page(client, meeting) -> list[str]:
    html = client.get(f"/moeder/{meeting.pk}/").content.decode()
    return re.findall(rf'href="(/moeder/{meeting.pk}/referat/version/\d+\.pdf)"', html)


def test_an_addendum_and_new_approval_store_a_new_pdf_and_keep_the_old(client, media, actor):
    meeting, item, people = _published(actor, members=2)
    _approve_all(meeting, people, actor)
    first = client.get(f"/moeder/{meeting.pk}/referat.pdf").content
    assert "Tilføjelse om budgettets fordeling" not in _text(first)
    services.meeting_add_addendum(
        item=item,
        text="Tilføjelse om budgettets fordeling.",
        reason="Udeladt ved en fejl",
        by=actor,
    )
    _approve_all(meeting, people, actor)
    second = client.get(f"/moeder/{meeting.pk}/referat.pdf").content
    assert second != first
    assert "Tilføjelse om budgettets fordeling" in _text(second)
    stored = StoredDocument.objects.filter(
        meeting=meeting, kind="minutes", audience="public", with_attachments=False
    ).order_by("created", "id")
    assert [s.file.read() for s in stored] == [first, second]
    # The earlier approved version stays listed and downloadable.
    links = _versions_on_page(client, meeting)
    assert links == [f"/moeder/{meeting.pk}/referat/version/{s.pk}.pdf" for s in stored]
    old = client.get(links[0])
    assert old.status_code == 200 and old.content == first


def test_a_version_of_another_audience_or_meeting_is_not_served(client, media, actor):
    meeting, _item, people = _published(actor, members=1)
    _approve_all(meeting, people, actor)
    internal = StoredDocument.objects.get(meeting=meeting, kind="minutes", audience="internal")
    assert client.get(f"/moeder/{meeting.pk}/referat/version/{internal.pk}.pdf").status_code == 404
    other, _item, _others = _published(actor, members=1)
    public = StoredDocument.objects.get(meeting=meeting, kind="minutes", audience="public")
    assert client.get(f"/moeder/{other.pk}/referat/version/{public.pk}.pdf").status_code == 404


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
